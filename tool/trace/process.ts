import { spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as dgram from 'dgram';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Entity } from './entity';
import { lambdaEnvironment } from './environment';
import { killTree } from './reaper';
import { readSpansFile } from './spans';
import { readDocument, RunWindow } from './validate';
import { ResolvedFunction } from '../common/assembly';
import { LocalTraceUsageError, ToolErrorId } from '../common/errors';
import { safeLine } from '../common/safe-text';

/**
 * Runs runner.py (beside this file) under a UDP listener that plays the X-Ray daemon, with Lambda's environment
 * (environment.ts), in a process group of its own; the runner is a child subreaper on Linux, so a timeout (and
 * the end of the invocation) kills everything the handler started (reaper.ts).
 */

/** The runner script, beside this module in lib/local-trace (ts-node) and dist/local-trace (built; copied at compile). */
export const RUNNER_SCRIPT = path.join(__dirname, 'runner.py');

/** How long to wait for the runner's last datagram after the process exits. */
const DRAIN_MS = 2000;
/** Segment times may be this far outside the run's wall-clock window (clock granularity, float rounding). */
const WINDOW_SLACK_S = 5;
/** Datagrams kept per run; more are counted as malformed. */
const MAX_DOCUMENTS = 10_000;

/** The runner's result file, or undefined when it wrote none (killed) or wrote something unreadable. */
function readOutcome(file: string): any {
  if (!fs.existsSync(file)) return undefined;
  try {
    const outcome = JSON.parse(fs.readFileSync(file, 'utf-8'));
    return typeof outcome === 'object' && outcome !== null ? outcome : undefined;
  } catch {
    return undefined;
  }
}

export interface RunOptions {
  readonly event: string;
  readonly endpointUrl?: string;
  readonly region: string;
  readonly pythonExecutable: string;
  readonly timeoutMs: number;
  readonly traceInit: boolean;
  /** Set for OpenTelemetry functions: the resource attributes and an optional packages directory. */
  readonly otel?: { readonly resource: Record<string, string>; readonly path?: string };
}

export interface RunOutcome {
  readonly traceId: string;
  readonly rootId: string;
  /** The ids of the segments runner.py makes in place of the Lambda service. */
  readonly synthesizedIds: string[];
  /** Every entity received, validated. */
  readonly entities: Entity[];
  /** Why each malformed datagram, segment or span was dropped. */
  readonly malformed: string[];
  readonly otherTrace: number;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
  /** Processes the handler started that were still running when the invocation ended or timed out, killed. */
  readonly killedProcesses: number;
  /** What runner.py wrote: succeeded, result, errorType, errorMessage, traceback, xraySdkFile, timing. */
  readonly outcome?: any;
}

function hex(bytes: number): string {
  return crypto.randomBytes(bytes).toString('hex');
}

/** A new X-Ray trace id: `1-<8 hex epoch seconds>-<24 hex>`. */
export function newTraceId(now = Date.now()): string {
  return `1-${Math.floor(now / 1000).toString(16).padStart(8, '0')}-${hex(12)}`;
}

/**
 * Parse one daemon datagram: the JSON header line `{"format":"json","version":1}`, then one JSON document.
 * Throws on anything else; the document's fields are checked by readDocument (validate.ts).
 */
export function parseDatagram(message: Buffer): unknown {
  const text = message.toString('utf-8');
  const newline = text.indexOf('\n');
  if (newline < 0) throw new Error('no header line');
  let header: any;
  try {
    header = JSON.parse(text.slice(0, newline));
  } catch {
    throw new Error('the header is not JSON');
  }
  if (header?.format !== 'json' || header?.version !== 1) throw new Error(`unexpected header ${text.slice(0, Math.min(newline, 60))}`);
  try {
    return JSON.parse(text.slice(newline + 1));
  } catch {
    throw new Error('the document is not JSON');
  }
}

/** Kill a process group, ignoring one that is already gone. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: nothing left in the group
  }
}

/**
 * The interpreter's real path, found with the caller's PATH (a pyenv shim or a venv's python needs the caller's
 * environment to be found), so the handler can then run with Lambda's environment only.
 */
