import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cleanTempDirs, requirements, tempDir } from './helpers';
import { ErrorId } from '../../lib';
import { expandVariables, logicalLines, parseRequirements, readLine, shlexSplit } from '../../lib/layer/private/requirements';
import { TracedLambdaError } from '../../lib/private/error';
import { formatRequirementName, normalizeName, parseRequirementName, requirementsInclude } from '../../lib/private/python-names';
import { expectErrorId } from '../helpers/errors';

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
  requirements(dir, '-c sub/constraints.txt\n', 'loop.txt');
  requirements(dir, 'jsonpickle<5\nconstrained-only==1.0\n', 'sub/constraints.txt');
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
  expect(parsed.sources.map(s => s.name)).toEqual(['requirements.txt', 'sub/more.txt', 'loop.txt', 'sub/constraints.txt']);
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

const POLICY = { noIndex: false, constructPath: 'Stack/Deps' };

describe('refuses what would override the platform or fetch outside the key, naming the file, line and fix', () => {
  test.each([
    ['--no-binary', 'cext==1.0\n--no-binary cext\n', 2, ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE, '--no-binary cext'],
    ['--no-binary= on a requirement', 'cext==1.0 --no-binary=:all:\n', 1, ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE, 'cext==1.0 --no-binary=:all:'],
    ['--only-binary other than :all:', '--only-binary cext\ncext\n', 1, ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE, '--only-binary cext'],
    ['-e', 'six\n-e ./local/pkg\n', 2, ErrorId.LAYER_REQUIREMENT_EDITABLE, '-e ./local/pkg'],
    ['--editable', '--editable=git+https://x.example/p.git#egg=p\n', 1, ErrorId.LAYER_REQUIREMENT_EDITABLE, '--editable=git+https://x.example/p.git#egg=p'],
    ['a VCS URL', 'six\n# comment\np @ git+https://x.example/p.git\n', 3, ErrorId.LAYER_REQUIREMENT_VCS, 'p @ git+https://x.example/p.git'],
    ['an hg URL', 'hg+https://x.example/p#egg=p\n', 1, ErrorId.LAYER_REQUIREMENT_VCS, 'hg+https://x.example/p#egg=p'],
    ['a local file requirement', 'p @ file:///tmp/p-1.0-py3-none-any.whl\n', 1, ErrorId.LAYER_REQUIREMENT_NOT_A_PACKAGE, 'p @ file:///tmp/p-1.0-py3-none-any.whl'],
  ])('fails when the file has %s, quoting the line of a file in the folder', (_, text, line, id, quoted) => {
    const file = requirements(tempDir(), text);
    expectErrorId(() => parseRequirements(file, POLICY), id, /^Stack\/Deps: /, `('${file}', line ${line}: '${quoted}'). Fix: `);
  });

  test.each([
    ['a local path', './pkgs/p-1.0-py3-none-any.whl'],
    ['a line that is no requirement', 'root:x:0:0:root:/root:/bin/bash'],
    ['a name followed by other words', 'daemon x 1 /usr/sbin'],
  ])('fails when the file has %s, naming the file and line without quoting it', (_, text) => {
    const file = requirements(tempDir(), `six\n${text}\n`);
    const error = expectErrorId(() => parseRequirements(file, POLICY), ErrorId.LAYER_REQUIREMENT_NOT_A_PACKAGE, /^Stack\/Deps: /, `('${file}', line 2). Fix: `);
    expect(error.message).not.toContain(text);
  });

  test.each([
    ['a URL find-links line', '--find-links https://w.example/wheels\nsix\n', "'--find-links https://w.example/wheels'"],
    ['a -f URL line', '-f http://w.example/\nsix\n', "'-f http://w.example/'"],
    ['a direct URL requirement', 'p @ https://x.example/p-1.0-py3-none-any.whl\n', "'p @ https://x.example/p-1.0-py3-none-any.whl'"],
    ['a bare URL requirement', 'https://u:secret@x.example/p-1.0-py3-none-any.whl\n', "'https://u:***@x.example/p-1.0-py3-none-any.whl'"],
  ])('fails with noIndex when the file has %s (credentials masked)', (_, text, quoted) => {
    const file = requirements(tempDir(), text);
    const error = expectErrorId(() => parseRequirements(file, { ...POLICY, noIndex: true }), ErrorId.LAYER_NO_INDEX_URL, /^Stack\/Deps: /, quoted);
    expect(error.message).not.toContain('secret');
    expect(() => parseRequirements(file, POLICY)).not.toThrow();
  });

  test('fails when an included file has a refused line, naming that file', () => {
    const dir = tempDir();
    const inner = requirements(dir, 'six\n--no-binary six\n', 'sub/inner.txt');
    const file = requirements(dir, 'tiny\n-r sub/inner.txt\n');
    expectErrorId(() => parseRequirements(file, POLICY), ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE, `('${inner}', line 2: '--no-binary six')`);
  });
});

