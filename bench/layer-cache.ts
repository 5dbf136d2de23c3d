import * as fs from 'fs';
import * as path from 'path';
import { ChildInput, ChildResult } from './child';
import { Fixtures, pythonRuns } from './fixtures';
import { CHILD } from './synth-scaling';
import { freshDir, log, runChild } from './util';

/** One step of the caching sequence. */
export interface CacheStep {
  /** Construction of the two layers (input hashing, and any pip build), milliseconds. */
  readonly layersMs: number;
  /** Construct + synth of the app with both layers (built-in CloudFormation validation off), milliseconds. */
  readonly synthMs: number;
  /** Runs of the counting Python wrapper during the step (pip probe + pip install). */
  readonly pythonRuns: number;
  /** `pip install` runs among them. */
  readonly pipInstalls: number;
  /** Cache entries the step added. */
  readonly newCacheEntries: number;
  /** The build times the library reported (`built layer ... in Ns`), seconds, by layer. */
  readonly builds: { layer: string; seconds: number }[];
}

/** One repetition: cold, warm, one requirement changed, warm again. */
export interface CacheRun {
  readonly cold: CacheStep;
  readonly warm: CacheStep;
  readonly changed: CacheStep;
  readonly warmAfterChange: CacheStep;
}

/**
 * Scenario 2: an app with two PythonDependencyLayers, `Sample` (function/requirements.txt:
 * aws-xray-sdk + jsonpickle, which pull in botocore) and `Pinned` (`bench-pkg==1.0`, a self-made
 * wheel), built with local pip from the offline wheelhouse through a Python wrapper that counts its runs.
 * Each repetition starts from an empty cache: cold synth, warm synth (target: 0 pip runs), then
 * `bench-pkg==1.1` (target: exactly one rebuild, of `Pinned` only), then warm again.
 * aws-cdk-lib's built-in CloudFormation validation is switched off here (`CDK_VALIDATION=false`): its
 * fixed seconds per synth are measured in scenarios 1 and 4, and would only hide the layers' share here.
 */
export function runLayerCache(fixtures: Fixtures, reps: number): CacheRun[] {
  const runs: CacheRun[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const dir = freshDir('layer-cache');
    const cacheDir = path.join(dir, 'cache');
    const pinned = path.join(dir, 'pinned-requirements.txt');
    fs.writeFileSync(pinned, 'bench-pkg==1.0\n');
    fs.rmSync(fixtures.pythonCounter, { force: true });

    const step = (name: string): CacheStep => {
      const before = pythonRuns(fixtures);
      const entriesBefore = countEntries(cacheDir);
      const input: ChildInput = {
        mode: 'layers',
        n: 0,
        outdir: freshDir('layer-cache-cdk.out'),
        requirementsFiles: [fixtures.sampleRequirements, pinned],
        wheelhouse: fixtures.wheelhouse,
        cacheDir,
        pythonExecutable: fixtures.countingPython,
      };
      const result = runChild<ChildResult>(CHILD, input, { ...process.env, CDK_VALIDATION: 'false' });
      const after = pythonRuns(fixtures);
      const out: CacheStep = {
        layersMs: result.layersMs,
        synthMs: result.synthMs,
        pythonRuns: after.all - before.all,
        pipInstalls: after.installs - before.installs,
        newCacheEntries: countEntries(cacheDir) - entriesBefore,
        builds: [...result.stderr.matchAll(/built layer (\S+) .* in ([\d.]+)s/g)].map(m => ({ layer: m[1], seconds: Number(m[2]) })),
      };
      log(`layer cache rep ${rep + 1}/${reps} ${name}: layers ${(out.layersMs / 1000).toFixed(2)} s, synth ${(out.synthMs / 1000).toFixed(2)} s, `
        + `${out.pythonRuns} python runs (${out.pipInstalls} pip install)`);
      return out;
    };

    const cold = step('cold');
    const warm = step('warm');
    fs.writeFileSync(pinned, 'bench-pkg==1.1\n');
    const changed = step('changed');
    const warmAfterChange = step('warm again');
    runs.push({ cold, warm, changed, warmAfterChange });
  }
  return runs;
}

/** Built entries in a layer cache (hidden `.building-*` directories are not entries). */
function countEntries(cacheDir: string): number {
  return fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).filter(e => !e.startsWith('.')).length : 0;
}
