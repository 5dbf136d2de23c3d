import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { buildWheelhouse, cleanTemps, editPackage, fixtureDir, names, projectFromFixture, toPoetry11, X86 } from './helpers';
import { ErrorId } from '../../../lib';
import { readLockFile } from '../../../lib/layer/lock';
import { expectErrorId } from '../../helpers/errors';

// poetry.lock lock-version 1.1 (Poetry 1.0-1.2): `category` instead of groups, files in [metadata.files], no
// package markers. First a real public lock (test/fixtures/lock/README.md cites it), then the fixture project
// written the same way.
let wheelhouse: string;
beforeAll(() => {
  wheelhouse = buildWheelhouse();
});
afterAll(cleanTemps);

/** The real lock's sha256 entry for `file` in [metadata.files]. */
function realHash(file: string): string {
  const text = fs.readFileSync(`${fixtureDir('poetry-1.1')}/poetry.lock`, 'utf8');
  return new RegExp(`\\{file = "${file.replace(/\./g, '\\.')}", hash = "(sha256:[0-9a-f]{64})"\\}`).exec(text)![1];
}

test('a real 1.1 lock pins its main category with the wheel hash of the locked version only', () => {
  const lock = projectFromFixture('poetry-1.1', wheelhouse);

  const result = readLockFile(lock, X86);

  expect(result.packages).toEqual([{ name: 'prompt', version: '0.4.1', hashes: [realHash('prompt-0.4.1-py3-none-any.whl')], index: undefined }]);
  expect(result.requirementsText).toContain(`prompt==0.4.1 --hash=${realHash('prompt-0.4.1-py3-none-any.whl')}\n`);
  expect(result.directDependencies).toEqual(['prompt']);
  expect(result.skipped.map(s => s.name)).toEqual(['flake8', 'importlib-metadata', 'mccabe', 'pycodestyle', 'pyflakes', 'typing-extensions', 'zipp']);
});

test('the dev category follows the dependency markers from pyproject.toml, as Poetry installs it', () => {
  const lock = projectFromFixture('poetry-1.1', wheelhouse);

  // importlib-metadata (and through it typing-extensions and zipp) only below Python 3.8.
  expect(names(readLockFile(lock, X86, { groups: ['dev'] }))).toEqual(['flake8', 'mccabe', 'prompt', 'pycodestyle', 'pyflakes']);
  expect(names(readLockFile(lock, { pythonVersion: '3.7', architecture: 'x86_64' }, { groups: ['dev'] })))
    .toEqual(['flake8', 'importlib-metadata', 'mccabe', 'prompt', 'pycodestyle', 'pyflakes', 'typing-extensions', 'zipp']);
});

test('without pyproject.toml, the category alone decides', () => {
  const lock = projectFromFixture('poetry-1.1', wheelhouse, { omit: ['pyproject.toml'] });

  expect(names(readLockFile(lock, X86))).toEqual(['prompt']);
  expect(names(readLockFile(lock, X86, { groups: ['dev'] })))
    .toEqual(['flake8', 'importlib-metadata', 'mccabe', 'prompt', 'pycodestyle', 'pyflakes', 'typing-extensions', 'zipp']);
});

test('of several versions in [metadata.files], only the locked version\'s files are pinned', () => {
  const other = `sha256:${crypto.createHash('sha256').update('other').digest('hex')}`;
  const lock = projectFromFixture('poetry-1.1', wheelhouse, {
    edit: t => t.replace('prompt = [\n', `prompt = [\n    {file = "prompt-0.3.0-py3-none-any.whl", hash = "${other}"},\n`),
  });

  expect(readLockFile(lock, X86).packages[0].hashes).toEqual([realHash('prompt-0.4.1-py3-none-any.whl')]);
});

test('the fixture project written as a 1.1 lock selects what its 2.1 lock does on each target', () => {
  const lock = projectFromFixture('poetry', wheelhouse, { edit: toPoetry11 });
  expect(fs.readFileSync(lock, 'utf8')).toMatch(/^lock-version = "1\.1"$/m);

  expect(names(readLockFile(lock, X86))).toEqual(['fake-app', 'fake-lib', 'fake-x86']);
  expect(names(readLockFile(lock, { pythonVersion: '3.11', architecture: 'arm64' }))).toEqual(['fake-app', 'fake-lib', 'fake-old']);
  expect(names(readLockFile(lock, X86, { groups: ['dev'], extras: ['cli'] }))).toEqual(['fake-app', 'fake-dev', 'fake-extra', 'fake-lib', 'fake-x86']);
});

test('fails when a main package has no entry in [metadata.files], naming it', () => {
  const lock = projectFromFixture('poetry-1.1', wheelhouse, { edit: t => t.replace(/^prompt = \[\n[\s\S]*?\n\]\n/m, '') });

  expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_HASHES_MISSING, /poetry\.lock' line \d+: /, "'prompt' '0.4.1'");
});

