import * as fs from 'fs';
import * as path from 'path';
import { App, Lazy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { countingPython, eachTestInTempDir, fakePython, newStack, quickPip, requirements, restoreEnvAfterEach, script, wheelhouse } from './helpers';
import { BundlingStrategy, ErrorId, PythonDependencyLayer, PythonDependencyLayerProps } from '../../lib';
import { expectErrorId } from '../helpers/errors';

let dir: string;
let cacheDir: string;
restoreEnvAfterEach('CDK_DOCKER');
eachTestInTempDir(d => ({ dir, cacheDir } = d));

/** The cache holds nothing: no entry and no half-built temporary directory. */
function expectEmptyCache() {
  expect(fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : []).toEqual([]);
}

test('fails when the requirements file does not exist', () => {
  const { stack } = newStack();
  expectErrorId(() => new PythonDependencyLayer(stack, 'Deps', { requirementsFile: path.join(dir, 'nope.txt'), cacheDir }),
    ErrorId.LAYER_INPUT_FILE_NOT_FOUND, /^Stack\/Deps: /, `'${path.join(dir, 'nope.txt')}'`);
});

test('fails when the input file does not exist or is a folder, naming the path given and the path it resolved to', () => {
  fs.mkdirSync(path.join(dir, 'poetry.lock'));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    for (const props of [{ lockFile: 'uv.lock' }, { lockFile: 'poetry.lock' }, { requirementsFile: 'requirements.txt' }]) {
      const [prop, given] = Object.entries(props)[0];
      expectErrorId(() => new PythonDependencyLayer(newStack().stack, 'Deps', { ...props, cacheDir }), ErrorId.LAYER_INPUT_FILE_NOT_FOUND,
        /^Stack\/Deps: /, prop, `'${given}'`, `'${path.resolve(given)}'`);
    }
  } finally {
    process.chdir(cwd);
  }
});

test('fails when the runtime is not Python', () => {
  const { stack } = newStack();
  expectErrorId(() => new PythonDependencyLayer(stack, 'Deps', {
    requirementsFile: requirements(dir, 'six\n'), runtime: lambda.Runtime.NODEJS_20_X, cacheDir,
  }), ErrorId.LAYER_RUNTIME_NOT_PYTHON, /^Stack\/Deps: /, 'nodejs20.x', 'lambda.Runtime.PYTHON_3_13');
});

test('fails when a find-links directory does not exist', () => {
  const { stack } = newStack({ 'cdk-traced-lambda:pipFindLinks': 'no-such-wheelhouse' });
  expectErrorId(() => new PythonDependencyLayer(stack, 'Deps', { requirementsFile: requirements(dir, 'six\n'), cacheDir }),
    ErrorId.LAYER_FIND_LINKS_NOT_FOUND, /^Stack\/Deps: /, `'${path.resolve('no-such-wheelhouse')}'`, 'cdk-traced-lambda:pipFindLinks');
});

test('fails when pip fails, with pip\'s own message, and leaves nothing in the cache or in cdk.out', () => {
  const { app, stack } = newStack();
  expectErrorId(() => new PythonDependencyLayer(stack, 'Deps', {
    requirementsFile: requirements(dir, 'nosuchpkg\n'),
    findLinks: [wheelhouse(dir)],
    noIndex: true,
    pythonExecutable: countingPython(dir).python,
    cacheDir,
  }), ErrorId.LAYER_PIP_FAILED, /^Stack\/Deps: /, 'exit 1', 'No matching distribution found for nosuchpkg', "'nosuchpkg'", 'manylinux x86_64');
  expectEmptyCache();
  // aws-cdk-lib made cdk.out/asset.<hash>-building for the bundle; the layer removed it
  expect(fs.readdirSync(app.outdir)).toEqual([]);
});

test('fails when no package index answers, saying how to build from a wheelhouse or another index', () => {
  const { stack } = newStack();
  const build = () => new PythonDependencyLayer(stack, 'Deps', {
    requirementsFile: requirements(dir, 'somepkg==1.0\n'),
    indexUrl: 'http://127.0.0.1:9/simple', // nothing listens on the discard port
    pipExtraArgs: ['--retries', '0', '--timeout', '2'],
    cacheDir,
  });
  expectErrorId(build, ErrorId.LAYER_PIP_FAILED, /^Stack\/Deps: /, 'somepkg', 'cdk-traced-lambda:pipFindLinks=<dir> -c cdk-traced-lambda:pipNoIndex=true');
  expectEmptyCache();
});

