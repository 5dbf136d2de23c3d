import * as fs from 'fs';
import * as path from 'path';
import { cleanTemps, names, tempDir, X86 } from './helpers';
import { ErrorId } from '../../../lib';
import { readLockFile } from '../../../lib/layer/lock';
import { expectErrorId } from '../../helpers/errors';

// uv.lock's dependency graph on small hand-written locks, shaped as uv writes them (uv's lock snapshots in
// https://github.com/astral-sh/uv/blob/main/crates/uv/tests/it/lock.rs, read 2026-11-27): workspaces, path
// dependencies, a package locked at two versions, extras and cycles. No wheel is built: the reader only
// checks that each wheel has a hash and a file name that fits the target.
afterAll(cleanTemps);

const HASH = `sha256:${'ab'.repeat(32)}`;
const PYPI = '{ registry = "https://pypi.org/simple" }';

/** One `[[package]]` entry; `keys` go before `wheels`, `tables` (sub-tables) after. */
function pkg(name: string, options: { version?: string; source?: string; keys?: string; tables?: string; wheel?: boolean } = {}): string {
  const version = options.version ?? '1.0';
  const wheel = options.wheel ?? (options.source === undefined || options.source === PYPI);
  return [
    '[[package]]', `name = "${name}"`, `version = "${version}"`, `source = ${options.source ?? PYPI}`,
    ...options.keys ? [options.keys] : [],
    ...wheel ? [`wheels = [\n    { url = "https://files.example/${name.replace(/-/g, '_')}-${version}-py3-none-any.whl", hash = "${HASH}" },\n]`] : [],
    ...options.tables ? [options.tables] : [],
  ].join('\n');
}

/** `dependencies = [...]` of the names (or inline tables) given. */
function deps(...entries: string[]): string {
  return `dependencies = [\n${entries.map(e => `    ${e.startsWith('{') ? e : `{ name = "${e}" }`},`).join('\n')}\n]`;
}

/** Writes a uv.lock (version 1) of `packages` after `header` into a fresh directory; returns its path. */
function uvLock(packages: string[], header = ''): string {
  const file = path.join(tempDir('uv-graph-'), 'uv.lock');
  fs.writeFileSync(file, `version = 1\nrevision = 3\nrequires-python = ">=3.11"\n${header}\n${packages.join('\n\n')}\n`);
  return file;
}

const pinned = (result: { packages: { name: string; version: string }[] }) => result.packages.map(p => `${p.name}==${p.version}`);
const project = (keys: string, tables?: string) => pkg('app', { source: '{ virtual = "." }', keys, tables });

test('a package locked at two versions: each target gets the one its marker selects', () => {
  const lock = uvLock([
    project(deps(
      '{ name = "fake-lib", version = "1.0", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version < \'3.12\'" }',
      '{ name = "fake-lib", version = "2.0", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version >= \'3.12\'" }')),
    pkg('fake-lib', { version: '1.0' }),
    pkg('fake-lib', { version: '2.0' }),
  ]);

  expect(pinned(readLockFile(lock, { pythonVersion: '3.11', architecture: 'x86_64' }))).toEqual(['fake-lib==1.0']);
  const result = readLockFile(lock, X86);
  expect(pinned(result)).toEqual(['fake-lib==2.0']);
  // The other version's edge is false, but the package is installed: it is not reported as skipped.
  expect(result.skipped).toEqual([]);
});

test('a dependency the lock has no entry for, or two entries without a version to choose: LOCK_FILE_INVALID naming both ends', () => {
  const missing = uvLock([project(deps('fake-missing'))]);
  const line = fs.readFileSync(missing, 'utf8').split('\n').indexOf('name = "app"') + 1;
  expectErrorId(() => readLockFile(missing, X86), ErrorId.LOCK_FILE_INVALID, `uv.lock' line ${line}: `, "'app'", "'fake-missing'");

  const missingVersion = uvLock([project(deps('{ name = "fake-lib", version = "3.0" }')), pkg('fake-lib')]);
  expectErrorId(() => readLockFile(missingVersion, X86), ErrorId.LOCK_FILE_INVALID, "'app'", "'fake-lib'", "'3.0'");

  const ambiguous = uvLock([project(deps('fake-lib')), pkg('fake-lib', { version: '1.0' }), pkg('fake-lib', { version: '2.0' })]);
  const e = expectErrorId(() => readLockFile(ambiguous, X86), ErrorId.LOCK_FILE_INVALID, "'app'", "'fake-lib'");
  // The message names how many entries match (2).
  expect(e.message.replace(/^.*line \d+: /s, '')).toMatch(/\b2\b/);
});

