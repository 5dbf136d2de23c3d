import { execFileSync, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * OpenTelemetry packages for the tests, installed offline from the local package indexes pip is configured
 * with (`pip config list`: `file://` index URLs only, so PyPI is never asked) into a temporary `--target`
 * folder, never into this machine's Python. The folder is keyed by the packages' index pages (which carry
 * each wheel's sha256), so all test files and later runs share one install.
 */
export interface OtelPackages {
  /** The folder to pass as `otelPath`, when the install worked. */
  readonly dir?: string;
  /** Why not, from pip, when it did not. */
  readonly reason?: string;
}

function localIndexes(): string[] {
  const config = execFileSync('python3', ['-m', 'pip', 'config', 'list'], { encoding: 'utf-8' });
  const urls: string[] = [];
  for (const line of config.split('\n')) {
    const m = /^[\w:.-]*\.(?:extra-)?index-url='(.*)'$/.exec(line.trim());
    if (m) urls.push(...m[1].split(/\s+/).filter((u) => u.startsWith('file://')));
  }
  return urls;
}

/** Install `packages` (cached); the result says where, or why not. */
export function otelPackages(packages: string[]): OtelPackages {
  const indexes = localIndexes();
  const pages = indexes.flatMap((index) => packages.map((p) => path.join(new URL(index).pathname, p, 'index.html')))
    .filter((page) => fs.existsSync(page));
  if (pages.length === 0) return { reason: `no local pip index (${indexes.join(', ') || 'none configured'}) has ${packages.join(', ')}` };
  const key = crypto.createHash('sha256').update(packages.join(',')).update(pages.map((p) => fs.readFileSync(p)).join('\n')).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `cdk-traced-lambda-test-otel-${key}`);
  const failed = `${dir}.failed`;
  if (fs.existsSync(path.join(dir, '.complete'))) return { dir };
  if (fs.existsSync(failed)) return { reason: fs.readFileSync(failed, 'utf-8') };
  const tmp = `${dir}.${process.pid}`;
  const pip = spawnSync('python3', ['-m', 'pip', 'install', '--quiet', '--no-input', '--disable-pip-version-check',
    '--index-url', indexes[0], ...indexes.slice(1).flatMap((u) => ['--extra-index-url', u]), '--target', tmp, ...packages],
  { encoding: 'utf-8', timeout: 120_000 });
  if (pip.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    const why = (pip.stderr || pip.stdout || '').split('\n').find((l) => /ERROR/.test(l))?.trim() ?? `pip exited with ${pip.status}`;
    const reason = `pip install ${packages.join(' ')} from the local index failed: ${why}`;
    fs.writeFileSync(failed, reason);
    return { reason };
  }
  fs.writeFileSync(path.join(tmp, '.complete'), '');
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another test file installed it first
  }
  return { dir };
}
