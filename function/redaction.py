"""Redaction for the sample functions' logs: what people keep in environment variables and request headers.

Shared by both sample handlers (`lambda_function.py`, X-Ray SDK; `otel_function.py`, OpenTelemetry), so the
two log the same way. Standard library only. It errs toward redacting: a value that only looks like a
secret is hidden too; ordinary values (paths, regions, names, numbers, plain URLs) pass through unchanged.

- `redact(environ)`: a copy of an environment in which secrets are replaced by REDACTED;
- `redact_value(value)`: one string with the secrets inside it replaced, found by their value (VALUE_PATTERNS:
  GitHub tokens, JWTs, PEM private keys, `sk-` keys, AWS access key ids in any case, `Password=` in connection
  strings, `x-api-key:` and other credential header lines, YAML `password:` lines, `Bearer`/`Basic`
  credentials), in URLs (userinfo, webhook paths, tokens, secret query parameters), in query strings, and in
  JSON (secret-named keys at any depth, JSON inside JSON strings);
- `redact_event(event)`: a copy of a Lambda event with secret-named keys at any depth (headers, query-string
  parameters, a top-level `password`, `requestContext.identity.accessKey`) replaced and every string in it,
  the body included (JSON, a form or text), passed through `redact_value`.
"""
import json
import re

REDACTED = "***redacted***"