test('fails when a build fails after pip ran, and a failed build never poisons the cache', () => {
  // GIVEN a pip that writes a file, then fails
  const failing = fakePython(dir, 'mkdir -p "$TARGET/half" && echo x > "$TARGET/half/__init__.py"; echo "ERROR: disk full" >&2; exit 3');
  const requirementsFile = requirements(dir, 'half\n');
  expectErrorId(() => new PythonDependencyLayer(newStack().stack, 'Deps', { requirementsFile, pythonExecutable: failing.python, cacheDir }),
    ErrorId.LAYER_PIP_FAILED, /^Stack\/Deps: /, 'exit 3', 'ERROR: disk full');
  expectEmptyCache();

  // WHEN the same inputs are built again with a working pip THEN it builds (no poisoned entry)
  fs.mkdirSync(path.join(dir, 'second'));
  const working = fakePython(path.join(dir, 'second'), 'mkdir -p "$TARGET/ok"; echo x > "$TARGET/ok/__init__.py"');
  const layer = new PythonDependencyLayer(newStack().stack, 'Deps', { requirementsFile, pythonExecutable: working.python, cacheDir });
  expect(fs.readdirSync(path.join(cacheDir, layer.assetHash, 'python'))).toEqual(['ok']);
});

test('fails when neither pip nor Docker is available, saying how to get either', () => {
  process.env.CDK_DOCKER = script(dir, 'broken-docker', '#!/bin/sh\necho "Cannot connect to the Docker daemon at unix:///var/run/docker.sock" >&2\nexit 1\n');
  expectErrorId(() => new PythonDependencyLayer(newStack().stack, 'Deps', {
    requirementsFile: requirements(dir, 'six\n'), pythonExecutable: path.join(dir, 'no-python'), cacheDir,
  }), ErrorId.LAYER_NO_BUILDER, /^Stack\/Deps: /, path.join(dir, 'requirements.txt'), `'${path.join(dir, 'no-python')}' -m pip`,
  'Cannot connect to the Docker daemon');
  expectEmptyCache();
});

test('fails when the DOCKER strategy is used and docker fails, with docker\'s message, leaving nothing in cdk.out', () => {
  process.env.CDK_DOCKER = script(dir, 'broken-docker', '#!/bin/sh\necho "docker: Cannot connect to the Docker daemon. Is the docker daemon running?" >&2\nexit 125\n');
  const { app, stack } = newStack();
  const error = expectErrorId(() => new PythonDependencyLayer(stack, 'Deps', {
    requirementsFile: requirements(dir, 'six\n'), bundlingStrategy: BundlingStrategy.DOCKER, cacheDir,
  }), ErrorId.LAYER_DOCKER_FAILED, /^Stack\/Deps: /, `'${path.join(dir, 'requirements.txt')}'`, 'public.ecr.aws/sam/build-python3.13:latest-x86_64',
  'exited with status 125');
  // The removed output folder is named once, in docker's command (its -v mount); aws-cdk-lib's "bundle output is
  // located at" named it a second time, as a folder to look at.
  expect(error.message.match(/asset\.[0-9a-f]{64}-building/g)).toEqual([expect.any(String)]);
  expect(error.message).toContain('Stack/Deps/Code/Stage: '); // aws-cdk-lib's asset path, then its error
  expect(error.message).toContain('-building:/asset-output');
  expectEmptyCache();
  expect(fs.readdirSync(app.outdir)).toEqual([]);
});

test('fails when the LOCAL strategy is used and the python executable does not exist', () => {
  expectErrorId(() => new PythonDependencyLayer(newStack().stack, 'Deps', {
    requirementsFile: requirements(dir, 'six\n'),
    bundlingStrategy: BundlingStrategy.LOCAL,
    pythonExecutable: path.join(dir, 'no-python'),
    cacheDir,
  }), ErrorId.LAYER_PYTHON_NOT_RUNNABLE, /^Stack\/Deps: /, `'${path.join(dir, 'no-python')}'`, 'ENOENT');
});

test('fails when the layer is over Lambda\'s unzipped size limit, listing the largest packages', () => {
  // GIVEN a pip that installs a 300 MB sparse file (cheap on disk)
  const huge = fakePython(dir, [
    'mkdir -p "$TARGET/bigpkg" "$TARGET/smallpkg"',
    'truncate -s 300000000 "$TARGET/bigpkg/data.bin"',
    'echo x > "$TARGET/smallpkg/__init__.py"',
  ].join('\n'));
  expectErrorId(() => new PythonDependencyLayer(newStack().stack, 'Deps', {
    requirementsFile: requirements(dir, 'bigpkg\n'), pythonExecutable: huge.python, cacheDir,
  }), ErrorId.LAYER_TOO_LARGE, /^Stack\/Deps: /, '300.0 MB (300000002 bytes)', "'bigpkg' (300.0 MB), 'smallpkg' (2 B)");
  expectEmptyCache();
});

test('an error of a layer at the root of the app names it by its id, as its construct path', () => {
  expectErrorId(() => new PythonDependencyLayer(new App(), 'Deps', { requirementsFile: 'r.txt', runtime: lambda.Runtime.NODEJS_20_X }),
    ErrorId.LAYER_RUNTIME_NOT_PYTHON, /^Deps: /);
});

