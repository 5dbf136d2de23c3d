import { CacheVerifyResults, renderCacheVerify, VERIFY_GOAL, verifyRatio } from './cache-verify';
import { ColdStartResults, renderColdStart } from './cold-start';
import { CacheRun, CacheStep } from './layer-cache';
import { LayerSizeResult } from './layer-size';
import { LOCK_8K_GOAL_MS, LOCK_GROWTH_GOAL, lockFigures, LockParseResults, renderLockParse } from './lock-parse';
import { NAG_GROWTH_GOAL, NAG_RATIO_GOAL, nagFigures, NagResults, renderNag } from './nag';
import { OVERHEAD_GOAL, OverheadResults, renderOverhead } from './overhead';
import { SampleSynthResult } from './sample-synth';
import { medians, ScalingRow } from './synth-scaling';
import { bytes, median, mib, ratio, seconds, table } from './util';

/** Everything one run measured. */
export interface Results {
  readonly quick: boolean;
  readonly reps: number;
  readonly machine: string[];
  readonly loadBefore: string;
  readonly loadAfter: string;
  readonly totalMs: number;
  readonly layerColdSynthMs: number;
  /** Each scenario's results; undefined when `--only` left it out. */
  readonly scaling?: ScalingRow[];
  readonly cache?: CacheRun[];
  readonly size?: LayerSizeResult;
  readonly sample?: SampleSynthResult;
  readonly overhead?: OverheadResults;
  readonly nag?: NagResults;
  readonly coldStart?: ColdStartResults;
  readonly verify?: CacheVerifyResults;
  readonly lock?: LockParseResults;
}

/** A target and whether this run met it. */
export interface Target {
  readonly name: string;
  readonly goal: string;
  readonly value: string;
  readonly met: boolean | undefined;
}

