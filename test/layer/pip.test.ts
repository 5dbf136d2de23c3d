import { spawnSync } from 'child_process';
import * as os from 'os';
import {
  compileArgs, dockerCommand, isolatedPipEnvironment, isUrl, manylinuxPlatforms, pipInstallArgs, refusedPipOption, ResolvedPipOptions,
  samBuildImage, shellQuote, transportArgs,
} from '../../lib/layer/private/pip';

const NO_OPTIONS: ResolvedPipOptions = { extraIndexUrls: [], findLinks: [], noIndex: false, extraArgs: [], requireHashes: false };

test('pip install targets manylinux wheels for the Lambda architecture and Python version', () => {
  expect(pipInstallArgs({ requirementsFile: '/r/requirements.txt', targetDir: '/o/python', pythonVersion: '3.13', architecture: 'arm64' }, NO_OPTIONS))
    .toEqual([
      '-m', 'pip', 'install', '--isolated', '-r', '/r/requirements.txt', '-t', '/o/python',
      '--platform', 'manylinux2014_aarch64', '--platform', 'manylinux_2_28_aarch64',
      '--implementation', 'cp', '--python-version', '3.13', '--abi', 'cp313', '--only-binary=:all:', '--no-compile', '--no-color',
      '--disable-pip-version-check',
    ]);
});

test('passes the ABI of the target Python (cp3XX) with the platform and version, as python-alpha does', () => {
  const args = pipInstallArgs({ requirementsFile: 'r.txt', targetDir: 'o', pythonVersion: '3.9', architecture: 'x86_64' }, NO_OPTIONS);
  expect(args.slice(args.indexOf('--python-version'), args.indexOf('--abi') + 2)).toEqual(['--python-version', '3.9', '--abi', 'cp39']);
});

test('the input\'s flags come after the options, --require-hashes only once', () => {
  const args = pipInstallArgs({ requirementsFile: 'r.txt', targetDir: 'o', pythonVersion: '3.13', architecture: 'x86_64' },
    { ...NO_OPTIONS, requireHashes: true, extraArgs: ['--pre'] }, ['--require-hashes', '--no-deps']);
  expect(args.slice(-3)).toEqual(['--require-hashes', '--no-deps', '--pre']);
  expect(args.filter(a => a === '--require-hashes')).toHaveLength(1);
});

test('index, extra indexes, find-links and --no-index come after the fixed options, in that order, each value after its option', () => {
  const args = pipInstallArgs({ requirementsFile: 'r.txt', targetDir: 'o', pythonVersion: '3.13', architecture: 'x86_64' }, {
    ...NO_OPTIONS,
    indexUrl: 'https://pypi.example/simple',
    extraIndexUrls: ['https://a.example/simple', 'https://b.example/simple'],
    findLinks: ['/wheels/one', 'https://w.example/wheels'],
    noIndex: true,
  });
  expect(args.slice(args.indexOf('--disable-pip-version-check') + 1)).toEqual([
    '--index-url', 'https://pypi.example/simple',
    '--extra-index-url', 'https://a.example/simple', '--extra-index-url', 'https://b.example/simple',
    '--find-links', '/wheels/one', '--find-links', 'https://w.example/wheels',
    '--no-index',
  ]);
});

test('requireHashes adds --require-hashes when the input\'s flags do not have it', () => {
  const args = pipInstallArgs({ requirementsFile: 'r.txt', targetDir: 'o', pythonVersion: '3.13', architecture: 'x86_64' }, { ...NO_OPTIONS, requireHashes: true });
  expect(args.slice(args.indexOf('--disable-pip-version-check') + 1)).toEqual(['--require-hashes']);
});

test.each([
  ['https://w.example/wheels', true],
  ['HTTP://W.EXAMPLE/', true],
  ['git+ssh://git@x.example/p.git', true],
  ['file:///srv/wheels', true],
  ['/srv/wheels', false],
  ['./wheels', false],
  ['wheels', false],
  ['c:/wheels', false],
  ['./http://x', false],
  ['1x://w.example', false],
])('isUrl(%j) is %s', (location, url) => {
  expect(isUrl(location)).toBe(url);
});

