import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { buildWheelhouse, cleanTemps, projectFromFixture, tempDir, X86 } from './helpers';
import { ErrorId } from '../../../lib';
import { clearLockReadMemo, lastLockReadSource, lockReadKey, readLockFile, readLockFileCached } from '../../../lib/layer/lock';
import { expectErrorId } from '../../helpers/errors';

// readLockFileCached: an unchanged lock (same bytes, project file and options) is never parsed again, in this
// process or, through the disk memo, in a later synth; the memo directory is untrusted input.
let wheelhouse: string;
beforeAll(() => {
  wheelhouse = buildWheelhouse();
});
beforeEach(clearLockReadMemo);
afterAll(cleanTemps);

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** Reads `lock` with a fresh process memo, as a later synth would, and says where the result came from. */
function nextSynth(lock: string, memoDir: string, options = {}, signingKey?: string) {
  clearLockReadMemo();
  const result = readLockFileCached(lock, X86, options, { dir: memoDir, signingKey });
  return { result, source: lastLockReadSource() };
}

/** The one memo entry in `memoDir`: its file and its parsed outer and inner JSON. */
function entryOf(memoDir: string) {
  const dir = path.join(memoDir, '.lock-reads');
  const files = fs.readdirSync(dir);
  expect(files).toHaveLength(1);
  const file = path.join(dir, files[0]);
  const outer = JSON.parse(fs.readFileSync(file, 'utf8'));
  return { file, outer, inner: JSON.parse(outer.payload) };
}

/** Rewrites the entry's payload with `edit`, sealing it again with a plain sha256 as an editor of the cache could. */
function rewriteEntry(memoDir: string, edit: (inner: any) => void, seal = (payload: string) => `sha256:${sha256(payload)}`): void {
  const { file, inner } = entryOf(memoDir);
  edit(inner);
  const payload = JSON.stringify(inner);
  fs.writeFileSync(file, JSON.stringify({ payload, seal: seal(payload) }));
}

test('an unchanged lock is read once per process, and a later synth finds it in the memo directory without parsing', () => {
  const lock = projectFromFixture('poetry', wheelhouse);
  const memoDir = tempDir();

  const first = readLockFileCached(lock, X86, {}, { dir: memoDir });
  expect(lastLockReadSource()).toBe('parsed');
  expect(readLockFileCached(lock, X86, {}, { dir: memoDir })).toEqual(first);
  expect(lastLockReadSource()).toBe('process');

  const later = nextSynth(lock, memoDir);
  expect(later.source).toBe('disk');
  expect(later.result).toEqual(readLockFile(lock, X86));
  expect(fs.existsSync(path.join(memoDir, '.lock-reads', `${lockReadKey(lock, X86)}.json`))).toBe(true);
});

test('the same lock read from another path gives that path and the same pins', () => {
  const lock = projectFromFixture('uv', wheelhouse);
  const copy = path.join(tempDir(), 'uv.lock');
  fs.copyFileSync(lock, copy);
  readLockFileCached(lock, X86);

  const result = readLockFileCached(copy, X86);

  expect(lastLockReadSource()).toBe('process');
  expect(result.file).toBe(copy);
  expect(result.requirementsText).toBe(readLockFile(lock, X86).requirementsText);
});

test.each([
  ['the lock\'s bytes', (lock: string) => fs.appendFileSync(lock, '\n'), {}],
  ['pyproject.toml beside it', (lock: string) => fs.appendFileSync(path.join(path.dirname(lock), 'pyproject.toml'), '\n'), {}],
  ['the chosen groups', () => undefined, { groups: ['dev'] }],
  ['keepRuntimeProvidedPackages', () => undefined, { keepRuntimeProvidedPackages: true }],
  ['the chosen extras', () => undefined, { extras: ['cli'] }],
])('a change of %s parses the lock again', (_what, change, options) => {
  const lock = projectFromFixture('poetry', wheelhouse);
  const memoDir = tempDir();
  nextSynth(lock, memoDir);
  change(lock);

  const again = nextSynth(lock, memoDir, options);

  expect(again.source).toBe('parsed');
  expect(again.result).toEqual(readLockFile(lock, X86, options));
});

test('a Pipfile.lock is read again when the Pipfile beside it changes, a uv.lock only when the lock does', () => {
  const pipfileLock = projectFromFixture('pipfile', wheelhouse);
  const memoDir = tempDir();
  nextSynth(pipfileLock, memoDir);
  fs.appendFileSync(path.join(path.dirname(pipfileLock), 'Pipfile'), '\n');
  expect(nextSynth(pipfileLock, memoDir).source).toBe('parsed');

  const uvLock = projectFromFixture('uv', wheelhouse);
  nextSynth(uvLock, memoDir);
  fs.appendFileSync(path.join(path.dirname(uvLock), 'pyproject.toml'), '\n');
  expect(nextSynth(uvLock, memoDir).source).toBe('disk');
});