export function resolveInterpreter(python: string): string {
  // What decides which interpreter a name means: PATH, the folder (.python-version) and pyenv's and a venv's variables.
  const key = [python, process.env.PATH, process.cwd(), process.env.PYENV_VERSION, process.env.VIRTUAL_ENV].join('\0');
  const known = INTERPRETERS.get(key);
  if (known !== undefined && fs.existsSync(known)) return known;
  const run = spawnSync(python, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf-8', timeout: 30_000 });
  const executable = run.status === 0 ? run.stdout.trim() : '';
  if (!executable || !path.isAbsolute(executable)) {
    const why = run.error ? run.error.message : (run.stderr ?? '').trim().split('\n').pop() || `exit status ${run.status}`;
    throw new LocalTraceUsageError(ToolErrorId.PYTHON_NOT_FOUND, `Cannot start the Python interpreter "${safeLine(python)}" `
      + `(${safeLine(why)}); install python3 or pass --python PATH.`);
  }
  INTERPRETERS.set(key, executable);
  return executable;
}

/** Interpreters found, by name and what decides it: a pyenv shim takes most of a second to answer. */
const INTERPRETERS = new Map<string, string>();

/** Run the function once and collect every datagram sent to the fake daemon. */
export async function runFunction(fn: ResolvedFunction, opts: RunOptions): Promise<RunOutcome> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-traced-lambda-'));
  const socket = dgram.createSocket('udp4');
  try {
    const documents: unknown[] = [];
    const malformed: string[] = [];
    const traceId = newTraceId();
    const ids = { root: hex(8), init: hex(8), invoke: hex(8) };
    let rootSeen: () => void = () => {};
    const rootReceived = new Promise<void>((resolve) => { rootSeen = resolve; });
    socket.on('message', (message) => {
      try {
        const doc = parseDatagram(message);
        if (documents.length >= MAX_DOCUMENTS) throw new Error(`more than ${MAX_DOCUMENTS} documents in one run`);
        documents.push(doc);
        if ((doc as any)?.id === ids.root) rootSeen();
      } catch (e) {
        malformed.push(`datagram: ${(e as Error).message}: ${JSON.stringify(message.toString('utf-8').slice(0, 60))}`);
      }
    });
    const port = await new Promise<number>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve(socket.address().port));
    });
    socket.on('error', (e) => { malformed.push(`listener error: ${e.message}`); });

    const eventFile = path.join(tmp, 'event.json');
    fs.writeFileSync(eventFile, opts.event);
    const resultFile = path.join(tmp, 'result.json');
    const configFile = path.join(tmp, 'config.json');
    const spansFile = path.join(tmp, 'spans.jsonl');
    const accountId = '123456789012';
    const requestId = crypto.randomUUID();
    const python = resolveInterpreter(opts.pythonExecutable);
    fs.writeFileSync(configFile, JSON.stringify({
      handler: fn.handler,
      sysPath: [fn.codeDir, ...fn.layerPaths],
      eventFile,
      resultFile,
      touchDir: path.join(tmp, 'aws-xray'),
      traceId,
      ids,
      traceInit: opts.traceInit,
      extraPath: opts.otel?.path ? [path.resolve(opts.otel.path)] : [],
      otel: opts.otel ? { resource: opts.otel.resource, spansFile } : undefined,
      context: {
        functionName: fn.functionName,
        functionArn: `arn:aws:lambda:${opts.region}:${accountId}:function:${fn.functionName}`,
        memoryLimitInMb: String(fn.memoryMb),
        requestId,
        timeoutSeconds: fn.timeoutSeconds,
      },
    }));

    const windowFrom = Date.now() / 1000 - WINDOW_SLACK_S;
    // detached: the runner leads a process group of its own, so the timeout (and the end of the run) can kill
    // whatever the handler started (`subprocess.Popen(['sleep', '45'])`), as Lambda ends the sandbox.
    const child = spawn(python, [RUNNER_SCRIPT, configFile], {
      cwd: fn.codeDir,
      env: lambdaEnvironment(fn, {
        region: opts.region,
        endpointUrl: opts.endpointUrl,
        daemonPort: port,
        tmp,
        requestId,
        pythonBinDir: path.dirname(python),
        runtimeDir: path.dirname(RUNNER_SCRIPT),
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    // Ctrl-C or a kill of the CLI ends the run too, and everything below the runner.
    const onSignal = () => {
      if (child.pid !== undefined) killTree(child.pid);
      killGroup(child.pid);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf-8').on('data', (c: string) => { stdout += c; });
    child.stderr.setEncoding('utf-8').on('data', (c: string) => { stderr += c; });
    let timedOut = false;
    let killedAtTimeout = 0;
    const timer = setTimeout(() => {
      timedOut = true;
      // The runner is a subreaper: everything the handler started is below it, whatever session it is in.
      if (child.pid !== undefined) killedAtTimeout = killTree(child.pid);
      killGroup(child.pid);
    }, opts.timeoutMs);
    // 'exit', not 'close': a grandchild can hold the pipes open; the group is killed right after.
    const exitCode = await new Promise<number | null>((resolve) => {
      child.once('error', (e) => { stderr += `Cannot start ${opts.pythonExecutable}: ${e.message}\n`; resolve(null); });
      child.once('exit', (code) => resolve(code));
    }).finally(() => {
      clearTimeout(timer);
      killGroup(child.pid);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    });
    // Let the pipes deliver what was written before the exit (they close once the group is gone).
    await new Promise<void>((resolve) => {
      if (child.stdout.closed && child.stderr.closed) return resolve();
      const t = setTimeout(resolve, 200);
      child.once('close', () => { clearTimeout(t); resolve(); });
    });

    // runner.py writes its result, then sends the function segment last: once that is here, every earlier
    // datagram is too. Without a result file (killed, crashed) nothing more is coming: a short drain only.
    const outcome = readOutcome(resultFile);
    if (outcome?.setupError === undefined) {
      let drain: NodeJS.Timeout | undefined;
      await Promise.race([rootReceived, new Promise<void>((resolve) => { drain = setTimeout(resolve, outcome ? DRAIN_MS : 100); })]);
      clearTimeout(drain);
    }

    const window: RunWindow = { traceId, from: windowFrom, to: Date.now() / 1000 + WINDOW_SLACK_S };
    const entities: Entity[] = [];
    let otherTrace = 0;
    for (const doc of documents) {
      const reading = readDocument(doc, window);
      entities.push(...reading.entities);
      malformed.push(...reading.problems);
      if (reading.otherTrace) otherTrace++;
    }
    if (opts.otel) {
      const spans = readSpansFile(spansFile, window);
      entities.push(...spans.entities);
      malformed.push(...spans.problems);
      otherTrace += spans.otherTrace;
    }
    return {
      traceId,
      rootId: ids.root,
      synthesizedIds: Object.values(ids),
      entities,
      malformed,
      otherTrace,
      exitCode,
      timedOut,
      stdout,
      stderr,
      outcome,
      killedProcesses: killedAtTimeout + (typeof outcome?.killedProcesses === 'number' ? outcome.killedProcesses : 0),
    };
  } finally {
    socket.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
