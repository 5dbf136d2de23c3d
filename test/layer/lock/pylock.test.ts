import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { buildWheelhouse, cleanTemps, editPackage, projectFromFixture, names, tempDir, X86 } from './helpers';
import { ErrorId } from '../../../lib';
import { readLockFile } from '../../../lib/layer/lock';
import { expectErrorId } from '../../helpers/errors';

// pylock.toml (PEP 751) read natively: default groups, markers with extras/dependency_groups for the target.
let wheelhouse: string;
beforeAll(() => {
  wheelhouse = buildWheelhouse();
});
afterAll(cleanTemps);

test('pins exactly the default group, leaving out runtime-provided packages the project does not name', () => {
  const result = readLockFile(projectFromFixture('pylock', wheelhouse), X86);

  expect(result.format).toBe('pylock');
  expect(names(result)).toEqual(['fake-app', 'fake-lib', 'fake-x86']);
  expect(result.runtimeProvidedLeftOut).toEqual(['boto3', 'botocore']);
  expect(result.directDependencies).toEqual(['fake-app', 'fake-old', 'fake-x86']);
});

test('reads a named lock file, pylock.<name>.toml', () => {
  const lock = projectFromFixture('pylock', wheelhouse);
  const named = path.join(path.dirname(lock), 'pylock.lambda.toml');
  fs.renameSync(lock, named);

  expect(names(readLockFile(named, X86))).toEqual(['fake-app', 'fake-lib', 'fake-x86']);
});

test('skips a package whose marker excludes arm64, and one whose marker excludes the target Python', () => {
  const result = readLockFile(projectFromFixture('pylock', wheelhouse), { pythonVersion: '3.13', architecture: 'arm64' });

  expect(names(result)).toEqual(['fake-app', 'fake-lib']);
  expect(result.skipped).toContainEqual({ name: 'fake-x86', version: '1.0', reason: "'default' in dependency_groups and platform_machine == 'x86_64'" });
  expect(result.skipped.map(s => s.name)).toContain('fake-old');
});

test('leaves the dev group out unless chosen; adds an extra when chosen', () => {
  const lock = projectFromFixture('pylock', wheelhouse);

  expect(names(readLockFile(lock, X86))).not.toContain('fake-dev');
  expect(names(readLockFile(lock, X86, { groups: ['dev'] }))).toContain('fake-dev');
  expect(names(readLockFile(lock, X86, { extras: ['cli'] }))).toContain('fake-extra');
  expectErrorId(() => readLockFile(lock, X86, { groups: ['docs'] }), ErrorId.LOCK_GROUP_UNKNOWN, "'docs'", "'dev'");
  expectErrorId(() => readLockFile(lock, X86, { extras: ['gui'] }), ErrorId.LOCK_EXTRA_UNKNOWN, "'gui'", "'cli'");
});

test('fails when requires-python excludes the layer\'s Python, for the lock or for a package', () => {
  expectErrorId(() => readLockFile(projectFromFixture('pylock', wheelhouse), { pythonVersion: '3.10', architecture: 'x86_64' }),
    ErrorId.LOCK_PYTHON_MISMATCH, /pylock\.toml': /, "'>=3.11'", 'pylock.toml requires-python', 'python3.10');
  const lock = projectFromFixture('pylock', wheelhouse, { edit: editPackage('fake-lib', e => e.replace("requires-python = '>=3.9'", "requires-python = '<3.13'")) });
  expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_PYTHON_MISMATCH, /pylock\.toml' line \d+: /, "'<3.13'", 'requires-python of fake-lib');
});

test('fails when no environment of the lock is the target', () => {
  const lock = projectFromFixture('pylock', wheelhouse, { edit: t => t.replace('["sys_platform == \'linux\'"]', '["sys_platform == \'win32\'", "sys_platform == \'darwin\'"]') });

  expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_ENVIRONMENT_MISMATCH, "'sys_platform == 'win32''", "'sys_platform == 'darwin''",
    'python3.13 x86_64');
});

