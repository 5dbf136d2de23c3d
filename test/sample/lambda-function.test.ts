import { runPython } from './python-harness';

const R = '***redacted***';

describe('function/lambda_function.py (the X-Ray SDK sample)', () => {
  test('at start-up it patches all libraries for X-Ray before creating the Lambda client, and calls the API once', () => {
    const out = runPython('import lambda_function\nprint(json.dumps(calls))');
    expect(out).toEqual(['patch_all', 'client:lambda', 'GetAccountSettings']);
  });

  test('the handler returns the account usage from GetAccountSettings', () => {
    const out = runPython(`
import lambda_function
class Context: function_name = 'fn'; aws_request_id = 'req-1'; memory_limit_in_mb = 256; function_version = '$LATEST'
print(json.dumps({'result': lambda_function.lambda_handler({'hello': 'world'}, Context()), 'calls': calls}))`);
    expect(out.result).toEqual({ TotalCodeSize: 1234, FunctionCount: 3 });
    expect(out.calls.filter((c: string) => c === 'GetAccountSettings')).toHaveLength(2);
  });

  test('the handler logs the event and the environment with credentials redacted', () => {
    const out = runPython(`
import os
import lambda_function
os.environ.update({'AWS_SECRET_ACCESS_KEY': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'AWS_ACCESS_KEY_ID': 'ASIAIOSFODNN7EXAMPLE',
    'AWS_SESSION_TOKEN': 'IQoJb3JpZ2luX2VjEXAMPLE', 'DB_PASSWORD': 'hunter2', 'AWS_REGION': 'eu-west-1',
    'DATABASE_URL': 'postgres://app:s3cr3t@db.example.com:5432/app'})
lambda_function.lambda_handler({'hello': 'world', 'headers': {'Authorization': 'Bearer eyJhbGciOi', 'Accept': 'text/html'}}, None)
print(json.dumps(records))`);
    const logged = out.join('\n');
    expect(logged).toContain('"hello": "world"');
    expect(logged).toContain('"Accept": "text/html"');
    expect(logged).toContain('"AWS_REGION": "eu-west-1"');
    expect(logged).toContain(`postgres://${R}@db.example.com:5432/app`);
    for (const secret of ['wJalrXUtnFEMI', 'ASIAIOSFODNN7EXAMPLE', 'IQoJb3JpZ2luX2VjEXAMPLE', 'hunter2', 's3cr3t', 'eyJhbGciOi']) {
      expect(logged).not.toContain(secret);
    }
  });
});

/** Runs function/redaction.py's `redact` on each environment and returns the results, in one Python process. */
function redactAll(environs: Record<string, string>[]): Record<string, string>[] {
  return runPython(`import redaction\nprint(json.dumps([redaction.redact(e) for e in json.loads(${JSON.stringify(JSON.stringify(environs))})]))`);
}