test('shell quoting leaves plain words alone and gives bash back every word exactly', () => {
  const plain = ['/asset-input/req.txt', '--only-binary=:all:', 'pkg==1.0', 'user@host:8080,x', '%s+_'];
  expect(plain.map(shellQuote)).toEqual(plain);
  const words = [...plain, 'a b', 'it\'s', '\'', '$HOME', 'x;y', '*', '', 'a\nb', '"q"'];
  const printed = spawnSync('bash', ['-c', `printf '%s\\0' ${words.map(shellQuote).join(' ')}`], { encoding: 'utf8' });
  expect(printed.stdout.split('\0').slice(0, -1)).toEqual(words);
});

test('compiles reproducibly: hash-based pycs, paths as Lambda sees them', () => {
  expect(compileArgs('/b/python')).toEqual(['-m', 'compileall', '-q', '-d', '/opt/python', '--invalidation-mode', 'unchecked-hash', '/b/python']);
});

// AWS: python3.12 and later run on Amazon Linux 2023 (glibc 2.34), python3.9 to 3.11 on Amazon Linux 2 (glibc 2.26)
// (https://aws.amazon.com/blogs/compute/python-3-12-runtime-now-available-in-aws-lambda/, "based on the provided.al2023
// runtime"; the table of https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html).
test.each([
  ['3.9', ['manylinux2014_x86_64']],
  ['3.11', ['manylinux2014_x86_64']],
  ['3.12', ['manylinux2014_x86_64', 'manylinux_2_28_x86_64']],
  ['3.15', ['manylinux2014_x86_64', 'manylinux_2_28_x86_64']],
  ['4.0', ['manylinux2014_x86_64', 'manylinux_2_28_x86_64']],
])('Python %s (Amazon Linux 2 before 3.12, glibc 2.26) gets only wheels its glibc runs: %j', (pythonVersion, platforms) => {
  const args = pipInstallArgs({ requirementsFile: 'r.txt', targetDir: 'o', pythonVersion, architecture: 'x86_64' }, NO_OPTIONS);
  expect(args.filter((_, i) => args[i - 1] === '--platform')).toEqual(platforms);
});

test('transport variables become options; an empty one counts as unset, so the next variable for its option is taken', () => {
  // `export PIP_CERT=` is how a shell script clears a setting; pip must not get `--cert ''`
  expect(transportArgs({ PIP_CERT: '', PIP_DEFAULT_TIMEOUT: '', PIP_TIMEOUT: '30', PIP_RETRIES: '2' }))
    .toEqual(['--timeout', '30', '--retries', '2']);
});

test('pip\'s environment drops the variables that start with PIP_ (but the referenced ones), keeps others, and names no config file', () => {
  // PYTHON_PIP_VERSION is set by the official python Docker images: it contains PIP_ but is no pip setting
  const env = isolatedPipEnvironment(
    { PATH: '/usr/bin', PYTHON_PIP_VERSION: '24.0', PIP_FIND_LINKS: '/opt/wheels', PIP_PIN: '1.0', PIP_CONFIG_FILE: '/etc/pip.conf' },
    { PIP_PIN: '1.0' },
  );
  expect(env).toEqual({ PATH: '/usr/bin', PYTHON_PIP_VERSION: '24.0', PIP_PIN: '1.0', PIP_CONFIG_FILE: os.devNull });
});

test.each([
  ['x86_64', 'public.ecr.aws/sam/build-python3.13:latest-x86_64'],
  ['arm64', 'public.ecr.aws/sam/build-python3.13:latest-arm64'],
])('the SAM build image for %s is %s', (architecture, image) => {
  expect(samBuildImage('python3.13', architecture)).toBe(image);
});

