import * as fs from 'fs';
import * as path from 'path';
import { BUILD } from './build';
import { generateLock, GeneratedFormat } from './lock-gen';
import { LockParseInput, LockParseRun } from './lock-parse-child';
import { freshDir, log, median, runChild, spread, table } from './util';

export const LOCK_PARSE_CHILD = path.join(BUILD, 'bench', 'lock-parse-child.js');

/** Issue 23's goals: 8k → 32k packages at most 4.5x (linear is 4), and 8k packages under 2 s. */
export const LOCK_GROWTH_GOAL = 4.5;
export const LOCK_8K_GOAL_MS = 2000;
export const LOCK_SIZES = [1000, 8000, 32000];
export const LOCK_FORMATS: GeneratedFormat[] = ['uv', 'poetry', 'pipfile', 'pylock'];
/** Packages in the generated uv.lock of at least 20 MB (about 540 bytes per package). */
export const BIG_UV_PACKAGES = 40000;

export interface LockParseResults {
  readonly runs: LockParseRun[];
  readonly reps: number;
}

/** Generates the locks under bench/out/lock-parse and runs lock-parse-child.js once (`node --expose-gc`). */
export function runLockParse(reps: number): LockParseResults {
  const dir = freshDir('lock-parse');
  const lock = (format: GeneratedFormat, n: number) => {
    const file = generateLock(path.join(dir, `${format}-${n}`), format, n);
    return { format, n, file, bytes: fs.statSync(file).size };
  };
  const locks = [...LOCK_FORMATS.flatMap(f => LOCK_SIZES.map(n => lock(f, n))), lock('uv', BIG_UV_PACKAGES)];
  const warmups = LOCK_FORMATS.map(f => lock(f, 100).file);
  const largest = locks.find(l => l.format === 'uv' && l.n === Math.max(...LOCK_SIZES))!;
  const input: LockParseInput = { locks, warmups, reps, memo: { ...largest, dir: path.join(dir, 'memo') } };
  log(`lock parsing: ${locks.length} generated locks (largest ${(Math.max(...locks.map(l => l.bytes)) / 1e6).toFixed(1)} MB), ${reps} repetition(s)`);
  const { runs } = runChild<{ runs: LockParseRun[] }>(LOCK_PARSE_CHILD, input, process.env, ['--expose-gc', '--max-old-space-size=4096']);
  for (const format of LOCK_FORMATS) {
    log(`lock ${format}: ${LOCK_SIZES.map(n => `${n / 1000}k ${median(times(runs, format, n, 'wallMs')).toFixed(0)} ms`).join(', ')}`);
  }
  return { runs, reps };
}

function times(runs: LockParseRun[], format: string, n: number, what: 'wallMs' | 'cpuMs', kind: LockParseRun['kind'] = 'parsed'): number[] {
  return runs.filter(r => r.format === format && r.n === n && r.kind === kind).map(r => r[what]);
}

/** Figures of a run, undefined where it measured nothing. */
export interface LockFigures {
  /** The largest 8k → 32k growth over the formats, wall and CPU medians. */
  readonly growthWall?: number;
  readonly growthCpu?: number;
  /** The slowest format's median wall time at 8k packages. */
  readonly slowest8kMs?: number;
  /** The median wall time of the 20 MB uv.lock. */
  readonly bigMs?: number;
  /** The unchanged-lock read (disk memo) as a share of parsing the same 32k lock. */
  readonly memoShare?: number;
}

export function lockFigures(r: LockParseResults): LockFigures {
  const m = (format: string, n: number, what: 'wallMs' | 'cpuMs', kind: LockParseRun['kind'] = 'parsed') => median(times(r.runs, format, n, what, kind));
  const growth = (what: 'wallMs' | 'cpuMs') => Math.max(...LOCK_FORMATS.map(f => m(f, 32000, what) / m(f, 8000, what)));
  const finite = (v: number) => (Number.isFinite(v) ? v : undefined);
  return {
    growthWall: finite(growth('wallMs')),
    growthCpu: finite(growth('cpuMs')),
    slowest8kMs: finite(Math.max(...LOCK_FORMATS.map(f => m(f, 8000, 'wallMs')))),
    bigMs: finite(m('uv', BIG_UV_PACKAGES, 'wallMs')),
    memoShare: finite(m('uv', 32000, 'wallMs', 'memo') / m('uv', 32000, 'wallMs')),
  };
}

export function renderLockParse(r: LockParseResults): string[] {
  const lines: string[] = [];
  lines.push('## 9. Reading lock files: 1k, 8k and 32k packages', '');
  lines.push('`readLockFile` (the native readers of lib/layer/lock, Python 3.13 x86_64) on generated locks (bench/lock-gen.ts: package i depends on '
    + 'packages 2i+1 and 2i+2, each with a wheel and an sdist, every fourth edge with a marker), in one `node --expose-gc` process, `global.gc()` '
    + `before each read, the cases' order rotated by one per repetition, after one unmeasured read of a 100-package lock of each format; ${r.reps} `
    + 'repetition(s). Wall time and the process\'s CPU time (user + system) per read, medians; the ratio columns divide by the 8k median.', '');
  const rows: string[][] = [];
  for (const format of LOCK_FORMATS) {
    const base = (what: 'wallMs' | 'cpuMs') => median(times(r.runs, format, 8000, what));
    for (const n of [...LOCK_SIZES, ...format === 'uv' ? [BIG_UV_PACKAGES] : []]) {
      const wall = times(r.runs, format, n, 'wallMs');
      const cpu = times(r.runs, format, n, 'cpuMs');
      const bytes = r.runs.find(x => x.format === format && x.n === n)?.bytes ?? 0;
      rows.push([format, `${n.toLocaleString('en')}`, `${(bytes / 1e6).toFixed(1)} MB`, `${median(wall).toFixed(0)} ms (${spread(wall, 0)})`,
        `${median(cpu).toFixed(0)} ms`, (median(wall) / base('wallMs')).toFixed(2), (median(cpu) / base('cpuMs')).toFixed(2)]);
    }
  }
  lines.push(table(['Format', 'Packages', 'Size', 'Wall (median, spread)', 'CPU (median)', 'Wall / 8k', 'CPU / 8k'], rows), '');
  const memo = times(r.runs, 'uv', 32000, 'wallMs', 'memo');
  if (memo.length > 0) {
    const parsed = median(times(r.runs, 'uv', 32000, 'wallMs'));
    lines.push('**Unchanged lock** (uv.lock, 32k packages): `readLockFileCached` with its disk memo warm and the process\'s memo cleared, as the '
      + `next synth finds it: ${median(memo).toFixed(0)} ms (${spread(memo, 0)}), ${(100 * median(memo) / parsed).toFixed(1)} % of parsing it `
      + '(the lock and pyproject.toml are hashed, nothing is parsed).', '');
  }
  return lines;
}
