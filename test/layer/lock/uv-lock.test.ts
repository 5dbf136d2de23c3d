import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { buildWheelhouse, cleanTemps, editPackage, projectFromFixture, names, X86 } from './helpers';
import { ErrorId } from '../../../lib';
import { readLockFile } from '../../../lib/layer/lock';
import { expectErrorId } from '../../helpers/errors';

// uv.lock read natively: the project's non-dev dependency graph, markers evaluated for the Lambda target.
let wheelhouse: string;
beforeAll(() => {
  wheelhouse = buildWheelhouse();
});
afterAll(cleanTemps);

test('pins exactly the main dependencies, with the sha256 of every wheel, leaving out runtime-provided ones', () => {
  const result = readLockFile(projectFromFixture('uv', wheelhouse), X86);

  expect(result.format).toBe('uv');
  expect(names(result)).toEqual(['fake-app', 'fake-lib', 'fake-x86']);
  expect(result.runtimeProvidedLeftOut).toEqual(['boto3', 'botocore']);
  expect(result.directDependencies).toEqual(['fake-app', 'fake-old', 'fake-x86']);
  expect(result.requirementsText).toMatch(/^fake-lib==1\.0 --hash=sha256:[0-9a-f]{64}$/m);
  expect(result.lockIndexUrls).toEqual([]);
});

test('skips a package whose marker excludes arm64', () => {
  const result = readLockFile(projectFromFixture('uv', wheelhouse), { pythonVersion: '3.13', architecture: 'arm64' });

  expect(names(result)).toEqual(['fake-app', 'fake-lib']);
  expect(result.skipped).toContainEqual({ name: 'fake-x86', version: undefined, reason: "platform_machine == 'x86_64'" });
});

test('skips a package whose marker excludes the target Python, and installs it for an older one', () => {
  const lock = projectFromFixture('uv', wheelhouse);

  expect(readLockFile(lock, X86).skipped.map(s => s.name)).toContain('fake-old');
  expect(names(readLockFile(lock, { pythonVersion: '3.11', architecture: 'x86_64' }))).toContain('fake-old');
});

test('leaves the dev group out unless it is chosen; adds an extra when chosen', () => {
  const lock = projectFromFixture('uv', wheelhouse);

  expect(names(readLockFile(lock, X86))).not.toContain('fake-dev');
  expect(names(readLockFile(lock, X86, { groups: ['dev'] }))).toContain('fake-dev');
  expect(names(readLockFile(lock, X86, { extras: ['cli'] }))).toContain('fake-extra');
});

test('keeps boto3 and the botocore it needs when the project names boto3 directly', () => {
  const lock = projectFromFixture('uv', wheelhouse, {
    edit: t => t.replace('    { name = "fake-app" },\n', '    { name = "boto3" },\n    { name = "fake-app" },\n'),
  });

  const result = readLockFile(lock, X86);

  expect(names(result)).toEqual(['boto3', 'botocore', 'fake-app', 'fake-lib', 'fake-x86']);
  expect(result.runtimeProvidedLeftOut).toEqual([]);
});

test('fails when the lock\'s requires-python excludes the layer\'s Python', () => {
  expectErrorId(() => readLockFile(projectFromFixture('uv', wheelhouse), { pythonVersion: '3.10', architecture: 'x86_64' }),
    ErrorId.LOCK_PYTHON_MISMATCH, /uv\.lock': /, "'>=3.11'", 'uv.lock requires-python', 'python3.10');
});

test('fails when a chosen group or extra is not in the lock', () => {
  const lock = projectFromFixture('uv', wheelhouse);

  expectErrorId(() => readLockFile(lock, X86, { groups: ['docs'] }), ErrorId.LOCK_GROUP_UNKNOWN, "'docs'", "'dev'");
  expectErrorId(() => readLockFile(lock, X86, { extras: ['gui'] }), ErrorId.LOCK_EXTRA_UNKNOWN, "'gui'", "'cli'");
});

test('fails when a needed package has only an sdist, naming it, the target and the fix', () => {
  const lock = projectFromFixture('uv', wheelhouse, {
    edit: editPackage('fake-lib', e => e.replace(/wheels = \[\n.*\n\]/, 'sdist = { url = "https://files.pythonhosted.org/packages/00/00/fake_lib-1.0.tar.gz", '
      + `hash = "sha256:${'ab'.repeat(32)}", size = 1000 }`)),
  });

  expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_WHEEL_MISSING, /uv\.lock' line \d+: /, "'fake-lib' '1.0'", "'fake_lib-1.0.tar.gz'",
    'python3.13 x86_64', 'Fix: ');
});

test('fails when no wheel of a needed package fits the target platform', () => {
  const lock = projectFromFixture('uv', wheelhouse, {
    edit: t => t.replace('fake_lib-1.0-py3-none-any.whl', 'fake_lib-1.0-cp313-cp313-macosx_11_0_arm64.whl'),
  });

  expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_WHEEL_MISSING, "'fake-lib' '1.0'", 'python3.13 x86_64',
    "'fake_lib-1.0-cp313-cp313-macosx_11_0_arm64.whl'");
});

