"""The blank-python sample, instrumented with OpenTelemetry: calls the Lambda API and returns the account usage.

The same behaviour as `lambda_function.py` (the X-Ray SDK sample), without the X-Ray SDK. The AWS Distro
for OpenTelemetry layer (AWSOpenTelemetryDistroPython, started by AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument)
instruments the handler and boto3 without code changes and provides the `opentelemetry` API at run time, so
the function's own layer does not ship it. The code adds one span of its own through that API.
jsonpickle comes from the `blank-python-otel-lib` layer; boto3 from the Lambda runtime.
"""
import logging
import os

import boto3
import jsonpickle
from opentelemetry import trace

from redaction import redact, redact_event

logger = logging.getLogger()
logger.setLevel(logging.INFO)

# The tracer of the provider that the ADOT layer installs (a no-op tracer where there is none).
tracer = trace.get_tracer(__name__)

client = boto3.client("lambda")
# A first call at start-up, as in the original sample.
client.get_account_settings()


def lambda_handler(event, context):
    logger.info("## ENVIRONMENT VARIABLES\r%s", jsonpickle.encode(redact(dict(os.environ))))
    logger.info("## EVENT\r%s", jsonpickle.encode(redact_event(event)))
    logger.info(
        "## CONTEXT\r%s",
        jsonpickle.encode(
            {
                "function_name": getattr(context, "function_name", None),
                "function_version": getattr(context, "function_version", None),
                "aws_request_id": getattr(context, "aws_request_id", None),
                "memory_limit_in_mb": getattr(context, "memory_limit_in_mb", None),
            }
        ),
    )
    # A custom span around the API call; the layer's botocore instrumentation adds the call's own span
    # as its child.
    with tracer.start_as_current_span("get_account_settings") as span:
        usage = client.get_account_settings()["AccountUsage"]
        span.set_attribute("lambda.account.function_count", usage.get("FunctionCount", 0))
        span.set_attribute("lambda.account.total_code_size", usage.get("TotalCodeSize", 0))
    return usage
