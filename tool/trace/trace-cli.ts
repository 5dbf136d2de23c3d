import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { LocalTrace } from './local-trace';
import { otlpTracesUrl, postOtlp } from './otlp';
import { listFunctions } from '../common/assembly';
import { LocalTraceUsageError, ToolErrorId } from '../common/errors';
import { maskedHref, maskUrlCredentials, safeJson, safeLine, safeText } from '../common/safe-text';

/**
 * `cdk-traced-lambda trace`: runs a function from a synthesized app on this machine and prints its trace.
 * Dispatched from tool/cli.ts.
 */

export const USAGE = `Usage: cdk-traced-lambda trace [options]

Run a traced Python Lambda function from a synthesized CDK app on this machine and print
its trace as a timeline: X-Ray SDK segments, or OpenTelemetry spans for functions
instrumented with openTelemetry() or adot().

Options:
  --app DIR            cloud assembly directory (default: cdk.out; run \`npx cdk synth\` first)
  --function ID        construct path, logical id or unique substring
                       (default: the app's only Python function)
  --event FILE         event JSON file, or - to read it from stdin (default: {})
  --env-vars FILE      environment variables in SAM CLI's --env-vars JSON format:
                       {"Parameters": {...}} for every function, {"<logical id | name |
                       construct path>": {...}} for one; they override the template's
  --pass-env NAME      pass NAME from this shell to the handler (repeatable); the handler
                       sees nothing else of this shell's environment, credentials included
  --env KEY=VALUE      set or override an environment variable (repeatable)
  --endpoint-url URL   send every AWS SDK call to URL (AWS_ENDPOINT_URL), e.g. a local stub
  --stub FILE          answer every AWS SDK call from FILE, a JSON file of canned responses
                       ({"responses": [{"method", "path", "target"?, "status", "body"}]}),
                       served on 127.0.0.1 for the run; not with --endpoint-url
  --region REGION      AWS_REGION the function sees (default: us-east-1)
  --trace-init         also record subsegments made while the module is imported
                       (Lambda drops them: X-Ray will not show these rows)
  --out FILE           write the segments and spans as JSON
  --html FILE          write a self-contained HTML timeline
  --otlp-out FILE      write the trace as OTLP/JSON (an ExportTraceServiceRequest)
  --otlp-endpoint URL  post the trace as OTLP/JSON to an OTLP/HTTP receiver
                       (http://localhost:4318 posts to /v1/traces; Jaeger, otel-desktop-viewer)
  --otel-path DIR      OpenTelemetry packages for OpenTelemetry functions
                       (pip install --target DIR opentelemetry-api [opentelemetry-sdk ...])
  --python PATH        Python interpreter (default: python3)
  --timeout SECONDS    kill the run and everything it started after SECONDS, at most 900
                       (default: the function's timeout + 30)
  --list               list the app's Lambda functions and exit
  -h, --help           show this help

The handler sees what Lambda would give it: the function's variables from the template,
Lambda's own (AWS_REGION, AWS_LAMBDA_FUNCTION_NAME, _HANDLER, LAMBDA_TASK_ROOT, TZ, ...) with
local values, dummy credentials, a PATH and LANG like Lambda's, and what --env-vars,
--pass-env and --env add. Whatever it starts is killed when it returns or times out.

Exit status: 0 the handler returned, 1 it raised or timed out, 2 a usage or setup error
(no such function, not Python, no cloud assembly, a path that cannot be read or written,
a malformed stub file, opentelemetry-api missing, the OTLP receiver refusing the trace).
`;

