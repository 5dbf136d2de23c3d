import * as fs from 'fs';
// A mutable module object: the tests wrap http.createServer to see that every stub server is closed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import http = require('http');
import * as os from 'os';
import * as path from 'path';
import { ACCOUNT_SETTINGS, exitId, expectToolError, synthApp, runCli } from './helpers';
import { ToolErrorId } from '../../../tool/common/errors';

import { LocalTrace } from '../../../tool/trace';
import { loadStubFile, startStubServer, StubServer } from '../../../tool/trace/stub';

const ACCOUNT_SETTINGS_PATH = '/2016-08-19/account-settings';

let assemblyDir: string;
let work: string;
let servers: http.Server[];

beforeAll(() => {
  assemblyDir = synthApp(false);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'local-trace-stub-'));
});

afterAll(() => {
  fs.rmSync(assemblyDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  // Keep hold of every server the stub starts, to check that each one is shut down.
  servers = [];
  const create = http.createServer;
  jest.spyOn(http, 'createServer').mockImplementation(((...args: any[]) => {
    const server = (create as any)(...args);
    servers.push(server);
    return server;
  }) as any);
});

afterEach(() => jest.restoreAllMocks());

/** Write a stub file into the work dir and return its path. */
function stubFile(name: string, content: unknown): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const accountSettings = (p = ACCOUNT_SETTINGS_PATH) => ({ responses: [{ method: 'GET', path: p, status: 200, body: ACCOUNT_SETTINGS }] });

/** One request to a running stub. */
function request(stub: StubServer, method: string, url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${stub.url}${url}`, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf-8').on('data', (c) => { body += c; }).on('end', () => resolve({ status: res.statusCode!, body: body ? JSON.parse(body) : undefined }));
    });
    req.on('error', reject).end();
  });
}


describe('LocalTrace.invoke with a stub file', () => {
  test('answers the handler\'s calls from the stub, records them and closes the server', async () => {
    // GIVEN an entry with a trailing slash (botocore 1.43 asks without one)
    const file = stubFile('trailing.stub.json', accountSettings(`${ACCOUNT_SETTINGS_PATH}/`));

    // WHEN
    const trace = await LocalTrace.invoke({ assemblyDir, functionId: 'BlankFunction', stubFile: file, event: '{"source":"stub"}' });

    // THEN the handler got the canned account usage, at import time and in the handler
    expect(trace.stderr).not.toMatch(/Traceback/);
    expect(trace.succeeded).toBe(true);
    expect(trace.result).toEqual(ACCOUNT_SETTINGS.AccountUsage);
    expect(trace.stubRequests).toEqual([
      `GET ${ACCOUNT_SETTINGS_PATH} -> 200 (responses[0])`,
      `GET ${ACCOUNT_SETTINGS_PATH} -> 200 (responses[0])`,
    ]);
    expect(trace.segments.find((s) => s.awsOperation === 'GetAccountSettings')).toMatchObject({ httpStatus: 200, error: false });
    expect(trace.timeline).toContain(`note: The stub (${file}) received 2 AWS request(s), 0 unmatched: GET ${ACCOUNT_SETTINGS_PATH} -> 200`);
    expect(trace.notes.join('\n')).not.toContain('Unmatched');

    // AND the server is shut down
    expect(servers).toHaveLength(1);
    expect(servers[0].listening).toBe(false);
  });

  test('answers an unmatched request with a 404 naming it, and reports it in the notes and the timeline', async () => {
    // GIVEN a stub with no entry for GetAccountSettings, and a handler that calls it after its own subsegment
    const file = stubFile('other.stub.json', { responses: [{ method: 'GET', path: '/2015-03-31/functions/', body: { Functions: [] } }] });

    // WHEN
    const trace = await LocalTrace.invoke({ assemblyDir, functionId: 'RaisesFunction', stubFile: file, event: '{"quantity":"2"}' });

    // THEN botocore raised the stub's AWS-style error, which says what to add
    expect(trace.succeeded).toBe(false);
    expect(trace.errorType).toBe('ClientError');
    expect(trace.errorMessage).toContain(`(LocalTraceStubNoMatch) when calling the GetAccountSettings operation: The local-trace stub has no response for GET ${ACCOUNT_SETTINGS_PATH}: `
      + `add an entry {"method": "GET", "path": "${ACCOUNT_SETTINGS_PATH}", "status": 200, "body": {...}} to the stub file ${file}.`);
    expect(trace.stubRequests).toEqual([`GET ${ACCOUNT_SETTINGS_PATH} -> 404 (no match)`]);
    expect(trace.segments.find((s) => s.awsOperation === 'GetAccountSettings')).toMatchObject({ httpStatus: 404, error: true });
    expect(trace.notes).toContain(`Unmatched AWS request GET ${ACCOUNT_SETTINGS_PATH}: the stub answered 404; add an entry for it to the stub file.`);
    expect(trace.timeline).toContain(`note: Unmatched AWS request GET ${ACCOUNT_SETTINGS_PATH}`);
    expect(trace.timeline).toMatch(/└ lambda GetAccountSettings\s+[\d.]+\s+[\d.]+\s+aws\s+404\s+\S*error/);

    // AND the server is shut down although the handler raised
    expect(servers.map((s) => s.listening)).toEqual([false]);
  });

  test('fails when both a stub file and an endpoint URL are given, before starting anything', async () => {
    const file = stubFile('ok.stub.json', accountSettings());

    await expectToolError(LocalTrace.invoke({ assemblyDir, functionId: 'BlankFunction', stubFile: file, endpointUrl: 'http://127.0.0.1:1' }),
      ToolErrorId.STUB_AND_ENDPOINT, file, 'http://127.0.0.1:1');
    expect(servers).toHaveLength(0);
  });
});

describe('the stub server', () => {
  test('matches method and path, ignoring a trailing slash, the query string and percent-encoding', async () => {
    const stub = await startStubServer('s.json', loadStubFile(stubFile('match.stub.json', {
      responses: [
        { method: 'get', path: '/2015-03-31/functions/my:fn/', body: { n: 1 } },
        { method: 'POST', path: '/2015-03-31/functions/my:fn', status: 201, body: { n: 2 } },
      ],
    })));
    try {
      expect(await request(stub, 'GET', '/2015-03-31/functions/my%3Afn')).toEqual({ status: 200, body: { n: 1 } });
      expect(await request(stub, 'GET', '/2015-03-31/functions/my:fn/?Qualifier=1')).toEqual({ status: 200, body: { n: 1 } });
      expect(await request(stub, 'POST', '/2015-03-31/functions/my:fn')).toEqual({ status: 201, body: { n: 2 } });
      expect((await request(stub, 'DELETE', '/2015-03-31/functions/my:fn')).status).toBe(404);
      expect(stub.requests.map((r) => r.entry)).toEqual([0, 0, 1, undefined]);
    } finally {
      await stub.close();
    }
  });

  test('matches "target" against the X-Amz-Target header, first matching entry wins', async () => {
    const stub = await startStubServer('s.json', loadStubFile(stubFile('target.stub.json', {
      responses: [
        { method: 'POST', path: '/', target: 'DynamoDB_20120810.GetItem', body: { Item: { id: { S: '1' } } } },
        { method: 'POST', path: '/', target: 'DynamoDB_20120810.PutItem', body: {} },
        { method: 'POST', path: '/', headers: { 'X-Amzn-ErrorType': 'ValidationException' }, status: 400, body: { message: 'fallback' } },
      ],
    })));
    try {
      const target = (t: string) => ({ 'x-amz-target': t });
      expect(await request(stub, 'POST', '/', target('DynamoDB_20120810.GetItem'))).toEqual({ status: 200, body: { Item: { id: { S: '1' } } } });
      expect(await request(stub, 'POST', '/', target('DynamoDB_20120810.PutItem'))).toEqual({ status: 200, body: {} });
      // An entry without "target" answers any target.
      expect(await request(stub, 'POST', '/', target('DynamoDB_20120810.Query'))).toEqual({ status: 400, body: { message: 'fallback' } });
      expect(stub.requests.map((r) => [r.target, r.entry])).toEqual([
        ['DynamoDB_20120810.GetItem', 0], ['DynamoDB_20120810.PutItem', 1], ['DynamoDB_20120810.Query', 2],
      ]);
    } finally {
      await stub.close();
    }
  });

  test('answers an unmatched request with an AWS-style 404 naming the method, path and target', async () => {
    const stub = await startStubServer('my.stub.json', loadStubFile(stubFile('empty.stub.json', { responses: [] })));
    try {
      const res = await request(stub, 'POST', '/', { 'x-amz-target': 'DynamoDB_20120810.GetItem' });
      expect(res.status).toBe(404);
      expect(res.body.__type).toBe('LocalTraceStubNoMatch');
      expect(res.body.message).toBe('The local-trace stub has no response for POST / (X-Amz-Target DynamoDB_20120810.GetItem): add an entry '
        + '{"method": "POST", "path": "/", "target": "DynamoDB_20120810.GetItem", "status": 200, "body": {...}} to the stub file my.stub.json.');
    } finally {
      await stub.close();
    }
    // Closed: the port no longer answers.
    await expect(request(stub, 'GET', '/')).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('loading a stub file', () => {
  test.each([
    ['the file is not JSON', '{"responses": [', /the-file-is-not-JSON\.stub\.json: not valid JSON \(Unexpected end of JSON input\)/],
    ['"responses" is missing', { response: [] }, /"responses" is missing, not an array/],
    ['an entry is not an object', { responses: ['GET /'] }, /responses\[0\] is "GET \/", not an object/],
    ['an entry has a misspelt key', { responses: [{ method: 'GET', path: '/', stauts: 200 }] }, /responses\[0\] has unknown key\(s\) "stauts" \(allowed: method, path, target, status, headers, body\)/],
    ['the path does not start with /', { responses: [{ method: 'GET', path: 'account-settings' }] }, /responses\[0\]\.path must be a string starting with "\/", got "account-settings"/],
    ['the path has a query string', { responses: [{ method: 'GET', path: '/x?y=1' }] }, /responses\[0\]\.path must not have a query string/],
    ['the status is a string', { responses: [{ method: 'GET', path: '/', status: '200' }] }, /responses\[0\]\.status must be an HTTP status \(an integer 100-599\), got "200"/],
    ['the method is missing', { responses: [{ path: '/' }] }, /responses\[0\]\.method must be an HTTP method like "GET", got missing/],
  ])('fails when %s, naming the file', async (what, content, message) => {
    const file = stubFile(`${what.replace(/\W+/g, '-')}.stub.json`, content);
    await expectToolError(() => loadStubFile(file), ToolErrorId.STUB_FILE_INVALID, file);
    // what the file gets wrong, in the stub format's own terms (the key, the entry, the value)
    expect(() => loadStubFile(file)).toThrow(message);
  });

  test('fails when the file does not exist', async () => {
    await expectToolError(() => loadStubFile(path.join(work, 'nope.json')), ToolErrorId.INPUT_FILE_MISSING, path.join(work, 'nope.json'));
  });
});

describe('cdk-traced-lambda trace --stub', () => {
  test('traces the function against the stub with one command and exits 0', async () => {
    stubFile('cli.stub.json', accountSettings());

    const run = await runCli(['trace', '--app', assemblyDir, '--function', 'BlankFunction', '--stub', 'cli.stub.json'], { cwd: work, timeoutMs: 60_000 });

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/└ lambda GetAccountSettings\s+[\d.]+\s+[\d.]+\s+aws\s+200 /);
    expect(run.stdout).toContain('result: {"TotalCodeSize": 1234, "FunctionCount": 3}');
    expect(run.stdout).toContain('note: The stub (cli.stub.json) received 2 AWS request(s), 0 unmatched');
  });

  test('fails with exit 2 when --stub and --endpoint-url are both given', async () => {
    stubFile('cli.stub.json', accountSettings());

    const run = await runCli(['trace', '--app', assemblyDir, '--function', 'BlankFunction', '--stub', 'cli.stub.json', '--endpoint-url', 'http://127.0.0.1:4566'], { cwd: work, timeoutMs: 60_000 });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^cdk-traced-lambda trace: [^\n]+\n$/);
    expect(exitId(run.stderr)).toBe(ToolErrorId.STUB_AND_ENDPOINT);
    expect(run.stderr).toContain('cli.stub.json');
    expect(run.stderr).toContain('http://127.0.0.1:4566');
    expect(run.stdout).toBe('');
  });

  test('fails with exit 2 when the stub file is malformed, naming the file and the problem', async () => {
    stubFile('bad.stub.json', { responses: [{ method: 'GET', path: '/', status: 'OK' }] });

    const run = await runCli(['trace', '--app', assemblyDir, '--function', 'BlankFunction', '--stub', 'bad.stub.json'], { cwd: work, timeoutMs: 60_000 });

    expect(run.code).toBe(2);
    expect(exitId(run.stderr)).toBe(ToolErrorId.STUB_FILE_INVALID);
    expect(run.stderr).toContain(path.join(fs.realpathSync(work), 'bad.stub.json'));
    expect(run.stderr).toContain('responses[0].status');
    expect(run.stdout).toBe('');
  });
});