describe('function/redaction.py (shared by both sample functions)', () => {
  // Given variables whose NAME says they are secret: the whole value goes, whatever it is.
  const secretNames = [
    'API_KEY', 'aws_secret_access_key', 'GITHUB_TOKEN', 'DB_PASSWORD', 'SMTP_PASS', 'MYSQL_PWD', 'GOOGLE_APPLICATION_CREDENTIALS',
    'BASIC_AUTH', 'authorization', 'REQUEST_SIGNATURE', 'private_ssh', 'Stripe_Secret', 'SESSION_COOKIE', 'x_auth_header',
  ];
  // Given values that hold a secret under a harmless name: [value, expected].
  const secretValues: Array<[string, string, string]> = [
    ['URL with user and password', 'postgres://user:pass@db.internal:5432/app', `postgres://${R}@db.internal:5432/app`],
    ['URL with a user only', 'https://ghp_abc@github.com/org/repo.git', `https://${R}@github.com/org/repo.git`],
    ['URL whose password has a slash', 'mysql://admin:a/b+c@10.0.0.5/db', `mysql://${R}@10.0.0.5/db`],
    ['two URLs in one value', 'redis://:p1@h1:6379,redis://:p2@h2:6379', `redis://${R}@h1:6379,redis://${R}@h2:6379`],
    ['Slack webhook', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', `https://hooks.slack.com/${R}`],
    ['Discord webhook', 'https://discord.com/api/webhooks/123456789012345678/aBcD-eFgH_iJkL', `https://discord.com/${R}`],
    ['Discord (discordapp.com) webhook', 'https://discordapp.com/api/webhooks/1/x', `https://discordapp.com/${R}`],
    ['Outlook webhook', 'https://outlook.office.com/webhook/a1b2/IncomingWebhook/c3d4', `https://outlook.office.com/${R}`],
    ['Teams (webhook.office.com) webhook', 'https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456',
      `https://contoso.webhook.office.com/${R}`],
    ['token in a URL path', 'https://example.com/hooks/4f9a1c2e8b7d6a5f4e3d2c1b/notify', `https://example.com/hooks/${R}/notify`],
    ['signature and credential in a query', 'https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=abc&part=1',
      `https://b.s3.amazonaws.com/k?X-Amz-Credential=${R}&X-Amz-Signature=${R}&part=1`],
    ['Azure SAS sig', 'https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=abc%3D', `https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=${R}`],
    ['access token in a fragment', 'https://app.example.com/cb#access_token=abc&state=1', `https://app.example.com/cb#access_token=${R}&state=1`],
    ['bearer credential in OTLP headers', 'Authorization=Bearer abc.def-ghi', `Authorization=Bearer ${R}`],
    ['access key id inside text', 'key id AKIAIOSFODNN7EXAMPLE in use', `key id ${R} in use`],
    ['access key id alone', 'AKIAIOSFODNN7EXAMPLE', R],
    ['long opaque token', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', R],
  ];

  let results: Record<string, string>[];
  let jsonResults: Record<string, string>[];
  beforeAll(() => {
    results = redactAll([
      Object.fromEntries(secretNames.map((n) => [n, 'plain-value'])),
      // Neutral names (VALUE_0, VALUE_1, ...): the labels say "password", "token"... and would be redacted by name.
      Object.fromEntries(secretValues.map(([, value], i) => [`VALUE_${i}`, value])),
    ]);
    jsonResults = redactAll([{
      CONFIG: JSON.stringify({ db: { host: 'db', password: 'hunter2' }, clients: [{ name: 'a', apiKey: 'k1' }], level: 3 }),
      NESTED: JSON.stringify({ inner: JSON.stringify({ token: 't0ps3cret' }), url: 'postgres://u:p@h/db' }),
      LIST: JSON.stringify([{ Secret: 's' }, 'ok']),
      PLAIN_JSON: '{ "region": "eu-west-1",  "retries": 3 }',
      NOT_JSON: '{ this is not json',
    }]);
  });

  test.each(secretNames)('a variable named %s is redacted whole', (name) => {
    expect(results[0][name]).toBe(R);
  });

  test.each(secretValues.map((row, i) => [...row, i] as const))('%s: redacted, keeping the rest', (_label, _value, expected, i) => {
    expect(results[1][`VALUE_${i}`]).toBe(expected);
  });

  test('JSON values have secret-named keys redacted at any depth, and the URLs and JSON strings inside them', () => {
    expect(JSON.parse(jsonResults[0].CONFIG)).toEqual({ db: { host: 'db', password: R }, clients: [{ name: 'a', apiKey: R }], level: 3 });
    const nested = JSON.parse(jsonResults[0].NESTED);
    expect(JSON.parse(nested.inner)).toEqual({ token: R });
    expect(nested.url).toBe(`postgres://${R}@h/db`);
    expect(JSON.parse(jsonResults[0].LIST)).toEqual([{ Secret: R }, 'ok']);
  });

  test('JSON without secrets and text that only looks like JSON pass through byte for byte', () => {
    expect(jsonResults[0].PLAIN_JSON).toBe('{ "region": "eu-west-1",  "retries": 3 }');
    expect(jsonResults[0].NOT_JSON).toBe('{ this is not json');
  });

  test('ordinary values pass through unchanged', () => {
    const ordinary = {
      AWS_REGION: 'eu-west-1',
      AWS_LAMBDA_FUNCTION_NAME: 'BlankPython-Function76856677-AbCdEf',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      PATH: '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin',
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      _HANDLER: 'lambda_function.lambda_handler',
      AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument',
      _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
      AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
      AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
      DOCS_URL: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Transaction-Search.html',
      PROFILE_URL: 'https://medium.com/@someone/a-post',
      QUERY_URL: 'https://example.com/search?q=tracing&page=2',
      RELEASE_URL: 'https://example.com/download/v1.2.3/tool-linux-amd64.tar.gz',
      EMPTY: '',
      SHORT_HEX: 'deadbeef',
      LONG_PATH: '/opt/python/lib/site/packages/otel/instrumentation/extension',
      ID_URL: 'https://api.example.com/v1/users/12345/orders/550e8400-e29b-41d4-a716-446655440000',
    };
    expect(redactAll([ordinary])[0]).toEqual(ordinary);
  });

  test.each([
    ['headers'], ['multiValueHeaders'],
  ])('the event\'s credential headers in %s are redacted, whatever their case', (key) => {
    const multi = key === 'multiValueHeaders';
    const value = (v: string) => (multi ? [v, v] : v);
    const headers = {
      'Authorization': value('Bearer abc'),
      'authorization': value('Basic dXNlcjpwYXNz'),
      'COOKIE': value('sid=1'),
      'Set-Cookie': value('sid=2; HttpOnly'),
      'x-api-key': value('k'),
      'X-API-KEY': value('k'),
      'Proxy-Authorization': value('p'),
      'X-Amz-Security-Token': value('t'),
      'Accept': value('application/json'),
      'User-Agent': value('curl/8.5'),
    };
    const event = JSON.stringify({ [key]: headers, body: 'b' });
    const out = runPython(`import redaction\nprint(json.dumps(redaction.redact_event(json.loads(${JSON.stringify(event)}))))`);
    const redacted = multi ? [R, R] : R;
    expect(out[key]).toEqual({
      'Authorization': redacted,
      'authorization': redacted,
      'COOKIE': redacted,
      'Set-Cookie': redacted,
      'x-api-key': redacted,
      'X-API-KEY': redacted,
      'Proxy-Authorization': redacted,
      'X-Amz-Security-Token': redacted,
      'Accept': value('application/json'),
      'User-Agent': value('curl/8.5'),
    });
    expect(out.body).toBe('b');
  });

  test('an event without headers has its secret-named keys redacted at any level; an S3 key or a list of numbers is kept', () => {
    // (issue 22: a top-level password or token is redacted too, not only headers; the tables are in test/tool/trace/redaction.test.ts)
    const out = runPython('import redaction\nprint(json.dumps([redaction.redact_event({"key": "photo.jpg", "token": 1}), redaction.redact_event([1, 2])]))');
    expect(out).toEqual([{ key: 'photo.jpg', token: R }, [1, 2]]);
  });
});
