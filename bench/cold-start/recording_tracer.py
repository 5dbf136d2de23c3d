"""A minimal recording tracer provider on opentelemetry-api alone (the SDK is not installable here).

Spans keep their name, attributes, events, status and times in memory (`FINISHED`), like the
SDK's in-memory exporter; no processor, no exporter, no network.
"""
import contextlib
import random
import time

from opentelemetry import trace
from opentelemetry.trace import SpanContext, TraceFlags

FINISHED = []


class RecordingSpan(trace.Span):
    def __init__(self, name, context, parent, attributes):
        self.name = name
        self._context = context
        self.parent = parent
        self.attributes = dict(attributes or {})
        self.events = []
        self.status = None
        self.start = time.time_ns()
        self.end_time = None

    def get_span_context(self):
        return self._context

    def set_attributes(self, attributes):
        self.attributes.update(attributes)

    def set_attribute(self, key, value):
        self.attributes[key] = value

    def add_event(self, name, attributes=None, timestamp=None):
        self.events.append((name, dict(attributes or {}), timestamp or time.time_ns()))

    def add_link(self, context, attributes=None):
        pass

    def update_name(self, name):
        self.name = name

    def is_recording(self):
        return self.end_time is None

    def set_status(self, status, description=None):
        self.status = (status, description)

    def record_exception(self, exception, attributes=None, timestamp=None, escaped=False):
        self.add_event('exception', {'exception.type': type(exception).__name__, 'exception.message': str(exception)})

    def end(self, end_time=None):
        self.end_time = end_time or time.time_ns()
        FINISHED.append(self)


class RecordingTracer(trace.Tracer):
    def start_span(self, name, context=None, kind=trace.SpanKind.INTERNAL, attributes=None, links=None,
                   start_time=None, record_exception=True, set_status_on_exception=True):
        parent = trace.get_current_span(context).get_span_context()
        trace_id = parent.trace_id if parent.is_valid else random.getrandbits(128)
        ctx = SpanContext(trace_id, random.getrandbits(64), is_remote=False, trace_flags=TraceFlags(TraceFlags.SAMPLED))
        return RecordingSpan(name, ctx, parent if parent.is_valid else None, attributes)

    @contextlib.contextmanager
    def start_as_current_span(self, name, context=None, kind=trace.SpanKind.INTERNAL, attributes=None, links=None,
                              start_time=None, record_exception=True, set_status_on_exception=True, end_on_exit=True):
        span = self.start_span(name, context, kind, attributes, links, start_time, record_exception, set_status_on_exception)
        with trace.use_span(span, end_on_exit=end_on_exit, record_exception=record_exception,
                            set_status_on_exception=set_status_on_exception) as current:
            yield current


class RecordingTracerProvider(trace.TracerProvider):
    def get_tracer(self, instrumenting_module_name, instrumenting_library_version=None, schema_url=None, attributes=None):
        return RecordingTracer()
