"""The X-Ray SDK for Python and Powertools Tracer names that xray_usage.py recognizes, and the kind each
use is reported as (the kinds of lib/local-trace/migrate/types.ts). From aws-xray-sdk 2.15.0's public API
(aws_xray_sdk.core, .core.recorder, .core.patcher, .ext.*) and Powertools' Tracer (aws_lambda_powertools.tracing).
"""

RECORDER_QUALS = {
    "aws_xray_sdk.core.xray_recorder",
    "aws_xray_sdk.core.recorder.xray_recorder",
}
RECORDER_CLASSES = {
    "aws_xray_sdk.core.AWSXRayRecorder",
    "aws_xray_sdk.core.recorder.AWSXRayRecorder",
    "aws_xray_sdk.core.AsyncAWSXRayRecorder",
    "aws_xray_sdk.core.async_recorder.AsyncAWSXRayRecorder",
}
PATCH_ALL = {"aws_xray_sdk.core.patch_all", "aws_xray_sdk.core.patcher.patch_all"}
PATCH = {"aws_xray_sdk.core.patch", "aws_xray_sdk.core.patcher.patch"}
POWERTOOLS_TRACER = {
    "aws_lambda_powertools.Tracer",
    "aws_lambda_powertools.tracing.Tracer",
    "aws_lambda_powertools.tracing.tracer.Tracer",
}

# What `from <module> import *` binds (aws_xray_sdk/core/__init__.py's __all__, aws-xray-sdk 2.15.0).
STAR_EXPORTS = {"aws_xray_sdk.core": ("patch", "patch_all", "xray_recorder", "AWSXRayRecorder")}

# Recorder methods and the kind each is reported as.
RECORDER_METHODS = {
    "capture": "capture",
    "capture_async": "capture_async",
    "in_segment": "in_segment",
    "in_segment_async": "in_segment",
    "in_subsegment": "in_subsegment",
    "in_subsegment_async": "in_subsegment",
    "begin_segment": "begin_segment",
    "begin_subsegment": "begin_subsegment",
    "end_segment": "end_segment",
    "end_subsegment": "end_subsegment",
    "current_segment": "current_segment",
    "current_subsegment": "current_subsegment",
    "put_annotation": "put_annotation",
    "put_metadata": "put_metadata",
    "configure": "configure",
    "get_trace_entity": "trace_entity",
    "set_trace_entity": "trace_entity",
    "clear_trace_entities": "trace_entity",
}
# Recorder methods whose result is a segment or subsegment.
RETURNS_ENTITY = {"current_segment", "current_subsegment", "begin_segment", "begin_subsegment"}
# Context managers whose `as` target is a segment or subsegment.
YIELDS_ENTITY = {"in_segment", "in_segment_async", "in_subsegment", "in_subsegment_async"}
ENTITY_METHODS = {"put_annotation": "put_annotation", "put_metadata": "put_metadata"}
# The recorder's context (`xray_recorder.context`, or one made from these classes) holds the current segment and
# subsegments (aws_xray_sdk/core/context.py, lambda_launcher.py, async_context.py).
CONTEXT_CLASSES = {
    "aws_xray_sdk.core.context.Context",
    "aws_xray_sdk.core.lambda_launcher.LambdaContext",
    "aws_xray_sdk.core.async_context.AsyncContext",
}
CONTEXT_METHODS = {
    "get_trace_entity": "trace_entity",
    "set_trace_entity": "trace_entity",
    "clear_trace_entities": "trace_entity",
    "put_segment": "trace_entity",
    "put_subsegment": "trace_entity",
    "end_segment": "end_segment",
    "end_subsegment": "end_subsegment",
}
TRACER_METHODS = {
    "capture_lambda_handler": "powertools_capture_lambda_handler",
    "capture_method": "powertools_capture_method",
    "put_annotation": "powertools_put_annotation",
    "put_metadata": "powertools_put_metadata",
    "provider": "powertools_provider",
}
# Keywords of `configure(...)` reported on their own line.
CONFIGURE_KEYWORDS = {"sampling": "sampling", "sampling_rules": "sampling", "sampler": "sampling", "plugins": "plugins"}
