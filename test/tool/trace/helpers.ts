import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { InstrumentationName, TracingContract } from '../../../lib/contract';
import { main } from '../../../tool/cli';
import { LocalTraceUsageError } from '../../../tool/common/errors';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'local-trace');

/** The account settings the stub Lambda endpoint answers with. */
export const ACCOUNT_SETTINGS = {
  AccountLimit: {
    TotalCodeSize: 80530636800,
    CodeSizeUnzipped: 262144000,
    CodeSizeZipped: 52428800,
    ConcurrentExecutions: 1000,
    UnreservedConcurrentExecutions: 1000,
  },
  AccountUsage: { TotalCodeSize: 1234, FunctionCount: 3 },
};

/**
 * Synthesize a small app with the local-trace fixtures into a temp dir, the way `cdk synth` does
 * (asset and path metadata on, which the CLI turns on by default) unless `metadata` is false.
 */
export function synthApp(metadata = true): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-trace-app-'));
  const app = new App({
    outdir,
    context: metadata ? { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } : {},
  });
  const stack = new Stack(app, 'LocalTraceTest');
  const layer = new lambda.LayerVersion(stack, 'HelperLayer', { code: lambda.Code.fromAsset(path.join(FIXTURES, 'layer')) });
  const python = lambda.Runtime.PYTHON_3_12;
  new lambda.Function(stack, 'BlankFunction', {
    code: lambda.Code.fromAsset(path.join(FIXTURES, 'blank')),
    handler: 'lambda_function.lambda_handler',
    runtime: python,
    tracing: lambda.Tracing.ACTIVE,
    layers: [layer],
    environment: { GREETING: 'hello', TABLE_NAME: stack.stackName, LAYER_ARN: layer.layerVersionArn },
  });
  new lambda.Function(stack, 'RaisesFunction', {
    code: lambda.Code.fromAsset(path.join(FIXTURES, 'raises')),
    handler: 'index.handler',
    runtime: python,
    tracing: lambda.Tracing.ACTIVE,
  });
  new lambda.Function(stack, 'MalformedFunction', {
    code: lambda.Code.fromAsset(path.join(FIXTURES, 'malformed')),
    handler: 'index.handler',
    runtime: python,
    tracing: lambda.Tracing.ACTIVE,
  });
  new lambda.Function(stack, 'AdotFunction', {
    code: lambda.Code.fromAsset(path.join(FIXTURES, 'otel')),
    handler: 'lambda_function.lambda_handler',
    runtime: python,
    tracing: lambda.Tracing.ACTIVE,
    environment: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument' },
  });
  const adotByMetadata = new lambda.Function(stack, 'AdotMetadataFunction', {
    code: lambda.Code.fromAsset(path.join(FIXTURES, 'otel')),
    handler: 'lambda_function.lambda_handler',
    runtime: python,
    tracing: lambda.Tracing.ACTIVE,
  });
  // What TracedFunction records when it instruments with ADOT.
  (adotByMetadata.node.defaultChild as lambda.CfnFunction).addMetadata(TracingContract.INSTRUMENTATION_METADATA_KEY, InstrumentationName.ADOT);
  // What Instrumentation.openTelemetry() records and sets (its layer is an ARN: not available locally).
  const otel = new lambda.Function(stack, 'OtelFunction', {
    code: lambda.Code.fromAsset(path.join(FIXTURES, 'otel')),
    handler: 'lambda_function.lambda_handler',
    runtime: python,
    tracing: lambda.Tracing.ACTIVE,
    environment: { [TracingContract.EXEC_WRAPPER_VARIABLE]: TracingContract.OTEL_EXEC_WRAPPER },
  });
  (otel.node.defaultChild as lambda.CfnFunction).addMetadata(TracingContract.INSTRUMENTATION_METADATA_KEY, InstrumentationName.OPEN_TELEMETRY);
  new lambda.Function(stack, 'SenderFunction', {
    code: lambda.Code.fromAsset(path.join(FIXTURES, 'sender')),
    handler: 'index.handler',
    runtime: python,
    tracing: lambda.Tracing.ACTIVE,
  });
  new lambda.Function(stack, 'HangsFunction', {
    code: lambda.Code.fromAsset(path.join(FIXTURES, 'hangs')),
    handler: 'index.handler',
    runtime: python,
    timeout: Duration.seconds(60),
  });
  new lambda.Function(stack, 'NodeFunction', {
    code: lambda.Code.fromInline('exports.handler = async () => 1;'),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_24_X,
  });
  app.synth();
  return outdir;
}

