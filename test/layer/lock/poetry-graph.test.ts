import * as crypto from 'crypto';
import * as fs from 'fs';
import { cleanTemps, projectFromTexts, X86 } from './helpers';
import { ErrorId } from '../../../lib';
import { readLockFile } from '../../../lib/layer/lock';
import { LockTarget } from '../../../lib/layer/lock/markers';
import { ReadLockOptions } from '../../../lib/layer/lock/model';
import { expectErrorId } from '../../helpers/errors';

// poetry.lock lock-version 2.0 as Poetry 1.5-1.8 writes it (no groups, no category, no package markers): what
// gets installed is found by walking `[package.dependencies]` from pyproject.toml, as Poetry's installer does.
// Dependency forms from https://python-poetry.org/docs/dependency-specification/ (read 2026-11-27): a constraint
// string (`^1.0`: >=1.0,<2.0; `~1.0`: >=1.0,<1.1), a table (`version`, `python`, `markers`, `optional`,
// `extras`); a package's `[package.extras]` lists PEP 508 requirements (`fake-fast (>=1.0)`).
afterAll(cleanTemps);

/** A sha256-shaped hash (the reader never checks it against a file). */
const hashOf = (s: string) => `sha256:${crypto.createHash('sha256').update(s).digest('hex')}`;

interface Entry {
  readonly name: string;
  readonly version?: string;
  readonly optional?: boolean;
  /** The lines of `[package.dependencies]`. */
  readonly dependencies?: string;
  /** The lines of `[package.extras]`. */
  readonly extras?: string;
}

function entry(e: Entry): string {
  const version = e.version ?? '1.0';
  return [
    '[[package]]', `name = "${e.name}"`, `version = "${version}"`, 'description = ""', `optional = ${e.optional ?? false}`,
    'python-versions = ">=3.9"', 'files = [',
    `    {file = "${e.name.replace(/-/g, '_')}-${version}-py3-none-any.whl", hash = "${hashOf(e.name + version)}"},`, ']',
    ...e.dependencies ? ['', '[package.dependencies]', e.dependencies] : [],
    ...e.extras ? ['', '[package.extras]', e.extras] : [],
    '',
  ].join('\n');
}

/** A Poetry 1.5-1.8 lock of `entries`, with the project's `[extras]` lines. */
function poetry18Lock(entries: Entry[], extras?: string): string {
  return `${entries.map(entry).join('\n')}\n${extras ? `[extras]\n${extras}\n\n` : ''}`
    + '[metadata]\nlock-version = "2.0"\npython-versions = "^3.9"\ncontent-hash = "0"\n';
}

function project(entries: Entry[], pyproject: string, extras?: string): string {
  return projectFromTexts({ 'poetry.lock': poetry18Lock(entries, extras), 'pyproject.toml': pyproject });
}

function read(lock: string, target: LockTarget = X86, options: ReadLockOptions = {}) {
  return readLockFile(lock, target, options);
}

/** `name==version` of each package pinned. */
const pins = (result: { packages: { name: string; version: string }[] }) => result.packages.map(p => `${p.name}==${p.version}`);

/** The line of the `name = "<name>"` of the first entry of `name` in a lock. */
function nameLine(lock: string, name: string): number {
  return fs.readFileSync(lock, 'utf8').split('\n').indexOf(`name = "${name}"`) + 1;
}

const APP_ONLY = '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ["fake-app"]\n';

test.each([
  ['a caret constraint', '"^1.0"'],
  ['a tilde constraint in a table', '{ version = "~1.0" }'],
  ['a PEP 440 range', '">=1.0,<2.0"'],
])('follows a dependency to the one entry of its name that %s allows', (_, constraint) => {
  const lock = project([
    { name: 'fake-app', dependencies: `fake-lib = ${constraint}` },
    { name: 'fake-lib', version: '1.0' },
    { name: 'fake-lib', version: '2.0' },
  ], APP_ONLY);

  const result = read(lock);

  expect(pins(result)).toEqual(['fake-app==1.0', 'fake-lib==1.0']);
  expect(result.directDependencies).toEqual(['fake-app']);
  expect(result.skipped).toEqual([{ name: 'fake-lib', version: '2.0', reason: expect.stringMatching(/\S/) }]);
});