test('fails when a needed package has no hash, naming its line', () => {
  const lock = projectFromFixture('uv', wheelhouse, { edit: editPackage('fake-lib', e => e.replace(/hash = "sha256:[0-9a-f]+", /, '')) });
  const text = fs.readFileSync(lock, 'utf8');
  const line = text.split('\n').indexOf('name = "fake-lib"') + 1;

  expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_HASHES_MISSING, `uv.lock' line ${line}: `, "'fake-lib' '1.0'");
});

test('fails when the project depends on a git source', () => {
  const lock = projectFromFixture('uv', wheelhouse, {
    edit: editPackage('fake-lib', e => e.replace(/source = \{[^}]*\}/, 'source = { git = "https://github.com/example/fake-lib?rev=v1#0123456789abcdef" }')),
  });

  expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_SOURCE_UNSUPPORTED, "'fake-lib'", 'git', 'https://github.com/example/fake-lib');
});

test('a message echoes no control characters and no URL credentials from the lock', () => {
  const lock = projectFromFixture('uv', wheelhouse, {
    edit: editPackage('fake-lib', e => e.replace(/source = \{[^}]*\}/, 'source = { git = "https://deploy:s3cret@github.com/x\\u001b[2J.git" }')),
  });

  const e = expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_SOURCE_UNSUPPORTED, "'https://deploy:***@github.com/x\\x1b[2J.git'");
  expect(e.message).not.toMatch(/[\u0000-\u001f\u007f]/);
  expect(e.message).not.toContain('s3cret');
});

test('fails on an unknown lock version and on text that is not TOML, naming the line', () => {
  expectErrorId(() => readLockFile(projectFromFixture('uv', wheelhouse, { edit: t => t.replace('version = 1\n', 'version = 2\n') }), X86),
    ErrorId.LOCK_VERSION_UNSUPPORTED, "uv.lock' line 1: ", "'2'");
  expectErrorId(() => readLockFile(projectFromFixture('uv', wheelhouse, { edit: t => t.replace('revision = 3', 'revision = = 3') }), X86),
    ErrorId.LOCK_FILE_INVALID, "uv.lock' line 2: ");
});

test('the hash inputs cover the lock text, the choices and the target', () => {
  const lock = projectFromFixture('uv', wheelhouse);
  const result = readLockFile(lock, X86, { groups: ['Dev'] });

  expect(result.hashInputs).toMatchObject({
    format: 'uv',
    sources: [{ name: 'uv.lock', sha256: crypto.createHash('sha256').update(fs.readFileSync(lock)).digest('hex') }],
    groups: ['dev'],
    extras: [],
    target: { pythonVersion: '3.13', architecture: 'x86_64' },
  });
  expect(path.isAbsolute(result.file)).toBe(true);
});

test('follows a dependency\'s extra through the graph, and reports direct requirements with their extras', () => {
  const lock = projectFromFixture('uv', wheelhouse, {
    edit: t => editPackage('fake-lib', e => e.replace(/\n*$/, '\n\n[package.optional-dependencies]\ncli = [\n    { name = "fake-extra" },\n]\n\n'))(
      t.replace('    { name = "fake-app" },\n', '    { name = "fake-app" },\n    { name = "fake-lib", extra = ["CLI"] },\n')),
  });

  const result = readLockFile(lock, X86);

  expect(names(result)).toEqual(['fake-app', 'fake-extra', 'fake-lib', 'fake-x86']);
  expect(result.directRequirements).toEqual(['fake-app', 'fake-lib[cli]', 'fake-old', 'fake-x86']);
});

test('the hash inputs are the same for the same read and change with the target', () => {
  const lock = projectFromFixture('uv', wheelhouse);
  const key = (target: { pythonVersion: string; architecture: string }) => JSON.stringify(readLockFile(lock, target).hashInputs);

  expect(key(X86)).toBe(key({ ...X86 }));
  expect(key(X86)).not.toBe(key({ pythonVersion: '3.13', architecture: 'arm64' }));
});

test('starts from the [manifest] members of a workspace whose root is not a project', () => {
  const lock = projectFromFixture('uv', wheelhouse, {
    edit: t => t.replace('requires-python = ">=3.11"\n', 'requires-python = ">=3.11"\n\n[manifest]\nmembers = [\n    "app",\n]\n')
      .replace('source = { virtual = "." }', 'source = { editable = "packages/app" }'),
  });

  expect(names(readLockFile(lock, X86))).toEqual(['fake-app', 'fake-lib', 'fake-x86']);
});

test('fails when the lock has no project entry', () => {
  const lock = projectFromFixture('uv', wheelhouse, { edit: t => t.replace('source = { virtual = "." }', 'source = { registry = "https://pypi.org/simple" }') });

  expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_FILE_INVALID, /uv\.lock': /, 'Fix: ');
});

test('reports a package excluded on two paths once', () => {
  const lock = projectFromFixture('uv', wheelhouse, {
    edit: editPackage('fake-app', e => e.replace('    { name = "boto3" },\n', '    { name = "boto3" },\n    { name = "fake-x86", marker = "platform_machine == \'x86_64\'" },\n')),
  });

  const result = readLockFile(lock, { pythonVersion: '3.13', architecture: 'arm64' });

  expect(result.skipped.filter(s => s.name === 'fake-x86')).toHaveLength(1);
});
