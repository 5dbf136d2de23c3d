import { buildWheelhouse, cleanTemps, editPackage, projectFromFixture, names, X86 } from './helpers';
import { ErrorId } from '../../../lib';
import { readLockFile } from '../../../lib/layer/lock';
import { expectErrorId } from '../../helpers/errors';

// poetry.lock read natively: the main group, markers evaluated for the Lambda target.
let wheelhouse: string;
beforeAll(() => {
  wheelhouse = buildWheelhouse();
});
afterAll(cleanTemps);

test('pins exactly the main group, leaving out runtime-provided packages the project does not name', () => {
  const result = readLockFile(projectFromFixture('poetry', wheelhouse), X86);

  expect(result.format).toBe('poetry');
  expect(names(result)).toEqual(['fake-app', 'fake-lib', 'fake-x86']);
  expect(result.runtimeProvidedLeftOut).toEqual(['boto3', 'botocore']);
  expect(result.directDependencies).toEqual(['fake-app', 'fake-old', 'fake-x86']);
  expect(result.hashInputs.sources.map(s => s.name)).toEqual(['poetry.lock', 'pyproject.toml']);
});

test('skips a package whose marker excludes arm64, and one whose marker excludes the target Python', () => {
  const arm = readLockFile(projectFromFixture('poetry', wheelhouse), { pythonVersion: '3.13', architecture: 'arm64' });

  expect(names(arm)).toEqual(['fake-app', 'fake-lib']);
  expect(arm.skipped).toContainEqual({ name: 'fake-x86', version: '1.0', reason: 'platform_machine == "x86_64"' });
  expect(arm.skipped).toContainEqual({ name: 'fake-old', version: '1.0', reason: 'python_version < "3.12"' });
});

test('leaves the dev group and optional packages out unless chosen', () => {
  const lock = projectFromFixture('poetry', wheelhouse);

  expect(readLockFile(lock, X86).skipped.map(s => s.name)).toEqual(expect.arrayContaining(['fake-dev', 'fake-extra']));
  expect(names(readLockFile(lock, X86, { groups: ['dev'] }))).toContain('fake-dev');
  expect(names(readLockFile(lock, X86, { extras: ['cli'] }))).toContain('fake-extra');
});

test('reads older 2.0 locks by category', () => {
  const lock = projectFromFixture('poetry', wheelhouse, {
    edit: t => t.replace(/groups = \["main"\]/g, 'category = "main"').replace(/groups = \["dev"\]/g, 'category = "dev"')
      .replace('lock-version = "2.1"', 'lock-version = "2.0"'),
  });

  expect(names(readLockFile(lock, X86))).toEqual(['fake-app', 'fake-lib', 'fake-x86']);
});

test('a marker table gives each group its own marker', () => {
  const lock = projectFromFixture('poetry', wheelhouse, {
    edit: editPackage('fake-dev', e => e.replace('groups = ["dev"]', 'groups = ["main", "dev"]\nmarkers = {main = "platform_machine == \\"aarch64\\"", dev = "python_version >= \\"3.9\\""}')),
  });

  expect(names(readLockFile(lock, X86))).not.toContain('fake-dev');
  expect(names(readLockFile(lock, X86, { groups: ['dev'] }))).toContain('fake-dev');
});

test('without pyproject.toml beside the lock, no package counts as named directly', () => {
  const result = readLockFile(projectFromFixture('poetry', wheelhouse, { omit: ['pyproject.toml'] }), X86);

  expect(result.directDependencies).toEqual([]);
  expect(result.runtimeProvidedLeftOut).toEqual(['boto3', 'botocore']);
});

test('fails when [metadata] python-versions (Poetry syntax) excludes the layer\'s Python', () => {
  expectErrorId(() => readLockFile(projectFromFixture('poetry', wheelhouse), { pythonVersion: '3.10', architecture: 'x86_64' }),
    ErrorId.LOCK_PYTHON_MISMATCH, /poetry\.lock' line \d+: /, "'^3.11'", '[metadata] python-versions', 'python3.10');
});

test('fails on an unknown lock-version, and on a 2.0 lock without groups or category', () => {
  expectErrorId(() => readLockFile(projectFromFixture('poetry', wheelhouse, { edit: t => t.replace('lock-version = "2.1"', 'lock-version = "1.0"') }), X86),
    ErrorId.LOCK_VERSION_UNSUPPORTED, /poetry\.lock' line \d+: /, '\'"1.0"\'', '1.1, 2.0, 2.1');
  expectErrorId(() => readLockFile(projectFromFixture('poetry', wheelhouse, { edit: t => t.replace(/groups = \["main"\]\n/g, ''), omit: ['pyproject.toml'] }), X86),
    ErrorId.LOCK_GROUPS_NOT_RECORDED, /poetry\.lock' line \d+: /, "'boto3'");
});

test('fails when a package entry has no version', () => {
  expectErrorId(() => readLockFile(projectFromFixture('poetry', wheelhouse, { edit: editPackage('fake-lib', e => e.replace('version = "1.0"\n', '')) }), X86),
    ErrorId.LOCK_VERSION_NOT_PINNED, /poetry\.lock' line \d+: /, "'fake-lib'");
});

test('fails when a needed package comes from a git source, or a chosen extra is not in [extras]', () => {
  const lock = projectFromFixture('poetry', wheelhouse, {
    edit: editPackage('fake-lib', e => e.replace(/\n*$/, '\n\n[package.source]\ntype = "git"\nurl = "https://github.com/example/fake-lib.git"\nreference = "v1"\nresolved_reference = "0123456789abcdef"\n\n')),
  });

  expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_SOURCE_UNSUPPORTED, /poetry\.lock' line \d+: /, "'fake-lib'", "'git'",
    "'https://github.com/example/fake-lib.git'");
  expectErrorId(() => readLockFile(projectFromFixture('poetry', wheelhouse), X86, { extras: ['gui'] }), ErrorId.LOCK_EXTRA_UNKNOWN, "'gui'", "'cli'");
});

/** The fixture as Poetry 1.5-1.8 wrote it: lock-version 2.0, no groups, no category, no package markers. */
const poetry18 = (t: string) => t.replace(/^groups = \[.*\]\n/gm, '').replace(/^markers = .*\n/gm, '')
  .replace('lock-version = "2.1"', 'lock-version = "2.0"');

test('reads a 2.0 lock without groups by following the dependencies from pyproject.toml', () => {
  const lock = projectFromFixture('poetry', wheelhouse, { edit: poetry18 });

  const x86 = readLockFile(lock, X86);
  expect(names(x86)).toEqual(['fake-app', 'fake-lib', 'fake-x86']);
  expect(x86.runtimeProvidedLeftOut).toEqual(['boto3', 'botocore']);
  expect(names(readLockFile(lock, { pythonVersion: '3.11', architecture: 'arm64' }))).toEqual(['fake-app', 'fake-lib', 'fake-old']);
  expect(names(readLockFile(lock, X86, { groups: ['dev'], extras: ['cli'] }))).toEqual(['fake-app', 'fake-dev', 'fake-extra', 'fake-lib', 'fake-x86']);
});

test('fails on a 2.0 lock without groups when there is no pyproject.toml beside it', () => {
  const lock = projectFromFixture('poetry', wheelhouse, { edit: poetry18, omit: ['pyproject.toml'] });

  expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_GROUPS_NOT_RECORDED, "'boto3'", 'pyproject.toml');
});