describe('includes: cycles, URLs, foreign files', () => {
  test.each<[string, Record<string, string>, string]>([
    ['includes itself', { 'requirements.txt': 'six\n-r requirements.txt\n' }, "'requirements.txt' -> 'requirements.txt'"],
    ['is included back by what it includes', { 'requirements.txt': 'six\n-r b.txt\n', 'b.txt': '-r requirements.txt\n' },
      "'requirements.txt' -> 'b.txt' -> 'requirements.txt'"],
    ['closes a cycle through a constraint file in a subfolder', {
      'requirements.txt': 'six\n-r a.txt\n', 'a.txt': '-c sub/c.txt\n', 'sub/c.txt': 'six<2\n--constraint ../a.txt\n',
    }, "'a.txt' -> 'sub/c.txt' -> 'a.txt'"],
  ])('fails before pip runs when a file %s, naming the chain of files', (_, files, chain) => {
    const dir = tempDir();
    for (const [name, text] of Object.entries(files)) {
      requirements(dir, text, name);
    }
    expectErrorId(() => parseRequirements(path.join(dir, 'requirements.txt'), POLICY), ErrorId.LAYER_REQUIREMENTS_INCLUDE_CYCLE,
      /^Stack\/Deps: /, `: ${chain}. `);
  });

  test('names a file outside the folder in a cycle by its absolute path', () => {
    const dir = tempDir();
    const outside = requirements(tempDir(), '', 'shared.txt');
    fs.writeFileSync(outside, `-r ${path.join(dir, 'requirements.txt')}\n`);
    requirements(dir, `six\n-r ${outside}\n`);
    expectErrorId(() => parseRequirements(path.join(dir, 'requirements.txt'), POLICY), ErrorId.LAYER_REQUIREMENTS_INCLUDE_CYCLE,
      `: 'requirements.txt' -> '${outside}' -> 'requirements.txt'. `);
  });

  test('reads a UTF-8 file that starts with a byte order mark', () => {
    expect(parseRequirements(requirements(tempDir(), '\uFEFFsix\n'), POLICY).requirements).toEqual(['six']);
  });

  test('reads a file included twice (not a cycle) once', () => {
    const dir = tempDir();
    requirements(dir, 'six\n', 'common.txt');
    requirements(dir, '-r common.txt\n', 'a.txt');
    const parsed = parseRequirements(requirements(dir, '-r a.txt\n-r common.txt\n'), POLICY);
    expect(parsed.sources.map(s => s.name)).toEqual(['requirements.txt', 'a.txt', 'common.txt']);
  });

  test.each(['-r', '-c', '--requirement=', '--constraint '])('fails when %s names a URL, as a URL include (credentials masked)', option => {
    const file = requirements(tempDir(), `six\n${option}${option.endsWith('=') || option.endsWith(' ') ? '' : ' '}https://u:secret@x.example/r.txt\n`);
    const error = expectErrorId(() => parseRequirements(file, POLICY), ErrorId.LAYER_REQUIREMENTS_URL_INCLUDE, /^Stack\/Deps: /,
      `'${file}', line 2`, 'https://u:***@x.example/r.txt');
    expect(error.message).not.toContain('secret');
  });

  test('never quotes a line of a file outside the requirements folder (-r /etc/passwd and the like)', () => {
    const outside = tempDir();
    const foreign = requirements(outside, 'root:x:0:0:CANARY-1:/root:/bin/bash\n', 'passwd');
    const refused = requirements(outside, '--no-binary CANARY-2\n', 'refused.txt');
    for (const [target, id] of [[foreign, ErrorId.LAYER_REQUIREMENT_NOT_A_PACKAGE], [refused, ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE]]) {
      const file = requirements(tempDir(), `six\n-r ${target}\n`);
      const error = expectErrorId(() => parseRequirements(file, POLICY), id, /^Stack\/Deps: /, `('${target}', line 1). Fix: `);
      expect(error.message).not.toContain('CANARY');
    }
  });

  test.each<[string, Buffer, string]>([
    ['NUL bytes', Buffer.from('six\nSECRET-BYTES\0\x01\x02\n'), 'NUL bytes'],
    ['bytes that are not UTF-8', Buffer.concat([Buffer.from('six\nSECRET-BYTES '), Buffer.from([0xff, 0xfe, 0x80])]), 'not valid UTF-8'],
  ])('fails when a file (or an include) holds %s: "not a text requirements file", without its bytes', (_, content, why) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'blob.bin'), content);
    for (const file of [path.join(dir, 'blob.bin'), requirements(dir, 'six\n-r blob.bin\n')]) {
      const error = expectErrorId(() => parseRequirements(file, POLICY), ErrorId.LAYER_REQUIREMENTS_NOT_TEXT, /^Stack\/Deps: /,
        `'${path.join(dir, 'blob.bin')}'`, why, `${content.length} bytes`);
      expect(error.message).not.toContain('SECRET');
    }
  });

  test('escapes control characters of a quoted line (an OSC 52 clipboard write, a bell)', () => {
    const file = requirements(tempDir(), 'six\n--no-binary \x1b]52;c;ZXZpbA==\x07x\n');
    const error = expectErrorId(() => parseRequirements(file, POLICY), ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE, '\\x1b]52;c;ZXZpbA==\\x07x');
    expect(error.message).not.toMatch(/[\x00-\x1f\x7f]/);
  });
});

