import * as path from 'path';
import { BUILD } from './build';
import { Fixtures } from './fixtures';
import { freshDir, log, median, run, seconds, table, Timed } from './util';

/** One way of running the sample's warm `cdk synth`. */
interface Variant {
  readonly name: string;
  readonly args: string[];
}

/** The warm synth under each variant, in the order the runs happened. */
export interface SampleOptionsResult {
  readonly variants: { name: string; runs: Timed[] }[];
}

/**
 * Opt-in scenario (`--only=options`, not in the default run): the sample's warm `cdk synth` as it is,
 * and with each lever on its warm time that is outside this library: no npx in front of ts-node, the
 * app pre-transpiled to JS (what a `tsc` step before synth gives), and aws-cdk-lib's built-in
 * CloudFormation validation off (`--no-validation`). The variants are interleaved; one untimed cold
 * synth fills the layer cache first.
 */
export function runSampleOptions(fixtures: Fixtures, reps: number): SampleOptionsResult {
  const context = ['-c', `cdk-traced-lambda:pipFindLinks=${fixtures.wheelhouse}`, '-c', 'cdk-traced-lambda:pipNoIndex=true'];
  const tsNode = 'node_modules/.bin/ts-node --transpile-only --prefer-ts-exts bin/app.ts';
  const js = `node ${path.join(BUILD, 'bin', 'app.js')}`;
  const variants: Variant[] = [
    { name: 'As configured (cdk.json: `npx ts-node ...`)', args: [] },
    { name: '`--app "node_modules/.bin/ts-node ..."` (no npx)', args: ['--app', tsNode] },
    { name: '`--app "node <pre-transpiled>/bin/app.js"`', args: ['--app', js] },
    { name: '`--no-validation`', args: ['--no-validation'] },
    { name: '`--no-validation --app "node <pre-transpiled>/bin/app.js"`', args: ['--no-validation', '--app', js] },
  ];
  const dir = freshDir('sample-options');
  const env = { ...process.env, CDK_TRACED_LAMBDA_CACHE_DIR: path.join(dir, 'cache') };
  const outdir = path.join(dir, 'cdk.out');
  run('npx', ['cdk', 'synth', '-q', '-o', outdir, ...context], { env });
  const result: SampleOptionsResult = { variants: variants.map(v => ({ name: v.name, runs: [] })) };
  for (let rep = 0; rep < reps; rep++) {
    variants.forEach((v, i) => {
      const timed = run('npx', ['cdk', 'synth', '-q', '-o', outdir, ...context, ...v.args], { env });
      if (/built layer/.test(timed.stderr)) {
        throw new Error(`bench: a warm synth (${v.name}) rebuilt the layer`);
      }
      result.variants[i].runs.push(timed);
    });
    log(`sample options rep ${rep + 1}/${reps}: ${result.variants.map(v => (v.runs[rep].wallMs / 1000).toFixed(2)).join(' / ')} s`);
  }
  return result;
}

/** The scenario's Markdown section. */
export function renderSampleOptions(r: SampleOptionsResult): string[] {
  const base = median(r.variants[0].runs.map(t => t.wallMs));
  return [
    '## 5. The sample\'s warm `cdk synth`, with the levers outside this library (opt-in: `--only=options`)', '',
    table(['Variant', 'Warm synth (median)', 'Saved', 'Runs (s)'], r.variants.map(v => {
      const ms = median(v.runs.map(t => t.wallMs));
      return [v.name, seconds(ms), seconds(base - ms), v.runs.map(t => (t.wallMs / 1000).toFixed(2)).join(', ')];
    })), '',
  ];
}
