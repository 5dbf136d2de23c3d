import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as dgram from 'dgram';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ResolvedFunction } from './assembly';

/**
 * Runs cli/runner.py under a UDP listener that plays the X-Ray daemon. Node-only, not part of the jsii API.
 */

/** The runner script; the same relative path from lib/local-trace (ts-node) and dist/local-trace (built). */
export const RUNNER_SCRIPT = path.join(__dirname, '..', '..', 'cli', 'runner.py');

/** How long to wait for the runner's last datagram after the process exits. */
const DRAIN_MS = 2000;

export interface RunOptions {
  readonly event: string;
  readonly endpointUrl?: string;
  readonly region: string;
  readonly pythonExecutable: string;
  readonly timeoutMs: number;
  readonly traceInit: boolean;
  /** Called with each chunk the handler writes, e.g. to stream logs in the CLI. */
  readonly onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
}

export interface RunOutcome {
  readonly traceId: string;
  readonly rootId: string;
  /** The ids of the segments runner.py makes in place of the Lambda service. */
  readonly synthesizedIds: string[];
  readonly documents: any[];
  readonly malformed: string[];
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
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

/** Parse one daemon datagram: the JSON header line, then one segment document. Throws on anything else. */
export function parseDatagram(message: Buffer): any {
  const text = message.toString('utf-8');
  const newline = text.indexOf('\n');
  if (newline < 0) throw new Error('no header line');
  const header = JSON.parse(text.slice(0, newline));
  if (header?.format !== 'json' || header?.version !== 1) throw new Error(`unexpected header ${text.slice(0, newline)}`);
  const doc = JSON.parse(text.slice(newline + 1));
  if (typeof doc !== 'object' || doc === null || typeof doc.id !== 'string' || typeof doc.name !== 'string'
    || typeof doc.start_time !== 'number') {
    throw new Error('document without id, name or start_time');
  }
  return doc;
}

/** The environment Lambda gives a function, minus the caller's own AWS settings. */
function lambdaEnvironment(fn: ResolvedFunction, opts: RunOptions, daemonPort: number, tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(AWS_|_X_AMZN_|LAMBDA_|_HANDLER$|PYTHONPATH$|PYTHONHOME$)/.test(key)) env[key] = value;
  }
  Object.assign(env, {
    LAMBDA_TASK_ROOT: fn.codeDir,
    LAMBDA_RUNTIME_DIR: path.dirname(RUNNER_SCRIPT),
    _HANDLER: fn.handler,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.functionName}`,
    AWS_REGION: opts.region,
    AWS_DEFAULT_REGION: opts.region,
    // Dummy credentials so botocore can sign; never the caller's real ones.
    AWS_ACCESS_KEY_ID: 'AKIALOCALTRACE000000',
    AWS_SECRET_ACCESS_KEY: 'local-trace-secret-access-key',
    AWS_SESSION_TOKEN: 'local-trace-session-token',
    AWS_CONFIG_FILE: path.join(tmp, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemonPort}`,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    TZ: ':UTC',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
  });
  if (opts.endpointUrl) env.AWS_ENDPOINT_URL = opts.endpointUrl;
  Object.assign(env, fn.environment);
  return env;
}

/** Run the function once and collect every datagram sent to the fake daemon. */
export async function runFunction(fn: ResolvedFunction, opts: RunOptions): Promise<RunOutcome> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-traced-lambda-'));
  const socket = dgram.createSocket('udp4');
  try {
    const documents: any[] = [];
    const malformed: string[] = [];
    const traceId = newTraceId();
    const ids = { root: hex(8), init: hex(8), invoke: hex(8) };
    let rootSeen: () => void = () => {};
    const rootReceived = new Promise<void>((resolve) => { rootSeen = resolve; });
    socket.on('message', (message) => {
      try {
        const doc = parseDatagram(message);
        documents.push(doc);
        if (doc.id === ids.root) rootSeen();
      } catch (e) {
        malformed.push(`${(e as Error).message}: ${JSON.stringify(message.toString('utf-8').slice(0, 80))}`);
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
    const accountId = '123456789012';
    fs.writeFileSync(configFile, JSON.stringify({
      handler: fn.handler,
      sysPath: [fn.codeDir, ...fn.layerPaths],
      eventFile,
      resultFile,
      touchDir: path.join(tmp, 'aws-xray'),
      traceId,
      ids,
      traceInit: opts.traceInit,
      context: {
        functionName: fn.functionName,
        functionArn: `arn:aws:lambda:${opts.region}:${accountId}:function:${fn.functionName}`,
        memoryLimitInMb: String(fn.memoryMb),
        requestId: crypto.randomUUID(),
        timeoutSeconds: fn.timeoutSeconds,
      },
    }));

    const child = spawn(opts.pythonExecutable, [RUNNER_SCRIPT, configFile], {
      cwd: fn.codeDir,
      env: lambdaEnvironment(fn, opts, port, tmp),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf-8').on('data', (c: string) => { stdout += c; opts.onOutput?.('stdout', c); });
    child.stderr.setEncoding('utf-8').on('data', (c: string) => { stderr += c; opts.onOutput?.('stderr', c); });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, opts.timeoutMs);
    const exitCode = await new Promise<number | null>((resolve) => {
      child.once('error', (e) => { stderr += `Cannot start ${opts.pythonExecutable}: ${e.message}\n`; resolve(null); });
      child.once('close', (code) => resolve(code));
    }).finally(() => clearTimeout(timer));

    // runner.py writes its result, then sends the function segment last: once that is here, every earlier
    // datagram is too. Without a result file (killed, crashed) nothing more is coming: a short drain only.
    const finished = fs.existsSync(resultFile);
    let drain: NodeJS.Timeout | undefined;
    await Promise.race([rootReceived, new Promise<void>((resolve) => { drain = setTimeout(resolve, finished ? DRAIN_MS : 100); })]);
    clearTimeout(drain);

    const outcome = finished ? JSON.parse(fs.readFileSync(resultFile, 'utf-8')) : undefined;
    return { traceId, rootId: ids.root, synthesizedIds: Object.values(ids), documents, malformed, exitCode, timedOut, stdout, stderr, outcome };
  } finally {
    socket.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