/** Each target of issue 5, judged on this run's medians (`undefined` when this run did not measure it). */
export function targets(r: Results): Target[] {
  const target = (name: string, goal: string, value: number | string | undefined, met: boolean | undefined): Target =>
    ({ name, goal, value: value === undefined ? 'not run' : String(value), met: value === undefined ? undefined : met });
  const row = (n: number) => r.scaling?.find(s => s.n === n);
  const out: Target[] = [];
  for (const n of [100, 500]) {
    const s = row(n);
    const v = s ? medians(s.traced).synthMs / medians(s.plain).synthMs : undefined;
    out.push(target(`Synth time ratio TracedFunction / lambda.Function at N = ${n}`, '≤ 1.15', v?.toFixed(2), v !== undefined && v <= 1.15));
  }
  const r100 = row(100);
  const r500 = row(500);
  const linear = r100 && r500 ? medians(r500.traced).synthMs / medians(r100.traced).synthMs : undefined;
  out.push(target('TracedFunction synth time at N = 500 / at N = 100', '≤ 5.5', linear?.toFixed(2), linear !== undefined && linear <= 5.5));

  const cache = r.cache && r.cache.length > 0 ? r.cache : undefined;
  const warmRuns = cache ? Math.max(...cache.flatMap(c => [c.warm.pythonRuns, c.warmAfterChange.pythonRuns])) : undefined;
  out.push(target('pip (Python) runs on a warm synth, most in any repetition', '0', warmRuns, warmRuns === 0));
  const oneRebuild = cache?.every(c => c.changed.pipInstalls === 1 && c.changed.newCacheEntries === 1);
  out.push(target('Rebuilds after one changed requirement, per repetition', 'exactly 1', cache?.map(c => c.changed.pipInstalls).join(', '), oneRebuild));

  const size = r.size;
  const zipped = size ? size.ours.zippedBytes / size.naive.zippedBytes : undefined;
  const unzipped = size ? size.ours.unzippedBytes / size.naive.unzippedBytes : undefined;
  out.push(target('Layer size / naive pip install, zipped (unzipped)', '≤ 0.5',
    size ? `${zipped!.toFixed(3)} (${unzipped!.toFixed(3)})` : undefined, zipped! <= 0.5 && unzipped! <= 0.5));

  for (const n of [100, 500]) {
    const cells = r.overhead?.cells.filter(c => c.n === n);
    const worst = cells && cells.length > 0 ? cells.reduce((a, b) => (b.ratio > a.ratio ? b : a)) : undefined;
    out.push(target(`Overhead TracedFunction / hand-written equivalent at N = ${n}, largest over the instrumentations`, `≤ ${OVERHEAD_GOAL}`,
      worst ? `${worst.ratio.toFixed(3)} (${worst.instrumentation})` : undefined, worst !== undefined && worst.ratio <= OVERHEAD_GOAL));
  }

  const nag = r.nag ? nagFigures(r.nag) : {};
  out.push(target('TracingChecks validateScope time, 160 / 40 functions in one stack', `≤ ${NAG_GROWTH_GOAL}`, nag.growth?.toFixed(1),
    nag.growth !== undefined && nag.growth <= NAG_GROWTH_GOAL));
  out.push(target('TracingChecks / ServerlessChecks validateScope time at 160 functions', `≤ ${NAG_RATIO_GOAL}`, nag.ratio160?.toFixed(1),
    nag.ratio160 !== undefined && nag.ratio160 <= NAG_RATIO_GOAL));

  const verify = r.verify ? verifyRatio(r.verify) : undefined;
  out.push(target('Warm synth of the sample with / without layer cache verification', `≤ ${VERIFY_GOAL}`, verify?.toFixed(3),
    verify !== undefined && verify <= VERIFY_GOAL));

  const lock = r.lock ? lockFigures(r.lock) : {};
  out.push(target('Lock read time, 32k / 8k packages, largest over the four formats (wall; CPU)', `≤ ${LOCK_GROWTH_GOAL}`,
    lock.growthWall === undefined ? undefined : `${lock.growthWall.toFixed(2)}; ${lock.growthCpu?.toFixed(2)}`,
    lock.growthWall !== undefined && lock.growthWall <= LOCK_GROWTH_GOAL));
  out.push(target('Lock read time at 8k packages, slowest format (wall)', `< ${seconds(LOCK_8K_GOAL_MS)}`,
    lock.slowest8kMs === undefined ? undefined : seconds(lock.slowest8kMs), lock.slowest8kMs !== undefined && lock.slowest8kMs < LOCK_8K_GOAL_MS));
  out.push(target('A uv.lock of 20 MB or more is read', 'finishes', lock.bigMs === undefined ? undefined : seconds(lock.bigMs), lock.bigMs !== undefined));

  const warm = r.sample && r.sample.warm.length > 0 ? median(r.sample.warm.map(t => t.wallMs)) : undefined;
  out.push(target('Sample app warm `cdk synth`', '≤ 8 s', warm === undefined ? undefined : seconds(warm), warm !== undefined && warm <= 8000));
  return out;
}

function verdict(t: Target): string {
  return t.met === undefined ? '–' : t.met ? '**met**' : '**missed**';
}

function stepRow(name: string, steps: CacheStep[]): string[] {
  return [
    name,
    seconds(median(steps.map(s => s.layersMs))),
    seconds(median(steps.map(s => s.synthMs))),
    steps.map(s => s.pythonRuns).join(', '),
    steps.map(s => s.pipInstalls).join(', '),
    steps.map(s => s.newCacheEntries).join(', '),
    steps.map(s => s.builds.map(b => `${b.layer.replace(/^Bench\//, '')} ${b.seconds.toFixed(1)} s`).join(' + ') || '–').join('; '),
  ];
}