test('this process remembers the last 8 reads', () => {
  const locks = Array.from({ length: 9 }, (_, i) => projectFromFixture('uv', wheelhouse, { edit: t => `${t}\n# ${i}\n` }));
  locks.forEach(lock => readLockFileCached(lock, X86));

  readLockFileCached(locks[1], X86);
  expect(lastLockReadSource()).toBe('process');
  readLockFileCached(locks[0], X86);
  expect(lastLockReadSource()).toBe('parsed');
});

test('a remembered read cannot be changed by its caller', () => {
  const lock = projectFromFixture('uv', wheelhouse);
  const first = readLockFileCached(lock, X86);

  expect(() => (first.packages as unknown[]).push('x')).toThrow(TypeError);
  expect(() => { (first.packages[0] as { version: string }).version = '6.6.6'; }).toThrow(TypeError);
  expect(readLockFileCached(lock, X86).packages).toEqual(readLockFile(lock, X86).packages);
});

test('a lock with bytes that are not UTF-8 gets the same hash inputs whether parsed or remembered', () => {
  const lock = projectFromFixture('uv', wheelhouse);
  fs.appendFileSync(lock, Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x0a]));
  const memoDir = tempDir();

  const first = nextSynth(lock, memoDir);
  const second = nextSynth(lock, memoDir);

  expect([first.source, second.source]).toEqual(['parsed', 'disk']);
  expect(second.result.hashInputs).toEqual(first.result.hashInputs);
});

test('another target is another key', () => {
  const lock = projectFromFixture('uv', wheelhouse);

  expect(lockReadKey(lock, X86)).not.toBe(lockReadKey(lock, { pythonVersion: '3.13', architecture: 'arm64' }));
  expect(lockReadKey(lock, X86)).toBe(lockReadKey(lock, { ...X86 }));
});

test('a lock that fails is not remembered: it fails again, with its id', () => {
  const lock = projectFromFixture('uv', wheelhouse, { edit: t => t.replace('version = 1\n', 'version = 9\n') });
  const memoDir = tempDir();

  expectErrorId(() => readLockFileCached(lock, X86, {}, { dir: memoDir }), ErrorId.LOCK_VERSION_UNSUPPORTED);
  expectErrorId(() => readLockFileCached(lock, X86, {}, { dir: memoDir }), ErrorId.LOCK_VERSION_UNSUPPORTED);
  expect(fs.existsSync(path.join(memoDir, '.lock-reads'))).toBe(false);
});

