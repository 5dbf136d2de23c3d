import * as fs from 'fs';
import * as path from 'path';
import { cleanTemps, tempDir } from './helpers';
import { ErrorId } from '../../../lib';
import { lockFormatOf, readLockFile } from '../../../lib/layer/lock';
import { expectErrorId } from '../../helpers/errors';

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

  expectErrorId(() => readLockFile(file, X86, { errorPrefix: 'Stack/Deps' }), ErrorId.LOCK_FILE_NAME_UNKNOWN, /^Stack\/Deps: /,
    "'requirements.lock'", 'uv.lock, poetry.lock, Pipfile.lock, pylock.toml (or pylock.<name>.toml)');
});

test('fails when the lock file does not exist', () => {
  const file = path.join(tempDir(), 'uv.lock');
  expectErrorId(() => readLockFile(file, X86), ErrorId.LOCK_FILE_NOT_FOUND, `'${file}'`);
  fs.mkdirSync(file);
  expectErrorId(() => readLockFile(file, X86), ErrorId.LOCK_FILE_NOT_FOUND, `'${file}'`);
});

test('fails when a Pipfile.lock is JSON but not an object', () => {
  const file = path.join(tempDir(), 'Pipfile.lock');
  fs.writeFileSync(file, '[1, 2]');

  expectErrorId(() => readLockFile(file, X86), ErrorId.LOCK_FILE_INVALID, `'${file}' line 1: `);
});

test('fails when pyproject.toml beside the lock is not TOML, naming it and its line', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'pylock.toml'), "lock-version = '1.0'\ncreated-by = 'test'\n");
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = \n');

  expectErrorId(() => readLockFile(path.join(dir, 'pylock.toml'), X86), ErrorId.LOCK_PROJECT_FILE_INVALID,
    `'${path.join(dir, 'pyproject.toml')}' line 2: `, 'pylock.toml');
});