test('the Docker command installs from /asset-input, then compiles when asked; a requirements text comes from the environment', () => {
  const pip = { ...NO_OPTIONS, findLinks: ['/asset-find-links/0'], noIndex: true };
  expect(dockerCommand({ requirementsFile: 'req.txt', pythonVersion: '3.12', architecture: 'arm64', pip, flags: [], compileBytecode: true }))
    .toEqual(['bash', '-c', 'python -m pip install --isolated -r /asset-input/req.txt -t /asset-output/python '
      + '--platform manylinux2014_aarch64 --platform manylinux_2_28_aarch64 --implementation cp --python-version 3.12 --abi cp312 '
      + '--only-binary=:all: --no-compile --no-color --disable-pip-version-check --find-links /asset-find-links/0 --no-index'
      + ' && python -m compileall -q -d /opt/python --invalidation-mode unchecked-hash /asset-output/python']);
  const fromText = dockerCommand({ pythonVersion: '3.12', architecture: 'arm64', pip, flags: ['--require-hashes', '--no-deps'], compileBytecode: false });
  expect(fromText[2]).toMatch(/^printf '%s\\n' "\$CDK_TRACED_LAMBDA_REQUIREMENTS" > \/tmp\/requirements\.txt && python -m pip install --isolated -r \/tmp\/requirements\.txt .* --require-hashes --no-deps$/);
});

describe('refusedPipOption: the options that would build for this machine, in every spelling pip reads', () => {
  /*
   * Source: the machine's pip 23.2.1 (python3), 2026-12-03: what `pip install`'s own parser
   * (pip._internal.commands.create_command('install').parse_args) makes of [argument, next argument]: an
   * editable (options.editables), --no-binary or an --only-binary other than :all: (options.format_control), or
   * neither. The last test asks that pip again. Abbreviations pip finds ambiguous (`--no`) fail in pip anyway.
   */
  const ROWS: [string[], 'editable' | 'platform' | undefined][] = [
    [['--editable', './pkg'], 'editable'],
    [['--edit', './pkg'], 'editable'],
    [['--ed=./pkg'], 'editable'],
    [['-e', './pkg'], 'editable'],
    [['-e./pkg'], 'editable'],
    [['-qe', './pkg'], 'editable'],
    [['-Ckey=e'], undefined],
    [['-re'], undefined],
    [['--no-binary', ':all:'], 'platform'],
    [['--no-bin', ':all:'], 'platform'],
    [['--no-binary=cext'], 'platform'],
    [['--only-binary', 'cext'], 'platform'],
    [['--only-binary=cext'], 'platform'],
    [['--o=cext'], 'platform'],
    [['--only-binary', ':all:'], undefined],
    [['--only-binary=:all:', 'cext'], undefined],
    [['--on', ':all:'], undefined],
    [['--extra-index-url', 'https://x.example/simple'], undefined],
    [['--pre'], undefined],
    [['six--no-binary'], undefined],
  ];

  test.each(ROWS)('%j is %s', (args, kind) => {
    expect(refusedPipOption(args[0], args[1])).toBe(kind);
  });

  test('the machine\'s pip reads each of those arguments as the rows say', () => {
    const program = [
      'import json, sys',
      'from pip._internal.commands import create_command',
      'out = []',
      'for argv in json.load(sys.stdin):',
      '  o, _ = create_command("install").parse_args(argv)',
      '  fc = o.format_control',
      '  out.append("editable" if o.editables else "platform" if fc.no_binary or fc.only_binary - {":all:"} else None)',
      'print(json.dumps(out))',
    ].join('\n');
    const run = spawnSync('python3', ['-I', '-c', program], { input: JSON.stringify(ROWS.map(r => r[0])), encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(JSON.parse(run.stdout)).toEqual(ROWS.map(r => r[1] ?? null));
  });
});

test('manylinux_2_28 wheels only from python3.12 on (Amazon Linux 2023); python3.11 and earlier run on Amazon Linux 2', () => {
  expect(manylinuxPlatforms('3.11', 'x86_64')).toEqual(['manylinux2014_x86_64']);
  expect(manylinuxPlatforms('3.9', 'arm64')).toEqual(['manylinux2014_aarch64']);
  expect(manylinuxPlatforms('3.12', 'arm64')).toEqual(['manylinux2014_aarch64', 'manylinux_2_28_aarch64']);
  expect(manylinuxPlatforms('4.0', 'x86_64')).toEqual(['manylinux2014_x86_64', 'manylinux_2_28_x86_64']);
});
