import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cleanTemps, tempDir } from './helpers';
import { ErrorId } from '../../../lib';
import { lockFormatOf, readLockFile } from '../../../lib/layer/lock';
import { RUNTIME_PROVIDED_PACKAGES } from '../../../lib/layer/private/post-process';
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
  ['pylock.toml.bak', undefined],
  ['my-pylock.toml', undefined],
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

// ---- Small uv.lock files written inline: the common checks of readLockFile, whatever the format. ----

/** A dependency as uv writes it: a name, or a name with a marker and extras. */
type UvDep = string | { name: string; marker?: string; extra?: string[] };
/** A locked package: its dependencies, index (null: a direct URL, no index) and files (`[file name, hash]`). */
interface UvPackage {
  readonly name: string;
  readonly version?: string;
  readonly deps?: UvDep[];
  readonly optional?: Record<string, UvDep[]>;
  readonly index?: string | null;
  readonly files?: Array<[string, string]>;
}

/** A stable fake sha256 of `text` (the reader never checks hashes against files; pip does). */
const fakeHash = (text: string) => `sha256:${crypto.createHash('sha256').update(text).digest('hex')}`;

function uvDeps(deps: UvDep[]): string {
  return `[${deps.map(d => typeof d === 'string' ? { name: d } : d).map(d => `{ name = "${d.name}"`
    + (d.marker !== undefined ? `, marker = "${d.marker}"` : '')
    + (d.extra ? `, extra = [${d.extra.map(e => `"${e}"`).join(', ')}]` : '') + ' }').join(', ')}]`;
}

/** Writes a uv.lock whose project (a virtual root) depends on `root`, with `packages`; returns its path. */
function uvLock(root: UvDep[], packages: UvPackage[], rootOptional: Record<string, UvDep[]> = {}): string {
  const entries = [
    `[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { virtual = "." }\ndependencies = ${uvDeps(root)}\n`
    + (Object.keys(rootOptional).length > 0 ? '\n[package.optional-dependencies]\n' : '')
    + Object.entries(rootOptional).map(([k, v]) => `${k} = ${uvDeps(v)}\n`).join(''),
    ...packages.map(p => {
      const version = p.version ?? '1.0';
      const files = p.files ?? [[`${p.name.replace(/-/g, '_')}-${version}-py3-none-any.whl`, fakeHash(p.name)]];
      const source = p.index === null ? `{ url = "https://files.example/${files[0][0]}" }` : `{ registry = "${p.index ?? 'https://pypi.org/simple'}" }`;
      return `[[package]]\nname = "${p.name}"\nversion = "${version}"\nsource = ${source}\n`
        + (p.deps ? `dependencies = ${uvDeps(p.deps)}\n` : '')
        + `wheels = [${files.map(([f, h]) => `{ url = "https://files.example/${f}", hash = "${h}" }`).join(', ')}]\n`
        + (p.optional ? `\n[package.optional-dependencies]\n${Object.entries(p.optional).map(([k, v]) => `${k} = ${uvDeps(v)}`).join('\n')}\n` : '');
    }),
  ];
  const file = path.join(tempDir(), 'uv.lock');
  fs.writeFileSync(file, `version = 1\nrequires-python = ">=3.11"\n\n${entries.join('\n')}`);
  return file;
}

const names = (packages: Array<{ name: string }>) => packages.map(p => p.name);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('without an errorPrefix an error is reported for the lock file as given, and names where it resolved to', () => {
  const absolute = path.join(tempDir(), 'uv.lock');
  const relative = path.relative(process.cwd(), absolute);

  expectErrorId(() => readLockFile(relative, X86), ErrorId.LOCK_FILE_NOT_FOUND, new RegExp(`^'${escape(relative)}': `), `'${absolute}'`);
});

test('a reader\'s error names the construct first when given one, else the lock file and line', () => {
  const file = path.join(tempDir(), 'uv.lock');
  fs.writeFileSync(file, 'version = 1\nrequires-python = \n');

  expectErrorId(() => readLockFile(file, X86, { errorPrefix: 'Stack/Deps' }), ErrorId.LOCK_FILE_INVALID,
    new RegExp(`^Stack/Deps: '${escape(file)}' line 2: `));
  expectErrorId(() => readLockFile(file, X86), ErrorId.LOCK_FILE_INVALID, new RegExp(`^'${escape(file)}' line 2: `));
});

test.each(['null', '7', '"text"', 'true', '[1, 2]'])('fails when a Pipfile.lock is JSON %s, not an object', json => {
  const file = path.join(tempDir(), 'Pipfile.lock');
  fs.writeFileSync(file, json);

  expectErrorId(() => readLockFile(file, X86), ErrorId.LOCK_FILE_INVALID, `'${file}' line 1: `);
});

// The Lambda runtime provides boto3 and its dependencies (RUNTIME_PROVIDED_PACKAGES): a lock's copies are left out
// unless the project names one directly; then it and the runtime-provided packages it needs stay, so a pinned
// boto3 never runs against the runtime's older botocore.
describe('runtime-provided packages', () => {
  const BOTO = [
    { name: 'boto3', deps: ['botocore', 's3transfer'], optional: { crt: ['awscrt'] } },
    { name: 'awscrt' },
    { name: 's3transfer', deps: ['botocore'] },
    { name: 'botocore', deps: ['jmespath'] },
    { name: 'jmespath' },
    { name: 'fake-app', deps: ['urllib3', 'six'] },
    { name: 'urllib3' },
    { name: 'six' },
  ];

  test('a directly named boto3 (with an extra) keeps what it needs; the rest is left out, sorted', () => {
    const result = readLockFile(uvLock(['fake-app', { name: 'boto3', extra: ['crt'] }], BOTO), X86);

    expect(result.directRequirements).toEqual(['boto3[crt]', 'fake-app']);
    expect(names(result.packages)).toEqual(['awscrt', 'boto3', 'botocore', 'fake-app', 'jmespath', 's3transfer']);
    expect(result.runtimeProvidedLeftOut).toEqual(['six', 'urllib3']);
  });

  test('without a direct one, all of them are left out; keepRuntimeProvidedPackages keeps them all', () => {
    const lock = uvLock(['fake-app'], BOTO.slice(5));

    expect(names(readLockFile(lock, X86).packages)).toEqual(['fake-app']);
    const kept = readLockFile(lock, X86, { keepRuntimeProvidedPackages: true });
    expect(names(kept.packages)).toEqual(['fake-app', 'six', 'urllib3']);
    expect(kept.runtimeProvidedLeftOut).toEqual([]);
  });

  test('a dependency cycle among them ends', () => {
    const lock = uvLock(['boto3'], [{ name: 'boto3', deps: ['s3transfer'] }, { name: 's3transfer', deps: ['boto3', 'six'] }, { name: 'six' }]);

    expect(names(readLockFile(lock, X86).packages)).toEqual(['boto3', 's3transfer', 'six']);
  });

  test('only runtime-provided packages pull others in: one needed through a package the layer installs anyway is left out, '
    + 'as a dependency of any other layer package is', () => {
    const lock = uvLock(['boto3'], [{ name: 'boto3', deps: ['fake-lib'] }, { name: 'fake-lib', deps: ['urllib3'] }, { name: 'urllib3' }]);

    const result = readLockFile(lock, X86);

    expect(names(result.packages)).toEqual(['boto3', 'fake-lib']);
    expect(result.runtimeProvidedLeftOut).toEqual(['urllib3']);
  });

  test('where the lock records no dependencies for some of them and the project names one, all are kept', () => {
    const dir = tempDir();
    const wheel = (name: string) => `wheels = [{name = '${name}-1.0-py3-none-any.whl', hashes = {sha256 = '${fakeHash(name).slice(7)}'}}]`;
    fs.writeFileSync(path.join(dir, 'pylock.toml'), ["lock-version = '1.0'", "created-by = 'test'", '',
      '[[packages]]', "name = 'boto3'", "version = '1.0'", "dependencies = [{name = 'botocore'}]", wheel('boto3'), '',
      '[[packages]]', "name = 'botocore'", "version = '1.0'", wheel('botocore'), '',
      '[[packages]]', "name = 'six'", "version = '1.0'", 'dependencies = []', wheel('six'), ''].join('\n'));
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "app"\ndependencies = ["boto3"]\n');

    const result = readLockFile(path.join(dir, 'pylock.toml'), X86);

    expect(names(result.packages)).toEqual(['boto3', 'botocore', 'six']);
    expect(result.runtimeProvidedLeftOut).toEqual([]);
  });

  test('the default list is the runtime\'s', () => {
    expect(readLockFile(uvLock(['six'], [{ name: 'six' }]), X86).hashInputs.runtimeProvidedPackages).toEqual(RUNTIME_PROVIDED_PACKAGES);
  });
});

test('packages the target does not get are reported once each, sorted by name, a name\'s entries in lock order', () => {
  const lock = uvLock([
    { name: 'zz-win', marker: "sys_platform == 'win32'" },
    { name: 'fake-app' },
    { name: 'aa-mac', marker: "sys_platform == 'darwin'" },
    { name: 'colorama', marker: "sys_platform == 'win32'" },
  ], [
    { name: 'fake-app', deps: [{ name: 'colorama', marker: "os_name == 'nt'" }, { name: 'aa-mac', marker: "sys_platform == 'darwin'" }] },
  ]);

  expect(readLockFile(lock, X86).skipped).toEqual([
    { name: 'aa-mac', reason: "sys_platform == 'darwin'" },
    { name: 'colorama', reason: "sys_platform == 'win32'" },
    { name: 'colorama', reason: "os_name == 'nt'" },
    { name: 'zz-win', reason: "sys_platform == 'win32'" },
  ]);
});

test('the requirements file pins each package by name, version and the hash of every wheel, one line each, after a comment', () => {
  const lock = uvLock(['zz-lib', 'aa-lib'], [
    { name: 'zz-lib', version: '2.0' },
    {
      name: 'aa-lib',
      files: [['aa_lib-1.0-py3-none-manylinux_2_17_x86_64.whl', 'sha256:AA11'], ['aa_lib-1.0-py3-none-any.whl', 'sha256:bb22'],
        ['aa_lib-1.0.tar.gz', 'sha256:cc33']],
    },
  ]);

  const [header, ...lines] = readLockFile(lock, { pythonVersion: '3.12', architecture: 'arm64' }).requirementsText.split('\n');

  expect(header).toMatch(/^# /);
  expect(header).toContain('uv.lock');
  expect(header).toContain('python3.12 arm64');
  expect(lines).toEqual(['aa-lib==1.0 --hash=sha256:aa11 --hash=sha256:bb22', `zz-lib==2.0 --hash=${fakeHash('zz-lib')}`, '']);
});

test('the direct dependencies are the direct requirements without their extras, sorted', () => {
  const result = readLockFile(uvLock([{ name: 'requests', extra: ['socks'] }, 'requests-toolbelt'], [
    { name: 'requests', optional: { socks: [] } }, { name: 'requests-toolbelt' },
  ]), X86);

  expect(result.directRequirements).toEqual(['requests-toolbelt', 'requests[socks]']);
  expect(result.directDependencies).toEqual(['requests', 'requests-toolbelt']);
});

test('the lock\'s index URLs other than PyPI\'s are listed once each, sorted', () => {
  const lock = uvLock(['aa-pkg', 'bb-pkg', 'cc-pkg', 'dd-pkg', 'ee-pkg'], [
    { name: 'aa-pkg', index: 'https://z.example/simple' },
    { name: 'bb-pkg', index: 'https://a.example/simple' },
    { name: 'cc-pkg', index: 'https://a.example/simple' },
    { name: 'dd-pkg' },
    { name: 'ee-pkg', index: null },
  ]);

  expect(readLockFile(lock, X86).lockIndexUrls).toEqual(['https://a.example/simple', 'https://z.example/simple']);
});

// A hash goes onto pip's command line (`--hash=...`): anything but `sha256|sha384|sha512:<hex>` is refused, so a
// lock cannot smuggle an option in.
test.each([
  ['a prefix before the algorithm', 'xsha256:00ff'],
  ['text after the hex', 'sha256:00ff --index-url=https://evil.example/simple'],
  ['an algorithm pip does not check', 'md5:00ff'],
])('a package whose only hash has %s has no usable hash', (_what, hash) => {
  const lock = uvLock(['fake-lib'], [{ name: 'fake-lib', files: [['fake_lib-1.0-py3-none-any.whl', hash]] }]);

  expectErrorId(() => readLockFile(lock, X86), ErrorId.LOCK_HASHES_MISSING, "'fake-lib' '1.0'");
});

test('a poetry.lock file entry without a file name is no wheel', () => {
  const file = path.join(tempDir(), 'poetry.lock');
  fs.writeFileSync(file, ['[[package]]', 'name = "fake-lib"', 'version = "1.0"', 'optional = false', 'python-versions = ">=3.9"',
    'groups = ["main"]', `files = [{hash = "${fakeHash('fake-lib')}"}]`, '',
    '[metadata]', 'lock-version = "2.1"', 'python-versions = "^3.11"', 'content-hash = "00"', ''].join('\n'));

  expectErrorId(() => readLockFile(file, X86), ErrorId.LOCK_WHEEL_MISSING, "'fake-lib' '1.0'");
});

describe('the hash inputs (what decides whether a layer is rebuilt)', () => {
  const lock = () => uvLock(['fake-app'], [{ name: 'fake-app' }, { name: 'fake-extra' }],
    { cli: ['fake-extra'], web: ['fake-extra'] });

  test('options left out and the same options given as their defaults are the same inputs', () => {
    const file = lock();

    expect(readLockFile(file, X86, { groups: [], extras: [], keepRuntimeProvidedPackages: false }).hashInputs)
      .toEqual(readLockFile(file, X86).hashInputs);
  });

  test('the same extras in another order or spelling are the same inputs; other extras and keepRuntimeProvidedPackages are not', () => {
    const file = lock();
    const inputs = (options: object) => readLockFile(file, X86, options).hashInputs;

    expect(inputs({ extras: ['Web', 'cli'] })).toEqual(inputs({ extras: ['cli', 'web'] }));
    expect(inputs({ extras: ['cli'] })).not.toEqual(inputs({}));
    expect(inputs({ keepRuntimeProvidedPackages: true })).not.toEqual(inputs({}));
  });
});

test('the same groups in any order give the same result, even where two categories pin one package differently', () => {
  const file = path.join(tempDir(), 'Pipfile.lock');
  const entry = (version: string) => ({ x: { version: `==${version}`, hashes: [fakeHash(version)] } });
  fs.writeFileSync(file, JSON.stringify({
    _meta: { 'pipfile-spec': 6, 'requires': {}, 'sources': [] },
    default: {},
    develop: entry('1.0'),
    docs: entry('2.0'),
  }, undefined, 4));

  const result = readLockFile(file, X86, { groups: ['docs', 'dev'] });

  expect(result).toEqual(readLockFile(file, X86, { groups: ['dev', 'docs'] }));
  expect(result.hashInputs.groups).toEqual(['dev', 'docs']);
});

test('the same unknown extras in any order fail the same way', () => {
  const file = uvLock(['fake-app'], [{ name: 'fake-app' }]);
  const failure = (extras: string[]) => expectErrorId(() => readLockFile(file, X86, { extras }), ErrorId.LOCK_EXTRA_UNKNOWN).message;

  expect(failure(['zz', 'aa'])).toBe(failure(['aa', 'zz']));
});
