import * as fs from 'fs';
import * as path from 'path';
import { AwsProblem, checkLayers, describeCheck, LayerCheck, LayerVersionReader, loadLambdaSdk, sdkReader } from './check';
import { ToolErrorId } from '../common/errors';
import { PublishedLayers, PublishedLayerVersion, TracingContract } from 'cdk-traced-lambda';

export const LAYERS_USAGE = `Usage: cdk-traced-lambda layers [--region R ...] [--architecture x86_64|arm64] [--runtime pythonX.Y] [--json]
       cdk-traced-lambda layers --check [--region R ...] [--architecture A] [--runtime R] [--json]
                                [--write FILE] [--look-ahead N] [--concurrency N] [--max-attempts N] [--timeout-ms N]

Prints the public layers the library adds (AWSOpenTelemetryDistroPython, Powertools v3): ARN, release, source date.
--check asks AWS Lambda (GetLayerVersionByArn; your usual AWS credentials) in the --region(s) named (default: AWS_REGION)
whether each pinned version exists and
whether newer ones are published (at most --look-ahead, default 5), and compares runtimes and architectures.
Exit 0: current; 1: drift (one line each); 2: usage or AWS error (one line with its id).
--write FILE writes the newest versions found, for the context key ${TracingContract.LAYER_VERSIONS_CONTEXT_KEY}.
`;

interface Options {
  regions: string[];
  architecture?: string;
  runtime?: string;
  json: boolean;
  check: boolean;
  write?: string;
  lookAhead: number;
  concurrency: number;
  maxAttempts: number;
  timeoutMs: number;
}

class UsageProblem extends AwsProblem {
  constructor(message: string) {
    super(ToolErrorId.LAYERS_USAGE, message);
  }
}

function parse(argv: string[]): Options {
  const o: Options = { regions: [], json: false, check: false, lookAhead: 5, concurrency: 4, maxAttempts: 3, timeoutMs: 10_000 };
  const numbers: Record<string, [keyof Options, number, number]> = {
    '--look-ahead': ['lookAhead', 1, 20],
    '--concurrency': ['concurrency', 1, 16],
    '--max-attempts': ['maxAttempts', 1, 10],
    '--timeout-ms': ['timeoutMs', 100, 120_000],
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageProblem(`${flag} needs a value.`);
      return v;
    };
    if (flag === '--json') {o.json = true;} else if (flag === '--check') {o.check = true;} else if (flag === '--region') {o.regions.push(checked(flag, value(), /^[a-z]{2}(-[a-z]+)+-\d$/, 'a region such as us-east-1'));} else if (flag === '--architecture') {o.architecture = checked(flag, value(), /^(x86_64|arm64)$/, 'x86_64 or arm64');} else if (flag === '--runtime') {o.runtime = checked(flag, value(), /^python3\.\d{1,2}$/, 'a Python runtime such as python3.13');} else if (flag === '--write') {o.write = value();} else if (flag in numbers) {
      const [key, min, max] = numbers[flag];
      const n = Number(value());
      if (!Number.isInteger(n) || n < min || n > max) throw new UsageProblem(`${flag} takes a whole number from ${min} to ${max}.`);
      (o as any)[key] = n;
    } else {
      throw new UsageProblem(`unknown argument ${/^[\w.=-]{1,40}$/.test(flag) ? flag : '(not printable)'}; run cdk-traced-lambda layers --help.`);
    }
  }
  if (o.write !== undefined && !o.check) throw new UsageProblem('--write needs --check: it writes the versions the check found.');
  return o;
}

function checked(flag: string, v: string, pattern: RegExp, what: string): string {
  if (!pattern.test(v)) throw new UsageProblem(`${flag} takes ${what}, but received ${/^[\w.-]{1,40}$/.test(v) ? v : '(not printable)'}.`);
  return v;
}

