import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { lockError, ReaderContext } from './context';
import { LockTarget } from './markers';
import { LockedPackage, LockFormat, LockHashInputs, LockReadResult, LockSelection, PinnedPackage, ReadLockOptions, SkippedPackage, where } from './model';
import { readPipfileLock } from './pipfile-lock';
import { readPoetryLock } from './poetry-lock';
import { readPylock } from './pylock';
import { parseToml, tomlErrorLine } from './toml';
import { readUvLock } from './uv-lock';
import { wheelFitsTarget } from './wheel-tags';
import { ErrorId } from '../../contract';
import { normalizeName } from '../../private/python-names';
import { shown, shownList } from '../../private/untrusted-text';
import { RUNTIME_PROVIDED_PACKAGES } from '../private/post-process';

/** Bump when the reading logic changes what a lock yields, so cached layers are rebuilt. */
export const LOCK_READER_VERSION = '2';

/** The lock file names this module reads, as messages list them. */
export const LOCK_FILE_NAMES = 'uv.lock, poetry.lock, Pipfile.lock, pylock.toml (or pylock.<name>.toml)';

/** The format of a lock file, by its base name, or undefined when it is none of the four. */
export function lockFormatOf(file: string): LockFormat | undefined {
  const base = path.basename(file);
  if (base === 'uv.lock') return 'uv';
  if (base === 'poetry.lock') return 'poetry';
  if (base === 'Pipfile.lock') return 'pipfile';
  if (/^pylock\.([^.]+\.)?toml$/.test(base)) return 'pylock';
  return undefined;
}

const PYPI_INDEXES = new Set(['https://pypi.org/simple', 'https://pypi.org/simple/', 'https://pypi.python.org/simple',
  'https://pypi.python.org/simple/', 'https://pypi.org/pypi', 'https://pypi.org/pypi/']);

/**
 * Reads a lock file (uv.lock, poetry.lock, Pipfile.lock, pylock.toml) natively, without running uv, Poetry
 * or Pipenv, and returns the pinned, hashed requirements for the Lambda target: the default/main
 * dependencies (plus the chosen groups and extras), markers evaluated for the target, runtime-provided packages
 * left out unless the project names them. Throws a TracedLambdaError (an `ErrorId.LOCK_*` id) naming the file (and line) for anything that
 * cannot become a hash-checked, wheel-only install.
 */
export function readLockFile(file: string, target: LockTarget, options: ReadLockOptions = {}): LockReadResult {
  const absolute = checkLockFile(file, options.errorPrefix);
  const text = fs.readFileSync(absolute, 'utf8');
  return readLockText(absolute, text, target, options);
}

/**
 * The absolute path of `file` after checking that it is a lock file this module reads and exists; throws
 * LOCK_FILE_NAME_UNKNOWN or LOCK_FILE_NOT_FOUND.
 */
export function checkLockFile(file: string, errorPrefix = ''): string {
  const absolute = path.resolve(file);
  if (!lockFormatOf(absolute)) {
    lockError(ErrorId.LOCK_FILE_NAME_UNKNOWN, errorPrefix, where(file), `${shown(path.basename(file))} is not a lock file name `
      + `this library reads. Fix: pass one of ${LOCK_FILE_NAMES} as written by its tool, or a requirements.txt as requirementsFile.`);
  }
  if (!fs.statSync(absolute, { throwIfNoEntry: false })?.isFile()) {
    lockError(ErrorId.LOCK_FILE_NOT_FOUND, errorPrefix, where(file), `lock file not found (resolved to ${shown(absolute)}). `
      + 'Fix: pass the path of an existing lock file, relative to the current working directory or absolute.');
  }
  return absolute;
}

