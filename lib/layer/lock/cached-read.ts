import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { LockTarget } from './markers';
import { LockFormat, LockReadResult, PinnedPackage, ReadLockOptions, SkippedPackage } from './model';
import {
  assembleLockResult, checkLockFile, lockFormatOf, lockHashInputs, LockReadCore, LOCK_READER_VERSION, readLockText, sha256,
} from './read-lock-file';

/** Where and how `readLockFileCached` keeps what it read. */
export interface LockReadMemoOptions {
  /**
   * A directory for memo entries (`<dir>/.lock-reads/<key>.json`), so that a later synth with the same lock,
   * project file and options does not parse the lock again: the layer's cache directory.
   * @default - only this process remembers reads
   */
  readonly dir?: string;
  /**
   * A secret to sign memo entries with (HMAC-SHA256) and to verify them before use; entries without a valid
   * signature are ignored. Pass the layer cache's signing key, so that a shared cache directory cannot
   * change what a lock yields either.
   * @default - entries carry a sha256 of their content, which catches corruption and partial writes only
   */
  readonly signingKey?: string;
}

/** What `readLockFileCached` did, for tests and the benchmark. */
export type LockReadSource = 'parsed' | 'process' | 'disk';

const MEMO_ENTRIES = 8;
const memo = new Map<string, LockReadCore>();
let lastSource: LockReadSource | undefined;

/**
 * `readLockFile`, remembered by a key made from the bytes of the lock and of the project file its reader
 * reads beside it (pyproject.toml, Pipfile), the reader version and the options: a second read of an unchanged
 * lock, in this process or (with `memo.dir`) in a later synth, hashes the files and does not parse anything.
 * Errors are never remembered: a lock that fails is read (and fails) again.
 */
export function readLockFileCached(file: string, target: LockTarget, options: ReadLockOptions = {},
  memoOptions: LockReadMemoOptions = {}): LockReadResult {
  const absolute = checkLockFile(file, options.errorPrefix);
  const format = lockFormatOf(absolute)!;
  const bytes = fs.readFileSync(absolute);
  const sources = [{ name: path.basename(absolute), sha256: sha256(bytes) }, ...siblingSources(absolute, format)];
  const hashInputs = lockHashInputs(format, sources, target, options);
  const key = sha256(JSON.stringify(hashInputs));

  const remembered = memo.get(key) ?? (memoOptions.dir ? loadEntry(memoOptions, key, format) : undefined);
  if (remembered) {
    lastSource = memo.has(key) ? 'process' : 'disk';
    remember(key, remembered);
    return assembleLockResult(absolute, remembered, hashInputs);
  }
  const result = readLockText(absolute, bytes.toString('utf8'), target, options);
  lastSource = 'parsed';
  const core: LockReadCore = {
    format: result.format,
    packages: result.packages,
    directRequirements: result.directRequirements,
    skipped: result.skipped,
    runtimeProvidedLeftOut: result.runtimeProvidedLeftOut,
  };
  remember(key, deepFreeze(core));
  if (memoOptions.dir && validCore(core, format)) {
    storeEntry(memoOptions, key, core);
  }
  // The hash inputs from the files' bytes, as a remembered read has them (the same for any UTF-8 file).
  return { ...result, hashInputs };
}

/** The cache key `readLockFileCached` would use: hashes files, parses nothing. */
export function lockReadKey(file: string, target: LockTarget, options: ReadLockOptions = {}): string {
  const absolute = checkLockFile(file, options.errorPrefix);
  const format = lockFormatOf(absolute)!;
  const sources = [{ name: path.basename(absolute), sha256: sha256(fs.readFileSync(absolute)) }, ...siblingSources(absolute, format)];
  return sha256(JSON.stringify(lockHashInputs(format, sources, target, options)));
}

/** Where the last `readLockFileCached` call got its result from. */
export function lastLockReadSource(): LockReadSource | undefined {
  return lastSource;
}

/** Forgets the reads this process remembers (tests and the benchmark use it to see the disk memo). */
export function clearLockReadMemo(): void {
  memo.clear();
  lastSource = undefined;
}

/** The project files each reader reads beside the lock, present ones only, as `readLockText` reports them. */
function siblingSources(absolute: string, format: LockFormat): { name: string; sha256: string }[] {
  const name = format === 'pipfile' ? 'Pipfile' : format === 'uv' ? undefined : 'pyproject.toml';
  const sibling = name ? path.join(path.dirname(absolute), name) : undefined;
  if (!sibling || !fs.statSync(sibling, { throwIfNoEntry: false })?.isFile()) {
    return [];
  }
  return [{ name: name!, sha256: sha256(fs.readFileSync(sibling)) }];
}

