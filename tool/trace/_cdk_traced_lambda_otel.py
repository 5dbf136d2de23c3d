"""The OpenTelemetry side of runner.py: plays the part of the ADOT / AWS OpenTelemetry exec wrapper
(/opt/otel-instrument) for `cdk-traced-lambda trace`.

It gives the process a tracer provider whose spans go to a JSON-lines file the CLI reads:
- the OpenTelemetry SDK's TracerProvider with an exporter writing that file, when the SDK is importable;
- else a small recording tracer provider written against the opentelemetry-api interfaces.
It instruments botocore (opentelemetry-instrumentation-botocore) when importable, and creates the Lambda
server span as opentelemetry-instrumentation-aws-lambda does (using that package when importable).

Only the standard library is imported at module level: opentelemetry comes from the function's code and
layers, --otel-path or this machine's Python, so it is imported after runner.py has set sys.path.
"""
import contextlib
import json
import os
import random
import threading
import time
import traceback

SCOPE = 'cdk-traced-lambda.local-trace'


class MissingApi(Exception):
    """opentelemetry-api cannot be imported."""


class _Writer:
    """Appends one JSON line per finished span, so spans recorded before a timeout are not lost."""

    def __init__(self, path):
        self._lock = threading.Lock()
        self._file = open(path, 'a', encoding='utf-8')

    def write(self, record):
        line = json.dumps(record, default=str)
        with self._lock:
            self._file.write(line + '\n')
            self._file.flush()


def _attr_value(value):
    if isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, (str, bool, int, float))]
    return str(value)


def _attrs(attributes):
    return {str(k): _attr_value(v) for k, v in dict(attributes or {}).items()}


def _record(trace_id, span_id, parent_id, name, kind, start, end, attributes, events, status_code, status_message, scope):
    return {
        'traceId': '%032x' % trace_id, 'spanId': '%016x' % span_id,
        'parentSpanId': None if parent_id is None else '%016x' % parent_id,
        'name': name, 'kind': kind, 'startTimeUnixNano': str(start), 'endTimeUnixNano': str(end),
        'attributes': _attrs(attributes),
        'events': [{'name': n, 'timeUnixNano': str(t), 'attributes': _attrs(a)} for (n, t, a) in events],
        'status': {'code': status_code, 'message': status_message},
        'scope': {'name': scope[0], 'version': scope[1]},
    }


