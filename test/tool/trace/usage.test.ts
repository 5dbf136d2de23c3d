import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runMain, startLambdaStub, Stub, synthApp } from './helpers';
import { LocalTrace } from '../../../tool/trace';

// --timeout and every path are checked before the handler runs; each problem is exit 2 with one line.
let assemblyDir: string;
let work: string;
let stub: Stub;

beforeAll(async () => {
  assemblyDir = synthApp(true);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'local-trace-usage-'));
  fs.writeFileSync(path.join(work, 'event.json'), '{}');
  stub = await startLambdaStub();
});

afterAll(async () => {
  await stub.close();
  fs.rmSync(assemblyDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

const BLANK = ['trace', '--function', 'LocalTraceTest/BlankFunction'];

describe('fails with exit 2, one line, before the handler runs', () => {
  test.each([
    ['--timeout 0', ['--timeout', '0'], /--timeout expects seconds, more than 0 and at most 900 \(Lambda's maximum\), got "0"/],
    ['--timeout -1', ['--timeout', '-1'], /got "-1"/],
    ['--timeout 901', ['--timeout', '901'], /got "901"/],
    ['--timeout 3000000', ['--timeout', '3000000'], /got "3000000"/],
    ['--timeout Infinity', ['--timeout', 'Infinity'], /got "Infinity"/],
    ['--timeout 1e3', ['--timeout', '1e3'], /got "1e3"/],
    ['--timeout abc', ['--timeout', 'abc'], /got "abc"/],
    ['--event a directory', ['--event', '.'], /--event \/.* is a directory, not a file/],
    ['--event missing', ['--event', 'nope.json'], /--event \/.*nope.json does not exist/],
    ['--stub a directory', ['--stub', '.'], /--stub \/.* is a directory, not a file/],
    ['--out in a missing folder', ['--out', '/missing-folder/x.json'], /--out \/missing-folder\/x.json: the folder \/missing-folder does not exist; create it first/],
    ['--html in a missing folder', ['--html', 'missing/x.html'], /--html \/.*missing\/x.html: the folder .*missing does not exist/],
    ['--otlp-out a directory', ['--otlp-out', '.'], /--otlp-out \/.* is a directory, not a file/],
    ['--otlp-endpoint not http', ['--otlp-endpoint', 'ftp://localhost:4318'], /--otlp-endpoint expects an http\(s\) URL such as http:\/\/localhost:4318, got "ftp:\/\/localhost:4318"/],
    ['--otlp-endpoint with nothing listening', ['--otlp-endpoint', 'http://127.0.0.1:1'], /--otlp-endpoint http:\/\/127.0.0.1:1\/v1\/traces: nothing answers at 127.0.0.1:1 \(connect ECONNREFUSED/],
    ['--otel-path not a directory', ['--otel-path', 'event.json'], /--otel-path \/.*event.json is not a directory/],
    ['an unknown option', ['--colour'], /Unknown option "--colour"/],
  ])('%s', async (_, extra, message) => {
    stub.requests.splice(0);
    const run = await runMain([...BLANK, '--app', assemblyDir, '--endpoint-url', stub.url, ...extra], work);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^cdk-traced-lambda trace: [^\n]+\n$/);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
    // The handler never ran: its module-level call never reached the stub.
    expect(stub.requests).toEqual([]);
  });

  test('an unknown command', async () => {
    const run = await runMain(['trcae'], work);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'cdk-traced-lambda: Unknown command "trcae"; commands: trace, migrate.\n' });
  });

  test('timeoutSeconds out of bounds in the API', async () => {
    await expect(LocalTrace.invoke({ assemblyDir, functionId: 'BlankFunction', timeoutSeconds: Infinity }))
      .rejects.toThrow(/timeoutSeconds must be more than 0 and at most 900 seconds \(Lambda's maximum\), got Infinity/);
  });
});

describe('--timeout', () => {
  /** Running, not a zombie waiting to be reaped (this machine's PID 1 reaps late). */
  function alive(pid: number): boolean {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf-8');
      return !/^\d+ \(.*\) Z/.test(stat);
    } catch {
      return false;
    }
  }

  test('kills the runner and the process it started, and returns within 1 s of the timeout', async () => {
    // GIVEN a handler that starts `sleep 45` and hangs
    const pidFile = path.join(work, 'child.pid');

    // WHEN
    const started = Date.now();
    const trace = await LocalTrace.invoke({ assemblyDir, functionId: 'HangsFunction', timeoutSeconds: 2, event: JSON.stringify({ pidFile }) });
    const elapsed = Date.now() - started;

    // THEN
    expect(elapsed).toBeLessThan(3000);
    expect(trace).toMatchObject({ succeeded: false, errorType: 'Timeout', errorMessage: 'Killed after 2 s' });
    const child = Number(fs.readFileSync(pidFile, 'utf-8'));
    expect(alive(child)).toBe(false);
  });

  test('the CLI exits 1 with the timeout in the timeline', async () => {
    const pidFile = path.join(work, 'cli-child.pid');
    fs.writeFileSync(path.join(work, 'hang.json'), JSON.stringify({ pidFile }));
    const started = Date.now();
    const run = await runMain(['trace', '--app', assemblyDir, '--function', 'HangsFunction', '--event', 'hang.json', '--timeout', '2'], work);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('handler raised:\nTimeout: the run was killed after 2 s');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(alive(Number(fs.readFileSync(pidFile, 'utf-8')))).toBe(false);
  });
});