function remember(key: string, core: LockReadCore): void {
  memo.delete(key);
  memo.set(key, core);
  while (memo.size > MEMO_ENTRIES) {
    memo.delete(memo.keys().next().value!);
  }
}

const ENTRY_KIND = 'cdk-traced-lambda lock read';

function entryFile(dir: string, key: string): string {
  return path.join(dir, '.lock-reads', `${key}.json`);
}

function seal(memoOptions: LockReadMemoOptions, payload: string): string {
  return memoOptions.signingKey !== undefined
    ? `hmac-sha256:${crypto.createHmac('sha256', memoOptions.signingKey).update(payload).digest('hex')}`
    : `sha256:${sha256(payload)}`;
}

/** Writes an entry atomically (a temporary file renamed into place); a failure to write only loses the memo. */
function storeEntry(memoOptions: LockReadMemoOptions, key: string, core: LockReadCore): void {
  const file = entryFile(memoOptions.dir!, key);
  const payload = JSON.stringify({ kind: ENTRY_KIND, readerVersion: LOCK_READER_VERSION, key, core });
  const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temporary, JSON.stringify({ payload, seal: seal(memoOptions, payload) }));
    fs.renameSync(temporary, file);
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // Nothing was written: `.lock-reads` is no directory (rmSync's force forgives only a missing file).
    }
  }
}

/**
 * Reads an entry, or undefined when it is missing, not sealed by this key (or signing key), for another key,
 * reader version or format, or holds anything a read could not have produced. The cache directory is untrusted:
 * the requirements text and hash inputs are always rebuilt from the checked fields, never read.
 */
function loadEntry(memoOptions: LockReadMemoOptions, key: string, format: LockFormat): LockReadCore | undefined {
  try {
    const outer = JSON.parse(fs.readFileSync(entryFile(memoOptions.dir!, key), 'utf8'));
    if (typeof outer?.payload !== 'string' || typeof outer.seal !== 'string' || !sameText(outer.seal, seal(memoOptions, outer.payload))) {
      return undefined;
    }
    const entry = JSON.parse(outer.payload);
    if (entry?.kind !== ENTRY_KIND || entry.readerVersion !== LOCK_READER_VERSION || entry.key !== key || !validCore(entry.core, format)) {
      return undefined;
    }
    return deepFreeze(entry.core as LockReadCore);
  } catch {
    return undefined;
  }
}

function sameText(a: string, b: string): boolean {
  return a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

const NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const REQUIREMENT = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\[[a-z0-9-]+(?:,[a-z0-9-]+)*\])?$/;
const VERSION = /^[A-Za-z0-9](?:[A-Za-z0-9.+!_-]*[A-Za-z0-9])?$/;
const HASH = /^sha(256|384|512):[0-9a-f]+$/;
// eslint-disable-next-line no-control-regex
const PRINTABLE = /^[^\u0000-\u001f\u007f-\u009f]*$/;

/** Whether `core` has exactly the shape and values a read produces (names, versions, hashes a pip line can take). */
function validCore(core: unknown, format: LockFormat): core is LockReadCore {
  const c = core as Partial<LockReadCore> | undefined;
  const strings = (v: unknown, pattern: RegExp) => Array.isArray(v) && v.every(x => typeof x === 'string' && pattern.test(x));
  const optional = (v: unknown, pattern: RegExp) => v === undefined || (typeof v === 'string' && pattern.test(v));
  const pinned = (p: PinnedPackage) => typeof p === 'object' && p !== null && NAME.test(p.name) && VERSION.test(p.version)
    && strings(p.hashes, HASH) && p.hashes.length > 0 && optional(p.index, PRINTABLE);
  const skipped = (s: SkippedPackage) => typeof s === 'object' && s !== null && typeof s.name === 'string' && PRINTABLE.test(s.name)
    && optional(s.version, PRINTABLE) && typeof s.reason === 'string' && PRINTABLE.test(s.reason);
  return typeof c === 'object' && c !== null && c.format === format
    && Array.isArray(c.packages) && c.packages.every(pinned)
    && strings(c.directRequirements, REQUIREMENT)
    && Array.isArray(c.skipped) && c.skipped.every(skipped)
    && strings(c.runtimeProvidedLeftOut, NAME);
}

/** Freezes `value` and everything in it (Object.isFrozen is true of null and every primitive, which need nothing). */
function deepFreeze<T>(value: T): T {
  if (!Object.isFrozen(value)) {
    Object.values(value as object).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
