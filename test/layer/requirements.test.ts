import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cleanTempDirs, requirements, tempDir } from './helpers';
import { parseRequirements } from '../../lib/layer/private/requirements';
import { formatRequirementName, normalizeName, parseRequirementName, requirementsInclude } from '../../lib/private/python-names';

afterEach(cleanTempDirs);

test.each([
  ['Friendly-Bard', 'friendly-bard'],
  ['FRIENDLY_BARD', 'friendly-bard'],
  ['friendly.bard', 'friendly-bard'],
  ['friendly--._bard', 'friendly-bard'],
  ['  Six\t', 'six'],
])('normalizes %j to %s (PEP 503)', (name, normalized) => {
  expect(normalizeName(name)).toBe(normalized);
});

test.each([
  ['Aws_Lambda.Powertools[Tracer] >= 3', { name: 'aws-lambda-powertools', extras: ['tracer'] }],
  ['  six==1.16.0', { name: 'six', extras: [] }],
  ['X', { name: 'x', extras: [] }],
  ['attrs-', { name: 'attrs', extras: [] }],
  ['requests [ Socks , security ]', { name: 'requests', extras: ['security', 'socks'] }],
  ['pkg[b_x,,a.y, ]', { name: 'pkg', extras: ['a-y', 'b-x'] }],
  ['pkg[]; python_version < "3.13"', { name: 'pkg', extras: [] }],
  ['mypkg @ https://example.invalid/mypkg-1.0-py3-none-any.whl', { name: 'mypkg', extras: [] }],
])('parses the name and extras of %j', (spec, expected) => {
  expect(parseRequirementName(spec)).toEqual(expected);
});

test.each(['', '   ', '-r more.txt', '--hash=sha256:1e61c374', '_private', '[tracer]'])('%j does not start with a requirement name', spec => {
  expect(parseRequirementName(spec)).toBeUndefined();
});

test('formats name[extras] canonically, the bare name without extras', () => {
  expect(formatRequirementName({ name: 'aws-lambda-powertools', extras: ['parser', 'tracer'] })).toBe('aws-lambda-powertools[parser,tracer]');
  expect(formatRequirementName({ name: 'six', extras: [] })).toBe('six');
  expect(formatRequirementName(parseRequirementName('Powertools[Tracer, Parser]>=3')!)).toBe('powertools[parser,tracer]');
});

test('reads names, extras, includes, markers and URL forms; ignores comments and options', () => {
  const dir = tempDir();
  requirements(dir, 'Jsonpickle>=4  # pinned below\n-r ../loop.txt\n', 'sub/more.txt');
  requirements(dir, '-r sub/more.txt\n', 'loop.txt');
  const file = requirements(dir, [
    '--extra-index-url https://x.example/simple',
    'aws-xray-sdk==2.14.0; python_version >= "3.8"',
    'Powertools[Parser, tracer]>=3',
    'mypkg @ https://example.invalid/mypkg-1.0-py3-none-any.whl',
    'https://example.invalid/raw.whl',
    '-rsub/more.txt',
  ].join('\n'));
  const parsed = parseRequirements(file);
  expect(parsed.requirements).toEqual(['aws-xray-sdk', 'powertools[parser,tracer]', 'mypkg', 'jsonpickle']);
  expect(parsed.sources.map(s => s.name)).toEqual(['requirements.txt', 'sub/more.txt', 'loop.txt']);
  expect(parsed.hasHashes).toBe(false);
  expect(fs.existsSync(path.join(dir, 'requirements.txt'))).toBe(true);
});

test('detects hashes, including on continuation lines', () => {
  const file = requirements(tempDir(), 'six==1.16.0 \\\n    --hash=sha256:1e61c374\n');
  expect(parseRequirements(file)).toMatchObject({ requirements: ['six'], hasHashes: true });
});

test('requirementsInclude matches names and extras after normalization', () => {
  const reqs = ['aws-lambda-powertools[parser,tracer]', 'six'];
  expect(requirementsInclude(reqs, 'AWS_Lambda_Powertools', 'Tracer')).toBe(true);
  expect(requirementsInclude(reqs, 'aws-lambda-powertools', 'validation')).toBe(false);
  expect(requirementsInclude(reqs, 'six')).toBe(true);
  expect(requirementsInclude(reqs, 'six', 'x')).toBe(false);
  expect(requirementsInclude(reqs, 'boto3')).toBe(false);
  expect(requirementsInclude(['-r more.txt', 'Six'], 'six')).toBe(true);
  expect(requirementsInclude([], 'six')).toBe(false);
});

