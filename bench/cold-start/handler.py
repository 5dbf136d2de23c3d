"""The measured handler: one boto3 call (Lambda GetAccountSettings against a local stub).

The instrumentation is chosen by BENCH_INSTRUMENTATION and set up at import time, the way a
function sets it up at module level. Nothing here reaches the network: the endpoint is 127.0.0.1.
"""
import os

MODE = os.environ['BENCH_INSTRUMENTATION']

if MODE in ('xray-patch-all', 'xray-botocore'):
    from aws_xray_sdk.core import patch, patch_all, xray_recorder  # noqa: F401

    if MODE == 'xray-patch-all':
        patch_all()
    else:
        patch(['botocore'])
elif MODE == 'otel-api':
    from opentelemetry import trace

    import recording_tracer

    trace.set_tracer_provider(recording_tracer.RecordingTracerProvider())
    tracer = trace.get_tracer(__name__)
elif MODE != 'none':
    raise SystemExit(f'unknown BENCH_INSTRUMENTATION {MODE!r}')

import boto3  # noqa: E402

client = boto3.client('lambda')


def handler(event, context):
    if MODE == 'otel-api':
        # opentelemetry-api has no botocore instrumentation of its own: the span is made by hand.
        with tracer.start_as_current_span('Lambda.GetAccountSettings') as span:
            span.set_attribute('rpc.service', 'Lambda')
            result = client.get_account_settings()
    else:
        result = client.get_account_settings()
    return {'ok': 'AccountLimit' in result}