describe('find-links lines', () => {
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

  test('accepts a wheel file as pip does (the file itself is a candidate), and refuses another kind of file or a missing path', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'wheels'));
    fs.writeFileSync(path.join(dir, 'wheels', 'six-1.17.0-py2.py3-none-any.whl'), 'wheel');
    fs.writeFileSync(path.join(dir, 'wheels', 'index.html'), '<a href="https://x.example/evil.whl">x</a>');
    const wheel = parseRequirements(requirements(dir, '-f wheels/six-1.17.0-py2.py3-none-any.whl\nsix\n'), POLICY);
    expect(wheel.findLinks).toEqual([path.join(dir, 'wheels', 'six-1.17.0-py2.py3-none-any.whl')]);
    for (const [target, value] of [['wheels/index.html', 'index.html'], ['wheels/missing', 'missing']]) {
      const file = requirements(dir, `--find-links ${target}\nsix\n`);
      expectErrorId(() => parseRequirements(file, POLICY), ErrorId.LAYER_FIND_LINKS_NOT_FOUND, /^Stack\/Deps: /, `${value}'`, `'${file}', line 1`);
    }
  });
});

test.each([
  ['a directory', (dir: string) => fs.mkdirSync(path.join(dir, 'more.txt')), 'a directory'],
  ['a FIFO', (dir: string) => spawnSync('mkfifo', [path.join(dir, 'more.txt')]), 'a FIFO'],
  ['missing', () => undefined, 'not found'],
])('fails (without blocking) when a -r/-c target is %s', (_, make, what) => {
  const dir = tempDir();
  make(dir);
  for (const option of ['-r', '-c']) {
    const file = requirements(dir, `six\n${option} more.txt\n`);
    expectErrorId(() => parseRequirements(file, POLICY), ErrorId.LAYER_REQUIREMENTS_INCLUDE_NOT_FOUND, /^Stack\/Deps: /,
      `'${path.join(dir, 'more.txt')}' `, `(included from '${file}', line 2)`, what);
  }
});

