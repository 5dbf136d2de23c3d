"""The blank-python sample: a traced function that calls the Lambda API and returns the account usage.

A port of AWS's blank-python sample for a current Python runtime. aws-xray-sdk and jsonpickle come from
the `blank-python-lib` layer; boto3 comes from the Lambda runtime.
"""
import logging
import os
import re

import boto3
import jsonpickle
from aws_xray_sdk.core import patch_all

logger = logging.getLogger()
logger.setLevel(logging.INFO)

# Record a subsegment for every boto3 call (and other supported libraries).
patch_all()

client = boto3.client("lambda")
# A first call at start-up (as in the original sample). The X-Ray SDK drops subsegments made while
# the Lambda worker initializes, so only the handler's call appears in the trace.
client.get_account_settings()

_SECRET_NAME = re.compile(r"(SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|API_?KEY|ACCESS_KEY|SESSION)", re.IGNORECASE)
_SECRET_VALUE = re.compile(r"^(AKIA|ASIA)[A-Z0-9]{16}$|^[A-Za-z0-9/+=]{40,}$")
REDACTED = "***redacted***"


def redact(environ):
    """A copy of `environ` in which values that look like credentials are replaced by REDACTED.

    A value is redacted when its name says it is a secret (…SECRET…, …TOKEN…, …PASSWORD…, …KEY…) or when
    the value itself looks like an AWS access key id or a long opaque token.
    """
    return {
        name: REDACTED if _SECRET_NAME.search(name) or _SECRET_VALUE.match(value or "") else value
        for name, value in environ.items()
    }


def lambda_handler(event, context):
    logger.info("## ENVIRONMENT VARIABLES\r%s", jsonpickle.encode(redact(dict(os.environ))))
    logger.info("## EVENT\r%s", jsonpickle.encode(event))
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
