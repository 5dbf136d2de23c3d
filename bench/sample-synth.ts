import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BUILD } from './build';
import { Fixtures } from './fixtures';
import { freshDir, log, OUT, ROOT, run, Timed } from './util';

/** Scenario 4's measurements, each list in the order it ran. */
export interface SampleSynthResult {
  /** `cdk synth` with an empty layer cache and a fresh cdk.out. */
  readonly cold: Timed[];
  /** `cdk synth` again, right after, with that cache and cdk.out. */
  readonly warm: Timed[];
  /** The app alone as cdk.json runs it (`npx ts-node ... bin/app.ts`), warm cache, with the CLI's environment. */
  readonly appTsNode: Timed[];
  /** The same app transpiled to JS beforehand (bench/out/build), run with bare `node`. */
  readonly appNode: Timed[];
  /** The same, with aws-cdk-lib's built-in CloudFormation validation off (`CDK_VALIDATION=false`). */
  readonly appNodeNoValidation: Timed[];
  /** `npx ts-node --transpile-only --prefer-ts-exts` of an empty .ts file. */
  readonly tsNodeEmpty: Timed[];
  /** `node` of an empty .js file. */
  readonly nodeEmpty: Timed[];
  /** The measured synth command (paths shortened). */
  readonly command: string;
}

/** The CLI arguments every run of the sample shares. */
export function contextArgs(fixtures: Fixtures): string[] {
  return ['-c', `cdk-traced-lambda:pipFindLinks=${fixtures.wheelhouse}`, '-c', 'cdk-traced-lambda:pipNoIndex=true'];
}

/**
 * The environment the CLI gives the app (CDK_CONTEXT_JSON with cdk.json's context and our -c values,
 * CDK_OUTDIR, ...), captured by running `cdk synth` once with an app that only saves it.
 */
export function cliEnvironment(fixtures: Fixtures): NodeJS.ProcessEnv {
  const dir = freshDir('sample-env');
  const script = path.join(dir, 'dump-env.js');
  const dump = path.join(dir, 'env.json');
  fs.writeFileSync(script, `require('fs').writeFileSync(${JSON.stringify(dump)}, JSON.stringify(Object.fromEntries(`
    + "Object.entries(process.env).filter(([k]) => k.startsWith('CDK_')))));\nprocess.exit(1);\n");
  spawnSync('npx', ['cdk', 'synth', '-q', '-o', path.join(dir, 'cdk.out'), ...contextArgs(fixtures), '--app', `node ${script}`],
    { cwd: ROOT, stdio: 'ignore' });
  if (!fs.existsSync(dump)) {
    throw new Error('bench: could not capture the environment cdk synth gives the app');
  }
  return JSON.parse(fs.readFileSync(dump, 'utf8'));
}

/**
 * Scenario 4: the sample app's `cdk synth` wall time, cold then warm, and how much of it is the
 * TypeScript runner: the app run alone through ts-node (as cdk.json runs it) against the same app
 * pre-transpiled and run with bare node, and ts-node's own start-up on an empty file against node's.
 * Each repetition uses its own layer cache and cdk.out, so the repository's are never touched.
 */
export function runSampleSynth(fixtures: Fixtures, reps: number, componentReps: number): SampleSynthResult {
  const result: SampleSynthResult = {
    cold: [],
    warm: [],
    appTsNode: [],
    appNode: [],
    appNodeNoValidation: [],
    tsNodeEmpty: [],
    nodeEmpty: [],
    command: `npx cdk synth -q -o <fresh dir> ${contextArgs(fixtures).join(' ').replace(fixtures.wheelhouse, '<wheelhouse>')}`,
  };
  const base = freshDir('sample');
  const cacheOf = (rep: number) => path.join(base, `cache-${rep}`);
  for (let rep = 0; rep < reps; rep++) {
    const env = { ...process.env, CDK_TRACED_LAMBDA_CACHE_DIR: cacheOf(rep) };
    const outdir = path.join(base, `cdk.out-${rep}`);
    const synth = () => run('npx', ['cdk', 'synth', '-q', '-o', outdir, ...contextArgs(fixtures)], { env });
    result.cold.push(synth());
    if (!fs.existsSync(cacheOf(rep))) {
      throw new Error(`bench: the cold synth built no layer into ${cacheOf(rep)}`);
    }
    result.warm.push(expectWarm(synth(), 'the warm cdk synth'));
    log(`sample synth rep ${rep + 1}/${reps}: cold ${(result.cold[rep].wallMs / 1000).toFixed(2)} s, `
      + `warm ${(result.warm[rep].wallMs / 1000).toFixed(2)} s`);
  }

  if (componentReps === 0) {
    return result;
  }
  const cliEnv = cliEnvironment(fixtures);
  const emptyTs = path.join(OUT, 'sample-env', 'empty.ts');
  fs.writeFileSync(emptyTs, 'export {};\n');
  for (let rep = 0; rep < componentReps; rep++) {
    const appEnv = (name: string, extra: NodeJS.ProcessEnv = {}) => {
      const outdir = freshDir(`sample-app-${name}`);
      return {
        ...process.env,
        ...cliEnv,
        CDK_OUTDIR: outdir,
        CDK_ERROR_FILE: path.join(outdir, 'error.txt'),
        CDK_PERF_COUNTERS_FILE: path.join(outdir, 'performance-counters.json'),
        CDK_TRACED_LAMBDA_CACHE_DIR: cacheOf(0),
        ...extra,
      };
    };
    const app = path.join(BUILD, 'bin', 'app.js');
    result.appTsNode.push(expectWarm(run('npx', ['ts-node', '--transpile-only', '--prefer-ts-exts', 'bin/app.ts'], { env: appEnv('ts-node') }), 'ts-node app'));
    result.appNode.push(expectWarm(run(process.execPath, [app], { env: appEnv('node') }), 'node app'));
    result.appNodeNoValidation.push(expectWarm(run(process.execPath, [app], { env: appEnv('node-no-validation', { CDK_VALIDATION: 'false' }) }), 'node app'));
    result.tsNodeEmpty.push(run('npx', ['ts-node', '--transpile-only', '--prefer-ts-exts', emptyTs]));
    result.nodeEmpty.push(run(process.execPath, [path.join(BUILD, 'empty.js')]));
    log(`sample parts rep ${rep + 1}/${componentReps}: app via ts-node ${(result.appTsNode[rep].wallMs / 1000).toFixed(2)} s, `
      + `via node ${(result.appNode[rep].wallMs / 1000).toFixed(2)} s`);
  }
  return result;
}

/** Throws if a run that should have found the layer in its cache built it. */
function expectWarm(timed: Timed, what: string): Timed {
  if (/built layer/.test(timed.stderr)) {
    throw new Error(`bench: ${what} rebuilt the layer although its cache was warm:\n${timed.stderr.slice(-1000)}`);
  }
  return timed;
}