test('without pyproject.toml, an optional package comes only with a chosen extra that lists it', () => {
  const lock = projectFromFixture('poetry', wheelhouse, { edit: toPoetry11, omit: ['pyproject.toml'] });

  // A 1.1 lock records no package markers: every main package is pinned on every target.
  const plain = readLockFile(lock, { pythonVersion: '3.13', architecture: 'arm64' });
  expect(names(plain)).toEqual(['fake-app', 'fake-lib', 'fake-old', 'fake-x86']);
  expect(plain.skipped).toContainEqual({ name: 'fake-extra', version: '1.0', reason: expect.stringMatching(/\S/) });
  expect(names(readLockFile(lock, X86, { extras: ['cli'] }))).toEqual(['fake-app', 'fake-extra', 'fake-lib', 'fake-old', 'fake-x86']);
});

test('an optional package that a chosen group\'s package depends on is pinned without its extra', () => {
  const lock = projectFromFixture('poetry', wheelhouse, {
    edit: t => toPoetry11(editPackage('fake-dev', e => e.replace(/\n*$/, '\n\n[package.dependencies]\nfake-extra = ">=1.0"\n\n'))(t)),
  });

  expect(names(readLockFile(lock, X86))).toEqual(['fake-app', 'fake-lib', 'fake-x86']);
  expect(names(readLockFile(lock, X86, { groups: ['dev'] }))).toEqual(['fake-app', 'fake-dev', 'fake-extra', 'fake-lib', 'fake-x86']);
});

test('when the walk from pyproject.toml finds no entry for a name, the categories alone decide', () => {
  const lock = projectFromFixture('poetry-1.1', wheelhouse);
  fs.writeFileSync(path.join(path.dirname(lock), 'pyproject.toml'),
    '[tool.poetry.dependencies]\npython = "^3.6"\nprompt = "^0.4.1"\nprompt-extras = "^1.0"\n');

  expect(names(readLockFile(lock, X86, { groups: ['dev'] })))
    .toEqual(['flake8', 'importlib-metadata', 'mccabe', 'prompt', 'pycodestyle', 'pyflakes', 'typing-extensions', 'zipp']);
});

test('a marker in pyproject.toml that cannot be read fails the walk', () => {
  const lock = projectFromFixture('poetry-1.1', wheelhouse);
  fs.writeFileSync(path.join(path.dirname(lock), 'pyproject.toml'),
    '[tool.poetry.dependencies]\npython = "^3.6"\nprompt = { version = "^0.4.1", markers = "python_version <<< \'3\'" }\n');

  expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_MARKER_INVALID, "python_version <<< '3'");
});

test('the dev category\'s [tool.poetry.dev-dependencies] count as named directly when dev is chosen', () => {
  const lock = projectFromFixture('poetry-1.1', wheelhouse);

  expect(readLockFile(lock, X86, { groups: ['dev'] }).directDependencies).toEqual(['flake8', 'prompt']);
});

/** `[metadata.files]` of the real lock with prompt's list replaced by `entries`. */
const promptFiles = (entries: string[]) => (t: string) => t.replace(/^prompt = \[\n[\s\S]*?\n\]\n/m, `prompt = [\n${entries.map(e => `    ${e},`).join('\n')}\n]\n`);

test('of several versions in [metadata.files], another version\'s wheel is never pinned for the locked one', () => {
  const hash = (s: string) => `sha256:${crypto.createHash('sha256').update(s).digest('hex')}`;
  // Old releases on PyPI also carry Windows installers (.exe); an entry without a file name matches no version.
  const lock = projectFromFixture('poetry-1.1', wheelhouse, {
    edit: promptFiles([
      `{file = "prompt-0.3.0-py3-none-any.whl", hash = "${hash('a')}"}`,
      `{file = "prompt-0.3.0.win32.exe", hash = "${hash('b')}"}`,
      `{file = "prompt-0.4.1.tar.gz", hash = "${realHash('prompt-0.4.1.tar.gz')}"}`,
      `{hash = "${hash('c')}"}`,
    ]),
  });

  const error = expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_WHEEL_MISSING, "'prompt' '0.4.1'", "'prompt-0.4.1.tar.gz'");
  expect(error.message).not.toContain('prompt-0.3.0');
});

test('when no file in [metadata.files] names the locked version, all of the name\'s files are its files', () => {
  const lock = projectFromFixture('poetry-1.1', wheelhouse, { edit: t => t.replace('name = "prompt"\nversion = "0.4.1"', 'name = "prompt"\nversion = "0.4.1.0"') });

  expect(readLockFile(lock, X86).packages).toEqual([{ name: 'prompt', version: '0.4.1.0', hashes: [realHash('prompt-0.4.1-py3-none-any.whl')], index: undefined }]);
});
