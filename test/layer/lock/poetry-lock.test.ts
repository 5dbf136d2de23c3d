import * as fs from 'fs';
import * as path from 'path';
import { buildWheelhouse, cleanTemps, editPackage, fixtureDir, projectFromFixture, names, X86 } from './helpers';
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

/** Replaces the pyproject.toml beside `lock`. */
function writePyproject(lock: string, text: string): void {
  fs.writeFileSync(path.join(path.dirname(lock), 'pyproject.toml'), text);
}

/** The fixture's groups written as `category` (older 2.0 locks), package markers kept. */
const category20 = (t: string) => t.replace(/groups = \["main"\]/g, 'category = "main"').replace(/groups = \["dev"\]/g, 'category = "dev"')
  .replace('lock-version = "2.1"', 'lock-version = "2.0"');

test('fails on a lock without [metadata], naming the lock-version it lacks', () => {
  const lock = projectFromFixture('poetry', wheelhouse, { edit: t => t.replace(/\[metadata\][\s\S]*$/, '') });

  expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_VERSION_UNSUPPORTED, "'null'");
});

test('errors about [metadata] name the line of its header, not of text that mentions it', () => {
  const lock = projectFromFixture('poetry', wheelhouse, {
    edit: t => t.replace('description = "The function\'s library"', 'description = "reads [metadata]"').replace('\n[metadata]\n', '\n  [metadata]\n'),
  });
  const header = fs.readFileSync(lock, 'utf8').split('\n').indexOf('  [metadata]') + 1;

  expectErrorId(() => readLockFile(lock, { pythonVersion: '3.10', architecture: 'x86_64' }), ErrorId.LOCK_PYTHON_MISMATCH,
    new RegExp(`poetry\\.lock' line ${header}: `));
});

test('fails when a package entry has no name', () => {
  const lock = projectFromFixture('poetry', wheelhouse, { edit: editPackage('fake-lib', e => e.replace('name = "fake-lib"\n', '')) });

  expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_FILE_INVALID);
});

test('a 2.1 lock whose packages record no markers pins every package of the chosen groups on every target', () => {
  // Poetry 2 installs a 2.1 lock by its recorded groups and markers; no marker means every environment.
  const lock = projectFromFixture('poetry', wheelhouse, { edit: t => t.replace(/^markers = .*\n/gm, '') });

  const arm = readLockFile(lock, { pythonVersion: '3.13', architecture: 'arm64' });

  expect(names(arm)).toEqual(['fake-app', 'fake-lib', 'fake-old', 'fake-x86']);
  expect(arm.skipped).toContainEqual({ name: 'fake-extra', version: '1.0', reason: expect.stringMatching(/\S/) });
});

test('an older 2.0 lock with category and package markers is read by its markers, which the skips name', () => {
  const arm = readLockFile(projectFromFixture('poetry', wheelhouse, { edit: category20 }), { pythonVersion: '3.13', architecture: 'arm64' });

  expect(names(arm)).toEqual(['fake-app', 'fake-lib']);
  expect(arm.skipped).toContainEqual({ name: 'fake-x86', version: '1.0', reason: 'platform_machine == "x86_64"' });
});

test.each([
  ['2.1 (groups)', (t: string) => t],
  ['2.0 (category)', category20],
])('fails on a group no package of a %s lock is in, naming the groups it has', (_, edit) => {
  const lock = projectFromFixture('poetry', wheelhouse, { edit });

  expectErrorId(() => readLockFile(lock, X86, { groups: ['docs'] }), ErrorId.LOCK_GROUP_UNKNOWN, "'docs'", "'dev', 'main'");
});

test('a package of groups not chosen is skipped naming them', () => {
  const lock = projectFromFixture('poetry', wheelhouse, { edit: editPackage('fake-dev', e => e.replace('groups = ["dev"]', 'groups = ["dev", "docs"]')) });

  expect(readLockFile(lock, X86).skipped).toContainEqual({ name: 'fake-dev', version: '1.0', reason: expect.stringContaining("'dev', 'docs'") });
});

