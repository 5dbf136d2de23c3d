import * as fs from 'fs';
import * as path from 'path';
import { cleanTemps, tempDir } from './helpers';
import { LockFileError, lockFormatOf, readLockFile } from '../../../lib/layer/lock';

afterAll(cleanTemps);
const X86 = { pythonVersion: '3.13', architecture: 'x86_64' };

test.each([
  ['uv.lock', 'uv'],
  ['poetry.lock', 'poetry'],
  ['Pipfile.lock', 'pipfile'],
  ['pylock.toml', 'pylock'],
  ['pylock.lambda.toml', 'pylock'],
  ['requirements.txt', undefined],
  ['pylock.a.b.toml', undefined],
  ['Pipfile', undefined],
])('recognizes %s as %s by its name', (name, format) => {
  expect(lockFormatOf(path.join('/some/dir', name))).toBe(format);
});

test('fails when the file name is none of the four, naming the file, the accepted names and the prefix', () => {
  const file = path.join(tempDir(), 'requirements.lock');
  fs.writeFileSync(file, '');

  expect(() => readLockFile(file, X86, { errorPrefix: 'Stack/Deps' })).toThrow(LockFileError);
  expect(() => readLockFile(file, X86, { errorPrefix: 'Stack/Deps' })).toThrow(
    /^Stack\/Deps: 'requirements\.lock' is not a lock file name this library reads .* Fix: pass one of uv\.lock, poetry\.lock, Pipfile\.lock, pylock\.toml \(or pylock\.<name>\.toml\)/);
});

test('fails when the lock file does not exist', () => {
  expect(() => readLockFile(path.join(tempDir(), 'uv.lock'), X86)).toThrow(/lock file not found: '.*uv\.lock'/);
});

test('fails when a Pipfile.lock is JSON but not an object', () => {
  const file = path.join(tempDir(), 'Pipfile.lock');
  fs.writeFileSync(file, '[1, 2]');

  expect(() => readLockFile(file, X86)).toThrow(/Pipfile\.lock line 1: not a Pipfile\.lock: the JSON is not an object/);
});

test('fails when pyproject.toml beside the lock is not TOML, naming it and its line', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'pylock.toml'), "lock-version = '1.0'\ncreated-by = 'test'\n");
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = \n');

  expect(() => readLockFile(path.join(dir, 'pylock.toml'), X86)).toThrow(/pyproject\.toml line 2: not valid TOML .* read for the direct dependencies of pylock\.toml/);
});