describe('the memo directory is untrusted', () => {
  test.each([
    ['a payload edited without its seal', (memoDir: string) => {
      const { file, outer } = entryOf(memoDir);
      fs.writeFileSync(file, JSON.stringify({ ...outer, payload: outer.payload.replace(/sha256:[0-9a-f]{64}/, `sha256:${'0'.repeat(64)}`) }));
    }],
    ['a truncated entry', (memoDir: string) => {
      const { file } = entryOf(memoDir);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 100));
    }],
    ['a name that is no package name', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.packages[0].name = 'evil --index-url=http://x'; })],
    ['a version with a space', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.packages[0].version = '1.0 --hash=sha256:00'; })],
    ['a package without hashes', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.packages[0].hashes = []; })],
    ['a control character in a skipped reason', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.skipped[0].reason = 'x\u001b[2J'; })],
    ['another key', (memoDir: string) => rewriteEntry(memoDir, e => { e.key = '0'.repeat(64); })],
    ['another reader version', (memoDir: string) => rewriteEntry(memoDir, e => { e.readerVersion = '0'; })],
    ['another kind of entry', (memoDir: string) => rewriteEntry(memoDir, e => { e.kind = 'something else'; })],
    ['an entry without its seal', (memoDir: string) => {
      const { file, outer } = entryOf(memoDir);
      fs.writeFileSync(file, JSON.stringify({ payload: outer.payload }));
    }],
    ['a hash that is no sha256/384/512 hex', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.packages[0].hashes = ['md5:00ff']; })],
    ['a hash beside a good one that is not', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.packages[0].hashes.push('sha256:XYZ'); })],
    ['an index with a control character', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.packages[0].index = 'https://x/\u0000'; })],
    ['a package that is not an object', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.packages.push(null); })],
    ['a direct requirement that is no name', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.directRequirements.push('x y'); })],
    ['a direct requirement that is not a string', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.directRequirements.push(7); })],
    ['packages that are not a list', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.packages = {}; })],
    ['a left-out package that is no name', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.runtimeProvidedLeftOut.push('BOTO3'); })],
    ['a skipped name with a control character', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.skipped[0].name = 'a\u0007'; })],
    ['a skipped version with a control character', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.skipped[0].version = '1\u0007'; })],
    ['a skipped entry without a reason', (memoDir: string) => rewriteEntry(memoDir, e => { delete e.core.skipped[0].reason; })],
    ['a skipped entry that is not an object', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.skipped.push(null); })],
    ['a core that is not an object', (memoDir: string) => rewriteEntry(memoDir, e => { e.core = null; })],
    ['another format', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.format = 'uv'; })],
    ['an index that is not a string', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.packages[0].index = 7; })],
    ['a skipped name that is not a string', (memoDir: string) => rewriteEntry(memoDir, e => { e.core.skipped[0].name = 7; })],
    ['a seal that is not a string, even with the right characters', (memoDir: string) => {
      const { file, outer } = entryOf(memoDir);
      fs.writeFileSync(file, JSON.stringify({ ...outer, seal: [...outer.seal].map((c: string) => c.charCodeAt(0)) }));
    }],
  ])('ignores %s and parses the lock again', (_what, tamper) => {
    const lock = projectFromFixture('poetry', wheelhouse);
    const memoDir = tempDir();
    nextSynth(lock, memoDir);
    tamper(memoDir);

    const again = nextSynth(lock, memoDir);

    expect(again.source).toBe('parsed');
    expect(again.result).toEqual(readLockFile(lock, X86));
  });

  test('without a signing key, an entry rewritten with a valid shape and its sha256 is used (what the seal cannot catch)', () => {
    const lock = projectFromFixture('poetry', wheelhouse);
    const memoDir = tempDir();
    nextSynth(lock, memoDir);
    rewriteEntry(memoDir, e => { e.core.packages[0].version = '6.6.6'; });

    const again = nextSynth(lock, memoDir);

    expect(again.source).toBe('disk');
    expect(again.result.packages[0].version).toBe('6.6.6');
  });

  test('with a signing key, the same rewrite is ignored, and so is an entry signed with another key', () => {
    const lock = projectFromFixture('poetry', wheelhouse);
    const memoDir = tempDir();
    nextSynth(lock, memoDir, {}, 'key-1');
    expect(nextSynth(lock, memoDir, {}, 'key-1').source).toBe('disk');
    expect(entryOf(memoDir).outer.seal).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);

    expect(nextSynth(lock, memoDir, {}, 'key-2').source).toBe('parsed');
    rewriteEntry(memoDir, e => { e.core.packages[0].version = '6.6.6'; });
    const again = nextSynth(lock, memoDir, {}, 'key-2');
    expect(again.source).toBe('parsed');
    expect(again.result).toEqual(readLockFile(lock, X86));
  });
});

test('a poetry.lock without a pyproject.toml beside it (or with a directory of that name) is remembered as read', () => {
  for (const replace of [false, true]) {
    const lock = projectFromFixture('poetry', wheelhouse, { omit: ['pyproject.toml'] });
    if (replace) {
      fs.mkdirSync(path.join(path.dirname(lock), 'pyproject.toml'));
    }
    const memoDir = tempDir();

    const first = nextSynth(lock, memoDir);
    const second = nextSynth(lock, memoDir);

    expect([first.source, second.source]).toEqual(['parsed', 'disk']);
    expect(first.result).toEqual(readLockFile(lock, X86));
    expect(second.result).toEqual(first.result);
  }
});

test('a memo directory that cannot be written only loses the memo, and leaves no temporary file', () => {
  const lock = projectFromFixture('uv', wheelhouse);
  const blocked = tempDir();
  fs.writeFileSync(path.join(blocked, '.lock-reads'), '');
  expect(nextSynth(lock, blocked).result).toEqual(readLockFile(lock, X86));
  expect(nextSynth(lock, blocked).source).toBe('parsed');

  const occupied = tempDir();
  fs.mkdirSync(path.join(occupied, '.lock-reads', `${lockReadKey(lock, X86)}.json`), { recursive: true });
  expect(nextSynth(lock, occupied).result).toEqual(readLockFile(lock, X86));
  expect(fs.readdirSync(path.join(occupied, '.lock-reads'))).toEqual([`${lockReadKey(lock, X86)}.json`]);
});
