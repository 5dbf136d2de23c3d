import * as fs from 'fs';
import * as path from 'path';
import { buildWheelhouse, cleanTemps, editPackage, projectFromFixture, names, X86 } from './helpers';
import { readLockFile } from '../../../lib/layer/lock';

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
  expect(() => readLockFile(lock, X86, { groups: ['docs'] })).toThrow(/dependency group 'docs' is not in the lock's dependency-groups \('dev'\)/);
});

test('fails when requires-python excludes the layer\'s Python, for the lock or for a package', () => {
  expect(() => readLockFile(projectFromFixture('pylock', wheelhouse), { pythonVersion: '3.10', architecture: 'x86_64' }))
    .toThrow(/pylock\.toml: the lock requires Python '>=3\.11' \(pylock\.toml requires-python\), but the layer is built for python3\.10/);
  const lock = projectFromFixture('pylock', wheelhouse, { edit: editPackage('fake-lib', e => e.replace("requires-python = '>=3.9'", "requires-python = '<3.13'")) });
  expect(() => readLockFile(lock, X86)).toThrow(/pylock\.toml line \d+: the lock requires Python '<3\.13' \(requires-python of fake-lib\)/);
});

test('fails when no environment of the lock is the target', () => {
  const lock = projectFromFixture('pylock', wheelhouse, { edit: t => t.replace('["sys_platform == \'linux\'"]', '["sys_platform == \'win32\'", "sys_platform == \'darwin\'"]') });

  expect(() => readLockFile(lock, X86)).toThrow(/none of the lock's environments \(sys_platform == 'win32' \| sys_platform == 'darwin'\) is python3\.13 x86_64 on Linux/);
});

test('fails on an unknown lock-version, a vcs package and an unreadable marker', () => {
  expect(() => readLockFile(projectFromFixture('pylock', wheelhouse, { edit: t => t.replace("lock-version = '1.0'", "lock-version = '2.0'") }), X86))
    .toThrow(/pylock\.toml line 1: unknown pylock\.toml lock-version "2\.0"/);
  expect(() => readLockFile(projectFromFixture('pylock', wheelhouse, {
    edit: editPackage('fake-lib', e => e.replace(/wheels = \[\n.*\n\]/, "vcs = {type = 'git', url = 'https://github.com/example/fake-lib', commit-id = '0123456789abcdef'}")),
  }), X86)).toThrow(/fake-lib comes from a vcs source/);
  expect(() => readLockFile(projectFromFixture('pylock', wheelhouse, {
    edit: editPackage('fake-lib', e => e.replace('marker = "\'default\' in dependency_groups"', 'marker = "platform_machine =="')),
  }), X86)).toThrow(/pylock\.toml line \d+: cannot read the environment marker 'platform_machine =='/);
});

test('reports direct requirements with their extras from pyproject.toml, including a chosen group', () => {
  const lock = projectFromFixture('pylock', wheelhouse);
  const pyproject = path.join(path.dirname(lock), 'pyproject.toml');
  fs.writeFileSync(pyproject, fs.readFileSync(pyproject, 'utf8').replace('"fake-app>=1.0"', '"Fake_App[Tracer]>=1.0"'));

  expect(readLockFile(lock, X86, { groups: ['dev'] }).directRequirements).toEqual(['fake-app[tracer]', 'fake-dev', 'fake-old', 'fake-x86']);
});
