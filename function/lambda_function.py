"""The blank-python sample: a traced function that calls the Lambda API and returns the account usage.

A port of AWS's blank-python sample for a current Python runtime. aws-xray-sdk and jsonpickle come from
the `blank-python-lib` layer; boto3 comes from the Lambda runtime. `redaction.py` (shared with the
OpenTelemetry sample, `otel_function.py`) keeps secrets out of the logs.
"""
import logging
import os

import boto3
import jsonpickle
from aws_xray_sdk.core import patch_all

from redaction import redact, redact_event

logger = logging.getLogger()
logger.setLevel(logging.INFO)

# Record a subsegment for every boto3 call (and other supported libraries).
patch_all()

client = boto3.client("lambda")
# A first call at start-up (as in the original sample). The X-Ray SDK drops subsegments made while
# the Lambda worker initializes, so only the handler's call appears in the trace.
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
    response = client.get_account_settings()
    return response["AccountUsage"]
