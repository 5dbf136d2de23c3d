import { runPython } from '../../sample/python-harness';

// function/redaction.py, the sample handlers' redaction (what `trace` shows of their logs): secrets found by their
// value as well as by their name. Each case: the input, a secret that must not appear in the output, and a
// neighbour value that must still be shown (no blanket redaction). The CLI itself never prints an event or an
// environment (it quotes neither in its errors), so this is the one table of patterns.
type Case = [label: string, input: string, secret: string, neighbour: string];

const VALUES: Case[] = [
  ['GitHub classic token', 'token ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8 for octocat', 'ghp_A1b2C3d4', 'octocat'],
  ['GitHub OAuth token', 'gho_16C7e42F292c6912E7710c838347Ae178B4a used by ci-bot', '16C7e42F292c', 'ci-bot'],
  ['GitHub fine-grained token', 'GH=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz region=eu', 'github_pat_11ABC', 'region=eu'],
  ['JWT', 'id eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk user=alice',
    'dBjftJeZ4CVP', 'user=alice'],
  ['PEM RSA private key', 'before\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq\n-----END RSA PRIVATE KEY-----\nafter-line',
    'MIIEpAIBAAKCAQEA7bq', 'after-line'],
  ['PEM OpenSSH private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE\n-----END OPENSSH PRIVATE KEY-----\nssh-ed25519 AAAAC3Nz pub',
    'b3BlbnNzaC1rZXktdjE', 'ssh-ed25519 AAAAC3Nz pub'],
  ['PEM private key without its END line', 'key:\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQE', 'MIIEvQIBADANBg', 'key:'],
  ['Password= in a SQL Server connection string', 'Server=db.internal;User ID=sa;Password=Hunter2!x;Database=app', 'Hunter2!x', 'Database=app'],
  ['Pwd= in an ODBC connection string', 'Driver={ODBC};Server=h;Uid=admin;Pwd=s3cr3tPwd;', 's3cr3tPwd', 'Uid=admin'],
  ['OpenAI sk- key', 'key sk-proj-abcDEF1234567890ghijKLMNOP in use by svc-a', 'abcDEF1234567890', 'svc-a'],
  ['Anthropic sk- key', 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv then model=claude', 'AbCdEfGhIjKlMnOp', 'model=claude'],
  ['Stripe live key', 'stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc mode=live', '4eC39HqLyjWDarjt', 'mode=live'],
  ['x-api-key: header line', 'x-api-key: 9f8e7d6c5b4a\nAccept: application/json', '9f8e7d6c5b4a', 'Accept: application/json'],
  ['Authorization: header line', 'Authorization: Digest username="u", response="6629fae4"\nHost: api.example.com', '6629fae4', 'Host: api.example.com'],
  ['Cookie: header line', 'Cookie: sid=31d4d96e407aad42\nUser-Agent: curl/8.5', '31d4d96e407aad42', 'User-Agent: curl/8.5'],
  ['YAML password: line', 'db:\n  host: db.internal\n  password: hunter2-yaml\n  port: 5432', 'hunter2-yaml', 'host: db.internal'],
  ['YAML api_key: line', 'service:\n  api_key: yk-00112233\n  timeout: 30', 'yk-00112233', 'timeout: 30'],
  ['YAML list item with a token', '- name: deploy\n- token: tk-998877\n- region: eu-west-1', 'tk-998877', 'region: eu-west-1'],
  ['JSON key pw', '{"user": "bob", "pw": "pw-secret-1"}', 'pw-secret-1', 'bob'],
  ['JSON secret key nested deep', '{"a": {"b": [{"c": {"clientSecret": "deep-secret-9"}}]}, "d": "visible-d"}', 'deep-secret-9', 'visible-d'],
  ['JSON inside a JSON string', '{"body": "{\\"password\\": \\"inner-pass-7\\", \\"item\\": \\"book\\"}"}', 'inner-pass-7', 'book'],
  ['AWS access key id, upper case', 'creds AKIAIOSFODNN7EXAMPLE for build', 'AKIAIOSFODNN7EXAMPLE', 'for build'],
  ['AWS access key id, lower case', 'creds akiaiosfodnn7example for build', 'akiaiosfodnn7example', 'for build'],
  ['AWS temporary key id, mixed case', 'AsiaY34FZKBOKMUTVV7A role=reader', 'AsiaY34FZKBOKMUTVV7A', 'role=reader'],
  ['password in a postgres URL', 'DATABASE=postgres://app:pg-pass-3@db:5432/app', 'pg-pass-3', 'db:5432/app'],
  ['user-only credential in a git URL', 'remote https://x-token-abc@github.com/org/repo.git', 'x-token-abc', 'github.com/org/repo.git'],
  ['password in a redis URL', 'redis://:redis-pass-4@cache:6379/0', 'redis-pass-4', 'cache:6379/0'],
  ['token in a URL query', 'https://api.example.com/v1?access_token=qt-112233&page=3', 'qt-112233', 'page=3'],
  ['query string on its own', 'user=carol&password=qs-pass-5&lang=en', 'qs-pass-5', 'lang=en'],
  ['api_key in a query string', '?api_key=qk-7788&q=tracing', 'qk-7788', 'q=tracing'],
  ['Bearer credential', 'Authorization=Bearer bt-abc.def', 'bt-abc.def', 'Authorization'],
];

const EVENTS: Case[] = [
  ['event body as JSON', JSON.stringify({ body: JSON.stringify({ username: 'dave', password: 'body-pass-1' }) }), 'body-pass-1', 'dave'],
  ['event body as a form', JSON.stringify({ body: 'username=erin&password=form-pass-2' }), 'form-pass-2', 'erin'],
  ['event body as text with a token', JSON.stringify({ body: 'deploy with ghp_Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2 now' }), 'ghp_Z9y8X7w6', 'deploy with'],
  ['queryStringParameters', JSON.stringify({ queryStringParameters: { token: 'qsp-tok-3', page: '4' } }), 'qsp-tok-3', '"4"'],
  ['multiValueQueryStringParameters', JSON.stringify({ multiValueQueryStringParameters: { api_key: ['mk-1a', 'mk-2b'], sort: ['asc'] } }),
    'mk-1a', 'asc'],
  ['rawQueryString', JSON.stringify({ rawQueryString: 'id=42&secret=raw-sec-6' }), 'raw-sec-6', 'id=42'],
  ['top-level password', JSON.stringify({ password: 'top-pass-8', username: 'frank' }), 'top-pass-8', 'frank'],
  ['requestContext.identity.accessKey', JSON.stringify({ requestContext: { identity: { accessKey: 'ASIAEVENTKEY0000001', sourceIp: '203.0.113.9' } } }),
    'ASIAEVENTKEY0000001', '203.0.113.9'],
  ['a credential header', JSON.stringify({ headers: { 'X-Api-Key': 'hdr-key-9', 'Accept': 'text/html' } }), 'hdr-key-9', 'text/html'],
  ['multiValueHeaders cookie', JSON.stringify({ multiValueHeaders: { Cookie: ['c=mv-cookie-1'], Host: ['h.example'] } }), 'mv-cookie-1', 'h.example'],
  ['an S3 object key is not a secret', JSON.stringify({ Records: [{ s3: { object: { key: 'photos/cat.jpg', eTag: 'e-tag-ok' } } }], password: 'rec-pass' }),
    'rec-pass', 'photos/cat.jpg'],
];

describe('function/redaction.py: a secret goes, its neighbour stays', () => {
  let values: string[];
  let events: string[];
  beforeAll(() => {
    [values, events] = runPython(`import redaction
values = json.loads(${JSON.stringify(JSON.stringify(VALUES.map((c) => c[1])))})
events = json.loads(${JSON.stringify(JSON.stringify(EVENTS.map((c) => c[1])))})
print(json.dumps([[redaction.redact_value(v) for v in values], [json.dumps(redaction.redact_event(json.loads(e))) for e in events]]))`);
  });

  test('the table has at least 40 cases', () => {
    expect(VALUES.length + EVENTS.length).toBeGreaterThanOrEqual(40);
  });

  test.each(VALUES.map((c, i) => [...c, i] as const))('value: %s', (_label, _input, secret, neighbour, i) => {
    expect(values[i]).not.toContain(secret);
    expect(values[i]).toContain(neighbour);
    expect(values[i]).toContain('***redacted***');
  });

  test.each(EVENTS.map((c, i) => [...c, i] as const))('event: %s', (_label, _input, secret, neighbour, i) => {
    expect(events[i]).not.toContain(secret);
    expect(events[i]).toContain(neighbour);
  });
});
