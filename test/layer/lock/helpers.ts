import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LockSyntaxError } from '../../../lib/layer/lock';
import { makeWheel, WheelSpec } from '../../helpers/wheels';

/** The fixture project's wheels: what the lock files in test/fixtures/lock/ point at. */
export const FIXTURE_WHEELS: WheelSpec[] = [
  { name: 'fake-app', requires: ['fake-lib', 'boto3'] },
  { name: 'fake-lib' },
  { name: 'fake-x86' },
  { name: 'fake-old' },
  { name: 'fake-dev' },
  { name: 'fake-extra' },
  { name: 'boto3', version: '9.9', requires: ['botocore'] },
  { name: 'botocore', version: '9.9' },
];

/** The fixture folder of a format: test/fixtures/lock/<format>. */
export function fixtureDir(format: string): string {
  return path.join(__dirname, '..', '..', 'fixtures', 'lock', format);
}

const temps: string[] = [];
/** A fresh temporary directory, removed by `cleanTemps()`. */
export function tempDir(prefix = 'lock-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
export function cleanTemps(): void {
  for (const dir of temps.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A wheelhouse with every fixture wheel (deterministic bytes, so the same sha256 every run). */
export function buildWheelhouse(dir: string = tempDir('lock-wheels-')): string {
  for (const spec of FIXTURE_WHEELS) {
    makeWheel(dir, spec);
  }
  return dir;
}

/** `{{sha256:fake-lib}}` / `{{size:fake-lib}}` → the real sha256 hex / byte size of that wheel in `wheelhouse`. */
export function renderTemplate(text: string, wheelhouse: string): string {
  return text.replace(/\{\{(sha256|size):([a-z0-9-]+)\}\}/g, (_, what: string, name: string) => {
    const spec = FIXTURE_WHEELS.find(w => w.name === name);
    if (!spec) {
      throw new Error(`template names an unknown wheel '${name}'`);
    }
    const file = path.join(wheelhouse, `${name.replace(/-/g, '_')}-${spec.version ?? '1.0'}-py3-none-any.whl`);
    const content = fs.readFileSync(file);
    return what === 'size' ? String(content.length) : crypto.createHash('sha256').update(content).digest('hex');
  });
}

/**
 * Copies test/fixtures/lock/<format> into a fresh directory with the real hashes filled in, leaving out
 * `omit` (e.g. the pyproject.toml); `edit` may change the lock text. Returns the lock file's path.
 */
export function projectFromFixture(format: string, wheelhouse: string,
  options: { omit?: string[]; edit?: (text: string) => string } = {}): string {
  const source = fixtureDir(format);
  const dir = tempDir(`lock-${format}-`);
  let lockFile = '';
  for (const name of fs.readdirSync(source)) {
    if (name === 'README.md' || options.omit?.includes(name)) {
      continue;
    }
    let text = renderTemplate(fs.readFileSync(path.join(source, name), 'utf8'), wheelhouse);
    if (/(\.lock|^pylock\..*toml)$/.test(name)) {
      lockFile = path.join(dir, name);
      text = options.edit ? options.edit(text) : text;
    }
    fs.writeFileSync(path.join(dir, name), text);
  }
  return lockFile;
}

/** Applies `edit` to the `[[package]]` / `[[packages]]` entry of `name` only, in a TOML lock's text. */
export function editPackage(name: string, edit: (entry: string) => string): (text: string) => string {
  return text => text.split(/(?=^\[\[packages?\]\]\n)/m)
    .map(e => new RegExp(`^\\[\\[packages?\\]\\]\\nname = ["']${name}["']\\n`).test(e) ? edit(e) : e)
    .join('');
}

/** The real interpreter behind `python3`. */
export const REAL_PYTHON = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();

/**
 * Runs real pip offline the way the layer does for a lock (--require-hashes --no-deps, wheels only, for the
 * Lambda platform), with no pip configuration file, so only `wheelhouse` is seen.
 */
export function pipInstall(requirementsFile: string, wheelhouse: string, targetDir: string): { status: number | null; stderr: string } {
  const result = spawnSync(REAL_PYTHON, [
    '-m', 'pip', 'install',
    '-r', requirementsFile,
    '-t', targetDir,
    '--platform', 'manylinux2014_x86_64', '--platform', 'manylinux_2_28_x86_64',
    '--implementation', 'cp', '--python-version', '3.13', '--only-binary=:all:',
    '--no-compile', '--disable-pip-version-check',
    '--no-index', '--find-links', wheelhouse,
    '--require-hashes', '--no-deps',
  ], { encoding: 'utf8', env: { ...process.env, PIP_CONFIG_FILE: os.devNull } });
  return { status: result.status, stderr: result.stderr + result.stdout };
}

/** Names of the distributions installed in `targetDir` (from their `.dist-info`), PEP 503 normalized, sorted. */
export function installedDistributions(targetDir: string): string[] {
  return fs.readdirSync(targetDir)
    .filter(e => e.endsWith('.dist-info'))
    .map(e => e.replace(/-[^-]+\.dist-info$/, '').replace(/[-_.]+/g, '-').toLowerCase())
    .sort();
}

/** The default target of the reader tests: Python 3.13 on x86_64. */
export const X86 = { pythonVersion: '3.13', architecture: 'x86_64' } as const;

/** The names of the packages a lock read pins, in order. */
export function names(result: { packages: { name: string }[] }): string[] {
  return result.packages.map(p => p.name);
}

/**
 * A Poetry 2.1 lock text as Poetry 1.1 writes the same content (lock-version 1.1): `category` for `groups`, no
 * package markers, and each package's `files` moved into `[metadata.files]` under its name. The shape follows
 * the real 1.1 lock in test/fixtures/lock/poetry-1.1.
 */
export function toPoetry11(text: string): string {
  const files: string[] = [];
  const blocks = text.split(/(?=^\[\[package\]\]\n|^\[extras\]\n|^\[metadata\]\n)/m).map(block => {
    const name = /^\[\[package\]\]\nname = "([^"]+)"/.exec(block)?.[1];
    const list = /^files = \[\n([\s\S]*?)\n\]\n/m.exec(block);
    if (name && list) {
      files.push(`${name} = [\n${list[1]}\n]`);
    }
    return block.replace(/^files = \[\n[\s\S]*?\n\]\n/m, '').replace(/^markers = .*\n/m, '')
      .replace(/^groups = \["([^"]+)"\]$/m, 'category = "$1"');
  });
  return `${blocks.join('').replace('lock-version = "2.1"', 'lock-version = "1.1"').trimEnd()}\n\n[metadata.files]\n${files.join('\n')}\n`;
}

/**
 * Writes `files` (base name → text) into a fresh directory, for locks written inline by a test. Returns the
 * path of the lock file among them (`*.lock`, `pylock*.toml`).
 */
export function projectFromTexts(files: Record<string, string>): string {
  const dir = tempDir('lock-inline-');
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  const lock = Object.keys(files).find(n => /(\.lock|^pylock\..*toml)$/.test(n));
  if (!lock) {
    throw new Error(`no lock file among ${Object.keys(files).join(', ')}`);
  }
  return path.join(dir, lock);
}

/** The LockSyntaxError `action` throws (markers.ts and pep440.ts know no file; the reader adds it). */
export function lockSyntaxError(action: () => unknown): LockSyntaxError {
  try {
    action();
  } catch (e) {
    if (e instanceof LockSyntaxError) {
      return e;
    }
    throw e;
  }
  throw new Error('expected a LockSyntaxError, but nothing was thrown');
}
