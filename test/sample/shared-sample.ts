import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeWheelhouse } from './sample-app';
import { SHARED_DIR_VARIABLE } from '../shared-dir';

/**
 * What the test files that merely need "the sample synthesized" share across jest workers (separate
 * processes), through one directory per `jest` run: the offline wheelhouse (built once) and a layer cache
 * (`CDK_TRACED_LAMBDA_CACHE_DIR`) in which the sample's layers are built by pip once and then reused,
 * verified, by every later synth (what the library's cache is for).
 *
 * test/global-setup.ts (jest `globalSetup`) creates the directory and names it in
 * `$CDK_TRACED_LAMBDA_TEST_SHARED_DIR`; test/global-teardown.ts removes it. Without it (a runner that
 * skips the global setup), each process uses a directory of its own, removed when it exits.
 *
 * Tests that check cold builds (pip runs, cache misses, rejected entries) must not use this: they make
 * their own cache with a fresh temporary directory.
 */
let processDir: string | undefined;
function sharedDir(): string {
  const dir = process.env[SHARED_DIR_VARIABLE];
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }
  if (!processDir) {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-traced-lambda-test-shared-'));
    process.on('exit', () => fs.rmSync(own, { recursive: true, force: true }));
    processDir = own;
  }
  return processDir;
}

const LOCK_WAIT_MS = 10 * 60 * 1000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Whether a process with this pid is running (a lock whose owner died is stale). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` while holding `<shared>/<name>.lock` (a directory: `mkdir` is atomic), so two workers never
 * do the same first build at once; the other one waits, then finds it done. A lock left by a process
 * that died is taken over.
 */
function withLock<T>(name: string, fn: () => T): T {
  const lock = path.join(sharedDir(), `${name}.lock`);
  const owner = path.join(lock, 'pid');
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(owner, String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const pid = Number(fs.existsSync(owner) ? fs.readFileSync(owner, 'utf8') : NaN);
    if (pid > 0 && !alive(pid)) {
      fs.rmSync(lock, { recursive: true, force: true }); // its owner died: take over
      continue;
    }
    if (Date.now() > deadline) throw new Error(`waited ${LOCK_WAIT_MS / 1000}s for ${lock} (pid ${pid})`);
    Atomics.wait(sleeper, 0, 0, 100);
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * The sample's offline wheelhouse (scripts/offline-wheelhouse.py), built once per run and shared. Read
 * it, never write to it (the layer's asset hash covers its contents). Callers must not delete it.
 */
export function sharedWheelhouse(): string {
  const dir = path.join(sharedDir(), 'wheelhouse');
  if (fs.existsSync(dir)) return dir; // only ever appears complete (renamed into place)
  return withLock('wheelhouse', () => {
    if (!fs.existsSync(dir)) {
      const built = makeWheelhouse();
      fs.renameSync(built, dir);
    }
    return dir;
  });
}

/**
 * Runs `synth` (a synthesis of sample stacks, `variant` naming which) with the shared layer cache as its
 * `cacheDir`: the first synth of each variant in the run holds a lock, so a layer is built by pip once
 * and never by two workers at the same time; after that, synths only read verified cache entries.
 * Returns what `synth` returned. Callers must not delete the cache directory.
 */
export function withSharedLayerCache<T>(variant: string, synth: (cacheDir: string) => T): T {
  const cacheDir = path.join(sharedDir(), 'layer-cache');
  const done = path.join(sharedDir(), `layer-cache.${variant}.done`);
  if (fs.existsSync(done)) return synth(cacheDir);
  // One lock for every variant: variants share layers (both build the X-Ray stack's).
  return withLock('layer-cache', () => {
    const result = synth(cacheDir);
    fs.writeFileSync(done, '');
    return result;
  });
}
