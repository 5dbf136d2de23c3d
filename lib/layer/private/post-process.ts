import * as fs from 'fs';
import * as path from 'path';
import { ErrorId } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import { normalizeName } from '../../private/python-names';
import { shown, shownList } from '../../private/untrusted-text';
import { parseConstraint, runtimeSatisfies } from '../lock/pep440';

/** Lambda's limit on the unzipped size of a function and all its layers: 250 MiB. */
export const LAMBDA_UNZIPPED_LIMIT_BYTES = 262_144_000;

/** Packages the Lambda Python runtime already provides (PEP 503 names). */
export const RUNTIME_PROVIDED_PACKAGES = ['boto3', 'botocore', 's3transfer', 'jmespath', 'python-dateutil', 'six', 'urllib3'];

/** Removes every `__pycache__` directory and `*.pyc` file under `dir`. */
export function stripBytecode(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === '__pycache__') {
        fs.rmSync(full, { recursive: true, force: true });
      } else {
        stripBytecode(full);
      }
    } else if (entry.name.endsWith('.pyc')) {
      fs.rmSync(full, { force: true });
    }
  }
}

interface InstalledDist {
  readonly name: string;
  readonly distInfo: string;
  readonly requires: string[];
}

/**
 * Removes the runtime-provided packages installed in `pythonDir` (the files their `RECORD` lists, the
 * bytecode of those files, and their `.dist-info`) unless the requirements name them: a runtime-provided
 * package is kept when `keep` names it, together with every package it requires (so a named `boto3`
 * keeps the botocore it was resolved with). One that is only there because another package requires it
 * (aws-xray-sdk -> botocore) is left out: the Lambda runtime provides it, and the build line says so.
 * Returns the names removed, sorted.
 */
export function removeRuntimeProvidedPackages(pythonDir: string, keep: string[]): string[] {
  const dists = new Map<string, InstalledDist>();
  for (const entry of fs.readdirSync(pythonDir)) {
    if (entry.endsWith('.dist-info')) {
      const dist = readDist(path.join(pythonDir, entry));
      dists.set(dist.name, dist);
    }
  }

  const kept = new Set<string>();
  const pending = keep.map(normalizeName).filter(name => RUNTIME_PROVIDED_PACKAGES.includes(name));
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (kept.has(name)) {
      continue;
    }
    kept.add(name);
    pending.push(...(dists.get(name)?.requires ?? []));
  }

  const removed: string[] = [];
  const root = path.resolve(pythonDir);
  for (const dist of dists.values()) {
    if (!RUNTIME_PROVIDED_PACKAGES.includes(dist.name) || kept.has(dist.name)) {
      continue;
    }
    const recordFile = path.join(dist.distInfo, 'RECORD');
    const files = fs.existsSync(recordFile) ? parseRecord(fs.readFileSync(recordFile, 'utf8')) : [];
    for (const file of files) {
      const full = path.resolve(root, inTarget(file));
      if (!full.startsWith(root + path.sep)) {
        continue; // never touch anything outside the layer
      }
      fs.rmSync(full, { force: true });
      removeBytecodeOf(full);
      removeEmptyParents(path.dirname(full), root);
    }
    fs.rmSync(dist.distInfo, { recursive: true, force: true });
    removed.push(dist.name);
  }
  return removed.sort();
}

/**
 * Throws when a package installed in `pythonDir` declares (`Requires-Python` in its METADATA) that it does not run on
 * the layer's Python `pythonVersion` (`3.13`; some `3.13.z` must satisfy it, as Lambda follows patch releases). pip
 * checks this itself, but before 24.2 against the Python it runs on, not `--python-version` (pypa/pip#12216, fixed by
 * pypa/pip@6b54c192b, first in tag 24.2; read 2026-12-03): so a local build on another Python could ship such a
 * package. A `Requires-Python` that is not PEP 440 is left to pip, which ignores it.
 */
export function checkRequiresPython(pythonDir: string, pythonVersion: string, constructPath: string): void {
  const mismatched: string[] = [];
  for (const entry of fs.readdirSync(pythonDir).filter(e => e.endsWith('.dist-info')).sort()) {
    const header = readMetadataHeader(path.join(pythonDir, entry));
    const requires = headerField(header, 'Requires-Python');
    if (!requires) continue;
    let constraint;
    try {
      constraint = parseConstraint(requires);
    } catch {
      continue;
    }
    if (!runtimeSatisfies(pythonVersion, constraint)) {
      const name = headerField(header, 'Name');
      const version = headerField(header, 'Version');
      mismatched.push(`${name === undefined ? entry : `${name} ${version ?? ''}`.trim()} (Requires-Python: ${requires})`);
    }
  }
  if (mismatched.length > 0) {
    throw new TracedLambdaError(ErrorId.LAYER_PACKAGE_PYTHON_MISMATCH, constructPath, `pip installed ${mismatched.length === 1 ? 'a package' : 'packages'} `
      + `that declare they do not run on the layer's Python ${pythonVersion}: ${shownList(mismatched)}. pip before 24.2 checks `
      + 'Requires-Python against the Python it runs on, not the layer\'s. Fix: upgrade the pip of pythonExecutable to 24.2 or later, '
      + `set pythonExecutable to a Python ${pythonVersion}, or use BundlingStrategy.DOCKER; or pin versions that support Python ${pythonVersion}.`);
  }
}

