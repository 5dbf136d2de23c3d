import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { BUILD } from './build';
import { Fixtures } from './fixtures';
import { cliEnvironment } from './sample-synth';
import { LIBRARY_VERIFIES_CACHE, prepareVerification, VERIFICATION_OFF_ENV, verifyCacheEntry } from './subject';
import { freshDir, log, median, OUT, run, spread, table, Timed } from './util';

/** Issue 14.4: a warm synth with verification at most this many times one without. */
export const VERIFY_GOAL = 1.05;

export interface CacheVerifyResults {
  /** Warm runs of the sample app (pre-transpiled, validation off), in order, alternating. */
  readonly withVerification: Timed[];
  readonly withoutVerification: Timed[];
  /** The sample's cache entries: files and bytes verified per synth. */
  readonly sampleEntries: { files: number; bytes: number };
  /** The synthetic 100 MB layer: its size and each verification's time. */
  readonly big: { files: number; bytes: number; ms: number[] };
  readonly verifier: string;
}

/**
 * Writes a synthetic layer of about `mb` MB under `dir`: many small module files and a few large
 * shared objects, like a data-science layer (random bytes: hashing speed does not depend on content).
 */
function makeBigLayer(dir: string, mb: number): void {
  const small = 20 * 1024;
  const large = 5 * 1024 * 1024;
  const largeCount = Math.floor((mb * 0.6 * 1024 * 1024) / large);
  const smallCount = Math.floor((mb * 0.4 * 1024 * 1024) / small);
  for (let i = 0; i < smallCount; i++) {
    const sub = path.join(dir, 'python', `pkg${i % 40}`, `sub${i % 7}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `module${i}.py`), crypto.randomBytes(small));
  }
  for (let i = 0; i < largeCount; i++) {
    const lib = path.join(dir, 'python', 'bigpkg', 'libs');
    fs.mkdirSync(lib, { recursive: true });
    fs.writeFileSync(path.join(lib, `lib${i}.so`), crypto.randomBytes(large));
  }
}

/**
 * Scenario 8: the sample app's warm synth with the layer cache verified against without (run with
 * bare node on the pre-transpiled app, aws-cdk-lib's validation off so that its seconds do not hide the
 * difference), interleaved; then the verification time of a 100 MB layer, in this process.
 */
export function runCacheVerify(fixtures: Fixtures, reps: number): CacheVerifyResults {
  const base = freshDir('cache-verify');
  // Reuse the sample scenario's warm cache when it ran; otherwise the first run below builds it.
  const sampleCache = fs.existsSync(path.join(OUT, 'sample', 'cache-0')) ? path.join(OUT, 'sample', 'cache-0') : path.join(base, 'cache');
  const cliEnv = cliEnvironment(fixtures);
  const script = path.join(BUILD, 'bench', 'verify-app.js');
  const appRun = (verify: boolean, entries: { dir: string; manifestFile: string }[]) => {
    const outdir = freshDir('cache-verify-cdk.out');
    const env = {
      ...process.env,
      ...cliEnv,
      CDK_OUTDIR: outdir,
      CDK_VALIDATION: 'false',
      CDK_TRACED_LAMBDA_CACHE_DIR: sampleCache,
      ...(!verify && LIBRARY_VERIFIES_CACHE ? VERIFICATION_OFF_ENV : {}),
    };
    const timed = run(process.execPath, [script, JSON.stringify({ verify, entries })], { env });
    if (/built layer/.test(timed.stderr) && entries.length > 0) {
      throw new Error('bench: the sample app rebuilt its layer although the cache was warm');
    }
    return timed;
  };
  appRun(false, []); // warm the cache (and the page cache)
  const entries = fs.readdirSync(sampleCache).filter(e => !e.startsWith('.')).map((e, i) => {
    const manifestFile = path.join(base, `manifest-${i}.json`);
    prepareVerification(path.join(sampleCache, e), manifestFile);
    return { dir: path.join(sampleCache, e), manifestFile };
  });
  const sampleEntries = entries.map(e => verifyCacheEntry(e.dir, e.manifestFile))
    .reduce((a, b) => ({ files: a.files + b.files, bytes: a.bytes + b.bytes }), { files: 0, bytes: 0 });

  const withVerification: Timed[] = [];
  const withoutVerification: Timed[] = [];
  for (let rep = 0; rep < reps; rep++) {
    // Alternate which variant goes first.
    for (const verify of rep % 2 === 0 ? [true, false] : [false, true]) {
      (verify ? withVerification : withoutVerification).push(appRun(verify, entries));
    }
    log(`cache verification rep ${rep + 1}/${reps}: with ${(withVerification[rep].wallMs / 1000).toFixed(2)} s, `
      + `without ${(withoutVerification[rep].wallMs / 1000).toFixed(2)} s`);
  }

  const bigDir = path.join(base, 'big-layer');
  makeBigLayer(bigDir, 100);
  const bigManifest = path.join(base, 'manifest-big.json');
  prepareVerification(bigDir, bigManifest);
  const ms: number[] = [];
  let stats = { files: 0, bytes: 0 };
  for (let i = 0; i < Math.max(3, reps); i++) {
    const started = performance.now();
    stats = verifyCacheEntry(bigDir, bigManifest);
    ms.push(performance.now() - started);
  }
  log(`cache verification of a ${(stats.bytes / 1e6).toFixed(0)} MB layer: ${median(ms).toFixed(0)} ms`);
  fs.rmSync(bigDir, { recursive: true, force: true });
  return {
    withVerification,
    withoutVerification,
    sampleEntries,
    big: { ...stats, ms },
    verifier: LIBRARY_VERIFIES_CACHE ? 'the library\'s own cache verification' : 'the stand-in in bench/cache-verify-fallback.ts (sha256 of every file against a manifest)',
  };
}

export function verifyRatio(r: CacheVerifyResults): number {
  return median(r.withVerification.map(t => t.wallMs)) / median(r.withoutVerification.map(t => t.wallMs));
}

export function renderCacheVerify(r: CacheVerifyResults): string[] {
  const w = r.withVerification.map(t => t.wallMs / 1000);
  const wo = r.withoutVerification.map(t => t.wallMs / 1000);
  const lines: string[] = [];
  lines.push('## 8. Layer cache verification', '');
  lines.push(`Verifier: ${r.verifier}. The sample app (\`bin/app.ts\`, pre-transpiled, run with \`node\` in the environment \`cdk synth\` gives it, `
    + 'aws-cdk-lib\'s built-in validation off) with a warm layer cache, with and without verifying the cache entries it uses '
    + `(${r.sampleEntries.files} files, ${(r.sampleEntries.bytes / 1e6).toFixed(2)} MB), alternating which goes first; wall time of the process.`, '');
  lines.push(table(['Variant', 'Median', 'Spread', 'Runs (s)'], [
    ['Warm synth with verification', `${median(w).toFixed(2)} s`, spread(w), w.map(x => x.toFixed(2)).join(', ')],
    ['Warm synth without verification', `${median(wo).toFixed(2)} s`, spread(wo), wo.map(x => x.toFixed(2)).join(', ')],
    ['Ratio', verifyRatio(r).toFixed(3), '', ''],
  ]), '');
  lines.push(`A synthetic layer of ${(r.big.bytes / 1e6).toFixed(0)} MB (${r.big.files} files: 20 KiB modules and 5 MiB shared objects), verified `
    + `${r.big.ms.length} times in one process with the file contents in the page cache: median ${median(r.big.ms).toFixed(0)} ms `
    + `(${spread(r.big.ms, 0)}; ${(r.big.bytes / 1e6 / (median(r.big.ms) / 1000)).toFixed(0)} MB/s). Runs (ms): ${r.big.ms.map(x => x.toFixed(0)).join(', ')}. `
    + 'From a cold page cache add the disk\'s read time.', '');
  return lines;
}
