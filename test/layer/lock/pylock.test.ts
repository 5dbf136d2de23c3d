import * as fs from 'fs';
import * as path from 'path';
import { buildWheelhouse, cleanTemps, editPackage, projectFromFixture, names, X86 } from './helpers';
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