/** The results as Markdown (bench/results.md). */
export function renderResults(r: Results): string {
  const lines: string[] = [];
  lines.push('# Benchmark results: cdk-traced-lambda against plain aws-cdk-lib', '');
  lines.push('Written by `npm run bench`' + (r.quick ? ' -- --quick (**quick run: N = 100 and 500 only, 1 repetition of everything, no breakdown of the sample\'s synth; not for committing**)' : '')
    + '. How each number is measured, and profile findings: [README.md](README.md).', '');
  lines.push(...r.machine.map(m => `- ${m}`));
  lines.push(`- Load average (1, 5, 15 min) before the run: ${r.loadBefore}; after: ${r.loadAfter}`);
  lines.push(`- Repetitions: ${r.reps} per synth measurement, interleaved A B A B, medians reported; the run took ${seconds(r.totalMs)}`, '');
  lines.push('## Summary', '');
  lines.push(table(['Target', 'Goal', 'This run', 'Verdict'], targets(r).map(t => [t.name, t.goal, t.value, verdict(t)])), '');
  if (r.scaling) {
    lines.push(...scalingSection(r.scaling, r.layerColdSynthMs));
  }
  if (r.cache) {
    lines.push(...cacheSection(r.cache));
  }
  if (r.size) {
    lines.push(...sizeSection(r.size));
  }
  if (r.sample) {
    lines.push(...sampleSection(r.sample));
  }
  if (r.overhead) {
    lines.push(...renderOverhead(r.overhead));
  }
  if (r.nag) {
    lines.push(...renderNag(r.nag));
  }
  if (r.coldStart) {
    lines.push(...renderColdStart(r.coldStart));
  }
  if (r.verify) {
    lines.push(...renderCacheVerify(r.verify));
  }
  if (r.lock) {
    lines.push(...renderLockParse(r.lock));
  }
  return lines.join('\n');
}

function scalingSection(scaling: ScalingRow[], layerColdSynthMs: number): string[] {
  const lines: string[] = [];
  lines.push('## 1. Synth: N TracedFunctions + one PythonDependencyLayer vs N lambda.Functions (Tracing.ACTIVE) + one LayerVersion', '');
  lines.push('Construct + `app.synth()` in a fresh `node` process per measurement (module loading excluded); peak memory is the process\'s '
    + '`process.resourceUsage().maxRSS` (module loading included, the same modules in both). The layer is warm (already in its cache).', '');
  lines.push(table(
    ['N', 'TracedFunction', 'lambda.Function', 'Time ratio', 'Peak RSS traced', 'Peak RSS plain', 'Memory ratio', 'Resources traced / plain'],
    scaling.map(s => {
      const a = medians(s.traced);
      const b = medians(s.plain);
      return [String(s.n), seconds(a.synthMs), seconds(b.synthMs), ratio(a.synthMs, b.synthMs), mib(a.maxRssKb), mib(b.maxRssKb),
        ratio(a.maxRssKb, b.maxRssKb), `${a.resources} / ${b.resources}`];
    })), '');
  lines.push('Every repetition, in order (synth seconds, traced / plain):', '');
  lines.push(table(['N', 'Runs'], scaling.map(s => [String(s.n),
    s.traced.map((t, i) => `${(t.synthMs / 1000).toFixed(2)} / ${((s.plain[i]?.synthMs ?? NaN) / 1000).toFixed(2)}`).join(', ')])), '');
  lines.push(`The untimed cold build of the shared layer (the first traced process, N = 1) took ${seconds(layerColdSynthMs)}, synth included.`, '');
  return lines;
}

function cacheSection(cache: CacheRun[]): string[] {
  const lines: string[] = [];
  lines.push('## 2. Layer caching', '');
  lines.push('An app with two PythonDependencyLayers (`Deps`: function/requirements.txt, which pulls in botocore; `Deps1`: '
    + '`bench-pkg==1.0`, a self-made wheel), pip run through a wrapper script that counts its runs. Per repetition: '
    + 'empty cache, cold synth, warm synth, `bench-pkg==1.1`, synth, warm synth. Counts are listed per repetition. '
    + '"Layers" is the construction of the two layers (hashing the inputs, and pip on a miss); "synth" is construct + '
    + '`app.synth()` with aws-cdk-lib\'s built-in CloudFormation validation off (`CDK_VALIDATION=false`; its fixed cost is in 1 and 4).', '');
  lines.push(table(['Step', 'Layers (median)', 'Synth (median)', 'Python runs', 'pip installs', 'New cache entries', 'Builds reported by the library'], [
    stepRow('Cold (empty cache)', cache.map(c => c.cold)),
    stepRow('Warm (unchanged)', cache.map(c => c.warm)),
    stepRow('One requirement changed', cache.map(c => c.changed)),
    stepRow('Warm again', cache.map(c => c.warmAfterChange)),
  ]), '');
  lines.push('A build runs Python twice: `python -m pip --version` (the AUTO strategy\'s probe), then `pip install`.', '');
  return lines;
}

