import { buildWheelhouse, cleanTemps, editPackage, projectFromFixture, names, X86 } from './helpers';
import { readLockFile } from '../../../lib/layer/lock';

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
  expect(() => readLockFile(projectFromFixture('poetry', wheelhouse), { pythonVersion: '3.10', architecture: 'x86_64' }))
    .toThrow(/poetry\.lock line \d+: the lock requires Python '\^3\.11' \(poetry\.lock \[metadata\] python-versions\), but the layer is built for python3\.10/);
});

test('fails on an unknown lock-version, and on a 2.0 lock without groups or category', () => {
  expect(() => readLockFile(projectFromFixture('poetry', wheelhouse, { edit: t => t.replace('lock-version = "2.1"', 'lock-version = "1.1"') }), X86))
    .toThrow(/unknown poetry\.lock lock-version "1\.1" .* Fix: lock again with Poetry 1\.3 or later/);
  expect(() => readLockFile(projectFromFixture('poetry', wheelhouse, { edit: t => t.replace(/groups = \["main"\]\n/g, ''), omit: ['pyproject.toml'] }), X86))
    .toThrow(/poetry\.lock line \d+: boto3 has neither groups .* Fix: lock again with Poetry 2\.0 or later/);
});

test('fails when a package entry has no version', () => {
  expect(() => readLockFile(projectFromFixture('poetry', wheelhouse, { edit: editPackage('fake-lib', e => e.replace('version = "1.0"\n', '')) }), X86))
    .toThrow(/poetry\.lock line \d+: fake-lib has no version, so it cannot be pinned/);
});

test('fails when a needed package comes from a git source, or a chosen extra is not in [extras]', () => {
  const lock = projectFromFixture('poetry', wheelhouse, {
    edit: editPackage('fake-lib', e => e.replace(/\n*$/, '\n\n[package.source]\ntype = "git"\nurl = "https://github.com/example/fake-lib.git"\nreference = "v1"\nresolved_reference = "0123456789abcdef"\n\n')),
  });

  expect(() => readLockFile(lock, X86)).toThrow(/poetry\.lock line \d+: fake-lib comes from a git source \(https:\/\/github\.com\/example\/fake-lib\.git\)/);
  expect(() => readLockFile(projectFromFixture('poetry', wheelhouse), X86, { extras: ['gui'] })).toThrow(/extra 'gui' is not in the lock's \[extras\]; it has 'cli'/);
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

  expect(() => readLockFile(lock, X86)).toThrow(/boto3 has neither groups .* and there is no pyproject\.toml beside the lock .* Fix: lock again with Poetry 2\.0 or later/);
});