def _recording_provider(trace, writer):
    """A TracerProvider of the opentelemetry-api interfaces that records what a handler does with spans."""
    from opentelemetry.trace import SpanKind, Status, StatusCode

    class RecordingSpan(trace.Span):
        def __init__(self, name, context, parent_id, kind, attributes, start_time, scope):
            self._name = name
            self._context = context
            self._parent_id = parent_id
            self._kind = kind
            self._attributes = dict(attributes or {})
            self._events = []
            self._status = (StatusCode.UNSET, None)
            self._start = start_time or time.time_ns()
            self._end = None
            self._scope = scope

        def get_span_context(self):
            return self._context

        def set_attributes(self, attributes):
            for k, v in dict(attributes or {}).items():
                self.set_attribute(k, v)

        def set_attribute(self, key, value):
            if self._end is None:
                self._attributes[key] = value

        def add_event(self, name, attributes=None, timestamp=None):
            if self._end is None:
                self._events.append((name, timestamp or time.time_ns(), attributes))

        def add_link(self, context, attributes=None):
            pass  # links are not shown locally

        def update_name(self, name):
            if self._end is None:
                self._name = name

        def is_recording(self):
            return self._end is None

        def set_status(self, status, description=None):
            if self._end is not None or self._status[0] == StatusCode.OK:
                return  # as the SDK: OK is final
            if isinstance(status, Status):
                code, message = status.status_code, status.description
            else:
                code, message = status, description
            if code != StatusCode.UNSET:
                self._status = (code, message)

        def record_exception(self, exception, attributes=None, timestamp=None, escaped=False):
            attrs = {'exception.type': type(exception).__name__, 'exception.message': str(exception),
                     'exception.stacktrace': ''.join(traceback.format_exception(type(exception), exception, exception.__traceback__)),
                     'exception.escaped': str(escaped)}
            attrs.update(dict(attributes or {}))
            self.add_event('exception', attrs, timestamp)

        def end(self, end_time=None):
            if self._end is not None:
                return
            self._end = end_time or time.time_ns()
            ctx = self._context
            writer.write(_record(ctx.trace_id, ctx.span_id, self._parent_id, self._name, self._kind.name, self._start,
                                 self._end, self._attributes, self._events, self._status[0].name, self._status[1], self._scope))

    class RecordingTracer(trace.Tracer):
        def __init__(self, scope):
            self._scope = scope

        def start_span(self, name, context=None, kind=SpanKind.INTERNAL, attributes=None, links=None,
                       start_time=None, record_exception=True, set_status_on_exception=True):
            parent = trace.get_current_span(context).get_span_context()
            trace_id = parent.trace_id if parent.is_valid else random.getrandbits(128)
            span_context = trace.SpanContext(trace_id=trace_id, span_id=random.getrandbits(64), is_remote=False,
                                             trace_flags=trace.TraceFlags(trace.TraceFlags.SAMPLED))
            return RecordingSpan(name, span_context, parent.span_id if parent.is_valid else None, kind, attributes,
                                 start_time, self._scope)

        @contextlib.contextmanager
        def start_as_current_span(self, name, context=None, kind=SpanKind.INTERNAL, attributes=None, links=None,
                                  start_time=None, record_exception=True, set_status_on_exception=True, end_on_exit=True):
            span = self.start_span(name, context, kind, attributes, links, start_time)
            with trace.use_span(span, end_on_exit=end_on_exit, record_exception=record_exception,
                                set_status_on_exception=set_status_on_exception) as current:
                yield current

    class RecordingTracerProvider(trace.TracerProvider):
        def get_tracer(self, instrumenting_module_name, instrumenting_library_version=None, schema_url=None, attributes=None):
            return RecordingTracer((instrumenting_module_name or '', instrumenting_library_version or ''))

        def force_flush(self, timeout_millis=30000):
            return True

        def shutdown(self):
            pass

    return RecordingTracerProvider()


def _sdk_provider(writer, resource_attributes):
    """The OpenTelemetry SDK's provider with an exporter handing each finished span to the CLI (ImportError without the SDK)."""
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult

    class CliExporter(SpanExporter):
        def export(self, spans):
            for s in spans:
                scope = getattr(s, 'instrumentation_scope', None)
                writer.write(_record(
                    s.context.trace_id, s.context.span_id, s.parent.span_id if s.parent else None, s.name, s.kind.name,
                    s.start_time, s.end_time, s.attributes, [(e.name, e.timestamp, e.attributes) for e in s.events],
                    s.status.status_code.name, s.status.description,
                    (getattr(scope, 'name', '') or '', getattr(scope, 'version', '') or '')))
            return SpanExportResult.SUCCESS

        def shutdown(self):
            pass

    provider = TracerProvider(resource=Resource.create(resource_attributes))
    provider.add_span_processor(SimpleSpanProcessor(CliExporter()))
    return provider