describe('refuses what would override the platform or fetch outside the key, naming the file, line and fix', () => {
  test.each([
    ['--no-binary', 'cext==1.0\n--no-binary cext\n', 2, /--no-binary would build from source for this machine[^]*Fix: remove the line/],
    ['--no-binary= on a requirement', 'cext==1.0 --no-binary=:all:\n', 1, /--no-binary/],
    ['--only-binary other than :all:', '--only-binary cext\ncext\n', 1, /--only-binary cext would allow source builds[^]*Fix: remove the line/],
    ['-e', 'six\n-e ./local/pkg\n', 2, /editable requirements \(-e\)[^]*Fix: build a wheel for it/],
    ['--editable', '--editable=git+https://x.example/p.git#egg=p\n', 1, /editable requirements/],
    ['a VCS URL', 'six\n# comment\np @ git+https://x.example/p.git\n', 3, /VCS requirements \(git\+, hg\+, svn\+, bzr\+\)[^]*Fix: build a wheel/],
    ['an hg URL', 'hg+https://x.example/p#egg=p\n', 1, /VCS requirements/],
    ['a local file requirement', 'p @ file:///tmp/p-1.0-py3-none-any.whl\n', 1, /local file is not part of the layer's hash[^]*Fix: build a wheel/],
    ['a local path requirement', './pkgs/p-1.0-py3-none-any.whl\n', 1, /local path is not part of the layer's hash/],
  ])('fails when the file has %s', (_, text, line, message) => {
    const file = requirements(tempDir(), text);
    expect(() => parseRequirements(file, { noIndex: false, constructPath: 'Stack/Deps' }))
      .toThrow(new RegExp(`^Stack/Deps: [^]*\\(${file.replace(/[.]/g, '\\.')}, line ${line}: '`));
    expect(() => parseRequirements(file, { noIndex: false, constructPath: 'Stack/Deps' })).toThrow(message);
  });

  test.each([
    ['a URL find-links line', '--find-links https://w.example/wheels\nsix\n', /noIndex is set, but this --find-links line names a URL/],
    ['a -f URL line', '-f http://w.example/\nsix\n', /noIndex is set, but this --find-links line names a URL/],
    ['a direct URL requirement', 'p @ https://x.example/p-1.0-py3-none-any.whl\n', /noIndex is set, but this requirement is fetched from a URL/],
    ['a bare URL requirement', 'https://x.example/p-1.0-py3-none-any.whl\n', /noIndex is set, but this requirement is fetched from a URL/],
  ])('fails with noIndex when the file has %s', (_, text, message) => {
    const file = requirements(tempDir(), text);
    expect(() => parseRequirements(file, { noIndex: true, constructPath: 'Stack/Deps' })).toThrow(message);
    expect(() => parseRequirements(file, { noIndex: false, constructPath: 'Stack/Deps' })).not.toThrow();
  });

  test('fails when an included file has a refused line, naming that file', () => {
    const dir = tempDir();
    const inner = requirements(dir, 'six\n--no-binary six\n', 'sub/inner.txt');
    const file = requirements(dir, 'tiny\n-r sub/inner.txt\n');
    expect(() => parseRequirements(file)).toThrow(`(${inner}, line 2: '--no-binary six')`);
  });
});

test('collects local find-links directories named inside the files (relative to the file) and ${VAR} values', () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'sub', 'wheels'), { recursive: true });
  requirements(dir, '--find-links ./wheels\n', 'sub/inner.txt');
  process.env.CDK_TRACED_LAMBDA_TEST_VERSION = '1.16';
  try {
    const file = requirements(dir, '-r sub/inner.txt\nsix==${CDK_TRACED_LAMBDA_TEST_VERSION}\nx==${CDK_TRACED_LAMBDA_TEST_UNSET}\n');
    const parsed = parseRequirements(file);
    expect(parsed.findLinks).toEqual([path.join(dir, 'sub', 'wheels')]);
    expect(parsed.environment).toEqual({ CDK_TRACED_LAMBDA_TEST_VERSION: '1.16' });
  } finally {
    delete process.env.CDK_TRACED_LAMBDA_TEST_VERSION;
  }
});

test.each([
  ['a directory', (dir: string) => fs.mkdirSync(path.join(dir, 'more.txt')), /is a directory\. Fix: name a regular requirements file/],
  ['a FIFO', (dir: string) => spawnSync('mkfifo', [path.join(dir, 'more.txt')]), /is a FIFO \(named pipe\)\. Fix: name a regular requirements file/],
  ['missing', () => undefined, /requirements file not found: '.*more\.txt' \(included from .*requirements\.txt, line 2\)\. Fix: correct the -r\/-c path/],
])('fails (without blocking) when a -r/-c target is %s', (_, make, message) => {
  const dir = tempDir();
  make(dir);
  for (const option of ['-r', '-c']) {
    const file = requirements(dir, `six\n${option} more.txt\n`);
    expect(() => parseRequirements(file, { noIndex: false, constructPath: 'Stack/Deps' })).toThrow(message);
    expect(() => parseRequirements(file, { noIndex: false, constructPath: 'Stack/Deps' })).toThrow(/^Stack\/Deps: /);
  }
});