test('a dependency constraint this reader cannot read leaves the entry of that name in', () => {
  const lock = project([{ name: 'fake-app', dependencies: 'fake-lib = "latest"' }, { name: 'fake-lib' }], APP_ONLY);

  expect(pins(read(lock))).toEqual(['fake-app==1.0', 'fake-lib==1.0']);
});

test('fails naming the dependent, the name and the constraint when the lock has no entry that fits', () => {
  const missingRoot = project([{ name: 'fake-app' }], '[project]\nname = "app"\ndependencies = ["fake-app", "fake-gone"]\n');
  expectErrorId(() => read(missingRoot), ErrorId.LOCK_FILE_INVALID, "'pyproject.toml'", "'fake-gone'");

  const noVersionFits = project([{ name: 'fake-app', dependencies: 'fake-lib = ">=2"' }, { name: 'fake-lib' }], APP_ONLY);
  expectErrorId(() => read(noVersionFits), ErrorId.LOCK_FILE_INVALID, "'fake-app 1.0'", "'fake-lib'", "'>=2'",
    new RegExp(`poetry\\.lock' line ${nameLine(noVersionFits, 'fake-lib')}: `));
});

test('fails naming how many entries fit when the constraints cannot tell several apart', () => {
  const lock = project([
    { name: 'fake-app', dependencies: 'fake-lib = "*"' },
    { name: 'fake-lib', version: '1.0' },
    { name: 'fake-lib', version: '3.0' },
  ], APP_ONLY);

  expectErrorId(() => read(lock), ErrorId.LOCK_FILE_INVALID, "'fake-app 1.0'", "'fake-lib'", / 2 /,
    new RegExp(`poetry\\.lock' line ${nameLine(lock, 'fake-lib')}: `));
});

test('a dependency restricted to some Pythons (`python = ...`, Poetry syntax) is followed only on those', () => {
  const lock = project([{ name: 'fake-app' }, { name: 'fake-new' }, { name: 'fake-old' }], [
    '[tool.poetry.dependencies]',
    'python = "^3.9"',
    'fake-app = "^1.0"',
    'fake-old = { version = "^1.0", python = "<3.12" }',
    'fake-new = { version = "^1.0", python = "^3.12" }',
  ].join('\n'));

  expect(pins(read(lock))).toEqual(['fake-app==1.0', 'fake-new==1.0']);
  expect(pins(read(lock, { pythonVersion: '3.11', architecture: 'x86_64' }))).toEqual(['fake-app==1.0', 'fake-old==1.0']);
});

test('fails naming a dependency\'s Python restriction that cannot be read', () => {
  const lock = project([{ name: 'fake-app' }], '[tool.poetry.dependencies]\nfake-app = { version = "^1.0", python = ">=>3" }\n');

  expectErrorId(() => read(lock), ErrorId.LOCK_SPECIFIER_INVALID, "'>=>3'");
});