class Otel:
    """What the runner needs: the provider, a parent context for a phase, and the handler wrapped in a server span."""

    def __init__(self, config, notes):
        try:
            from opentelemetry import trace, context as context_api
        except ImportError as exc:
            raise MissingApi(str(exc))
        self.trace = trace
        self.context_api = context_api
        self.notes = notes
        self.trace_id = int(config['traceId'][2:].replace('-', ''), 16)
        self.resource = config['otel']['resource']
        writer = _Writer(config['otel']['spansFile'])
        try:
            self.provider = _sdk_provider(writer, self.resource)
            self.mode = 'sdk'
        except ImportError:
            self.provider = _recording_provider(trace, writer)
            self.mode = 'recorder'
            notes.append('opentelemetry-sdk is not installed: spans were recorded by local trace\'s own tracer provider '
                         '(`pip install opentelemetry-sdk` to record them with the SDK, as in Lambda).')
        trace.set_tracer_provider(self.provider)
        try:
            from opentelemetry.instrumentation.botocore import BotocoreInstrumentor
            BotocoreInstrumentor().instrument(tracer_provider=self.provider)
        except ImportError:
            notes.append('botocore calls are not recorded: opentelemetry-instrumentation-botocore is not installed.')
        except Exception as exc:  # a broken instrumentation must not stop the run; say so
            notes.append('botocore calls are not recorded: opentelemetry-instrumentation-botocore failed (%s: %s).'
                         % (type(exc).__name__, exc))

    def parent(self, span_id_hex):
        """A context whose current span is the Lambda service's segment `span_id_hex`, as the X-Ray Lambda propagator gives."""
        trace = self.trace
        span_context = trace.SpanContext(trace_id=self.trace_id, span_id=int(span_id_hex, 16), is_remote=True,
                                         trace_flags=trace.TraceFlags(trace.TraceFlags.SAMPLED))
        return trace.set_span_in_context(trace.NonRecordingSpan(span_context))

    @contextlib.contextmanager
    def phase(self, span_id_hex):
        token = self.context_api.attach(self.parent(span_id_hex))
        try:
            yield
        finally:
            self.context_api.detach(token)

    def instrument_handler(self, module_name, func_name, invoke_parent_hex):
        """Wrap module.func in the Lambda server span; returns the callable to invoke."""
        import importlib
        module = importlib.import_module(module_name)
        try:
            from opentelemetry.instrumentation.aws_lambda import AwsLambdaInstrumentor
            AwsLambdaInstrumentor().instrument(tracer_provider=self.provider,
                                               event_context_extractor=lambda event: self.parent(invoke_parent_hex))
            return getattr(module, func_name)
        except ImportError:
            self.notes.append('The Lambda server span was made by local trace: opentelemetry-instrumentation-aws-lambda '
                              'is not installed (in Lambda the OpenTelemetry layer brings it).')
        except Exception as exc:
            self.notes.append('The Lambda server span was made by local trace: opentelemetry-instrumentation-aws-lambda '
                              'failed (%s: %s).' % (type(exc).__name__, exc))
        return self._server_span(getattr(module, func_name), invoke_parent_hex)

    def _server_span(self, func, invoke_parent_hex):
        from opentelemetry.trace import SpanKind, Status, StatusCode
        tracer = self.provider.get_tracer(SCOPE)

        def handler(event, context):
            arn = context.invoked_function_arn.split(':')
            attributes = {'cloud.account.id': arn[4], 'cloud.resource_id': ':'.join(arn[:7]),
                          'faas.invocation_id': context.aws_request_id}
            with self.phase(invoke_parent_hex):
                with tracer.start_as_current_span(context.function_name, kind=SpanKind.SERVER, attributes=attributes,
                                                  record_exception=False, set_status_on_exception=False) as span:
                    try:
                        return func(event, context)
                    except Exception as exc:
                        span.set_status(Status(StatusCode.ERROR))
                        span.record_exception(exc)
                        raise
        return handler

    def flush(self):
        try:
            self.provider.force_flush()
        except Exception:
            pass


def environment_defaults(config):
    """What the exec wrapper sets before the runtime starts (only where the function does not set it)."""
    os.environ.setdefault('OTEL_SERVICE_NAME', config['context']['functionName'])
    os.environ.setdefault('OTEL_TRACES_EXPORTER', 'none')
    os.environ.setdefault('OTEL_METRICS_EXPORTER', 'none')
    os.environ.setdefault('OTEL_LOGS_EXPORTER', 'none')