function sizeSection(s: LayerSizeResult): string[] {
  const lines: string[] = [];
  lines.push('## 3. Layer size (function/requirements.txt: aws-xray-sdk + jsonpickle)', '');
  lines.push(table(['Layer', 'Files', 'Unzipped bytes', 'Zipped bytes', 'Largest entries under python/'], [
    ['PythonDependencyLayer', bytes(s.ours.files), bytes(s.ours.unzippedBytes), bytes(s.ours.zippedBytes), largest(s.ours)],
    ['Naive `pip install -t`', bytes(s.naive.files), bytes(s.naive.unzippedBytes), bytes(s.naive.zippedBytes), largest(s.naive)],
    ['Ratio', ratio(s.ours.files, s.naive.files), ratio(s.ours.unzippedBytes, s.naive.unzippedBytes), ratio(s.ours.zippedBytes, s.naive.zippedBytes), ''],
  ]), '');
  lines.push(`Naive: \`${s.naiveCommand}\`. Both zipped with ${s.zipper}, as \`python/...\`.`, '');
  return lines;
}

function sampleSection(sm: SampleSynthResult): string[] {
  const lines: string[] = [];
  const m = (ts: { wallMs: number }[]) => median(ts.map(t => t.wallMs));
  const rss = (ts: { maxRssKb?: number }[]) => {
    const v = ts.map(t => t.maxRssKb).filter((x): x is number => x !== undefined);
    return v.length ? mib(median(v)) : '–';
  };
  const runs = (ts: { wallMs: number }[]) => ts.map(t => (t.wallMs / 1000).toFixed(2)).join(', ');
  lines.push('## 4. The sample app\'s `cdk synth`', '');
  const rows = [
    ['`cdk synth`, cold (empty layer cache, fresh cdk.out)', sm.cold],
    ['`cdk synth`, warm', sm.warm],
    ['App alone via `npx ts-node --transpile-only --prefer-ts-exts bin/app.ts`', sm.appTsNode],
    ['App alone, pre-transpiled, via `node`', sm.appNode],
    ['The same with `CDK_VALIDATION=false`', sm.appNodeNoValidation],
    ['`npx ts-node --transpile-only --prefer-ts-exts` of an empty file', sm.tsNodeEmpty],
    ['`node` of an empty file', sm.nodeEmpty],
  ] as const;
  lines.push(table(['What', 'Wall time (median)', 'Peak RSS (largest process)', 'Runs (s)'],
    rows.filter(([, ts]) => ts.length > 0).map(([what, ts]) => [what, seconds(m(ts)), rss(ts), runs(ts)])), '');
  if (sm.appTsNode.length > 0) {
    const warm = m(sm.warm);
    const part = (ms: number) => [seconds(ms), `${(100 * ms / warm).toFixed(0)} %`];
    lines.push('Where the warm synth\'s time goes (differences of the medians above):', '');
    lines.push(table(['Part', 'Time', 'Share', 'Measured as'], [
      ['CDK CLI: npx, its start-up, reading the cloud assembly', ...part(warm - m(sm.appTsNode)), 'warm synth − app via ts-node'],
      ['TypeScript runner: npx + ts-node', ...part(m(sm.appTsNode) - m(sm.appNode)), 'app via ts-node − app via node'],
      ['aws-cdk-lib\'s built-in CloudFormation validation', ...part(m(sm.appNode) - m(sm.appNodeNoValidation)), 'app via node − the same without validation'],
      ['The rest: node, loading aws-cdk-lib, cdk-nag and this library, the constructs, cdk-nag\'s checks, writing cdk.out',
        ...part(m(sm.appNodeNoValidation)), 'app via node without validation'],
    ]), '');
    lines.push(`Cross-check of the runner: ts-node's start-up on an empty file minus node's is ${seconds(m(sm.tsNodeEmpty) - m(sm.nodeEmpty))}; `
      + 'the rest of its share is transpiling bin/ and lib/ on the fly.', '');
  }
  lines.push(`Command: \`${sm.command}\` in the repository root, \`CDK_TRACED_LAMBDA_CACHE_DIR\` pointing at the repetition's own cache.`, '');
  return lines;
}

function largest(size: { largest: { name: string; bytes: number }[] }): string {
  return size.largest.map(l => `${l.name} ${(l.bytes / 1e6).toFixed(2)} MB`).join(', ');
}