describe('the spellings pip accepts', () => {
  test.each(['-r more.txt', '-rmore.txt', '--requirement more.txt', '--requirement=more.txt', '--requirem more.txt', '--pre -r more.txt',
    '-c other.txt -r more.txt'])(
    'follows the include %j and takes its names', include => {
      const dir = tempDir();
      requirements(dir, 'tiny-dep\n', 'more.txt');
      const parsed = parseRequirements(requirements(dir, `six\n${include}\n`), POLICY);
      expect(parsed.requirements).toEqual(['six', 'tiny-dep']);
      expect(parsed.sources.map(s => s.name)).toEqual(['requirements.txt', 'more.txt']);
    });

  test.each(['-c more.txt', '-cmore.txt', '--constraint more.txt', '--constraint=more.txt', '--cons more.txt', '--no-index -c more.txt'])('reads the constraint file %j without taking its names', include => {
    const dir = tempDir();
    requirements(dir, 'tiny-dep<2\n', 'more.txt');
    const parsed = parseRequirements(requirements(dir, `six\n${include}\n`), POLICY);
    expect(parsed.requirements).toEqual(['six']);
    expect(parsed.sources.map(s => s.name)).toEqual(['requirements.txt', 'more.txt']);
  });

  test.each(['-f wheels', '-fwheels', '--find-links wheels', '--find-links=wheels', '--find wheels', '--fi=wheels', '--pre -f wheels',
    '-f wheels -f elsewhere', '-f file://WHEELS'])(
    'takes the find-links line %j as a local location', line => {
      const dir = tempDir();
      fs.mkdirSync(path.join(dir, 'wheels'));
      const parsed = parseRequirements(requirements(dir, `${line.replace('WHEELS', path.join(dir, 'wheels'))}\nsix\n`), POLICY);
      expect(parsed).toMatchObject({ requirements: ['six'], findLinks: [path.join(dir, 'wheels')] });
    });

  test('a find-links file: URL with a host names no local folder: an error by id, not a crash', () => {
    expectErrorId(() => parseRequirements(requirements(tempDir(), '-f file://server/share/wheels\nsix\n'), POLICY), ErrorId.LAYER_FIND_LINKS_NOT_FOUND);
  });

  test.each(['--only-binary cext', '--only-binary=cext', 'cext --only-binary  cext', '--only-binary = :none:'])('refuses %j', line => {
    expectErrorId(() => parseRequirements(requirements(tempDir(), `${line}\ncext\n`), POLICY), ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE);
  });

  test.each(['--only-binary :all:', '--only-binary=:all:', 'six --only-binary=:all:'])('accepts %j (what the layer does anyway)', line => {
    expect(parseRequirements(requirements(tempDir(), `${line}\nsix\n`), POLICY).requirements).toEqual(['six']);
  });

  test.each(['-e ./pkg', '-e./pkg', '--editable ./pkg', '--editable=./pkg', '-e=./pkg'])('refuses the editable %j', line => {
    expectErrorId(() => parseRequirements(requirements(tempDir(), `six\n${line}\n`), POLICY), ErrorId.LAYER_REQUIREMENT_EDITABLE);
  });

  /*
   * Source: pip 23.2.1 (the machine's python3), 2026-12-03: what pip's own requirements-file line parser,
   * pip._internal.req.req_file.get_line_parser(None) (break_args_options, shlex.split, build_parser().parse_args),
   * makes of each line: an editable (opts.editables), a --no-binary or an --only-binary other than :all:
   * (opts.format_control), or neither. The last test below asks that pip again. pip reads an unambiguous prefix of
   * a long option (--edit, --no-bin, --o), options after the first token that starts with -, on a requirement line
   * too, and shell quotes. Refused: [line, id, the option as written (with its value), pip's reading].
   */
  const REFUSED_SPELLINGS: [string, string, string][] = [
    ['--edit ./pkg', ErrorId.LAYER_REQUIREMENT_EDITABLE, '--edit ./pkg'],
    ['--ed=./pkg', ErrorId.LAYER_REQUIREMENT_EDITABLE, '--ed=./pkg'],
    ['--pre -e ./pkg', ErrorId.LAYER_REQUIREMENT_EDITABLE, '-e ./pkg'],
    ['-i https://x.example/simple -e./pkg', ErrorId.LAYER_REQUIREMENT_EDITABLE, '-e./pkg'],
    ["-'e' ./pkg", ErrorId.LAYER_REQUIREMENT_EDITABLE, '-e ./pkg'],
    ['--no-bin :all:', ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE, '--no-bin :all:'],
    ['--no-b=cext', ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE, '--no-b=cext'],
    ['--pre "--no-binary" :all:', ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE, '--no-binary :all:'],
    ['cext==1.0 --no-bin :all:', ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE, '--no-bin :all:'],
    ['-r more.txt --no-bin :all:', ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE, '--no-bin :all:'],
    ['--only-bin cext', ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE, '--only-bin cext'],
    ['--o=cext', ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE, '--o=cext'],
    ['--only-binary :all: --only-bin cext', ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE, '--only-bin cext'],
  ];
  /** Lines pip reads as neither: they must stay accepted. */
  const ACCEPTED_SPELLINGS: [string, string[]][] = [
    ['--only-binary=:all:', ['six']],
    ['--o :all:', ['six']],
    ['--on=:all:', ['six']],
    ['editable-thing==1.0', ['six', 'editable-thing']],
    ['no-binary==1.0', ['six', 'no-binary']],
    ['--extra-index-url https://x.example/simple', ['six']],
    ['--extra https://x.example/simple', ['six']],
    ['six==1.16 --hash=sha256:00', ['six']],
    ['--prefer-bin', ['six']],
    ['--no-index', ['six']],
  ];

  it.each(REFUSED_SPELLINGS)('refuses %j (pip reads an editable / a source build), naming the file, line and option as written', (line, id, written) => {
    const file = requirements(tempDir(), `six\n${line}\n`);
    expectErrorId(() => parseRequirements(file, POLICY), id, /^Stack\/Deps: /, `'${file}', line 2`, `'${written}'`);
  });

  it.each(ACCEPTED_SPELLINGS)('accepts %j (pip reads neither an editable nor a source build)', (line, names) => {
    expect(parseRequirements(requirements(tempDir(), `six\n${line}\n`), POLICY).requirements).toEqual(names);
  });

  test('the machine\'s pip reads each of those lines as the rows say', () => {
    const program = 'import json, sys\nfrom pip._internal.req.req_file import get_line_parser\nparse = get_line_parser(None)\nout = []\n'
      + 'for line in json.load(sys.stdin):\n  _, o = parse(line)\n  fc = o.format_control\n'
      + '  out.append("editable" if o.editables else "platform" if fc.no_binary or fc.only_binary - {":all:"} else "none")\n'
      + 'print(json.dumps(out))';
    const lines = [...REFUSED_SPELLINGS.map(r => r[0]), ...ACCEPTED_SPELLINGS.map(r => r[0])];
    const run = spawnSync('python3', ['-I', '-c', program], { input: JSON.stringify(lines), encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(run.stderr).toBe('');
    const kind = (id: string) => (id === ErrorId.LAYER_REQUIREMENT_EDITABLE ? 'editable' : 'platform');
    expect(JSON.parse(run.stdout)).toEqual([...REFUSED_SPELLINGS.map(r => kind(r[1])), ...ACCEPTED_SPELLINGS.map(() => 'none')]);
  });

  /*
   * Source: pip 23.2.1 (the machine's python3), 2026-12-03: what pip does with a line (req_file.get_line_parser(None),
   * ParsedLine.is_requirement, RequirementsFileParser._parse_and_recurse, handle_option_line): whether it is a
   * requirement, the file it includes (the first -r, else the first -c, of a line that is no requirement), the
   * find-links location it adds (the first -f of such a line), and whether the requirement carries a hash. The test
   * after the table asks that pip again. [line, requirement, include, find-links, hash]
   */
  const LINE_READINGS: [string, boolean, string | null, string | null, boolean][] = [
    ['--requirem more.txt', false, '--requirement more.txt', null, false],
    ['--cons more.txt', false, '--constraint more.txt', null, false],
    ['--pre -r more.txt', false, '--requirement more.txt', null, false],
    ['-c a.txt -r b.txt', false, '--requirement b.txt', null, false],
    ['-r a.txt -r b.txt', false, '--requirement a.txt', null, false],
    ['-r=more.txt', false, '--requirement =more.txt', null, false],
    ['--requirement = more.txt', false, '--requirement =', null, false],
    ['six -r more.txt', true, null, null, false],
    ['-- -r more.txt', false, null, null, false],
    ['--find wheels', false, null, 'wheels', false],
    ['--fi=wheels', false, null, 'wheels', false],
    ['-f=wheels', false, null, '=wheels', false],
    ['--find-links = wheels', false, null, '=', false],
    ['--pre -f a -f b', false, null, 'a', false],
    ['-r more.txt -f wheels', false, '--requirement more.txt', 'wheels', false],
    ['six -f wheels', true, null, null, false],
    ['six --ha=sha256:00', true, null, null, true],
    ['six --hash sha256:00', true, null, null, true],
    ['--hash=sha256:00', false, null, null, false],
    ['six', true, null, null, false],
    ['--pypi-url https://x.example/simple', false, null, null, false],
    ['-i https://x.example/simple -r more.txt', false, '--requirement more.txt', null, false],
    ['--pre stray -r more.txt', false, '--requirement more.txt', null, false],
    ['--pre - -r more.txt', false, '--requirement more.txt', null, false],
    ['six -C a=b', true, null, null, false],
  ];

  test.each(LINE_READINGS)('reads %j as pip does', (line, requirement, include, findLinks, hash) => {
    const read = readLine(line);
    const first = (name: string) => read.options.find(o => o.name === name);
    const included = read.requirement ? undefined : first('--requirement') ?? first('--constraint');
    expect({
      requirement: read.requirement,
      include: included ? `${included.name} ${included.value}` : null,
      findLinks: read.requirement ? null : first('--find-links')?.value ?? null,
      hash: read.requirement && first('--hash') !== undefined,
    }).toEqual({ requirement, include, findLinks, hash });
  });

  /** Lines pip fails on (an ambiguous or unknown option, a value for a flag, a missing value, an unclosed quote). */
  const PIP_FAILS = ['--req more.txt', '--con more.txt', '--pre=x -r more.txt', '--nope -r more.txt', '-x more.txt', '-r', '-r "open'];

  test.each(PIP_FAILS)('reads %j, which pip fails on, up to where pip fails: no include, no find-links, no crash', (line) => {
    expect(readLine(line).options).toEqual([]);
  });

  test('the machine\'s pip reads each of those lines as the tables say', () => {
    const program = [
      'import json, sys',
      'from pip._internal.req.req_file import get_line_parser',
      'parse = get_line_parser(None)',
      'out = []',
      'for line in json.load(sys.stdin):',
      '  try:',
      '    args, o = parse(line)',
      '  except Exception:',
      '    out.append(None)',
      '    continue',
      '  req = bool(args) or bool(o.editables)',
      '  inc = None if req else ("--requirement " + o.requirements[0]) if o.requirements else ("--constraint " + o.constraints[0]) if o.constraints else None',
      '  fl = None if req or not o.find_links else o.find_links[0]',
      '  out.append([line, req, inc, fl, req and bool(o.hashes)])',
      'print(json.dumps(out))',
    ].join('\n');
    const lines = [...LINE_READINGS.map(r => r[0]), ...PIP_FAILS];
    const run = spawnSync('python3', ['-I', '-c', program], { input: JSON.stringify(lines), encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(JSON.parse(run.stdout)).toEqual([...LINE_READINGS, ...PIP_FAILS.map(() => null)]);
  });

  test('options before the one pip fails on are read', () => {
    expect(readLine('--pre -r a.txt --hash').options).toStrictEqual([{ name: '--pre' }, { name: '--requirement', value: 'a.txt' }]);
  });

  test('an include that pip reads with an attached = names a file that does not exist: an error by id naming it', () => {
    const dir = tempDir();
    requirements(dir, 'tiny-dep\n', 'more.txt');
    expectErrorId(() => parseRequirements(requirements(dir, 'six\n-r=more.txt\n'), POLICY), ErrorId.LAYER_REQUIREMENTS_INCLUDE_NOT_FOUND, '=more.txt');
  });

  test('--hash on a line without a requirement is ignored, as pip ignores it (no --require-hashes)', () => {
    expect(parseRequirements(requirements(tempDir(), 'six\n--hash=sha256:00\n'), POLICY).hasHashes).toBe(false);
    // another option of a requirement line is no hash either
    expect(parseRequirements(requirements(tempDir(), 'six -C a=b\n'), POLICY).hasHashes).toBe(false);
  });

  test('shlexSplit splits as the machine\'s Python shlex.split does (pip splits a line\'s options with it)', () => {
    const texts = ['--pre "--no-binary" :all:', "-'e' ./pkg", 'a\\ b "c\\"d\\x" \'e\\f\'', '""  x\t\ty', '-e"./a b"c', 'x #y', '"open', 'end\\',
      "'a\\\"b'", '"x\\\\" y', '"q\\"r" s', '"\\\\\\"" t'];
    const program = 'import json, shlex, sys\nout = []\nfor t in json.load(sys.stdin):\n  try:\n    out.append(shlex.split(t))\n'
      + '  except ValueError:\n    out.append(None)\nprint(json.dumps(out))';
    const run = spawnSync('python3', ['-I', '-c', program], { input: JSON.stringify(texts), encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(run.stderr).toBe('');
    expect(texts.map(t => shlexSplit(t) ?? null)).toEqual(JSON.parse(run.stdout));
  });

  test('comments need whitespace before #; continuation lines join, keeping the first line number', () => {
    const parsed = parseRequirements(requirements(tempDir(), [
      '# a comment line',
      'six==1.16.0 \\',
      '    --hash=sha256:1e61c374  # hash of six',
      'tiny-dep  # pinned elsewhere',
      '  ',
      'last \\',
    ].join('\n')), POLICY);
    expect(parsed).toMatchObject({ requirements: ['six', 'tiny-dep', 'last'], hasHashes: true });
    // without whitespace before it, # is no comment for pip either: an invalid line, named by its number
    const file = requirements(tempDir(), 'six\ntiny-dep#x\n');
    expectErrorId(() => parseRequirements(file, POLICY), ErrorId.LAYER_REQUIREMENT_NOT_A_PACKAGE, `('${file}', line 2)`);
  });

  test('a --hash option counts only as an option of its own (not inside a name or value)', () => {
    expect(parseRequirements(requirements(tempDir(), 'six--hash\n'), POLICY).hasHashes).toBe(false);
    expect(parseRequirements(requirements(tempDir(), 'six --hash sha256:00\n'), POLICY).hasHashes).toBe(true);
  });
});

describe('${NAME} in requirements files, as pip expands it', () => {
  const ENV = { CDK_TL_SET: 'sub', CDK_TL_EMPTY: '' };
  const LINES = [
    '-r ${CDK_TL_SET}/more.txt',
    'x==${CDK_TL_EMPTY}',
    'y==${CDK_TL_UNSET}',
    '${CDK_TL_SET}${CDK_TL_SET}-${CDK_TL_UNSET}',
    '$CDK_TL_SET and ${cdk_tl_set} and ${CDK_TL_SET',
  ];

  test('expandVariables gives what pip\'s own req_file.expand_env_variables gives (the machine\'s pip)', () => {
    const program = 'import json, sys\nfrom pip._internal.req.req_file import expand_env_variables\n'
      + 'lines = json.load(sys.stdin)\nprint(json.dumps([line for _, line in expand_env_variables(enumerate(lines))]))';
    const run = spawnSync('python3', ['-I', '-c', program], {
      input: JSON.stringify(LINES), encoding: 'utf8', env: { PATH: process.env.PATH, ...ENV },
    });
    expect(run.stderr).toBe('');
    const pip = JSON.parse(run.stdout) as string[];
    expect(LINES.map(line => expandVariables(line, ENV))).toEqual(pip);
    // what that is, so a change of pip shows here too
    expect(pip).toEqual(['-r sub/more.txt', 'x==${CDK_TL_EMPTY}', 'y==${CDK_TL_UNSET}', 'subsub-${CDK_TL_UNSET}', LINES[4]]);
  });

  test('an include through a set variable is read; the key records only the variables that were used', () => {
    const dir = tempDir();
    requirements(dir, 'tiny-dep\n', 'sub/more.txt');
    const file = requirements(dir, 'six\n-r ${CDK_TL_SET}/more.txt\nx==${CDK_TL_EMPTY}\n');
    Object.assign(process.env, ENV);
    try {
      const parsed = parseRequirements(file, POLICY);
      expect(parsed.requirements).toEqual(['six', 'tiny-dep', 'x']);
      expect(parsed.environment).toEqual({ CDK_TL_SET: 'sub' });
    } finally {
      delete process.env.CDK_TL_SET;
      delete process.env.CDK_TL_EMPTY;
    }
  });

  test('an include through an unset or empty variable stays literal, as pip reads it, and is not found', () => {
    const dir = tempDir();
    requirements(dir, 'tiny-dep\n', 'more.txt');
    process.env.CDK_TL_EMPTY = '';
    try {
      for (const variable of ['CDK_TL_EMPTY', 'CDK_TL_UNSET']) {
        const file = requirements(dir, `six\n-r more\${${variable}}.txt\n`);
        expectErrorId(() => parseRequirements(file, POLICY), ErrorId.LAYER_REQUIREMENTS_INCLUDE_NOT_FOUND, `more\${${variable}}.txt`);
      }
    } finally {
      delete process.env.CDK_TL_EMPTY;
    }
  });
});

test('without a policy: URLs are allowed (no noIndex), and an error names no construct', () => {
  const dir = tempDir();
  expect(parseRequirements(requirements(dir, 'p @ https://x.example/p-1.0-py3-none-any.whl\n')).requirements).toEqual(['p']);
  const error = expectErrorId(() => parseRequirements(requirements(dir, 'six\n-e .\n')), ErrorId.LAYER_REQUIREMENT_EDITABLE);
  expect((error as TracedLambdaError).constructPath).toBe('');
});

test('logical lines are the ones pip\'s own req_file.join_lines and ignore_comments make (the machine\'s pip)', () => {
  const CONTENTS = [
    'six==1.16 \\\n    --hash=sha256:00 \\\n    --hash=sha256:11\ntiny-dep\n',
    'tiny-\\\ndep\n',
    '\\\\six\\\\\\\nx\n',
    '# a comment \\\nsix\n',
    '   # indented comment \\\nsix \\\n# inside a continuation\nnext\n',
    'six # trailing comment\nsix#not-a-comment\n\n\n  \t \nlast \\',
    'a\r\nb\rc\u2028d\u0085e\x0bf\x0cg\x1ch\n\n',
    '',
    '\n',
    '\\\n',
    'x\\\n\\\ny\n',
    '\uFEFFsix \uFEFF\n\u3000tiny-dep\u00a0# comment\u2003\n\x1f# comment after a Python space\n',
  ];
  const program = 'import json, sys\nfrom pip._internal.req.req_file import ignore_comments, join_lines\n'
    + 'out = [[[n, line] for n, line in ignore_comments(join_lines(enumerate(c.splitlines(), start=1)))] for c in json.load(sys.stdin)]\n'
    + 'print(json.dumps(out))';
  const run = spawnSync('python3', ['-I', '-c', program], { input: JSON.stringify(CONTENTS), encoding: 'utf8', env: { PATH: process.env.PATH } });
  expect(run.stderr).toBe('');
  const pip = JSON.parse(run.stdout) as [number, string][][];
  expect(CONTENTS.map(c => logicalLines(c).map(l => [l.line, l.text]))).toEqual(pip);
  // what that is for the continuation cases, so a change of pip shows here too
  expect(pip[0]).toEqual([[1, 'six==1.16     --hash=sha256:00     --hash=sha256:11'], [4, 'tiny-dep']]);
  expect(pip[1]).toEqual([[1, 'tiny-dep']]);
});

describe('lines at the edges of each rule', () => {
  test.each<[string, string, string]>([
    ['-e alone', 'six\n-e\n', ErrorId.LAYER_REQUIREMENT_EDITABLE],
    ['--no-binary alone', 'six\n--no-binary\n', ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE],
    ['a bare file: URL followed by an option', 'six\nfile:///tmp/p-1.0-py3-none-any.whl --hash=sha256:00\n', ErrorId.LAYER_REQUIREMENT_NOT_A_PACKAGE],
    ['a byte order mark inside the file (pip strips only a leading one)', 'six\n\uFEFFtiny-dep\n', ErrorId.LAYER_REQUIREMENT_NOT_A_PACKAGE],
  ])('refuses %s', (_, text, id) => {
    expectErrorId(() => parseRequirements(requirements(tempDir(), text), POLICY), id, /, line 2/);
  });

  test.each<[string, string, string[]]>([
    ['a name that ends in -e', 'some-e ==1.0\n', ['some-e']],
    ['a leading byte order mark', '\uFEFFsix\ntiny-dep\n', ['six', 'tiny-dep']],
    ['a direct reference whose URL holds file: later on', 'p @ https://x.example/file:p-1.0-py3-none-any.whl\n', ['p']],
  ])('accepts %s', (_, text, names) => {
    expect(parseRequirements(requirements(tempDir(), text), POLICY).requirements).toEqual(names);
  });

  test('a leading byte order mark is not part of the file\'s content in the key', () => {
    const parsed = parseRequirements(requirements(tempDir(), '\uFEFFsix\n'), POLICY);
    expect(parsed.sources.map(s => s.content)).toEqual(['six\n']);
  });

  test('with noIndex, plain requirements are fine; every spelling of a direct reference is refused', () => {
    expect(parseRequirements(requirements(tempDir(), 'six==1.16\ntiny-dep\n'), { ...POLICY, noIndex: true }).requirements).toEqual(['six', 'tiny-dep']);
    for (const line of ['pkg@https://x.example/p.whl', 'pkg @https://x.example/p.whl', 'pkg  @  https://x.example/p.whl',
      'pkg[a,bc] @ https://x.example/p.whl', 'my.pkg_name-2 @ https://x.example/p.whl', 'pkg [ab] @ https://x.example/p.whl']) {
      expectErrorId(() => parseRequirements(requirements(tempDir(), `${line}\n`), { ...POLICY, noIndex: true }), ErrorId.LAYER_NO_INDEX_URL);
    }
  });

  test('a find-links URL is left to pip (no local location); one that holds file: later on is a URL too', () => {
    for (const url of ['https://w.example/wheels/', 'https://w.example/file:wheels/']) {
      expect(parseRequirements(requirements(tempDir(), `--find-links ${url}\nsix\n`), POLICY).findLinks).toEqual([]);
    }
  });

  test('an include that is a socket or a device is refused, naming what it is', () => {
    const dir = tempDir();
    const socket = path.join(dir, 'more.txt');
    const server = spawnSync('python3', ['-c', `import socket; s = socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(socket)})`]);
    expect(server.status).toBe(0);
    expectErrorId(() => parseRequirements(requirements(dir, 'six\n-r more.txt\n'), POLICY), ErrorId.LAYER_REQUIREMENTS_INCLUDE_NOT_FOUND,
      `'${socket}'`, 'a socket');
    expectErrorId(() => parseRequirements(requirements(dir, 'six\n-r /dev/null\n'), POLICY), ErrorId.LAYER_REQUIREMENTS_INCLUDE_NOT_FOUND,
      "'/dev/null'", 'not a regular file');
  });

  test('a file that is not UTF-8 text is named, with what is wrong and its size, and none of its bytes', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'requirements.txt'), Buffer.from([0x73, 0x69, 0x78, 0xff, 0xfe, 0x0a]));
    const error = expectErrorId(() => parseRequirements(path.join(dir, 'requirements.txt'), POLICY), ErrorId.LAYER_REQUIREMENTS_NOT_TEXT,
      `'${path.join(dir, 'requirements.txt')}'`, 'not valid UTF-8', '6 bytes');
    expect(error.message).not.toContain('six');
    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'six\0\n');
    expectErrorId(() => parseRequirements(path.join(dir, 'requirements.txt'), POLICY), ErrorId.LAYER_REQUIREMENTS_NOT_TEXT, 'NUL bytes', '5 bytes');
  });
});
