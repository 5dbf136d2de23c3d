// npm run bench [-- --quick] [-- --only=<scenario>,...]   (quick: a smoke test of every scenario, one repetition each; see bench/README.md)
// Benchmarks cdk-traced-lambda against plain aws-cdk-lib, offline; see bench/README.md.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildJs } from './build';
import { runCacheVerify } from './cache-verify';
import { runColdStart } from './cold-start';
import { Fixtures, makeFixtures } from './fixtures';
import { runLayerCache } from './layer-cache';
import { measureLayerSize } from './layer-size';
import { runLockParse } from './lock-parse';
import { NAG_APPS, runNag } from './nag';
import { runOverhead } from './overhead';
import { renderResults, Results, targets } from './report';
import { renderSampleOptions, runSampleOptions } from './sample-options';
import { runSampleSynth } from './sample-synth';
import { buildSharedLayer, runScaling } from './synth-scaling';
import { log, OUT, ROOT, run } from './util';

interface Plan {
  readonly quick: boolean;
  readonly ns: number[];
  readonly reps: number;
  readonly cacheReps: number;
  readonly sampleReps: number;
  /** Repetitions of the sample's parts (app via ts-node / node, runner start-up). */
  readonly partReps: number;
  /** Overhead (one process, rotated order): measured and warm-up repetitions per N. */
  readonly overheadReps: number;
  readonly overheadWarmup: number;
  /** Repetitions of the nag packs' validateScope. */
  readonly nagReps: number;
  /** Fresh-interpreter runs per cold-start configuration. */
  readonly coldStartRuns: number;
  /** Warm synths of the sample with and without cache verification, each. */
  readonly verifyReps: number;
  /** Reads of each generated lock file. */
  readonly lockReps: number;
  readonly only?: Set<string>;
}

const SCENARIOS = ['scaling', 'cache', 'size', 'sample', 'overhead', 'nag', 'coldstart', 'verify', 'lock'];
/** Scenarios that need no wheelhouse (fixtures.ts). */
const NO_FIXTURES = ['nag', 'lock'];
/** Scenarios that only run when `--only` names them. */
const OPT_IN = ['options'];

function plan(argv: string[]): Plan {
  const quick = argv.includes('--quick');
  const onlyArg = argv.find(a => a.startsWith('--only='));
  const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : undefined;
  for (const name of only ?? []) {
    if (![...SCENARIOS, ...OPT_IN].includes(name)) {
      throw new Error(`bench: unknown scenario '${name}' in ${onlyArg}; choose from ${[...SCENARIOS, ...OPT_IN].join(', ')}`);
    }
  }
  const unknown = argv.filter(a => a !== '--quick' && !a.startsWith('--only='));
  if (unknown.length > 0) {
    throw new Error(`bench: unknown argument(s) ${unknown.join(' ')}. Usage: npm run bench [-- --quick] [-- --only=${[...SCENARIOS, ...OPT_IN].join(',')}]`);
  }
  return quick
    ? {
      quick,
      ns: [100, 500],
      reps: 1,
      cacheReps: 1,
      sampleReps: 1,
      partReps: 0,
      only,
      overheadReps: 1,
      overheadWarmup: 1,
      nagReps: 1,
      coldStartRuns: 1,
      verifyReps: 1,
      lockReps: 1,
    }
    : {
      quick,
      ns: [1, 10, 100, 500],
      reps: 5,
      cacheReps: 5,
      sampleReps: 5,
      partReps: 5,
      only,
      overheadReps: 8,
      overheadWarmup: 1,
      nagReps: 5,
      coldStartRuns: 15,
      verifyReps: 7,
      lockReps: 5,
    };
}

function version(pkg: string): string {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

function machine(): string[] {
  const cpus = os.cpus();
  return [
    `Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `CPU: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}); memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ${os.type()} ${os.release()}`,
    `Node ${process.version}; ${run('python3', ['--version']).stdout.trim()} with pip `
      + `${run('python3', ['-m', 'pip', '--version']).stdout.split(' ')[1]}; aws-cdk-lib ${version('aws-cdk-lib')}; `
      + `aws-cdk CLI ${version('aws-cdk')}; constructs ${version('constructs')}`,
  ];
}

function load(): string {
  return os.loadavg().map(l => l.toFixed(2)).join(', ');
}

function main(): void {
  const p = plan(process.argv.slice(2));
  const want = (name: string) => (p.only ? p.only.has(name) : !OPT_IN.includes(name));
  const started = Date.now();
  const loadBefore = load();
  log(`${p.quick ? 'quick' : p.only ? 'partial' : 'full'} run; load average ${loadBefore}; scratch space ${OUT}`);
  fs.mkdirSync(OUT, { recursive: true });

  buildJs();
  // `--only=lock` (or nag) builds no wheelhouse: only the scenarios that use them make the fixtures.
  const needsFixtures = [...SCENARIOS, ...OPT_IN].some(s => want(s) && !NO_FIXTURES.includes(s));
  const fixtures = needsFixtures ? makeFixtures() : undefined;
  const f = (): Fixtures => fixtures!;
  log(needsFixtures ? 'built JS and the offline wheelhouse' : 'built JS');

  const layer = want('scaling') || want('size') || want('overhead') ? buildSharedLayer(f()) : undefined;
  if (layer) {
    log(`built the shared layer (cold) in ${(layer.coldSynthMs / 1000).toFixed(1)} s`);
  }
  const scaling = layer && want('scaling') ? runScaling(f(), layer, p.ns, p.reps) : undefined;
  const cache = want('cache') ? runLayerCache(f(), p.cacheReps) : undefined;
  const size = layer && want('size') ? measureLayerSize(f(), layer.layerDir) : undefined;
  const overhead = layer && want('overhead') ? runOverhead(f(), layer, [100, 500], p.overheadReps, p.overheadWarmup) : undefined;
  // Quick: one stack of 40 and of 160 (the targets); the 500-function app only in a full run.
  const nag = want('nag') ? runNag(p.quick ? NAG_APPS.filter(a => a.n <= 160) : NAG_APPS, p.nagReps) : undefined;
  const coldStart = want('coldstart') ? runColdStart(f(), p.coldStartRuns) : undefined;
  const sample = want('sample') ? runSampleSynth(f(), p.sampleReps, p.partReps) : undefined;
  const verify = want('verify') ? runCacheVerify(f(), p.verifyReps) : undefined;
  const options = want('options') ? runSampleOptions(f(), p.sampleReps) : undefined;
  const lock = want('lock') ? runLockParse(p.lockReps) : undefined;

  const results: Results = {
    quick: p.quick,
    reps: p.reps,
    machine: machine(),
    loadBefore,
    loadAfter: load(),
    totalMs: Date.now() - started,
    layerColdSynthMs: layer?.coldSynthMs ?? NaN,
    scaling,
    cache,
    size,
    sample,
    overhead,
    nag,
    coldStart,
    verify,
    lock,
  };
  const markdown = [renderResults(results), ...(options ? renderSampleOptions(options) : [])].join('\n');
  const file = p.quick || p.only ? path.join(OUT, p.quick ? 'results-quick.md' : 'results-partial.md') : path.join(ROOT, 'bench', 'results.md');
  fs.writeFileSync(file, markdown);
  process.stdout.write(`${markdown}\n`);
  log(`wrote ${path.relative(ROOT, file)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const missed = targets(results).filter(t => t.met === false);
  if (missed.length > 0) {
    log(`targets missed: ${missed.map(t => t.name).join('; ')}`);
  }
}

main();