test('a package whose marker excludes the target in each chosen group is skipped naming each marker', () => {
  const lock = projectFromFixture('poetry', wheelhouse, {
    edit: editPackage('fake-dev', e => e.replace('groups = ["dev"]', 'groups = ["main", "dev"]\nmarkers = {main = "platform_machine == \\"aarch64\\"", dev = "python_version < \\"3.9\\""}')),
  });

  expect(readLockFile(lock, X86, { groups: ['dev'] }).skipped)
    .toContainEqual({ name: 'fake-dev', version: '1.0', reason: 'platform_machine == "aarch64" / python_version < "3.9"' });
});

test('a package from a legacy (index) source is pinned with its index; a git source without url is named as unknown', () => {
  const fromIndex = projectFromFixture('poetry', wheelhouse, {
    edit: editPackage('fake-lib', e => e.replace(/\n*$/, '\n\n[package.source]\ntype = "legacy"\nurl = "https://pypi.example.com/simple"\nreference = "example"\n\n')),
  });
  const result = readLockFile(fromIndex, X86);
  expect(names(result)).toEqual(['fake-app', 'fake-lib', 'fake-x86']);
  expect(result.lockIndexUrls).toEqual(['https://pypi.example.com/simple']);

  const fromGit = projectFromFixture('poetry', wheelhouse, {
    edit: editPackage('fake-lib', e => e.replace(/\n*$/, '\n\n[package.source]\ntype = "git"\nreference = "v1"\n\n')),
  });
  expectErrorId(() => readLockFile(fromGit, X86), ErrorId.LOCK_SOURCE_UNSUPPORTED, "'fake-lib'", "'git'", "'?'");
});

test('a files entry that is not a table gives no hash', () => {
  const lock = projectFromFixture('poetry', wheelhouse, {
    edit: editPackage('fake-lib', e => e.replace(/^files = \[\n[\s\S]*?\n\]\n/m, 'files = ["fake_lib-1.0-py3-none-any.whl"]\n')),
  });

  expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_HASHES_MISSING, "'fake-lib'");
});

describe('direct dependencies from pyproject.toml', () => {
  const withExtras = (t: string) => t.replace('[extras]\ncli = ["fake-extra"]', '[extras]\ncli = ["fake-extra"]\ngui = ["fake-lib"]\ntools = ["fake-dev"]');
  let lock: string;
  beforeAll(() => {
    lock = projectFromFixture('poetry', wheelhouse, { edit: withExtras });
    writePyproject(lock, fs.readFileSync(path.join(fixtureDir('poetry'), 'pyproject.toml'), 'utf8')
      .replace('cli = ["fake-extra (>=1.0)"]', 'cli = ["fake-extra (>=1.0)"]\ngui = ["fake-lib"]'));
  });

  test.each([
    [{}, ['fake-app', 'fake-old', 'fake-x86']],
    [{ extras: ['cli'] }, ['fake-app', 'fake-extra', 'fake-old', 'fake-x86']],
    [{ extras: ['gui'] }, ['fake-app', 'fake-lib', 'fake-old', 'fake-x86']],
    // tools is a Poetry extra with no [project.optional-dependencies] entry: it names nothing directly.
    [{ extras: ['tools'] }, ['fake-app', 'fake-old', 'fake-x86']],
    [{ groups: ['dev'] }, ['fake-app', 'fake-dev', 'fake-old', 'fake-x86']],
  ])('with %j: %j', (options, expected) => {
    expect(readLockFile(lock, X86, options).directDependencies).toEqual(expected);
  });
});

test('a 2.0 lock where only some entries record a category is walked from pyproject.toml like one with none', () => {
  const lock = projectFromFixture('poetry', wheelhouse, {
    edit: t => editPackage('boto3', e => e.replace('optional = false\n', 'optional = false\ncategory = "main"\n'))(poetry18(t)),
  });

  expect(names(readLockFile(lock, X86, { groups: ['dev'] }))).toEqual(['fake-app', 'fake-dev', 'fake-lib', 'fake-x86']);
});
