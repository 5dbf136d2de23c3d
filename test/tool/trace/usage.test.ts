import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exitId, runMain, startLambdaStub, Stub, synthApp } from './helpers';
import { ToolErrorId } from '../../../tool/common/errors';
import { LocalTrace } from '../../../tool/trace';
import { resolveInterpreter } from '../../../tool/trace/process';

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

describe('fails with exit 2, one line ending with its id, before the handler runs', () => {
  // [case, extra arguments, id, values the line must name]
  test.each<[string, string[], string, string[]]>([
    ['--timeout 0', ['--timeout', '0'], ToolErrorId.TIMEOUT_OUT_OF_RANGE, ['"0"']],
    ['--timeout -1', ['--timeout', '-1'], ToolErrorId.TIMEOUT_OUT_OF_RANGE, ['"-1"']],
    ['--timeout 901', ['--timeout', '901'], ToolErrorId.TIMEOUT_OUT_OF_RANGE, ['"901"']],
    ['--timeout 3000000', ['--timeout', '3000000'], ToolErrorId.TIMEOUT_OUT_OF_RANGE, ['"3000000"']],
    ['--timeout Infinity', ['--timeout', 'Infinity'], ToolErrorId.TIMEOUT_OUT_OF_RANGE, ['"Infinity"']],
    ['--timeout 1e3', ['--timeout', '1e3'], ToolErrorId.TIMEOUT_OUT_OF_RANGE, ['"1e3"']],
    ['--timeout abc', ['--timeout', 'abc'], ToolErrorId.TIMEOUT_OUT_OF_RANGE, ['"abc"']],
    ['--timeout without a value', ['--timeout'], ToolErrorId.OPTION_NEEDS_VALUE, ['--timeout']],
    ['--event a directory', ['--event', '.'], ToolErrorId.INPUT_NOT_A_FILE, ['--event']],
    ['--event missing', ['--event', 'nope.json'], ToolErrorId.INPUT_FILE_MISSING, ['--event', 'nope.json']],
    ['--stub a directory', ['--stub', '.'], ToolErrorId.INPUT_NOT_A_FILE, ['--stub']],
    ['--out in a missing folder', ['--out', '/missing-folder/x.json'], ToolErrorId.OUTPUT_NOT_WRITABLE, ['--out', '/missing-folder/x.json']],
    ['--html in a missing folder', ['--html', 'missing/x.html'], ToolErrorId.OUTPUT_NOT_WRITABLE, ['--html', 'missing/x.html']],
    ['--otlp-out a directory', ['--otlp-out', '.'], ToolErrorId.OUTPUT_NOT_WRITABLE, ['--otlp-out']],
    ['--otlp-endpoint not http', ['--otlp-endpoint', 'ftp://localhost:4318'], ToolErrorId.OTLP_ENDPOINT_INVALID, ['ftp://localhost:4318']],
    ['--otlp-endpoint with nothing listening', ['--otlp-endpoint', 'http://127.0.0.1:1'], ToolErrorId.OTLP_ENDPOINT_UNREACHABLE, ['http://127.0.0.1:1/v1/traces']],
    ['--otel-path not a directory', ['--otel-path', 'event.json'], ToolErrorId.OTEL_PATH_NOT_DIRECTORY, ['event.json']],
    ['an unknown option', ['--colour'], ToolErrorId.UNKNOWN_OPTION, ['--colour']],
    ['an unknown function', ['--function', 'NoSuchFunction'], ToolErrorId.FUNCTION_NOT_SELECTED, ['NoSuchFunction']],
    ['a function that is not Python', ['--function', 'NodeFunction'], ToolErrorId.FUNCTION_NOT_PYTHON, ['NodeFunction']],
    ['a Python interpreter that does not exist', ['--python', 'no-such-python3'], ToolErrorId.PYTHON_NOT_FOUND, ['no-such-python3']],
  ])('%s', async (_, extra, id, named) => {
    stub.requests.splice(0);
    const run = await runMain([...BLANK, '--app', assemblyDir, '--endpoint-url', stub.url, ...extra], work);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^cdk-traced-lambda trace: [^\n]+\n$/);
    expect(exitId(run.stderr)).toBe(id);
    for (const value of named) expect(run.stderr).toContain(value);
    expect(run.stdout).toBe('');
    // The handler never ran: its module-level call never reached the stub.
    expect(stub.requests).toEqual([]);
  });

  test('an unknown command, also one named like an Object property', async () => {
    for (const name of ['trcae', 'constructor', '__proto__']) {
      const run = await runMain([name], work);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^cdk-traced-lambda: [^\n]+\n$/);
      expect(exitId(run.stderr)).toBe(ToolErrorId.UNKNOWN_COMMAND);
      expect(run.stderr).toContain(`"${name}"`);
    }
  });

  test('an --otlp-endpoint with credentials: the userinfo is masked in every line', async () => {
    for (const endpoint of ['http://user:s3cr3t-pass@127.0.0.1:1/v1/traces', 'ftp://user:s3cr3t-pass@host/x', 'http://user:s3cr3t-pass@']) {
      const run = await runMain([...BLANK, '--app', assemblyDir, '--otlp-endpoint', endpoint], work);
      expect(run.code).toBe(2);
      expect(run.stderr).not.toContain('s3cr3t-pass');
      expect(run.stderr).not.toContain('user:');
      expect([ToolErrorId.OTLP_ENDPOINT_INVALID, ToolErrorId.OTLP_ENDPOINT_UNREACHABLE]).toContain(exitId(run.stderr));
    }
  });

  test('both --stub and an --endpoint-url with credentials: masked', async () => {
    fs.writeFileSync(path.join(work, 'stub.json'), '{"responses": []}');
    const run = await runMain([...BLANK, '--app', assemblyDir, '--stub', 'stub.json', '--endpoint-url', 'http://ak:sk-pass@127.0.0.1:9'], work);
    expect(exitId(run.stderr)).toBe(ToolErrorId.STUB_AND_ENDPOINT);
    expect(run.stderr).not.toContain('sk-pass');
    expect(run.stderr).toContain('http://***@127.0.0.1:9');
  });

  test('timeoutSeconds out of bounds in the API: rejects with the id', async () => {
    await expect(LocalTrace.invoke({ assemblyDir, functionId: 'BlankFunction', timeoutSeconds: Infinity }))
      .rejects.toMatchObject({ id: ToolErrorId.TIMEOUT_OUT_OF_RANGE });
  });
});

describe('--timeout', () => {
  // The interpreter is looked up once per process (a pyenv shim takes most of a second), before the timeout starts.
  beforeAll(() => { resolveInterpreter('python3'); });

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
    // The handler would sleep 45 s: ending well before that shows the kill at --timeout 2. The margin covers
    // the synth-free start-up (interpreter lookup, module import) on a loaded 2-core CI machine, where 3 s was
    // missed by 0.17 s once.
    expect(Date.now() - started).toBeLessThan(8000);
    expect(alive(Number(fs.readFileSync(pidFile, 'utf-8')))).toBe(false);
  });
});