test('fails on an unknown lock-version, a vcs package and an unreadable marker', () => {
  expectErrorId(() => readLockFile(projectFromFixture('pylock', wheelhouse, { edit: t => t.replace("lock-version = '1.0'", "lock-version = '2.0'") }), X86),
    ErrorId.LOCK_VERSION_UNSUPPORTED, "pylock.toml' line 1: ", '\'"2.0"\'');
  expectErrorId(() => readLockFile(projectFromFixture('pylock', wheelhouse, {
    edit: editPackage('fake-lib', e => e.replace(/wheels = \[\n.*\n\]/, "vcs = {type = 'git', url = 'https://github.com/example/fake-lib', commit-id = '0123456789abcdef'}")),
  }), X86), ErrorId.LOCK_SOURCE_UNSUPPORTED, "'fake-lib'", 'vcs');
  expectErrorId(() => readLockFile(projectFromFixture('pylock', wheelhouse, {
    edit: editPackage('fake-lib', e => e.replace('marker = "\'default\' in dependency_groups"', 'marker = "platform_machine =="')),
  }), X86), ErrorId.LOCK_MARKER_INVALID, /pylock\.toml' line \d+: /, "'platform_machine =='");
});

test('reports direct requirements with their extras from pyproject.toml, including a chosen group', () => {
  const lock = projectFromFixture('pylock', wheelhouse);
  const pyproject = path.join(path.dirname(lock), 'pyproject.toml');
  fs.writeFileSync(pyproject, fs.readFileSync(pyproject, 'utf8').replace('"fake-app>=1.0"', '"Fake_App[Tracer]>=1.0"'));

  expect(readLockFile(lock, X86, { groups: ['dev'] }).directRequirements).toEqual(['fake-app[tracer]', 'fake-dev', 'fake-old', 'fake-x86']);
});

// Small hand-written pylock.toml files, shaped per PEP 751 (https://packaging.python.org/en/latest/specifications/pylock-toml/,
// read 2026-11-27), for what the fixture lock never holds. No wheel is built: the reader only checks each file's
// hash and name.
const HASH = `sha256:${'ab'.repeat(32)}`;

/** One `[[packages]]` entry with one wheel (none with `wheel: false`); `keys` go before `wheels`. */
function entry(name: string, options: { version?: string; keys?: string; wheel?: boolean } = {}): string {
  const version = options.version ?? '1.0';
  const file = `${name.replace(/-/g, '_')}-${version}-py3-none-any.whl`;
  return ['[[packages]]', `name = '${name}'`, `version = '${version}'`, ...options.keys ? [options.keys] : [],
    ...options.wheel === false ? [] : [`wheels = [{name = '${file}', url = 'https://files.example/${file}', hashes = {sha256 = '${HASH.slice(7)}'}}]`]].join('\n');
}

/** Writes pylock.toml (after `header`) and, when given, pyproject.toml into a fresh directory; returns the lock's path. */
function pylock(packages: string[], options: { header?: string; pyproject?: string } = {}): string {
  const dir = tempDir('pylock-');
  fs.writeFileSync(path.join(dir, 'pylock.toml'), `${options.header ?? "lock-version = '1.0'"}\ncreated-by = 'test'\n\n${packages.join('\n\n')}\n`);
  if (options.pyproject !== undefined) {
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), options.pyproject);
  }
  return path.join(dir, 'pylock.toml');
}

// PEP 751: an installer MUST refuse a major lock-version it does not support and SHOULD only warn on a newer minor.
test.each([
  ["lock-version = '1.0'", true],
  ["lock-version = '1.1'", true],
  ["lock-version = '1.10'", true],
  ["lock-version = '2.0'", false],
  ["lock-version = '11.0'", false],
  ["lock-version = '1'", false],
  ["lock-version = '1.0.1'", false],
  ['', false],
])('%j: read = %s', (header, readable) => {
  const lock = pylock([entry('fake-lib')], { header });

  if (readable) {
    expect(names(readLockFile(lock, X86))).toEqual(['fake-lib']);
  } else {
    expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_VERSION_UNSUPPORTED, "pylock.toml' line 1: ");
  }
});

