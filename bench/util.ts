import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The repository root (bench/ is directly under it; run.ts runs from source with ts-node). */
export const ROOT = path.resolve(__dirname, '..');

/** Scratch space for one run: git-ignored, wiped at the start of each run. */
export const OUT = path.join(ROOT, 'bench', 'out');

/** The marker before the JSON line a child process prints as its result. */
export const RESULT_MARKER = 'BENCH_RESULT ';

/** What a finished command reports. */
export interface Timed {
  /** Wall time of the whole process, milliseconds. */
  readonly wallMs: number;
  /** The process's peak resident set size (its own, from /usr/bin/time when available), KiB. */
  readonly maxRssKb?: number;
  readonly stdout: string;
  readonly stderr: string;
}

const TIME_BIN = '/usr/bin/time';
const HAS_TIME = fs.existsSync(TIME_BIN);

/**
 * Runs `command args` to completion and returns its wall time (and, where /usr/bin/time exists,
 * the peak RSS of the command's own process tree's largest process). Throws on a non-zero exit.
 */
export function run(command: string, args: string[], options: SpawnSyncOptions = {}): Timed {
  const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}`);
  const [bin, argv] = HAS_TIME ? [TIME_BIN, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  const result = spawnSync(bin, argv, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options, cwd: options.cwd ?? ROOT });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  if (result.error || result.status !== 0) {
    throw new Error(`bench: '${command} ${args.join(' ')}' failed (${result.error?.message ?? `exit ${result.status}`}):\n`
      + `${stdout.slice(-3000)}\n${stderr.slice(-3000)}`);
  }
  let maxRssKb: number | undefined;
  if (HAS_TIME && fs.existsSync(rssFile)) {
    maxRssKb = Number(fs.readFileSync(rssFile, 'utf8').trim().split(/\s+/).pop());
    fs.rmSync(rssFile, { force: true });
  }
  return { wallMs, maxRssKb, stdout, stderr };
}

/**
 * Runs a compiled child script with `node` and returns the JSON object it printed after RESULT_MARKER.
 * The child may end itself with SIGKILL once it has printed its result (see child.ts).
 */
export function runChild<T>(script: string, input: unknown, env: NodeJS.ProcessEnv = process.env,
  nodeArgs: string[] = []): T & { wallMs: number; stderr: string } {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [...nodeArgs, script, JSON.stringify(input)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env, cwd: ROOT });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const line = String(result.stdout ?? '').split('\n').find(l => l.startsWith(RESULT_MARKER));
  const ended = result.status === 0 || (result.status === null && result.signal === 'SIGKILL');
  if (!line || !ended || result.error) {
    throw new Error(`bench: ${script} failed or printed no result (${result.error?.message ?? `exit ${result.status}, signal ${result.signal}`}):\n`
      + `${String(result.stdout).slice(-2000)}\n${String(result.stderr).slice(-3000)}`);
  }
  return { ...JSON.parse(line.slice(RESULT_MARKER.length)), wallMs, stderr: String(result.stderr ?? '') };
}

/** Prints a child's result for runChild. */
export function reportResult(result: object): void {
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

/** The median of some numbers (mean of the middle two for an even count). */
export function median(values: number[]): number {
  if (values.length === 0) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Smallest and largest of some numbers, `min–max` with `digits` decimals. */
export function spread(values: number[], digits = 2): string {
  return values.length === 0 ? '–' : `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
}

/** `1.23 s` for milliseconds. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** `123 MiB` for KiB. */
export function mib(kb: number): string {
  return `${(kb / 1024).toFixed(0)} MiB`;
}

/** `1,234,567` */
export function bytes(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1.04` */
export function ratio(a: number, b: number): string {
  return (a / b).toFixed(2);
}

/** A Markdown table. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Total size in bytes and number of regular files under `dir`. */
export function treeSize(dir: string): { bytes: number; files: number } {
  let total = 0;
  let files = 0;
  const walk = (p: string) => {
    const stat = fs.lstatSync(p);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p)) {
        walk(path.join(p, entry));
      }
    } else if (stat.isFile()) {
      total += stat.size;
      files += 1;
    }
  };
  walk(dir);
  return { bytes: total, files };
}

/** A new empty directory under OUT. */
export function freshDir(name: string): string {
  const dir = path.join(OUT, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes a progress line to stderr. */
export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
