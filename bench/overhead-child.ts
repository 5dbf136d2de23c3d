// Scenario 5 (overhead): TracedFunction against the hand-written equivalent with the same resources,
// per instrumentation, all in ONE process (`node --expose-gc`), the order of the variants rotated on
// every repetition and a full GC before every synth. Run by overhead.ts; also runnable by hand for a
// profile (see bench/README.md, "Profile findings").
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { InstrumentationCase, instrumentationCases, PythonDependencyLayer, TracedFunction } from './subject';
import { reportResult } from './util';

/** What overhead.ts asks for. */
export interface OverheadInput {
  /** Function counts, in order. */
  readonly ns: number[];
  /** Measured repetitions per N (each runs every variant once, in a rotated order). */
  readonly reps: number;
  /** Unmeasured repetitions before the measured ones of the first N (JIT and file-system caches). */
  readonly warmup: number;
  /** Instrumentation case names to run (default: all of `instrumentationCases()`). */
  readonly cases?: string[];
  /** Only these variants (`traced`, `hand`); default both. For profiling one path. */
  readonly variants?: Variant[];
  /** Scratch directory for cloud assemblies (one per synth, removed after it). */
  readonly outdir: string;
  /** The warm PythonDependencyLayer every app shares: requirements file, wheelhouse, cache. */
  readonly requirementsFile: string;
  readonly wheelhouse: string;
  readonly cacheDir: string;
}

export type Variant = 'traced' | 'hand';

/** One synth. */
export interface OverheadRun {
  readonly n: number;
  readonly instrumentation: string;
  readonly variant: Variant;
  /** 0-based measured repetition. */
  readonly rep: number;
  /** Position in that repetition's rotated order (0-based). */
  readonly position: number;
  /** `new App()` to the end of `app.synth()`, wall clock, milliseconds. */
  readonly ms: number;
  /** The same span in CPU time of the process (user + system, all threads), milliseconds: less sensitive to other load on the machine. */
  readonly cpuMs: number;
}

export interface OverheadResult {
  readonly runs: OverheadRun[];
  /** Resource count per (instrumentation, variant) at the first N; equal by construction (checked). */
  readonly resources: { [key: string]: number };
  /** Per instrumentation: the layers (ARNs) and environment variables the hand-written variant adds. */
  readonly extras: { [instrumentation: string]: { layers: string[]; environment: string[] } };
  readonly gc: boolean;
}

const ENV = { account: '123456789012', region: 'us-east-1' };
const CODE = 'def handler(event, context):\n    return {"ok": True}\n';
const RUNTIME = lambda.Runtime.PYTHON_3_13;

interface Extras {
  readonly layers: string[];
  readonly environment: { [key: string]: string };
}

/**
 * What `c`'s instrumentation puts on a function beyond active tracing and the grant, read from one
 * probe TracedFunction: its layer ARNs and environment variables. The hand-written variant adds exactly these.
 */
function extrasOf(c: InstrumentationCase): Extras {
  const stack = new Stack(new App(), 'Probe', { env: ENV });
  const fn = new TracedFunction(stack, 'Fn', { runtime: RUNTIME, handler: 'index.handler', code: lambda.Code.fromInline(CODE), instrumentation: c.make(stack) });
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const layers: unknown[] = stack.resolve(cfn.layers) ?? [];
  const environment: { [key: string]: unknown } = stack.resolve(cfn.environment)?.variables ?? {};
  for (const value of [...layers, ...Object.values(environment)]) {
    if (typeof value !== 'string') {
      throw new Error(`bench: instrumentation '${c.name}' puts a value on the function that is not a literal (${JSON.stringify(value)}); `
        + 'the hand-written variant cannot copy it. Give the case a fixed layer ARN in bench/subject.ts.');
    }
  }
  return { layers: layers as string[], environment: environment as { [key: string]: string } };
}

function buildApp(n: number, c: InstrumentationCase, extras: Extras, variant: Variant, input: OverheadInput, outdir: string): App {
  const app = new App({ outdir, context: { '@aws-cdk/core:stackResourceLimit': 0 } });
  const stack = new Stack(app, 'Bench', { env: ENV });
  const layer = new PythonDependencyLayer(stack, 'Deps', {
    requirementsFile: input.requirementsFile,
    runtime: RUNTIME,
    findLinks: [input.wheelhouse],
    noIndex: true,
    cacheDir: input.cacheDir,
  });
  if (variant === 'traced') {
    const instrumentation = c.make(stack);
    for (let i = 0; i < n; i++) {
      new TracedFunction(stack, `Fn${i}`, { runtime: RUNTIME, handler: 'index.handler', code: lambda.Code.fromInline(CODE), layers: [layer], instrumentation });
    }
  } else {
    // What a user writes by hand for the same template: a plain Function, the tracing mode on its L1,
    // the AWS managed policy on its role, and the instrumentation's layer(s) and variables.
    const extraLayers = extras.layers.map((arn, i) => lambda.LayerVersion.fromLayerVersionArn(stack, `ExtraLayer${i}`, arn));
    for (let i = 0; i < n; i++) {
      const fn = new lambda.Function(stack, `Fn${i}`, { runtime: RUNTIME, handler: 'index.handler', code: lambda.Code.fromInline(CODE), layers: [layer] });
      (fn.node.defaultChild as lambda.CfnFunction).tracingConfig = { mode: lambda.Tracing.ACTIVE };
      fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AWSXRayDaemonWriteAccess'));
      if (extraLayers.length > 0) {
        fn.addLayers(...extraLayers);
      }
      for (const [key, value] of Object.entries(extras.environment)) {
        fn.addEnvironment(key, value);
      }
    }
  }
  return app;
}