test('fails as any construct does when its id is taken, and builds nothing', () => {
  const { stack } = newStack();
  new Construct(stack, 'Deps');
  const expected = (() => {
    try {
      new Construct(stack, 'Deps');
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('constructs allowed a second child with the same id');
  })();
  const pip = quickPip(dir);
  expect(() => new PythonDependencyLayer(stack, 'Deps', { requirementsFile: requirements(dir, 'fakepkg\n'), pythonExecutable: pip.python, cacheDir }))
    .toThrow(expected);
  expect(pip.installs()).toHaveLength(0);
  expectEmptyCache();
});

/** A props case: what is wrong, the props, the error id and the values the message names. */
type PropsCase = [string, Partial<PythonDependencyLayerProps>, string, Array<string | RegExp>];

describe('props checked before anything is read or run', () => {
  test.each<[string, Partial<PythonDependencyLayerProps>, string, Array<string | RegExp>]>([
    ['both requirementsFile and lockFile are given', { requirementsFile: 'r.txt', lockFile: 'uv.lock' }, ErrorId.LAYER_INPUT_FILE_CHOICE,
      ["got both ('r.txt' and 'uv.lock')", 'lockFile:']],
    ['neither is given', {}, ErrorId.LAYER_INPUT_FILE_CHOICE, ['got neither']],
    ['the file is a token', { requirementsFile: Lazy.string({ produce: () => 'r.txt' }) }, ErrorId.LAYER_INPUT_FILE_TOKEN, ['requirementsFile', 'token']],
    ['lockGroups come with a requirementsFile', { requirementsFile: 'r.txt', lockExtras: ['cli'] }, ErrorId.LAYER_LOCK_OPTIONS_WITHOUT_LOCK,
      ["requirementsFile 'r.txt'", 'lockFile']],
    ['the architecture is neither x86_64 nor arm64', { requirementsFile: 'r.txt', architecture: lambda.Architecture.custom('riscv64', 'linux/riscv64') },
      ErrorId.LAYER_ARCHITECTURE_UNSUPPORTED, ["got 'riscv64'", 'lambda.Architecture.ARM_64']],
    ['the lock file is a token', { lockFile: Lazy.string({ produce: () => 'uv.lock' }) }, ErrorId.LAYER_INPUT_FILE_TOKEN, ['lockFile']],
    ['lockGroups come with a requirementsFile, without lockExtras', { requirementsFile: 'r.txt', lockGroups: ['dev'] },
      ErrorId.LAYER_LOCK_OPTIONS_WITHOUT_LOCK, ["requirementsFile 'r.txt'"]],
    ['the runtime is not of the Python family, whatever its name', { requirementsFile: 'r.txt', runtime: new lambda.Runtime('python3.13') },
      ErrorId.LAYER_RUNTIME_NOT_PYTHON, ["'python3.13'"]],
    ...['python3', 'python3.13-preview', 'custom-python3.13'].map((name): PropsCase => [
      `a Python runtime's name is not python<major>.<minor> (${name}): the version pip is given comes from it`,
      { requirementsFile: 'r.txt', runtime: new lambda.Runtime(name, lambda.RuntimeFamily.PYTHON) }, ErrorId.LAYER_RUNTIME_NOT_PYTHON, [`'${name}'`],
    ]),
    ...[['--only-binary', 'cext'], ['--only-binary=cext'], ['-e', './pkg'], ['--editable', './pkg']].map((args): PropsCase => [
      `pipExtraArgs would build for this machine (${args.join(' ')})`, { requirementsFile: 'r.txt', pipExtraArgs: args },
      ErrorId.LAYER_PIP_ARG_REFUSED, [`'${args[0]}'`],
    ]),
    // pip (optparse) takes a long option by any prefix that names only it, and a short option's value attached to it,
    // also after other short options: each of these is --no-binary, --only-binary or --editable to pip.
    ...[
      ['--no-bin', ':all:'], ['--no-bi=:all:'], ['--only-bin', ':none:'], ['--o=cext'], ['--edit', './pkg'], ['-e./pkg'], ['-qe', './pkg'], ['-vUe./pkg'],
    ].map((args): PropsCase => [
      `pipExtraArgs would build for this machine, spelled as pip also reads it (${args.join(' ')})`, { requirementsFile: 'r.txt', pipExtraArgs: args },
      ErrorId.LAYER_PIP_ARG_REFUSED, [`'${args[0]}'`],
    ]),
  ])('fails when %s', (_, props, id, values) => {
    const pip = fakePython(dir, 'exit 0');
    expectErrorId(() => new PythonDependencyLayer(newStack().stack, 'Deps', { pythonExecutable: pip.python, cacheDir, ...props }),
      id, /^Stack\/Deps: /, ...values);
    expect(pip.installs()).toHaveLength(0);
    expectEmptyCache();
  });
});
