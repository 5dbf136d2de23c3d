import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { buildWheelhouse, cleanTemps, projectFromFixture, names, tempDir, X86 } from './helpers';
import { ErrorId } from '../../../lib';
import { readLockFile } from '../../../lib/layer/lock';
import { expectErrorId } from '../../helpers/errors';

// Pipfile.lock read natively: the default category, markers evaluated for the Lambda target.
let wheelhouse: string;
beforeAll(() => {
  wheelhouse = buildWheelhouse();
});
afterAll(cleanTemps);

test('pins exactly the default packages with every hash the lock lists', () => {
  const result = readLockFile(projectFromFixture('pipfile', wheelhouse), X86);

  expect(result.format).toBe('pipfile');
  expect(names(result)).toEqual(['fake-app', 'fake-lib', 'fake-x86']);
  expect(result.runtimeProvidedLeftOut).toEqual(['boto3', 'botocore']);
  expect(result.directDependencies).toEqual(['fake-app', 'fake-old', 'fake-x86']);
  expect(result.packages[0].hashes).toEqual([expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);
});

test('skips a package whose marker excludes arm64, and one whose marker excludes the target Python', () => {
  const result = readLockFile(projectFromFixture('pipfile', wheelhouse), { pythonVersion: '3.13', architecture: 'arm64' });

  expect(names(result)).toEqual(['fake-app', 'fake-lib']);
  expect(result.skipped.map(s => s.name)).toEqual(['fake-old', 'fake-x86']);
});

test('leaves develop out unless chosen (as develop or dev)', () => {
  const lock = projectFromFixture('pipfile', wheelhouse);

  expect(names(readLockFile(lock, X86))).not.toContain('fake-dev');
  expect(names(readLockFile(lock, X86, { groups: ['dev'] }))).toContain('fake-dev');
  expect(names(readLockFile(lock, X86, { groups: ['develop'] }))).toContain('fake-dev');
});

test('keeps every runtime-provided package when the Pipfile names one (the lock records no dependency graph)', () => {
  const lock = projectFromFixture('pipfile', wheelhouse);
  const pipfile = path.join(path.dirname(lock), 'Pipfile');
  fs.writeFileSync(pipfile, fs.readFileSync(pipfile, 'utf8').replace('[packages]\n', '[packages]\nboto3 = "*"\n'));

  const result = readLockFile(lock, X86);

  expect(names(result)).toEqual(['boto3', 'botocore', 'fake-app', 'fake-lib', 'fake-x86']);
  expect(result.runtimeProvidedLeftOut).toEqual([]);
});

test('fails when _meta.requires.python_version is not the layer\'s Python', () => {
  expectErrorId(() => readLockFile(projectFromFixture('pipfile', wheelhouse), { pythonVersion: '3.12', architecture: 'x86_64' }),
    ErrorId.LOCK_PYTHON_MISMATCH, /Pipfile\.lock' line \d+: /, "'3.13'", 'python3.12');
});

test('fails on an unknown pipfile-spec, on text that is not JSON, and on an entry without hashes', () => {
  expectErrorId(() => readLockFile(projectFromFixture('pipfile', wheelhouse, { edit: t => t.replace('"pipfile-spec": 6', '"pipfile-spec": 7') }), X86),
    ErrorId.LOCK_VERSION_UNSUPPORTED, "Pipfile.lock' line 6: ", "'7'");
  const notJson = projectFromFixture('pipfile', wheelhouse, { edit: t => t.replace('"default": {', '"default": {,') });
  const line = fs.readFileSync(notJson, 'utf8').split('\n').findIndex(l => l.includes('"default": {,')) + 1;
  expectErrorId(() => readLockFile(notJson, X86), ErrorId.LOCK_FILE_INVALID, `Pipfile.lock' line ${line}: `);
  expectErrorId(() => readLockFile(projectFromFixture('pipfile', wheelhouse, {
    edit: t => t.replace(/"fake-lib": \{\s*"hashes": \[\s*"sha256:[0-9a-f]+"\s*\],/, '"fake-lib": {'),
  }), X86), ErrorId.LOCK_HASHES_MISSING, "Pipfile.lock' line 40: ", "'fake-lib' '1.0'");
});

test('fails on a git entry, naming the fix', () => {
  const lock = projectFromFixture('pipfile', wheelhouse, {
    edit: t => t.replace('"fake-lib": {', '"fake-lib": {\n            "git": "https://github.com/example/fake-lib.git",\n            "ref": "0123456789abcdef",'),
  });

  expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_SOURCE_UNSUPPORTED, "'fake-lib'", 'git', 'https://github.com/example/fake-lib.git');
});

test('reports direct requirements with the extras the Pipfile asks for', () => {
  const lock = projectFromFixture('pipfile', wheelhouse);
  const pipfile = path.join(path.dirname(lock), 'Pipfile');
  fs.writeFileSync(pipfile, fs.readFileSync(pipfile, 'utf8').replace('fake-app = "*"', 'fake-app = {version = "*", extras = ["Socks", "cli"]}'));

  expect(readLockFile(lock, X86).directRequirements).toEqual(['fake-app[cli,socks]', 'fake-old', 'fake-x86']);
});

// Small hand-written Pipfile.lock files, shaped as Pipenv writes them (pipfile-spec 6; https://pipenv.pypa.io/en/latest/,
// read 2026-11-27), for what the fixture lock never holds. No wheel is built: Pipfile.lock names no files.
const HASH = `sha256:${'ab'.repeat(32)}`;
const pinnedEntry = (extra: Record<string, unknown> = {}) => ({ hashes: [HASH], version: '==1.0', ...extra });
const META = { 'pipfile-spec': 6, 'requires': { python_version: '3.13' }, 'sources': [{ name: 'pypi', url: 'https://pypi.org/simple', verify_ssl: true }] };

/** Writes Pipfile.lock (`lock`, as Pipenv indents it) and, when given, a Pipfile into a fresh directory; returns the lock's path. */
function pipfileLock(lock: Record<string, unknown>, pipfile?: string): string {
  const dir = tempDir('pipfile-');
  fs.writeFileSync(path.join(dir, 'Pipfile.lock'), JSON.stringify(lock, undefined, 4));
  if (pipfile !== undefined) {
    fs.writeFileSync(path.join(dir, 'Pipfile'), pipfile);
  }
  return path.join(dir, 'Pipfile.lock');
}

test('a lock without _meta is LOCK_VERSION_UNSUPPORTED naming the spec it knows (6)', () => {
  const e = expectErrorId(() => readLockFile(pipfileLock({ default: { 'fake-lib': pinnedEntry() } }), X86), ErrorId.LOCK_VERSION_UNSUPPORTED,
    "Pipfile.lock' line 1: ", "'null'");
  expect(e.message.replace(/^.*line \d+: /s, '')).toMatch(/\b6\b/);
});

test('_meta.requires: python_full_version when there is no python_version, on its line; none means any Python', () => {
  const lock = pipfileLock({ _meta: { ...META, requires: { python_full_version: '3.13.1' } }, default: { 'fake-lib': pinnedEntry() } });
  const line = fs.readFileSync(lock, 'utf8').split('\n').findIndex(l => l.includes('"python_full_version"')) + 1;

  expect(names(readLockFile(lock, X86))).toEqual(['fake-lib']);
  // The lock's full version, the runtime it needs, the layer's, and the python_version to set in the Pipfile.
  expectErrorId(() => readLockFile(lock, { pythonVersion: '3.12', architecture: 'x86_64' }), ErrorId.LOCK_PYTHON_MISMATCH,
    `Pipfile.lock' line ${line}: `, "'3.13.1'", "'3.13'", 'python3.12', '"3.12"');
  const anyPython = pipfileLock({ _meta: { ...META, requires: {} }, default: { 'fake-lib': pinnedEntry() } });
  expect(names(readLockFile(anyPython, { pythonVersion: '3.10', architecture: 'x86_64' }))).toEqual(['fake-lib']);
});

test('a package\'s index is the url of the _meta source it names', () => {
  const lock = pipfileLock({
    _meta: { ...META, sources: [...META.sources, { name: 'private', url: 'https://pypi.example.com/simple', verify_ssl: true }] },
    default: { 'fake-app': pinnedEntry({ index: 'private' }), 'fake-lib': pinnedEntry({ index: 'pypi' }), 'fake-x86': pinnedEntry() },
  });

  const result = readLockFile(lock, X86);

  expect(result.lockIndexUrls).toEqual(['https://pypi.example.com/simple']);
  expect(result.packages.map(p => p.index)).toEqual(['https://pypi.example.com/simple', 'https://pypi.org/simple', undefined]);
});

describe('categories: develop for dev, a custom one by its name, an unknown one refused', () => {
  const lock = () => pipfileLock({
    _meta: META,
    default: { 'fake-app': pinnedEntry(), 'fake-x86': pinnedEntry({ markers: "platform_machine == 'x86_64'" }) },
    develop: { 'fake-dev': pinnedEntry(), 'fake-x86': pinnedEntry() },
    docs: { 'fake-extra': pinnedEntry() },
  }, '[packages]\nfake-app = "*"\n\n[dev-packages]\nfake-dev = "*"\n\n[docs]\nfake-extra = "*"\n');

  test('a custom category (Pipfile [docs]) is chosen by its name; dev and the Pipfile sections follow the choice', () => {
    const file = lock();

    expect(names(readLockFile(file, X86, { groups: ['docs'] }))).toEqual(['fake-app', 'fake-extra', 'fake-x86']);
    expect(readLockFile(file, X86, { groups: ['docs'] }).directDependencies).toEqual(['fake-app', 'fake-extra']);
    expect(readLockFile(file, X86, { groups: ['dev'] }).directDependencies).toEqual(['fake-app', 'fake-dev']);
  });

  test('a package a chosen category installs is not reported skipped for the default category\'s marker', () => {
    const result = readLockFile(lock(), { pythonVersion: '3.13', architecture: 'arm64' }, { groups: ['dev'] });

    expect(names(result)).toEqual(['fake-app', 'fake-dev', 'fake-x86']);
    expect(result.skipped).toEqual([]);
  });

  test('an unknown category names the lock\'s categories (not _meta)', () => {
    const e = expectErrorId(() => readLockFile(lock(), X86, { groups: ['tests'] }), ErrorId.LOCK_GROUP_UNKNOWN, "'tests'", "'default'", "'develop'", "'docs'");
    expect(e.message).not.toContain("'_meta'");
  });

  test('a lock without a default category is read: nothing from it', () => {
    expect(names(readLockFile(pipfileLock({ _meta: META, develop: { 'fake-dev': pinnedEntry() } }), X86, { groups: ['develop'] }))).toEqual(['fake-dev']);
  });
});

test.each([
  ['path', { path: './mylib', editable: true }],
  ['file', { file: 'https://example.com/mylib-1.0.zip' }],
  ['editable', { editable: true, version: '==1.0', hashes: [HASH] }],
])('an entry of the %s kind is refused, naming it', (kind, entry) => {
  expectErrorId(() => readLockFile(pipfileLock({ _meta: META, default: { mylib: entry } }), X86), ErrorId.LOCK_SOURCE_UNSUPPORTED, "'mylib'", kind);
});

test('an entry marked "editable": false is an ordinary pinned package', () => {
  expect(names(readLockFile(pipfileLock({ _meta: META, default: { mylib: pinnedEntry({ editable: false }) } }), X86))).toEqual(['mylib']);
});

test('versions: "==" pins (spaces trimmed), another specifier is LOCK_VERSION_NOT_PINNED naming it, none is LOCK_VERSION_NOT_PINNED', () => {
  expect(readLockFile(pipfileLock({ _meta: META, default: { 'fake-lib': pinnedEntry({ version: '== 1.0' }) } }), X86).requirementsText)
    .toContain(`\nfake-lib==1.0 --hash=${HASH}\n`);
  expectErrorId(() => readLockFile(pipfileLock({ _meta: META, default: { 'fake-lib': pinnedEntry({ version: '>=1.0' }) } }), X86),
    ErrorId.LOCK_VERSION_NOT_PINNED, /Pipfile\.lock' line \d+: /, "'fake-lib'", "'>=1.0'");
  const none = expectErrorId(() => readLockFile(pipfileLock({ _meta: META, default: { 'fake-lib': { hashes: [HASH] } } }), X86),
    ErrorId.LOCK_VERSION_NOT_PINNED, "'fake-lib'");
  expect(none.message).not.toContain('undefined');
});

test('the Pipfile is optional, and part of the hash inputs when present', () => {
  const alone = readLockFile(pipfileLock({ _meta: META, default: { 'fake-lib': pinnedEntry() } }), X86);
  expect(alone.directDependencies).toEqual([]);
  expect(alone.hashInputs.sources.map(s => s.name)).toEqual(['Pipfile.lock']);

  const lock = pipfileLock({ _meta: META, default: { 'fake-lib': pinnedEntry() } }, '[packages]\nfake-lib = "*"\n');
  const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  expect(readLockFile(lock, X86).hashInputs.sources).toEqual([
    { name: 'Pipfile.lock', sha256: sha(lock) },
    { name: 'Pipfile', sha256: sha(path.join(path.dirname(lock), 'Pipfile')) },
  ]);
});
