import * as fs from 'fs';
import * as path from 'path';
import { listFunctions, LocalTraceUsageError } from './assembly';
import { LocalTrace } from './local-trace';
import { migrateMain } from './migrate/cli';

/**
 * `cdk-traced-lambda trace`: the command line over LocalTrace. Started by cli/cdk-traced-lambda.js.
 */

export const USAGE = `Usage: cdk-traced-lambda trace [options]

Run a traced Python Lambda function from a synthesized CDK app on this machine and print
its X-Ray trace as a timeline (X-Ray SDK instrumentation; ADOT is not supported locally).
(\`cdk-traced-lambda migrate --help\`: the X-Ray SDK to OpenTelemetry migration report.)

Options:
  --app DIR            cloud assembly directory (default: cdk.out; run \`npx cdk synth\` first)
  --function ID        construct path, logical id or unique substring
                       (default: the app's only Python function)
  --event FILE         event JSON file, or - to read it from stdin (default: {})
  --env KEY=VALUE      set or override an environment variable (repeatable)
  --endpoint-url URL   send every AWS SDK call to URL (AWS_ENDPOINT_URL), e.g. a local stub
  --stub FILE          answer every AWS SDK call from FILE, a JSON file of canned responses
                       ({"responses": [{"method", "path", "target"?, "status", "body"}]}),
                       served on 127.0.0.1 for the run; not with --endpoint-url
  --region REGION      AWS_REGION the function sees (default: us-east-1)
  --trace-init         also record subsegments made while the module is imported
                       (Lambda drops them: X-Ray will not show these rows)
  --out FILE           write the segments as JSON
  --html FILE          write a self-contained HTML timeline
  --python PATH        Python interpreter (default: python3)
  --timeout SECONDS    kill the run after SECONDS (default: the function's timeout + 30)
  --list               list the app's Lambda functions and exit
  -h, --help           show this help

Exit status: 0 the handler returned, 1 it raised or timed out, 2 a usage or setup error
(no such function, not Python, ADOT instrumentation, no cloud assembly, a malformed stub file).
`;

interface Args {
  app: string;
  functionId?: string;
  event?: string;
  env: Record<string, string>;
  endpointUrl?: string;
  stub?: string;
  region?: string;
  traceInit: boolean;
  out?: string;
  html?: string;
  python?: string;
  timeout?: number;
  list: boolean;
  help: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { app: 'cdk.out', env: {}, traceInit: false, list: false, help: false };
  const rest = [...argv];
  if (rest[0] === 'trace') rest.shift();
  else if (rest[0] !== undefined && !rest[0].startsWith('-')) throw new LocalTraceUsageError(`Unknown command "${rest[0]}"; the command is \`trace\`.`);
  while (rest.length > 0) {
    const arg = rest.shift()!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? rest.shift();
      if (v === undefined) throw new LocalTraceUsageError(`${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case '--app': args.app = value(); break;
      case '--function': args.functionId = value(); break;
      case '--event': args.event = value(); break;
      case '--env': {
        const kv = value();
        const eq = kv.indexOf('=');
        if (eq <= 0) throw new LocalTraceUsageError(`--env expects KEY=VALUE, got "${kv}".`);
        args.env[kv.slice(0, eq)] = kv.slice(eq + 1);
        break;
      }
      case '--endpoint-url': args.endpointUrl = value(); break;
      case '--stub': args.stub = value(); break;
      case '--region': args.region = value(); break;
      case '--trace-init': args.traceInit = true; break;
      case '--out': args.out = value(); break;
      case '--html': args.html = value(); break;
      case '--python': args.python = value(); break;
      case '--timeout': {
        const v = value();
        args.timeout = Number(v);
        if (!(args.timeout > 0)) throw new LocalTraceUsageError(`--timeout expects a positive number of seconds, got "${v}".`);
        break;
      }
      case '--list': args.list = true; break;
      case '-h': case '--help': args.help = true; break;
      default: throw new LocalTraceUsageError(`Unknown option "${arg}".`);
    }
  }
  return args;
}

function readEvent(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  if (file === '-') return fs.readFileSync(0, 'utf-8');
  if (!fs.existsSync(file)) throw new LocalTraceUsageError(`Event file ${path.resolve(file)} does not exist.`);
  return fs.readFileSync(file, 'utf-8');
}

/** Run the command; resolves with the exit status. */
export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr): Promise<number> {
  if (argv[0] === 'migrate') return migrateMain(argv, out, err);
  try {
    const args = parseArgs(argv);
    if (args.help || argv.length === 0) {
      out.write(USAGE);
      return 0;
    }
    if (args.list) {
      for (const f of listFunctions(args.app)) {
        out.write(`${f.constructPath ?? `${f.stackName}/?`}  ${f.logicalId}  ${f.properties.Runtime ?? '-'}  ${f.properties.Handler ?? '-'}\n`);
      }
      return 0;
    }
    const trace = await LocalTrace.invoke({
      assemblyDir: args.app,
      functionId: args.functionId,
      event: readEvent(args.event),
      environment: args.env,
      endpointUrl: args.endpointUrl,
      stubFile: args.stub,
      region: args.region,
      pythonExecutable: args.python,
      timeoutSeconds: args.timeout,
      traceInit: args.traceInit,
    });
    if (trace.stdout) err.write(`--- handler stdout\n${trace.stdout}${trace.stdout.endsWith('\n') ? '' : '\n'}`);
    if (trace.stderr) err.write(`--- handler stderr\n${trace.stderr}${trace.stderr.endsWith('\n') ? '' : '\n'}---\n`);
    out.write(trace.timeline);
    if (args.out) {
      fs.writeFileSync(args.out, JSON.stringify({
        traceId: trace.traceId,
        functionName: trace.functionName,
        succeeded: trace.succeeded,
        malformedDatagrams: trace.malformedDatagrams,
        segments: trace.segments.map((s) => JSON.parse(s.document)),
      }, undefined, 2) + '\n');
      out.write(`segments written to ${args.out}\n`);
    }
    if (args.html) {
      fs.writeFileSync(args.html, trace.html);
      out.write(`HTML timeline written to ${args.html}\n`);
    }
    return trace.succeeded ? 0 : 1;
  } catch (e) {
    if (e instanceof LocalTraceUsageError) {
      err.write(`cdk-traced-lambda trace: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