/** `cdk-traced-lambda layers`. `reader` replaces the AWS SDK (tests of the command's own logic). */
export async function layersMain(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream,
  reader?: LayerVersionReader): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out.write(LAYERS_USAGE);
    return 0;
  }
  try {
    const o = parse(argv);
    const layers = select(o);
    if (!o.check) {
      printTable(layers, o.json, out);
      return 0;
    }
    const read = reader ?? sdkReader(loadLambdaSdk(), { maxAttempts: o.maxAttempts, timeoutMs: o.timeoutMs });
    const results = await checkLayers(layers, read, { lookAhead: o.lookAhead, concurrency: o.concurrency });
    if (o.write) writeVersionsFile(o.write, results);
    const drift = results.filter(r => r.drift);
    if (o.json) {
      out.write(`${JSON.stringify({ drift: drift.length > 0, results }, null, 2)}\n`);
    } else {
      for (const r of drift) out.write(`${describeCheck(r)}\n`);
      out.write(`${results.length} layer version(s) checked in ${new Set(results.map(r => r.region)).size} region(s): `
        + `${drift.length === 0 ? 'all current' : `${drift.length} drifted`}${o.write ? `; newest versions written to ${o.write}` : ''}.\n`);
    }
    return drift.length > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof AwsProblem) {
      err.write(`cdk-traced-lambda layers: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

function select(o: Options): PublishedLayerVersion[] {
  const all = PublishedLayers.list({ architecture: o.architecture, runtime: o.runtime });
  const known = new Set(all.map(l => l.region));
  const unknown = o.regions.filter(r => !known.has(r));
  if (unknown.length > 0) {
    throw new UsageProblem(`the layer data lists no layer for region ${unknown.join(', ')}${o.runtime ? ` and ${o.runtime}` : ''}; `
      + `regions: ${[...known].sort().join(', ')}.`);
  }
  // --check asks AWS in the regions named, or the configured one: opt-in regions not enabled for the account and
  // other partitions (cn-*) refuse the credentials, so checking every region in the data is never the default.
  const configured = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (o.check && o.regions.length === 0) {
    if (configured === undefined || !known.has(configured)) {
      throw new UsageProblem('--check needs --region R (one or more), or AWS_REGION set to a region the layer data lists.');
    }
    o.regions.push(configured);
  }
  const layers = o.regions.length === 0 ? all : all.filter(l => o.regions.includes(l.region));
  if (layers.length === 0) throw new UsageProblem('no layer matches these flags; drop --runtime or --architecture.');
  return layers;
}

function printTable(layers: PublishedLayerVersion[], json: boolean, out: NodeJS.WritableStream): void {
  if (json) {
    out.write(`${JSON.stringify(layers, null, 2)}\n`);
    return;
  }
  const rows = layers.map(l => [l.region, l.layerName, l.release ?? '-', l.layerVersionArn, l.readOn]);
  const header = ['REGION', 'LAYER', 'RELEASE', 'ARN', 'READ ON'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  for (const r of [header, ...rows]) out.write(`${r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}\n`);
  const sources = [...new Set(layers.map(l => `${l.layerName.replace(/-python.*$/, '')}: ${l.source}`))];
  out.write(`\nSources:\n${sources.map(s => `  ${s}`).join('\n')}\n`);
}

/** Writes the newest versions found (the format the library reads: docs/layer-data.md), atomically. */
function writeVersionsFile(file: string, results: LayerCheck[]): void {
  const body: Record<string, Record<string, { version: number; release?: string }>> = {};
  results.forEach(r => {
    if (r.newest === undefined) return;
    body[r.layerName] ??= {};
    body[r.layerName][r.region] = r.newestRelease !== undefined ? { version: r.newest, release: r.newestRelease }
      : { version: r.newest };
  });
  const text = `${JSON.stringify({ format: TracingContract.LAYER_VERSIONS_FORMAT, checkedOn: new Date().toISOString(), layers: body }, null, 2)}\n`;
  const target = path.resolve(file);
  const temp = `${target}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, target);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw new AwsProblem(ToolErrorId.LAYER_VERSIONS_WRITE_FAILED, `could not write --write ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}). Fix: name a file in a writable folder.`);
  }
}