interface Args {
  app: string;
  functionId?: string;
  event?: string;
  env: Record<string, string>;
  envVarsFile?: string;
  passEnv: string[];
  endpointUrl?: string;
  stub?: string;
  region?: string;
  traceInit: boolean;
  out?: string;
  html?: string;
  otlpOut?: string;
  otlpEndpoint?: string;
  otelPath?: string;
  python?: string;
  timeout?: number;
  list: boolean;
  help: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { app: 'cdk.out', env: {}, passEnv: [], traceInit: false, list: false, help: false };
  const rest = [...argv];
  while (rest.length > 0) {
    const arg = rest.shift()!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? rest.shift();
      if (v === undefined) throw new LocalTraceUsageError(ToolErrorId.OPTION_NEEDS_VALUE, `${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case '--app': args.app = value(); break;
      case '--function': args.functionId = value(); break;
      case '--event': args.event = value(); break;
      case '--env': {
        const kv = value();
        const eq = kv.indexOf('=');
        // The value is not echoed: it may be a secret.
        if (eq <= 0) {
          throw new LocalTraceUsageError(ToolErrorId.ENV_NOT_KEY_VALUE, '--env expects KEY=VALUE; its value '
          + `${eq === 0 ? 'starts with "=" (no name)' : 'has no "="'}.`);
        }
        args.env[kv.slice(0, eq)] = kv.slice(eq + 1);
        break;
      }
      case '--env-vars': args.envVarsFile = value(); break;
      case '--pass-env': args.passEnv.push(value()); break;
      case '--endpoint-url': args.endpointUrl = value(); break;
      case '--stub': args.stub = value(); break;
      case '--region': args.region = value(); break;
      case '--trace-init': args.traceInit = true; break;
      case '--out': args.out = value(); break;
      case '--html': args.html = value(); break;
      case '--otlp-out': args.otlpOut = value(); break;
      case '--otlp-endpoint': args.otlpEndpoint = value(); break;
      case '--otel-path': args.otelPath = value(); break;
      case '--python': args.python = value(); break;
      case '--timeout': {
        const v = value();
        args.timeout = /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
        if (!(args.timeout > 0 && args.timeout <= 900)) {
          throw new LocalTraceUsageError(ToolErrorId.TIMEOUT_OUT_OF_RANGE, `--timeout expects seconds, more than 0 and at most 900 (Lambda's maximum), got "${v}".`);
        }
        break;
      }
      case '--list': args.list = true; break;
      case '-h': case '--help': args.help = true; break;
      default: throw new LocalTraceUsageError(ToolErrorId.UNKNOWN_OPTION, `Unknown option "${arg}".`);
    }
  }
  return args;
}

function readEvent(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  if (file === '-') return fs.readFileSync(0, 'utf-8');
  checkReadable('--event', file);
  return fs.readFileSync(file, 'utf-8');
}

/** An input file must exist and be a file. */
function checkReadable(flag: string, file: string): void {
  const where = path.resolve(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(where);
  } catch {
    throw new LocalTraceUsageError(ToolErrorId.INPUT_FILE_MISSING, `${flag} ${where} does not exist.`);
  }
  if (!stat.isFile()) {
    throw new LocalTraceUsageError(ToolErrorId.INPUT_NOT_A_FILE, `${flag} ${where} is ${stat.isDirectory() ? 'a directory' : 'a FIFO, socket or device'}, not a file.`);
  }
  try {
    fs.accessSync(where, fs.constants.R_OK);
  } catch {
    throw new LocalTraceUsageError(ToolErrorId.INPUT_NOT_READABLE, `${flag} ${where} cannot be read (permission denied).`);
  }
}

/** An output file's folder must exist and be writable, and the file must not be a directory: checked before the run. */
function checkWritable(flag: string, file: string | undefined): void {
  if (file === undefined) return;
  const where = path.resolve(file);
  const dir = path.dirname(where);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new LocalTraceUsageError(ToolErrorId.OUTPUT_NOT_WRITABLE, `${flag} ${where}: the folder ${dir} does not exist; create it first (mkdir -p ${dir}).`);
  }
  if (fs.existsSync(where) && fs.statSync(where).isDirectory()) throw new LocalTraceUsageError(ToolErrorId.OUTPUT_NOT_WRITABLE, `${flag} ${where} is a directory, not a file.`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new LocalTraceUsageError(ToolErrorId.OUTPUT_NOT_WRITABLE, `${flag} ${where}: the folder ${dir} is not writable.`);
  }
}

/** The OTLP receiver must be an http(s) URL with something listening, before the handler runs. */
async function checkOtlpEndpoint(endpoint: string | undefined): Promise<URL | undefined> {
  if (endpoint === undefined) return undefined;
  const url = otlpTracesUrl(endpoint);
  if (!url) {
    throw new LocalTraceUsageError(ToolErrorId.OTLP_ENDPOINT_INVALID, '--otlp-endpoint expects an http(s) URL such as http://localhost:4318, '
      + `got "${maskUrlCredentials(endpoint)}".`);
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port, timeout: 3000 });
    socket.once('connect', () => { socket.destroy(); resolve(); });
    socket.once('timeout', () => { socket.destroy(); reject(new Error('no answer within 3 s')); });
    socket.once('error', reject);
  }).catch((e: Error) => {
    throw new LocalTraceUsageError(ToolErrorId.OTLP_ENDPOINT_UNREACHABLE, `--otlp-endpoint ${maskedHref(url)}: nothing answers at ${url.host} (${e.message}); start the OTLP/HTTP `
      + 'receiver (Jaeger or otel-desktop-viewer listen on 4318) or fix the URL.');
  });
  return url;
}