# A name that says its value is a secret (any case, anywhere in the name).
SECRET_NAME = re.compile(
    r"KEY|SECRET|TOKEN|PASS|PWD|CREDENTIAL|AUTH|SIGNATURE|PRIVATE|SESSION|COOKIE", re.IGNORECASE
)
# A key of a JSON object, an event or a query string that says its value is a secret. Finer than SECRET_NAME,
# which is for environment variable names: an S3 event's object "key" or an "author" are not secrets.
SECRET_KEY = re.compile(
    r"pass(?:word|wd|phrase)?|pwd|^pw$|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|auth(?!ors?$)"
    r"|credential|signature|cookie|session|^sig$|^x-amz-security",
    re.IGNORECASE,
)
# A whole value that is an AWS access key id (any case) or a long opaque token (base64-like, no separators, with
# letters and digits; a long path such as /opt/python/lib/site/packages/extension is not one).
SECRET_VALUE = re.compile(r"^(?i:AKIA|ASIA)[A-Za-z0-9]{16}$|^(?!/)(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9/+=]{40,}$")
# An AWS access key id inside a longer value, in any case.
ACCESS_KEY_ID = re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b", re.IGNORECASE)
# A PEM private key block (RSA, EC, OPENSSH, ENCRYPTED, ...), up to its END line or the end of the value.
PEM_PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)", re.DOTALL)
# A query string on its own (a=1&b=2, ?a=1): at least two name=value pairs.
QUERY_STRING = re.compile(r"^\??[\w.%\[\]-]+=[^&\s]*(?:&[\w.%\[\]-]+=[^&\s]*)+$")
# The secrets found by their value: (what, pattern). A match's group "keep", if any, stays; the rest is replaced.
# The one table of value patterns (the CLI does not redact by pattern: it never prints an event or environment).
VALUE_PATTERNS = [
    ("GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255})\b")),
    ("JWT", re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")),
    ("sk- key (OpenAI, Anthropic, Stripe)", re.compile(r"\b(?:sk-[A-Za-z0-9_-]{16,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,})")),
    ("AWS access key id", ACCESS_KEY_ID),
    ("credential header line", re.compile(
        r"(?P<keep>\b(?:x-api-key|api-key|x-auth-token|authorization|proxy-authorization|cookie|set-cookie"
        r"|x-amz-security-token)\s*:\s*)[^\r\n]+", re.IGNORECASE)),
    ("YAML or JSON-like secret line", re.compile(
        r"(?P<keep>^[ \t-]*[\"']?[\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key)[\w.-]*[\"']?[ \t]*:[ \t]*)"
        r"(?![ \t]*$)(?!//)[^\r\n#]+", re.IGNORECASE | re.MULTILINE)),
    ("password in a connection string", re.compile(r"(?P<keep>\b(?:password|pwd|passwd)\s*=\s*)[^;\s\"']+", re.IGNORECASE)),
]
# An HTTP credential inside a value, e.g. OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer abc.
HTTP_CREDENTIAL = re.compile(r"\b(Bearer|Basic|Token)(\s+)[^\s,;\"']+", re.IGNORECASE)
# A URL: scheme:// and the rest of the token, up to the next scheme:// (lists of URLs, URLs in query strings).
URL = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?P<rest>(?:(?![A-Za-z][A-Za-z0-9+.\-]*://)[^\s\"'<>])+)")
# Userinfo at the start of a URL's authority: user:password@ (the password may hold any non-space character
# but '@') or a bare user@ (an RFC 3986 userinfo, which holds no '/', '?' or '#').
USERINFO = re.compile(r"^(?:[^\s/?#@:]*:[^\s@]*|[^\s/?#@]+)@")
# Webhook URLs whose path is the secret: (host pattern, path prefix).
WEBHOOKS = [
    (re.compile(r"^hooks\.slack\.com$"), ""),
    (re.compile(r"^(?:canary\.|ptb\.)?discord(?:app)?\.com$"), "/api/"),
    (re.compile(r"^outlook\.office(?:365)?\.com$"), "/webhook"),
    (re.compile(r"^[a-z0-9-]+\.webhook\.office\.com$"), ""),
]
# A URL path segment or query value holding a token: a run of 20+ letters and digits with both in it.
TOKEN_RUN = re.compile(r"[A-Za-z0-9]{20,}")
# Query parameter names that carry signatures besides SECRET_NAME's (Azure SAS `sig`).
SECRET_PARAMS = {"sig"}


def redact(environ):
    """A copy of `environ` in which every secret is replaced by REDACTED.

    A value is replaced whole when its name says it is a secret (…KEY…, …SECRET…, …TOKEN…, …PASS…, …PWD…,
    …CREDENTIAL…, …AUTH…, …SIGNATURE…, …PRIVATE…, any case) or when it looks like an AWS access key id or a
    long opaque token; otherwise the secrets inside it are replaced (see `redact_value`).
    """
    return {name: REDACTED if SECRET_NAME.search(name) else redact_value(value) for name, value in environ.items()}


def redact_value(value):
    """`value` with the secrets inside it replaced by REDACTED; anything that is not a string is returned as is."""
    if not isinstance(value, str):
        return value
    if SECRET_VALUE.match(value):
        return REDACTED
    stripped = value.strip()
    if stripped[:1] in ("{", "["):
        try:
            parsed = json.loads(stripped)
        except ValueError:
            parsed = None
        if isinstance(parsed, (dict, list)):
            redacted = _redact_json(parsed)
            return value if redacted == parsed else json.dumps(redacted)
    value = PEM_PRIVATE_KEY.sub(REDACTED, value)
    if QUERY_STRING.match(stripped):
        return _redact_query(value)
    for _what, pattern in VALUE_PATTERNS:
        value = pattern.sub(_replacement, value)
    value = HTTP_CREDENTIAL.sub(lambda m: m.group(1) + m.group(2) + REDACTED, value)
    return URL.sub(lambda m: m.group("scheme") + _redact_url_rest(m.group("rest")), value)


def _replacement(match):
    keep = match.groupdict().get("keep")
    return (keep or "") + REDACTED


def redact_event(event):
    """A copy of a Lambda event without its secrets: the values of secret-named keys at any depth (credential
    headers in `headers`/`multiValueHeaders`, query-string parameters, a top-level `password`,
    `requestContext.identity.accessKey`), and the secrets inside every string (the body: JSON, a form, text)."""
    if not isinstance(event, (dict, list)):
        return event
    return _redact_json(event)


def _redacted_like(value):
    """REDACTED in the shape of `value`: one per item of a multi-value header's list, None kept (nothing to hide)."""
    if value is None:
        return None
    return [REDACTED for _ in value] if isinstance(value, list) else REDACTED


def _redact_json(node):
    if isinstance(node, dict):
        return {k: _redacted_like(v) if isinstance(k, str) and SECRET_KEY.search(k) else _redact_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_redact_json(item) for item in node]
    return redact_value(node)


def _redact_url_rest(rest):
    """The part of a URL after `scheme://`, with its userinfo, webhook path and token-like parts replaced."""
    userinfo = USERINFO.match(rest)
    prefix = REDACTED + "@" if userinfo else ""
    rest = rest[userinfo.end():] if userinfo else rest
    end = min([i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0], default=len(rest))
    host, tail = rest[:end], rest[end:]
    hostname = host.split(":")[0].lower()
    for host_pattern, path_prefix in WEBHOOKS:
        if host_pattern.match(hostname) and tail.startswith(path_prefix) and len(tail) > 1:
            return prefix + host + "/" + REDACTED
    query_start = re.search(r"[?#]", tail)
    path, query = (tail[:query_start.start()], tail[query_start.start():]) if query_start else (tail, "")
    path = "/".join(REDACTED if _is_token(segment) else segment for segment in path.split("/"))
    return prefix + host + path + _redact_query(query)


def _redact_query(query):
    """`?a=1&b=2#c=3` with the values of secret-named or token-like parameters replaced."""

    def one(pair):
        name, eq, val = pair.partition("=")
        secret = SECRET_KEY.search(name) or name.lower() in SECRET_PARAMS or _is_token(val)
        return name + eq + REDACTED if eq and secret else pair

    return re.sub(r"[^?&#;]+", lambda m: one(m.group(0)), query)


def _is_token(text):
    return any(re.search(r"\d", run) and re.search(r"[A-Za-z]", run) for run in TOKEN_RUN.findall(text))
