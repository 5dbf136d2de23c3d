import * as fs from 'fs';
import * as path from 'path';
import { buildWheelhouse, cleanTemps, projectFromFixture, names, X86 } from './helpers';
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