/** `readLockFile` on the text of the lock file at `absolute` (already read). */
export function readLockText(absolute: string, text: string, target: LockTarget, options: ReadLockOptions = {}): LockReadResult {
  const format = lockFormatOf(absolute)!;
  const prefix = options.errorPrefix ?? '';
  const groups = [...new Set((options.groups ?? []).map(normalizeName))].sort();
  const extras = [...new Set((options.extras ?? []).map(normalizeName))].sort();
  const ctx = new ReaderContext(absolute, text, target, groups, extras, prefix);
  const data = parse(format, ctx);

  const selection: LockSelection = format === 'uv' ? readUvLock(ctx, data)
    : format === 'poetry' ? readPoetryLock(ctx, data)
      : format === 'pipfile' ? readPipfileLock(ctx, data)
        : readPylock(ctx, data);

  const runtimeProvided = (options.runtimeProvidedPackages ?? RUNTIME_PROVIDED_PACKAGES).map(normalizeName);
  const keepRuntime = options.keepRuntimeProvidedPackages ?? false;
  const directRequirements = [...new Set(selection.directRequirements ?? [])].sort();
  const direct = [...new Set(directRequirements.map(r => r.replace(/\[.*$/, '')))];
  const leftOut = keepRuntime ? [] : runtimeProvidedLeftOut(selection.packages, direct, runtimeProvided);
  const leftOutSet = new Set(leftOut);
  const packages = selection.packages
    .filter(p => !leftOutSet.has(p.name))
    .map(p => pin(ctx, p))
    .sort((a, b) => codePointOrder(a.name, b.name));
  const sources = [{ name: ctx.name, content: text }, ...selection.manifests].map(m => ({ name: m.name, sha256: sha256(m.content) }));

  return assembleLockResult(absolute, {
    format,
    packages,
    directRequirements,
    skipped: [...new Map(selection.skipped.map(s => [`${s.name}|${s.version}|${s.reason}`, s])).values()]
      .sort((a, b) => codePointOrder(a.name, b.name)),
    runtimeProvidedLeftOut: leftOut,
  }, lockHashInputs(format, sources, target, options));
}

/** What a lock read decides; the rest of a LockReadResult follows from it and the hash inputs. */
export interface LockReadCore {
  readonly format: LockFormat;
  /** Sorted by name. */
  readonly packages: PinnedPackage[];
  /** Sorted. */
  readonly directRequirements: string[];
  readonly skipped: SkippedPackage[];
  readonly runtimeProvidedLeftOut: string[];
}

/** The hash inputs of a read: the reader version, the format, the files read (sha256) and the options, normalized. */
export function lockHashInputs(format: LockFormat, sources: { name: string; sha256: string }[], target: LockTarget,
  options: ReadLockOptions): LockHashInputs {
  return {
    readerVersion: LOCK_READER_VERSION,
    format,
    sources,
    groups: [...new Set((options.groups ?? []).map(normalizeName))].sort(),
    extras: [...new Set((options.extras ?? []).map(normalizeName))].sort(),
    target: { pythonVersion: target.pythonVersion, architecture: target.architecture, pythonFullVersion: target.pythonFullVersion },
    keepRuntimeProvidedPackages: options.keepRuntimeProvidedPackages ?? false,
    runtimeProvidedPackages: (options.runtimeProvidedPackages ?? RUNTIME_PROVIDED_PACKAGES).map(normalizeName),
  };
}

/** The full result of a read from what it decided (also how a memoized read is rebuilt). */
export function assembleLockResult(absolute: string, core: LockReadCore, hashInputs: LockHashInputs): LockReadResult {
  const target = `python${hashInputs.target.pythonVersion} ${hashInputs.target.architecture}`;
  const requirementsText = [
    `# Generated by cdk-traced-lambda from ${path.basename(absolute)} for ${target}; install with --require-hashes --no-deps.`,
    ...core.packages.map(p => `${p.name}==${p.version} ${p.hashes.map(h => `--hash=${h}`).join(' ')}`),
  ].join('\n') + '\n';
  return {
    format: core.format,
    file: absolute,
    packages: core.packages,
    requirementsText,
    directDependencies: [...new Set(core.directRequirements.map(r => r.replace(/\[.*$/, '')))].sort(),
    directRequirements: core.directRequirements,
    skipped: core.skipped,
    runtimeProvidedLeftOut: core.runtimeProvidedLeftOut,
    lockIndexUrls: [...new Set(core.packages.map(p => p.index).filter((u): u is string => u !== undefined && !PYPI_INDEXES.has(u)))].sort(),
    hashInputs,
  };
}

function parse(format: LockFormat, ctx: ReaderContext): Record<string, unknown> {
  if (format === 'pipfile') {
    let data: unknown;
    try {
      data = JSON.parse(ctx.text);
    } catch (e) {
      // V8 names the offset ("... in JSON at position 12"); the message itself may quote the file's content.
      const position = /position (\d+)/.exec(String((e as Error).message));
      const line = position ? ctx.lines.lineAt(Number(position[1])) : undefined;
      return ctx.fail(ErrorId.LOCK_FILE_INVALID, 'not valid JSON. Fix: lock again with Pipenv (`pipenv lock`).', line);
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      return ctx.fail(ErrorId.LOCK_FILE_INVALID, 'not a Pipfile.lock: the JSON is not an object. Fix: lock again with Pipenv (`pipenv lock`).', 1);
    }
    return data as Record<string, unknown>;
  }
  try {
    return parseToml(ctx.text);
  } catch (e) {
    return ctx.fail(ErrorId.LOCK_FILE_INVALID, `not valid TOML. Fix: lock again with the tool that wrote ${ctx.name}.`, tomlErrorLine(e));
  }
}

/**
 * The runtime-provided packages of the selection to leave out: all but those the project names directly and
 * the runtime-provided packages those need (by the lock's dependency graph). Where the lock records no graph
 * (Pipfile.lock, pylock.toml without `dependencies`) and the project names one, every runtime-provided package
 * is kept, so a pinned boto3 never runs against the runtime's older botocore.
 */
function runtimeProvidedLeftOut(packages: LockedPackage[], direct: string[], runtimeProvided: string[]): string[] {
  const byName = new Map(packages.map(p => [p.name, p]));
  const candidates = packages.map(p => p.name).filter(n => runtimeProvided.includes(n));
  const named = direct.filter(n => runtimeProvided.includes(n) && byName.has(n));
  if (named.length > 0 && candidates.some(n => byName.get(n)!.dependencies === undefined)) {
    return [];
  }
  const kept = new Set<string>();
  const pending = [...named];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (kept.has(name)) {
      continue;
    }
    kept.add(name);
    // Every name pending is a runtime-provided package of the lock, and (past the check above) each records its dependencies.
    pending.push(...byName.get(name)!.dependencies!.filter(n => runtimeProvided.includes(n) && byName.has(n)));
  }
  return [...new Set(candidates.filter(n => !kept.has(n)))].sort();
}

/** Checks a package can be installed hash-checked from wheels on the target, and pins it. */
function pin(ctx: ReaderContext, p: LockedPackage): PinnedPackage {
  if (!p.version) {
    ctx.fail(ErrorId.LOCK_VERSION_NOT_PINNED, `${shown(p.name)} has no version, so it cannot be pinned. `
      + `Fix: lock again with the tool that wrote ${ctx.name}.`, p.line);
  }
  const what = `${shown(p.name)} ${shown(p.version)}`;
  const fix = `Fix: put a wheel of ${what} for ${ctx.targetName} into a findLinks wheelhouse `
    + 'and lock again so the lock records its hash, or lock a version of it that publishes such a wheel.';
  const hashed = p.files.filter(f => /^(sha256|sha384|sha512):[0-9a-f]+$/i.test(f.hash));
  if (hashed.length === 0) {
    ctx.fail(ErrorId.LOCK_HASHES_MISSING, `${what} has no file hashes (sha256), so pip cannot check what it installs. `
      + `Fix: lock again with the tool that wrote ${ctx.name} from an index that publishes hashes.`, p.line);
  }
  if (!p.fileNamesKnown) {
    return { name: p.name, version: p.version, hashes: hashed.map(f => f.hash.toLowerCase()), index: p.index };
  }
  const wheels = hashed.filter(f => f.name?.toLowerCase().endsWith('.whl'));
  if (wheels.length === 0) {
    ctx.fail(ErrorId.LOCK_WHEEL_MISSING, `${what} has only a source distribution in the lock (${shownList(hashed.map(f => f.name))}); `
      + `the layer installs wheels only, built for ${ctx.targetName}. ${fix}`, p.line);
  }
  if (!wheels.some(w => wheelFitsTarget(w.name!, ctx.target))) {
    ctx.fail(ErrorId.LOCK_WHEEL_MISSING, `no wheel of ${what} in the lock fits ${ctx.targetName} (manylinux, CPython): `
      + `${shownList(wheels.map(w => w.name))}. ${fix}`, p.line);
  }
  return { name: p.name, version: p.version, hashes: wheels.map(f => f.hash.toLowerCase()), index: p.index };
}

/** Code-point order of names (localeCompare would depend on the machine's locale, and the order is hashed). */
function codePointOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** sha256 (hex) of a text's UTF-8 bytes. */
export function sha256(content: string | Buffer): string {
  return crypto.createHash('sha256').update(content).digest('hex');
}