describe('extras of a dependency', () => {
  const entries: Entry[] = [
    {
      name: 'fake-app',
      dependencies: 'fake-lib = "^1.0"\nfake-fast = { version = ">=1.0", optional = true }\nfake-gui = { version = ">=1.0", optional = true }',
      extras: 'gui = ["fake-gui (>=1.0)"]\nspeed = ["fake-fast (>=1.0)"]',
    },
    { name: 'fake-cli', dependencies: 'fake-app = { version = "*", extras = ["gui"] }' },
    { name: 'fake-fast' },
    { name: 'fake-gui' },
    { name: 'fake-lib' },
  ];

  test.each([
    ['a PEP 508 requirement in [project]', '[project]\nname = "app"\ndependencies = ["fake-app (>=1.0)"]\n',
      '[project]\nname = "app"\ndependencies = ["fake-app[speed] (>=1.0)"]\n'],
    ['a table in [tool.poetry.dependencies]', '[tool.poetry.dependencies]\nfake-app = "^1.0"\n',
      '[tool.poetry.dependencies]\nfake-app = { version = "^1.0", extras = ["speed"] }\n'],
  ])('bring in its optional dependencies only when asked for, by %s', (_, plain, withSpeed) => {
    expect(pins(read(project(entries, plain)))).toEqual(['fake-app==1.0', 'fake-lib==1.0']);

    const speed = read(project(entries, withSpeed));
    expect(pins(speed)).toEqual(['fake-app==1.0', 'fake-fast==1.0', 'fake-lib==1.0']);
    expect(speed.directRequirements).toEqual(['fake-app[speed]']);
  });

  test('an extra asked for on a second path adds its dependencies too', () => {
    const lock = project(entries, '[project]\nname = "app"\ndependencies = ["fake-app[speed]", "fake-cli"]\n');

    expect(pins(read(lock))).toEqual(['fake-app==1.0', 'fake-cli==1.0', 'fake-fast==1.0', 'fake-gui==1.0', 'fake-lib==1.0']);
  });
});

test('a dependency cycle ends, each package pinned once', () => {
  const lock = project([
    { name: 'fake-app', dependencies: 'fake-lib = "^1.0"' },
    { name: 'fake-lib', dependencies: 'fake-app = ">=1.0"' },
  ], APP_ONLY);

  expect(pins(read(lock))).toEqual(['fake-app==1.0', 'fake-lib==1.0']);
});

test('a dependency cycle whose edges ask for extras ends too', () => {
  const lock = project([
    { name: 'fake-app', dependencies: 'fake-lib = { version = "^1.0", extras = ["y"] }', extras: 'x = []' },
    { name: 'fake-lib', dependencies: 'fake-app = { version = ">=1.0", extras = ["x"] }', extras: 'y = []' },
  ], '[project]\nname = "app"\ndependencies = ["fake-app[x]"]\n');

  expect(pins(read(lock))).toEqual(['fake-app==1.0', 'fake-lib==1.0']);
});

test('an optional dependency of the project comes with the [tool.poetry.extras] entry that lists it, and only then', () => {
  const lock = project([
    { name: 'fake-app' },
    { name: 'fake-extra', optional: true },
    { name: 'fake-gui', optional: true },
  ], [
    '[tool.poetry.dependencies]',
    'python = "^3.9"',
    'fake-app = "^1.0"',
    'fake-extra = { version = "^1.0", optional = true }',
    'fake-gui = { version = "^1.0", optional = true }',
    '',
    '[tool.poetry.extras]',
    'cli = ["fake-extra"]',
    'gui = ["fake-gui"]',
  ].join('\n'), 'cli = ["fake-extra"]\ngui = ["fake-gui"]');

  expect(pins(read(lock))).toEqual(['fake-app==1.0']);
  expect(pins(read(lock, X86, { extras: ['cli'] }))).toEqual(['fake-app==1.0', 'fake-extra==1.0']);
  expect(pins(read(lock, X86, { extras: ['gui'] }))).toEqual(['fake-app==1.0', 'fake-gui==1.0']);
});

test('pyproject.toml entries that name no dependency are passed over', () => {
  const lock = project([{ name: 'fake-app' }], [
    '[project]', 'name = "app"', 'dependencies = ["fake-app", "-not a requirement"]', '',
    '[tool.poetry]', 'group = { dev = "not a table" }',
  ].join('\n'));

  const result = read(lock, X86, { groups: ['dev'] });

  expect(pins(result)).toEqual(['fake-app==1.0']);
  expect(result.directDependencies).toEqual(['fake-app']);
});
