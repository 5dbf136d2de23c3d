import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { expectUsageError, FIXTURES, migrate } from './helpers';
import { ToolErrorId } from '../../../tool/common/errors';

// Every way `migrate` refuses its input: exit 2, one line, the error's id and the values the user must see.
let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-errors-'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** An executable shell script standing in for python3: it sees the analyzer's arguments and does `body`. */
function fakePython(name: string, body: string): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

describe('arguments', () => {
  test('an option migrate does not have', async () => {
    expectUsageError(await migrate('--colour'), ToolErrorId.UNKNOWN_OPTION, '"--colour"', 'migrate --help');
  });

  test('an unknown option is quoted with its control characters escaped', async () => {
    const run = await migrate('--x\u001b]52;c;Zm9v\u0007');
    expectUsageError(run, ToolErrorId.UNKNOWN_OPTION, '--x\\x1b]52;c;Zm9v\\x07');
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  test.each([
    [['--app']],
    [['--function']],
    [['--python']],
    [['--app=']],
    [[FIXTURES, '--python=']],
  ])('an option without a value: %j', async (argv) => {
    const flag = argv[argv.length - 1].replace(/=$/, '');
    expectUsageError(await migrate(...argv), ToolErrorId.OPTION_NEEDS_VALUE, flag);
  });

  test('two source directories', async () => {
    expectUsageError(await migrate('first-dir', 'second-dir'), ToolErrorId.SOURCE_DIR_REPEATED, '"first-dir"', '"second-dir"');
  });

  test('a source directory and --app', async () => {
    expectUsageError(await migrate(FIXTURES, '--app', 'my-cdk.out'), ToolErrorId.SOURCE_DIR_AND_APP, FIXTURES, 'my-cdk.out', '--app');
  });

  test('--function with a source directory', async () => {
    expectUsageError(await migrate(FIXTURES, '--function', 'Orders'), ToolErrorId.FUNCTION_WITH_SOURCE_DIR, '"Orders"', FIXTURES, '--app');
  });
});

describe('the source directory', () => {
  test('that does not exist', async () => {
    const missing = path.join(work, 'no-such-dir');
    expectUsageError(await migrate(missing), ToolErrorId.SOURCE_DIR_NOT_FOUND, missing);
  });

  test('that is a file', async () => {
    const file = path.join(FIXTURES, 'blank-python', 'requirements.txt');
    expectUsageError(await migrate(file), ToolErrorId.SOURCE_DIR_NOT_FOUND, file);
  });

  test('is named relative to the working directory, as an absolute path', async () => {
    expectUsageError(await migrate('no-such-relative-dir'), ToolErrorId.SOURCE_DIR_NOT_FOUND, path.resolve('no-such-relative-dir'));
  });
});

describe('the cloud assembly', () => {
  test('--app that does not exist', async () => {
    const missing = path.join(work, 'no-cdk.out');
    expectUsageError(await migrate('--app', missing), ToolErrorId.NO_CLOUD_ASSEMBLY, missing, 'cdk synth');
  });

  test('--app that is a file', async () => {
    const file = path.join(FIXTURES, 'blank-python', 'requirements.txt');
    expectUsageError(await migrate('--app', file), ToolErrorId.NO_CLOUD_ASSEMBLY, file);
  });

  test('--app without manifest.json', async () => {
    expectUsageError(await migrate('--app', FIXTURES), ToolErrorId.NO_CLOUD_ASSEMBLY, path.join(FIXTURES, 'manifest.json'));
  });

  test('a manifest that is not JSON', async () => {
    const broken = fs.mkdtempSync(path.join(work, 'broken-'));
    fs.writeFileSync(path.join(broken, 'manifest.json'), '{"artifacts": ');
    expectUsageError(await migrate('--app', broken), ToolErrorId.NO_CLOUD_ASSEMBLY, path.join(broken, 'manifest.json'));
  });

  test('--function, and the app has no Python function', async () => {
    const outdir = fs.mkdtempSync(path.join(work, 'empty-app-'));
    const app = new App({ outdir });
    new Stack(app, 'Empty');
    app.synth();
    expectUsageError(await migrate('--app', outdir, '--function', 'Orders'), ToolErrorId.FUNCTION_NOT_SELECTED, '"Orders"');
  });
});

describe('the analyzer', () => {
  const sources = path.join(FIXTURES, 'blank-python');

  test('a --python that does not exist', async () => {
    expectUsageError(await migrate(sources, '--python', '/no/such/python'), ToolErrorId.PYTHON_NOT_FOUND, '"/no/such/python"', '--python');
  });

  test('a --python that is not executable', async () => {
    const file = path.join(work, 'not-executable');
    fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o644 });
    expectUsageError(await migrate(sources, '--python', file), ToolErrorId.PYTHON_NOT_FOUND, file);
  });

  test('a Python that fails: its last stderr line, control characters escaped', async () => {
    const python = fakePython('failing-python', 'echo "Traceback (most recent call last):" >&2\nprintf \'SyntaxError: \\033[2Jold\\n\' >&2\nexit 1');
    const run = await migrate(sources, '--python', python);
    expectUsageError(run, ToolErrorId.ANALYZER_FAILED, `"${python}"`, 'SyntaxError: \\x1b[2Jold', '--python');
    expect(run.stderr).not.toContain('Traceback');
  });

  test('a Python that fails silently: its exit status', async () => {
    const python = fakePython('silent-python', 'exit 7');
    expectUsageError(await migrate(sources, '--python', python), ToolErrorId.ANALYZER_FAILED, python, 'exit status 7');
  });

  test.each([
    ['nothing', 'exit 0'],
    ['not JSON', 'echo "not json"'],
    ['JSON without roots', 'echo "{}"'],
    ['null', 'echo null'],
    ['too few roots', 'echo \'{"roots": []}\''],
  ])('a Python that prints %s instead of a report', async (_what, body) => {
    const python = fakePython(`python-${body.length}-${_what.replace(/\W/g, '')}`, body);
    expectUsageError(await migrate(sources, '--python', python), ToolErrorId.ANALYZER_FAILED, python);
  });

  test('the analyzer script missing from the build', async () => {
    // What an install without tool/migrate/*.py (a broken build or package) would see.
    const realFs = jest.requireActual<typeof fs>('fs');
    const existsSync = realFs.existsSync;
    const spy = jest.spyOn(realFs, 'existsSync').mockImplementation((p) => !String(p).endsWith('xray_usage.py') && existsSync(p));
    try {
      expectUsageError(await migrate(sources), ToolErrorId.ANALYZER_MISSING,
        path.join(__dirname, '..', '..', '..', 'tool', 'migrate', 'xray_usage.py'), 'projen compile');
    } finally {
      spy.mockRestore();
    }
  });
});
