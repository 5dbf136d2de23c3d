import * as path from 'path';
import { Writable } from 'stream';
import { migrateMain } from '../../../tool/migrate/cli';
import { MigrationReport, XRayUsage } from '../../../tool/migrate/types';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'migrate');

/** What one in-process run of `cdk-traced-lambda migrate` printed, and its exit status. */
export interface MigrateRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } });
  return { stream, text: () => chunks.join('') };
}

/** Runs the migrate command in this process (the analyzer still runs in a real python3). */
export async function migrate(...argv: string[]): Promise<MigrateRun> {
  const out = sink();
  const err = sink();
  const code = await migrateMain(['migrate', ...argv], out.stream, err.stream);
  return { code, stdout: out.text(), stderr: err.text() };
}

/** `--json` output, parsed. */
export async function migrateJson(...argv: string[]): Promise<MigrationReport> {
  const run = await migrate(...argv, '--json');
  if (run.code !== 0) throw new Error(`migrate exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** `file:line kind` of each use, the form the tests compare. */
export function sites(uses: XRayUsage[]): string[] {
  return uses.map((u) => `${u.file}:${u.line} ${u.kind}`);
}

/**
 * A usage error: exit 2, nothing on stdout, one line on stderr that ends with ` [id]` and names each value
 * (matched by id and values, never by wording).
 */
export function expectUsageError(run: MigrateRun, id: string, ...named: string[]): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^cdk-traced-lambda migrate: [^\n]+\n$/);
  expect(/ \[(cdk-traced-lambda:[A-Za-z0-9]+)\]\n$/.exec(run.stderr)?.[1]).toBe(id);
  for (const value of named) expect(run.stderr).toContain(value);
}