test('an entry without a name, or two entries that both apply to the target, are LOCK_FILE_INVALID', () => {
  expectErrorId(() => readLockFile(pylock([entry('fake-lib'), "[[packages]]\nversion = '1.0'"]), X86), ErrorId.LOCK_FILE_INVALID, /pylock\.toml': /);
  expectErrorId(() => readLockFile(pylock([entry('fake-lib', { version: '1.0' }), entry('fake-lib', { version: '2.0' })]), X86),
    ErrorId.LOCK_FILE_INVALID, /pylock\.toml' line \d+: /, "'fake-lib'", "'1.0'", "'2.0'", 'python3.13 x86_64');
});

test('two entries of a package for different Pythons: the target gets one, and the other is not reported as skipped', () => {
  const lock = pylock([
    entry('fake-lib', { version: '1.0', keys: "marker = \"python_full_version < '3.12'\"" }),
    entry('fake-lib', { version: '2.0', keys: "marker = \"python_full_version >= '3.12'\"" }),
    entry('fake-x86', { keys: "marker = \"platform_machine == 'x86_64'\"" }),
  ]);

  const arm = readLockFile(lock, { pythonVersion: '3.13', architecture: 'arm64' });

  expect(arm.packages.map(p => `${p.name}==${p.version}`)).toEqual(['fake-lib==2.0']);
  expect(arm.skipped).toEqual([{ name: 'fake-x86', version: '1.0', reason: "platform_machine == 'x86_64'" }]);
  expect(readLockFile(lock, { pythonVersion: '3.11', architecture: 'x86_64' }).packages.map(p => `${p.name}==${p.version}`))
    .toEqual(['fake-lib==1.0', 'fake-x86==1.0']);
});

test.each([
  ['vcs', "vcs = {type = 'git', url = 'https://github.com/example/fake-lib', commit-id = '0123456789abcdef'}"],
  ['directory', "directory = {path = '../fake-lib', editable = true}"],
  ['archive', `archive = {url = 'https://example.com/fake-lib.tar.gz', hashes = {sha256 = '${HASH.slice(7)}'}}`],
])('a package from the %s source kind is refused', (kind, keys) => {
  expectErrorId(() => readLockFile(pylock([entry('fake-lib', { keys, wheel: false })]), X86), ErrorId.LOCK_SOURCE_UNSUPPORTED, "'fake-lib'", kind);
});

test('a wheel\'s file name is its name, else the last part of its url or path', () => {
  const wheels = (spec: string) => `wheels = [{${spec}, hashes = {sha256 = '${HASH.slice(7)}'}}]`;
  const lock = pylock([
    // A content-addressed url says nothing of the file: the name decides.
    entry('fake-app', { wheel: false, keys: wheels("name = 'fake_app-1.0-py3-none-any.whl', url = 'https://artifacts.example/blobs/sha256/abcdef'") }),
    entry('fake-lib', { wheel: false, keys: wheels("url = 'https://files.example/fake_lib-1.0-py3-none-any.whl?x=1#frag'") }),
    entry('fake-x86', { wheel: false, keys: wheels("path = 'wheels/fake_x86-1.0-cp313-cp313-manylinux_2_17_x86_64.whl'") }),
  ]);

  expect(names(readLockFile(lock, X86))).toEqual(['fake-app', 'fake-lib', 'fake-x86']);
  expectErrorId(() => readLockFile(lock, { pythonVersion: '3.13', architecture: 'arm64' }), ErrorId.LOCK_WHEEL_MISSING, "'fake-x86' '1.0'",
    "'fake_x86-1.0-cp313-cp313-manylinux_2_17_x86_64.whl'");
});

// pip's --require-hashes accepts sha256, sha384 and sha512 (hashlib's guaranteed algorithms, pip's STRONG_HASHES).
test.each([['sha384', 48], ['sha512', 64]])('a wheel hashed with %s only is pinned with that hash', (algorithm, bytes) => {
  const hex = 'cd'.repeat(Number(bytes));
  const lock = pylock([entry('fake-lib', {
    wheel: false,
    keys: `wheels = [{name = 'fake_lib-1.0-py3-none-any.whl', url = 'https://files.example/fake_lib-1.0-py3-none-any.whl', hashes = {${algorithm} = '${hex}'}}]`,
  })]);

  expect(readLockFile(lock, X86).packages[0].hashes).toEqual([`${algorithm}:${hex}`]);
});

test('a package with only an sdist is LOCK_WHEEL_MISSING naming the sdist; a wheels entry that is not a table is ignored', () => {
  const sdist = `sdist = {name = 'fake_lib-1.0.tar.gz', url = 'https://files.example/fake_lib-1.0.tar.gz', hashes = {sha256 = '${HASH.slice(7)}'}}`;
  expectErrorId(() => readLockFile(pylock([entry('fake-lib', { wheel: false, keys: sdist })]), X86), ErrorId.LOCK_WHEEL_MISSING,
    "'fake-lib' '1.0'", "'fake_lib-1.0.tar.gz'");

  const lock = pylock([entry('fake-lib', {
    wheel: false,
    keys: `${sdist}\nwheels = ['fake_lib-1.0-py3-none-any.whl', `
    + `{name = 'fake_lib-1.0-py3-none-any.whl', url = 'https://files.example/fake_lib-1.0-py3-none-any.whl', hashes = {sha256 = '${'ef'.repeat(32)}'}}]`,
  })]);
  expect(readLockFile(lock, X86).packages[0].hashes).toEqual([`sha256:${'ef'.repeat(32)}`]);
});

describe('runtime-provided packages the project names: the lock\'s dependencies decide which others stay', () => {
  const lock = (botocoreKeys: string) => pylock([
    entry('boto3', { version: '9.9', keys: "dependencies = [{name = 'botocore'}]" }),
    entry('botocore', { version: '9.9', keys: botocoreKeys }),
    entry('s3transfer', { version: '9.9', keys: 'dependencies = []' }),
  ], { pyproject: '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ["boto3"]\n' });

  test('every entry records them: what boto3 does not need is left out', () => {
    const result = readLockFile(lock('dependencies = []'), X86);

    expect(names(result)).toEqual(['boto3', 'botocore']);
    expect(result.runtimeProvidedLeftOut).toEqual(['s3transfer']);
  });

  test('an entry does not record them: every runtime-provided package stays', () => {
    const result = readLockFile(lock(''), X86);

    expect(names(result)).toEqual(['boto3', 'botocore', 's3transfer']);
    expect(result.runtimeProvidedLeftOut).toEqual([]);
  });
});

test('a lock for several environments is read when one of them is the target', () => {
  const lock = pylock([entry('fake-lib')], {
    header: "lock-version = '1.0'\nenvironments = [\"sys_platform == 'linux' and platform_machine == 'x86_64'\", "
    + "\"sys_platform == 'linux' and platform_machine == 'aarch64'\"]",
  });

  expect(names(readLockFile(lock, X86))).toEqual(['fake-lib']);
  expect(names(readLockFile(lock, { pythonVersion: '3.13', architecture: 'arm64' }))).toEqual(['fake-lib']);
});

test('a package\'s requires-python is PEP 440: Poetry\'s ^3.9 is LOCK_SPECIFIER_INVALID (packaging raises InvalidSpecifier)', () => {
  expectErrorId(() => readLockFile(pylock([entry('fake-lib', { keys: "requires-python = '^3.9'" })]), X86), ErrorId.LOCK_SPECIFIER_INVALID,
    /pylock\.toml' line \d+: /, "'^3.9'");
});

test('pyproject.toml: optional, read for the chosen extras\' direct requirements, and part of the hash inputs', () => {
  const alone = readLockFile(pylock([entry('fake-lib')]), X86);
  expect(alone.directDependencies).toEqual([]);
  expect(alone.hashInputs.sources.map(s => s.name)).toEqual(['pylock.toml']);

  const pyproject = '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ["fake-lib"]\n';
  expect(readLockFile(pylock([entry('fake-lib')], { pyproject }), X86, {}).directDependencies).toEqual(['fake-lib']);
  const withExtra = pylock([entry('fake-lib'), entry('fake-extra', { keys: "marker = \"'cli' in extras\"" })],
    { header: "lock-version = '1.0'\nextras = ['cli']", pyproject: `${pyproject}\n[project.optional-dependencies]\ncli = ["fake-extra"]\ngui = ["fake-gui"]\n` });
  const result = readLockFile(withExtra, X86, { extras: ['cli'] });
  expect(result.directDependencies).toEqual(['fake-extra', 'fake-lib']);
  expect(result.hashInputs.sources).toEqual([
    { name: 'pylock.toml', sha256: crypto.createHash('sha256').update(fs.readFileSync(withExtra)).digest('hex') },
    { name: 'pyproject.toml', sha256: crypto.createHash('sha256').update(fs.readFileSync(path.join(path.dirname(withExtra), 'pyproject.toml'))).digest('hex') },
  ]);
});