test('a packaged project (source = { editable = "." }) is the root as a virtual one is', () => {
  const lock = uvLock([pkg('app', { source: '{ editable = "." }', keys: deps('fake-lib') }), pkg('fake-lib')]);

  expect(names(readLockFile(lock, X86))).toEqual(['fake-lib']);
});

test('another workspace member is no root: its dependencies are not installed unless the project depends on it', () => {
  const lock = uvLock([
    project(deps('fake-lib')),
    pkg('fake-lib'),
    pkg('worker', { source: '{ editable = "packages/worker" }', keys: deps('fake-extra') }),
    pkg('fake-extra'),
  ]);

  expect(names(readLockFile(lock, X86))).toEqual(['fake-lib']);
});

test.each([
  ['editable', '"../mylib"'],
  ['virtual', '"packages/mylib"'],
  ['directory', '"../mylib"'],
  ['git', '"https://github.com/example/mylib?rev=v1#0123456789abcdef"'],
])('a needed package from the %s source kind is refused, naming it and the source', (kind, where) => {
  const lock = uvLock([project(deps('mylib')), pkg('mylib', { source: `{ ${kind} = ${where} }`, keys: deps('fake-lib') }), pkg('fake-lib')]);

  expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_SOURCE_UNSUPPORTED, "'mylib'", kind, `'${where.slice(1, -1)}'`);
});

test('a package from a local wheel (source = { path = ... }) is pinned by its file name and hash', () => {
  const lock = uvLock([project(deps('mylib')),
    pkg('mylib', { source: '{ path = "wheels/mylib-1.0-py3-none-any.whl" }', keys: `wheels = [\n    { filename = "mylib-1.0-py3-none-any.whl", hash = "${HASH}" },\n]` })]);

  expect(readLockFile(lock, X86).packages).toEqual([{ name: 'mylib', version: '1.0', hashes: [HASH], index: undefined }]);
});

describe('a workspace whose root is not a project starts from every [manifest] member', () => {
  const members = '\n[manifest]\nmembers = [\n    "app",\n    "worker",\n]\n';
  const workspace = (appDeps: string[]) => uvLock([
    pkg('app', {
      source: '{ editable = "packages/app" }',
      keys: deps(...appDeps),
      tables: '[package.optional-dependencies]\ncli = [\n    { name = "fake-extra" },\n]\n\n[package.dev-dependencies]\nlint = [\n    { name = "fake-old" },\n]',
    }),
    pkg('worker', { source: '{ editable = "packages/worker" }', keys: deps('fake-lib'), tables: '[package.dev-dependencies]\ndev = [\n    { name = "fake-dev" },\n]' }),
    pkg('fake-lib'), pkg('fake-extra'), pkg('fake-dev'), pkg('fake-old'),
    pkg('mylib', { source: '{ editable = "../mylib" }' }),
  ], members);

  test('an extra of one member and a group of another can be chosen; a member another depends on is not installed', () => {
    const lock = workspace(['worker']);

    expect(names(readLockFile(lock, X86))).toEqual(['fake-lib']);
    expect(names(readLockFile(lock, X86, { extras: ['cli'], groups: ['dev'] }))).toEqual(['fake-dev', 'fake-extra', 'fake-lib']);
  });

  test('an unknown group or extra names those of every member, sorted', () => {
    const lock = workspace([]);

    const group = expectErrorId(() => readLockFile(lock, X86, { groups: ['docs'] }), ErrorId.LOCK_GROUP_UNKNOWN, "'docs'", "'dev'", "'lint'");
    expect(group.message.indexOf("'dev'")).toBeLessThan(group.message.indexOf("'lint'"));
    expectErrorId(() => readLockFile(lock, X86, { extras: ['gui'] }), ErrorId.LOCK_EXTRA_UNKNOWN, "'gui'", "'cli'");
  });

  test('an editable path dependency of a member is not a member: it is refused', () => {
    expectErrorId(() => readLockFile(workspace(['mylib']), X86), ErrorId.LOCK_SOURCE_UNSUPPORTED, "'mylib'", 'editable');
  });

  test('a member name that only an index package has is no project entry', () => {
    const lock = uvLock([pkg('fake-lib')], '\n[manifest]\nmembers = [\n    "fake-lib",\n]\n');

    expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_FILE_INVALID, /uv\.lock': /);
  });
});