/** The template without resource Metadata (TracedFunction records its instrumentation there) and CDKMetadata. */
function comparable(dir: string): string {
  const template = JSON.parse(fs.readFileSync(path.join(dir, 'Bench.template.json'), 'utf8'));
  const resources: { [id: string]: any } = {};
  for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
    if (r.Type !== 'AWS::CDK::Metadata') {
      const { Metadata: _ignored, ...rest } = r;
      resources[id] = rest;
    }
  }
  return JSON.stringify({ ...template, Resources: resources });
}

/** The variants in the order of repetition `rep`: the list rotated by `rep`. */
export function rotated<T>(list: T[], rep: number): T[] {
  const k = rep % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

function main(input: OverheadInput): OverheadResult {
  const gc = (global as unknown as { gc?: () => void }).gc;
  if (!gc) {
    throw new Error('bench: overhead-child.js needs `node --expose-gc` (a GC before every synth is part of the method)');
  }
  const all = instrumentationCases();
  const cases = input.cases ? input.cases.map(name => {
    const c = all.find(x => x.name === name);
    if (!c) throw new Error(`bench: unknown instrumentation case '${name}'; choose from ${all.map(x => x.name).join(', ')}`);
    return c;
  }) : all;
  const extras = new Map(cases.map(c => [c.name, extrasOf(c)]));
  const variants: { c: InstrumentationCase; variant: Variant }[] = cases.flatMap(c =>
    (input.variants ?? ['traced', 'hand'] as Variant[]).map(variant => ({ c, variant })));

  const runs: OverheadRun[] = [];
  const resources: { [key: string]: number } = {};
  const templates = new Map<string, string>();
  let synthCount = 0;
  for (const n of input.ns) {
    const warmup = n === input.ns[0] ? input.warmup : 0;
    for (let rep = -warmup; rep < input.reps; rep++) {
      const order = rotated(variants, rep + warmup);
      order.forEach(({ c, variant }, position) => {
        const outdir = path.join(input.outdir, `synth-${synthCount++}`);
        gc();
        const cpu = process.cpuUsage();
        const started = performance.now();
        const app = buildApp(n, c, extras.get(c.name)!, variant, input, outdir);
        app.synth();
        const ms = performance.now() - started;
        const used = process.cpuUsage(cpu);
        const cpuMs = (used.user + used.system) / 1000;
        if (rep >= 0) {
          runs.push({ n, instrumentation: c.name, variant, rep, position, ms, cpuMs });
        } else if (n === input.ns[0]) {
          // Check once, on a warm-up synth, that both variants make the same template.
          const key = `${c.name}/${variant}`;
          const text = comparable(outdir);
          templates.set(key, text);
          resources[key] = Object.keys(JSON.parse(text).Resources).length;
        }
        fs.rmSync(outdir, { recursive: true, force: true });
      });
    }
  }
  for (const c of cases) {
    const traced = templates.get(`${c.name}/traced`);
    const hand = templates.get(`${c.name}/hand`);
    if (traced !== undefined && hand !== undefined && traced !== hand) {
      fs.writeFileSync(path.join(input.outdir, `${c.name}-traced.json`), traced);
      fs.writeFileSync(path.join(input.outdir, `${c.name}-hand.json`), hand);
      throw new Error(`bench: for instrumentation '${c.name}' the hand-written variant's template differs from TracedFunction's `
        + `(besides Metadata); compare ${input.outdir}/${c.name}-{traced,hand}.json and fix buildApp in bench/overhead-child.ts`);
    }
  }
  const extrasOut: OverheadResult['extras'] = {};
  for (const [name, e] of extras) {
    extrasOut[name] = { layers: e.layers, environment: Object.keys(e.environment) };
  }
  return { runs, resources, extras: extrasOut, gc: true };
}

if (require.main === module) {
  reportResult(main(JSON.parse(process.argv[2]) as OverheadInput));
}