/** The value of the first `field:` line of a METADATA header, trimmed; undefined when it has none. */
function headerField(header: string, field: 'Name' | 'Version' | 'Requires-Python'): string | undefined {
  return new RegExp(`^${field}:[ \\t]*(.*?)\\s*$`, 'm').exec(header)?.[1];
}

/** The header of a dist-info's METADATA (up to its first blank line); empty when it has none. */
function readMetadataHeader(distInfo: string): string {
  const metadataFile = path.join(distInfo, 'METADATA');
  const metadata = fs.existsSync(metadataFile) ? fs.readFileSync(metadataFile, 'utf8') : '';
  return metadata.split(/\r?\n\r?\n/)[0];
}

/**
 * pip --target installs into a temporary home and moves its `lib/python` and data folders over, so RECORD lists
 * console scripts and data files as `../../bin/<script>`, `../../share/...` (relative to `lib/python`); in the
 * target they are `bin/<script>`, `share/...` (pip's `_handle_target_dir`).
 */
function inTarget(file: string): string {
  const posix = file.replace(/\\/g, '/');
  return posix.startsWith('../../') ? posix.slice('../../'.length) : file;
}

function readDist(distInfo: string): InstalledDist {
  const header = readMetadataHeader(distInfo);
  const nameLine = /^Name:\s*(.+)$/m.exec(header);
  const name = normalizeName(nameLine ? nameLine[1] : path.basename(distInfo).replace(/-[^-]*\.dist-info$/, ''));
  const requires = [...header.matchAll(/^Requires-Dist:\s*(.+)$/gm)]
    .map(m => m[1])
    .map(r => /^[A-Za-z0-9._-]+/.exec(r)?.[0])
    .filter((n): n is string => n !== undefined)
    .map(normalizeName);
  return { name, distInfo, requires };
}

/**
 * The paths in a wheel `RECORD` file (CSV: path,hash,size): a quoted path may hold `,` and `""` for `"`.
 * A path with a line break in it is not removed (pip, which reads the rows of `text.splitlines()`, misreads it too).
 */
function parseRecord(record: string): string[] {
  return record.split(/\r?\n/).filter(l => l.trim()).map(line => {
    const quoted = /^"((?:[^"]|"")*)"/.exec(line);
    return quoted ? quoted[1].replace(/""/g, '"') : line.split(',')[0];
  });
}

/** Removes `__pycache__/<module>.*.pyc` compiled from `file`, and the `__pycache__` when it is left empty. */
function removeBytecodeOf(file: string): void {
  if (!file.endsWith('.py')) {
    return;
  }
  const cache = path.join(path.dirname(file), '__pycache__');
  if (!fs.existsSync(cache)) {
    return;
  }
  const stem = path.basename(file, '.py') + '.';
  for (const pyc of fs.readdirSync(cache)) {
    if (pyc.startsWith(stem) && pyc.endsWith('.pyc') && !pyc.slice(stem.length).includes('/')) {
      fs.rmSync(path.join(cache, pyc), { force: true });
    }
  }
  if (fs.readdirSync(cache).length === 0) {
    fs.rmdirSync(cache);
  }
}

function removeEmptyParents(dir: string, root: string): void {
  let current = dir;
  while (current.startsWith(root + path.sep) && fs.existsSync(current) && fs.readdirSync(current).length === 0) {
    fs.rmdirSync(current);
    current = path.dirname(current);
  }
}

/** Size in bytes of every file under `dir`, by top-level entry of `dir`. */
export function sizeByTopLevelEntry(dir: string): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const entry of fs.readdirSync(dir)) {
    sizes.set(entry, treeSize(path.join(dir, entry)));
  }
  return sizes;
}

function treeSize(file: string): number {
  const stat = fs.lstatSync(file);
  if (!stat.isDirectory()) {
    return stat.size;
  }
  return fs.readdirSync(file).reduce((sum, entry) => sum + treeSize(path.join(file, entry)), 0);
}

/**
 * Throws when the layer in `pythonDir` is over `limit` bytes unzipped, naming the largest
 * packages and how to get under the limit. Returns the size.
 */
export function checkLayerSize(pythonDir: string, constructPath: string, requirementsFile: string,
  limit: number = LAMBDA_UNZIPPED_LIMIT_BYTES): number {
  const sizes = sizeByTopLevelEntry(pythonDir);
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  if (total <= limit) {
    return total;
  }
  const largest = [...sizes.entries()]
    .filter(([name]) => !name.endsWith('.dist-info'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, size]) => `${shown(name)} (${formatBytes(size)})`)
    .join(', ');
  throw new TracedLambdaError(ErrorId.LAYER_TOO_LARGE, constructPath, `the dependency layer built from ${shown(requirementsFile)} is ${formatBytes(total)} `
    + `(${total} bytes) unzipped, over Lambda's limit of ${limit} bytes for a function and its layers. `
    + `Largest packages: ${largest}. Fix: drop packages the function does not need from the requirements file, `
    + 'split large packages into a separate layer, leave keepRuntimeProvidedPackages off so boto3/botocore are not bundled, '
    + 'or package the function as a container image (lambda.DockerImageFunction, up to 10 GB).');
}

/** `123.4 MB` */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) {
    return `${(bytes / 1_000_000).toFixed(1)} MB`;
  }
  if (bytes >= 1_000) {
    return `${(bytes / 1_000).toFixed(1)} KB`;
  }
  return `${bytes} B`;
}