function write(file: string, content: string): void {
  try {
    fs.writeFileSync(file, content);
  } catch (e) {
    throw new LocalTraceUsageError(ToolErrorId.OUTPUT_NOT_WRITABLE, `Cannot write ${path.resolve(file)}: ${(e as Error).message}.`);
  }
}

/** `cdk-traced-lambda trace`. */
export async function traceMain(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    out.write(USAGE);
    return 0;
  }
  if (args.list) {
    for (const f of listFunctions(args.app)) {
      out.write(`${safeLine(`${f.constructPath ?? `${f.stackName}/?`}  ${f.logicalId}  ${f.properties.Runtime ?? '-'}  ${f.properties.Handler ?? '-'}`)}\n`);
    }
    return 0;
  }
  // Every path and the receiver are checked before the handler runs.
  if (args.stub !== undefined) checkReadable('--stub', args.stub);
  if (args.envVarsFile !== undefined) checkReadable('--env-vars', args.envVarsFile);
  for (const [flag, file] of [['--out', args.out], ['--html', args.html], ['--otlp-out', args.otlpOut]] as const) checkWritable(flag, file);
  const otlpUrl = await checkOtlpEndpoint(args.otlpEndpoint);
  const result = await LocalTrace.invoke({
    assemblyDir: args.app,
    functionId: args.functionId,
    event: readEvent(args.event),
    environment: args.env,
    envVarsFile: args.envVarsFile,
    passEnvironment: args.passEnv,
    endpointUrl: args.endpointUrl,
    stubFile: args.stub,
    region: args.region,
    pythonExecutable: args.python,
    timeoutSeconds: args.timeout,
    traceInit: args.traceInit,
    otelPath: args.otelPath,
  });
  // The handler's output is printed with its control characters escaped (an OSC 52 clipboard write, a screen clear).
  if (result.stdout) err.write(`--- handler stdout\n${safeText(result.stdout)}${result.stdout.endsWith('\n') ? '' : '\n'}`);
  if (result.stderr) err.write(`--- handler stderr\n${safeText(result.stderr)}${result.stderr.endsWith('\n') ? '' : '\n'}---\n`);
  out.write(safeText(result.timeline));
  if (args.out) {
    write(args.out, safeJson({
      traceId: result.traceId,
      functionName: result.functionName,
      tracing: result.tracing,
      succeeded: result.succeeded,
      malformedDatagrams: result.malformedDatagrams,
      otherTraceDocuments: result.otherTraceDocuments,
      segments: result.segments,
      killedProcesses: result.killedProcesses,
    }, 2) + '\n');
    out.write(`segments written to ${args.out}\n`);
  }
  if (args.html) {
    write(args.html, result.html);
    out.write(`HTML timeline written to ${args.html}\n`);
  }
  if (args.otlpOut) {
    write(args.otlpOut, safeJson(result.otlp, 2) + '\n');
    out.write(`OTLP/JSON written to ${args.otlpOut}\n`);
  }
  if (otlpUrl) {
    const status = await postOtlp(otlpUrl, result.otlp).catch((e: Error) => {
      throw new LocalTraceUsageError(ToolErrorId.OTLP_POST_FAILED, `--otlp-endpoint ${maskedHref(otlpUrl)}: the trace could not be sent (${e.message}).`);
    });
    if (status < 200 || status > 299) {
      throw new LocalTraceUsageError(ToolErrorId.OTLP_POST_FAILED, `--otlp-endpoint ${maskedHref(otlpUrl)} answered HTTP ${status}; the trace was not accepted.`);
    }
    out.write(`OTLP/JSON posted to ${maskedHref(otlpUrl)} (HTTP ${status})\n`);
  }
  return result.succeeded ? 0 : 1;
}