test('extras: sorted in the direct requirements, followed when a package is reached again with a new one', () => {
  const lock = uvLock([
    project(deps('fake-app', '{ name = "fake-lib", extra = ["socks", "cli"] }')),
    pkg('fake-app', { tables: '[package.optional-dependencies]\ncli = [\n    { name = "fake-extra" },\n]' }),
    // fake-lib's extras add no package (uv writes no optional-dependencies table for them); it needs fake-app[cli].
    pkg('fake-lib', { keys: deps('{ name = "fake-app", extra = ["cli"] }') }),
    pkg('fake-extra'),
  ]);

  const result = readLockFile(lock, X86);

  expect(result.directRequirements).toEqual(['fake-app', 'fake-lib[cli,socks]']);
  expect(names(result)).toEqual(['fake-app', 'fake-extra', 'fake-lib']);
});

test('cycles end: two packages that need each other, and extras that need each other', () => {
  const lock = uvLock([
    project(deps('fake-app', '{ name = "fake-old", extra = ["y"] }')),
    pkg('fake-app', { keys: deps('fake-lib') }),
    pkg('fake-lib', { keys: deps('fake-app') }),
    pkg('fake-old', { tables: '[package.optional-dependencies]\ny = [\n    { name = "fake-x86", extra = ["x"] },\n]' }),
    pkg('fake-x86', { tables: '[package.optional-dependencies]\nx = [\n    { name = "fake-old", extra = ["y"] },\n]' }),
  ]);

  expect(names(readLockFile(lock, X86))).toEqual(['fake-app', 'fake-lib', 'fake-old', 'fake-x86']);
});

test('a runtime-provided package needed through a kept package\'s chosen extra is kept (as botocore[crt] for boto3[crt])', () => {
  const lock = uvLock([
    project(deps('{ name = "fake-app", extra = ["cli"] }', 'fake-x86')),
    pkg('fake-app', { keys: deps('fake-dev'), tables: '[package.optional-dependencies]\ncli = [\n    { name = "fake-lib" },\n]' }),
    pkg('fake-lib'), pkg('fake-dev'), pkg('fake-x86', { keys: deps('fake-old') }), pkg('fake-old'),
  ]);

  const result = readLockFile(lock, X86, { runtimeProvidedPackages: ['fake-app', 'fake-lib', 'fake-dev', 'fake-old'] });

  expect(names(result)).toEqual(['fake-app', 'fake-dev', 'fake-lib', 'fake-x86']);
  expect(result.runtimeProvidedLeftOut).toEqual(['fake-old']);
});

test('an entry or a dependency without a name is LOCK_FILE_INVALID; a wheels entry that is not a table is ignored', () => {
  expectErrorId(() => readLockFile(uvLock([project(deps('fake-lib')), pkg('fake-lib'), '[[package]]\nversion = "1.0"']), X86),
    ErrorId.LOCK_FILE_INVALID, /uv\.lock': /);
  expectErrorId(() => readLockFile(uvLock([project(deps('fake-lib')), pkg('fake-lib', { keys: deps('{ version = "1.0" }') })]), X86),
    ErrorId.LOCK_FILE_INVALID, "'fake-lib'");

  const lock = uvLock([project(deps('fake-lib')), pkg('fake-lib', {
    wheel: false,
    keys: 'wheels = [\n    "fake_lib-1.0-py3-none-any.whl",\n'
    + `    { url = "https://files.example/fake_lib-1.0-py3-none-any.whl", hash = "${HASH}" },\n]`,
  })]);
  expect(readLockFile(lock, X86).packages).toEqual([{ name: 'fake-lib', version: '1.0', hashes: [HASH], index: 'https://pypi.org/simple' }]);
});
