// Scenario 9 (lock): reading generated lock files of 1k, 8k and 32k packages (lock-gen.ts) in one
// `node --expose-gc` process: `global.gc()` before each read, the order of the cases rotated by one on every
// repetition, one unmeasured read of each format first. Then the unchanged-lock case: `readLockFileCached`
// with its disk memo warm and this process's memo cleared, as a later synth finds it. Run by lock-parse.ts.
import { reportResult } from './util';
import { clearLockReadMemo, lastLockReadSource, readLockFile, readLockFileCached } from '../lib/layer/lock';

export interface LockParseInput {
  /** Every lock to read: format, package count and path. */
  readonly locks: { format: string; n: number; file: string; bytes: number }[];
  /** A small lock of each format, read once unmeasured first. */
  readonly warmups: string[];
  readonly reps: number;
  /** The lock read through the disk memo, and the memo's directory. */
  readonly memo?: { file: string; n: number; format: string; dir: string };
}

export interface LockParseRun {
  readonly format: string;
  readonly n: number;
  readonly bytes: number;
  readonly rep: number;
  /** `parsed`: readLockFile; `memo`: readLockFileCached of an unchanged lock, disk memo warm. */
  readonly kind: 'parsed' | 'memo';
  readonly wallMs: number;
  /** User + system CPU time of this process during the read. */
  readonly cpuMs: number;
  readonly packages: number;
}

const TARGET = { pythonVersion: '3.13', architecture: 'x86_64' };

function rotated<T>(list: T[], rep: number): T[] {
  const k = rep % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

function measure(read: () => { packages: unknown[] }): { wallMs: number; cpuMs: number; packages: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = read();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, packages: result.packages.length };
}

function main(input: LockParseInput): { runs: LockParseRun[] } {
  const gc = (global as unknown as { gc?: () => void }).gc;
  if (!gc) {
    throw new Error('bench: lock-parse-child.js needs `node --expose-gc`');
  }
  input.warmups.forEach(file => readLockFile(file, TARGET));
  const runs: LockParseRun[] = [];
  if (input.memo) {
    // The first synth: parses and writes the memo entry (not measured).
    readLockFileCached(input.memo.file, TARGET, {}, { dir: input.memo.dir });
  }
  for (let rep = 0; rep < input.reps; rep++) {
    for (const lock of rotated(input.locks, rep)) {
      gc();
      runs.push({ ...measure(() => readLockFile(lock.file, TARGET)), format: lock.format, n: lock.n, bytes: lock.bytes, rep, kind: 'parsed' });
    }
    if (input.memo) {
      clearLockReadMemo();
      gc();
      const m = measure(() => readLockFileCached(input.memo!.file, TARGET, {}, { dir: input.memo!.dir }));
      if (lastLockReadSource() !== 'disk') {
        throw new Error(`bench: the unchanged lock was not served from the disk memo (${lastLockReadSource()})`);
      }
      runs.push({ ...m, format: input.memo.format, n: input.memo.n, bytes: 0, rep, kind: 'memo' });
    }
  }
  return { runs };
}

if (require.main === module) {
  reportResult(main(JSON.parse(process.argv[2]) as LockParseInput));
}