/** A stub Lambda API on 127.0.0.1 that answers GetAccountSettings and records what it was asked. */
export interface Stub {
  readonly url: string;
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startLambdaStub(): Promise<Stub> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    // botocore 1.43 asks for /2016-08-19/account-settings (no trailing slash); older ones add it.
    if (req.method === 'GET' && /^\/2016-08-19\/account-settings\/?$/.test(req.url ?? '')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ACCOUNT_SETTINGS));
    } else {
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
      res.end(JSON.stringify({ message: `no stub for ${req.method} ${req.url}` }));
    }
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** What a run of the CLI printed, and how it exited. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const LAUNCHER = path.join(__dirname, '..', '..', '..', 'tool', 'bin', 'cdk-traced-lambda.js');

/**
 * Runs `cdk-traced-lambda` through its launcher (the compiled dist/tool, which `npm test` builds first), asynchronously so a
 * stub in this process can answer, and fails if it does not exit within `timeoutMs` (a server left open
 * would keep it alive).
 */
export function runCli(args: string[], options: { cwd: string; stdin?: string; timeoutMs?: number }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, ...args], {
      cwd: options.cwd,
      env: { ...process.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cli did not exit within ${options.timeoutMs ?? 90_000} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 90_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
    child.stdin.end(options.stdin ?? '');
  });
}

/**
 * The CLI's `main` in this process (no launcher, no ts-node start-up): exit status and what it wrote.
 * Relative paths in `args` are resolved against `cwd`.
 */
export async function runMain(args: string[], cwd: string): Promise<CliRun> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => { stdout += c; });
  err.on('data', (c) => { stderr += c; });
  const before = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(args, out, err);
    return { code, stdout, stderr };
  } finally {
    process.chdir(before);
  }
}

/** One function of a small fixture app: its construct id, its fixture folder (under FIXTURES) and options. */
export interface FixtureFunction {
  readonly id: string;
  readonly fixture: string;
  readonly handler?: string;
  readonly timeoutSeconds?: number;
  readonly environment?: Record<string, string>;
}

/** Synthesize an app of Python 3.12 fixture functions (stack `Fixtures`) into a temp dir; returns the dir. */
export function synthFixtureApp(functions: FixtureFunction[]): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-trace-fixtures-'));
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'Fixtures');
  for (const f of functions) {
    new lambda.Function(stack, f.id, {
      code: lambda.Code.fromAsset(path.join(FIXTURES, f.fixture)),
      handler: f.handler ?? 'index.handler',
      runtime: lambda.Runtime.PYTHON_3_12,
      timeout: Duration.seconds(f.timeoutSeconds ?? 3),
      environment: f.environment,
    });
  }
  app.synth();
  return outdir;
}

/** The exit-2 line's id: `... [cdk-traced-lambda:someId]` at its end. */
export function exitId(stderr: string): string | undefined {
  return /\[(cdk-traced-lambda:[A-Za-z0-9]+)\]\n?$/.exec(stderr)?.[1];
}

/** The LocalTraceUsageError `action` throws or rejects with: its id must be `id` and its message name each value. */
export async function expectToolError(action: (() => unknown) | Promise<unknown>, id: string, ...named: string[]): Promise<void> {
  let error: unknown;
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(LocalTraceUsageError);
  expect((error as LocalTraceUsageError).id).toBe(id);
  for (const value of named) expect((error as Error).message).toContain(value);
}
