import * as fs from 'fs';
import * as path from 'path';
import { BUILD } from './build';
import { ChildInput, ChildResult } from './child';
import { Fixtures } from './fixtures';
import { freshDir, log, median, OUT, runChild } from './util';

/** Scenario 1's measurements at one N: each variant's children, in the order they ran. */
export interface ScalingRow {
  readonly n: number;
  readonly traced: ChildResult[];
  readonly plain: ChildResult[];
}

/** The warm layer both variants share: the cache directory and the built entry in it. */
export interface BuiltLayer {
  readonly cacheDir: string;
  /** The cache entry (holds `python/`): the plain variant's `Code.fromAsset` directory. */
  readonly layerDir: string;
  /** How long the untimed cold build took (the first child's construct + synth), milliseconds. */
  readonly coldSynthMs: number;
}

export const CHILD = path.join(BUILD, 'bench', 'child.js');

/** Builds the shared layer once (untimed for the comparison): afterwards every traced child finds it in its cache. */
export function buildSharedLayer(fixtures: Fixtures): BuiltLayer {
  const cacheDir = freshDir('scaling-cache');
  const result = runChild<ChildResult>(CHILD, input(fixtures, 'traced', 1, cacheDir, ''));
  const layerDir = path.join(cacheDir, result.layerHashes[0]);
  if (!fs.existsSync(path.join(layerDir, 'python'))) {
    throw new Error(`bench: the layer was not built into ${layerDir}`);
  }
  return { cacheDir, layerDir, coldSynthMs: result.synthMs };
}

/**
 * Synth of N TracedFunctions + one PythonDependencyLayer (A) against N lambda.Functions with
 * Tracing.ACTIVE + one LayerVersion of the same directory (B), interleaved A B A B, one fresh
 * process per measurement. Repetitions are the outer loop, so a burst of load elsewhere on the
 * machine spreads over all N instead of hitting one.
 */
export function runScaling(fixtures: Fixtures, layer: BuiltLayer, ns: number[], reps: number): ScalingRow[] {
  const rows = ns.map(n => ({ n, traced: [] as ChildResult[], plain: [] as ChildResult[] }));
  for (let rep = 0; rep < reps; rep++) {
    for (const row of rows) {
      for (const mode of ['traced', 'plain'] as const) {
        const outdir = freshDir('scaling-cdk.out');
        const result = runChild<ChildResult>(CHILD, input(fixtures, mode, row.n, layer.cacheDir, layer.layerDir, outdir));
        if (mode === 'traced' && result.layerHashes.some(h => !fs.existsSync(path.join(layer.cacheDir, h)))) {
          throw new Error('bench: the traced child did not find its layer in the cache');
        }
        row[mode].push(result);
        log(`synth N=${row.n} ${mode} rep ${rep + 1}/${reps}: ${(result.synthMs / 1000).toFixed(2)} s, `
          + `${(result.maxRssKb / 1024).toFixed(0)} MiB`);
      }
    }
  }
  fs.rmSync(path.join(OUT, 'scaling-cdk.out'), { recursive: true, force: true });
  return rows;
}

/** Medians of one variant's runs. */
export function medians(results: ChildResult[]): { synthMs: number; maxRssKb: number; resources: number } {
  return {
    synthMs: median(results.map(r => r.synthMs)),
    maxRssKb: median(results.map(r => r.maxRssKb)),
    resources: results[0]?.resources ?? 0,
  };
}

function input(fixtures: Fixtures, mode: 'traced' | 'plain', n: number, cacheDir: string, layerDir: string,
  outdir = freshDir('scaling-cdk.out')): ChildInput {
  return {
    mode,
    n,
    outdir,
    requirementsFiles: [fixtures.sampleRequirements],
    wheelhouse: fixtures.wheelhouse,
    cacheDir,
    layerDir,
  };
}
