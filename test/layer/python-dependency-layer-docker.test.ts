import * as fs from 'fs';
import * as path from 'path';
import { BundlingFileAccess } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { captureStderr, eachTestInTempDir, listFiles, newStack, pinnedNames, pylock, requirements, restoreEnvAfterEach, script, stagedAsset } from './helpers';
import { BundlingStrategy, PythonDependencyLayer } from '../../lib';

let dir: string;
let cacheDir: string;
let argvLog: string;
restoreEnvAfterEach('CDK_DOCKER');
eachTestInTempDir(d => ({ dir, cacheDir } = d));
beforeEach(() => {
  argvLog = path.join(dir, 'docker-argv.json');
  // A fake docker (via CDK_DOCKER, as aws-cdk-lib uses it): records its argv and writes a package,
  // with bytecode, into the directory mounted at /asset-output.
  process.env.CDK_DOCKER = script(dir, 'fake-docker', `#!/usr/bin/env node
const fs = require('fs');
const path = require('path');
const args = process.argv.slice(2);
if (args[0] === 'version') { process.exit(0); }
fs.appendFileSync(${JSON.stringify(argvLog)}, JSON.stringify(args) + '\\n');
const mount = args.find(a => a.endsWith(':/asset-output:delegated'));
if (!mount) { process.exit(0); }
const out = path.join(mount.slice(0, -':/asset-output:delegated'.length), 'python', 'dockerpkg');
fs.mkdirSync(path.join(out, '__pycache__'), { recursive: true });
fs.writeFileSync(path.join(out, '__init__.py'), 'x');
fs.writeFileSync(path.join(out, '__pycache__', '__init__.cpython-312.pyc'), 'x');
`);
});

function dockerCalls(): string[][] {
  return fs.existsSync(argvLog) ? fs.readFileSync(argvLog, 'utf8').trim().split('\n').map(l => JSON.parse(l)) : [];
}

test('DOCKER builds in the SAM build image for the runtime and architecture, end to end', () => {
  // GIVEN
  const requirementsFile = requirements(dir, 'dockerpkg\n', 'deps/requirements.txt');
  const wheels = path.join(dir, 'wheels');
  fs.mkdirSync(wheels);
  const { app, stack } = newStack();

  // WHEN
  const props = {
    requirementsFile,
    runtime: lambda.Runtime.PYTHON_3_12,
    architecture: lambda.Architecture.ARM_64,
    bundlingStrategy: BundlingStrategy.DOCKER,
    findLinks: [wheels],
    noIndex: true,
    cacheDir,
  };
  const { stderr } = captureStderr(() => new PythonDependencyLayer(stack, 'Deps', props));

  // THEN docker ran once with exactly this argv
  const calls = dockerCalls();
  expect(calls).toHaveLength(1);
  const output = calls[0].find(a => a.endsWith(':/asset-output:delegated'))!.replace(/:\/asset-output:delegated$/, '');
  expect(output).toBe(path.join(app.outdir, `asset.${stack.resolve((stack.node.findChild('Deps').node.findChild('Code') as any).assetHash)}-building`));
  expect(calls[0]).toEqual([
    'run', '--rm', '--platform', 'linux/arm64', '-u', `${process.getuid!()}:${process.getgid!()}`,
    '-v', `${path.join(dir, 'deps')}:/asset-input:delegated`,
    '-v', `${output}:/asset-output:delegated`,
    '-v', `${wheels}:/asset-find-links/0:delegated`,
    '--env', 'HOME=/tmp',
    '--env', 'PIP_CONFIG_FILE=/dev/null',
    '-w', '/asset-input',
    'public.ecr.aws/sam/build-python3.12:latest-arm64',
    'bash', '-c', 'python -m pip install --isolated -r /asset-input/requirements.txt -t /asset-output/python '
      + '--platform manylinux2014_aarch64 --platform manylinux_2_28_aarch64 --implementation cp '
      + '--python-version 3.12 --abi cp312 --only-binary=:all: --no-compile --no-color --disable-pip-version-check '
      + '--find-links /asset-find-links/0 --no-index',
  ]);
  // AND the package is in the layer, without bytecode, and the template is right
  expect(listFiles(stagedAsset(app))).toEqual(['python/dockerpkg/__init__.py']);
  expect(stderr).toMatch(/\ncdk-traced-lambda: built layer Stack\/Deps \(python3\.12, arm64, docker\) in \d+\.\ds\n$/);
  // AND the cache entry is verified and equal to the asset
  expect(listFiles(path.join(cacheDir, (stack.node.findChild('Deps') as PythonDependencyLayer).assetHash)))
    .toEqual(['manifest.json', 'python/dockerpkg/__init__.py']);
  Template.fromStack(stack).hasResourceProperties('AWS::Lambda::LayerVersion', {
    CompatibleRuntimes: ['python3.12'], CompatibleArchitectures: ['arm64'],
  });

  // WHEN built again in a new app THEN docker does not run
  new PythonDependencyLayer(newStack().stack, 'Deps', props);
  expect(dockerCalls()).toHaveLength(1);
});

test('a lock builds in Docker from the pins it selects, handed over in a variable, hash-checked without dependencies', () => {
  const lockFile = pylock(dir, [{ name: 'boto3' }, { name: 'fake-app', dependencies: ['boto3'] }], { dependencies: ['fake-app'] });
  const { app, stack } = newStack();
  captureStderr(() => new PythonDependencyLayer(stack, 'Deps', { lockFile, bundlingStrategy: BundlingStrategy.DOCKER, cacheDir }));
  const argv = dockerCalls()[0];
  const variables = argv.filter((_, i) => argv[i - 1] === '--env');
  const requirementsText = variables.find(v => v.startsWith('CDK_TRACED_LAMBDA_REQUIREMENTS='))!.slice('CDK_TRACED_LAMBDA_REQUIREMENTS='.length);
  expect(pinnedNames(requirementsText)).toEqual(['fake-app']);
  expect(argv[argv.length - 1]).toMatch(/ -r \/tmp\/requirements\.txt .* --require-hashes --no-deps$/);
  expect(argv.filter(a => a.includes('/asset-find-links'))).toEqual([]);
  expect(listFiles(stagedAsset(app))).toEqual(['python/dockerpkg/__init__.py']);
  expect((stack.node.findChild('Deps') as PythonDependencyLayer).requirements).toEqual(['fake-app']);
});

test('AUTO falls back to Docker when there is no python with pip', () => {
  const { app, stack } = newStack();
  const { stderr } = captureStderr(() => new PythonDependencyLayer(stack, 'Deps', {
    requirementsFile: requirements(dir, 'dockerpkg\n'), pythonExecutable: path.join(dir, 'no-python'), cacheDir,
  }));
  expect(dockerCalls()).toHaveLength(1);
  expect(dockerCalls()[0]).toContain('public.ecr.aws/sam/build-python3.13:latest-x86_64');
  expect(stderr).toContain('(python3.13, x86_64, docker)');
  expect(listFiles(stagedAsset(app))).toEqual(['python/dockerpkg/__init__.py']);
});

test('Docker goes through aws-cdk-lib: bundlingFileAccess VOLUME_COPY copies through docker volumes (remote engines)', () => {
  const { stack } = newStack();
  expect(() => captureStderr(() => new PythonDependencyLayer(stack, 'Deps', {
    requirementsFile: requirements(dir, 'dockerpkg\n'),
    bundlingStrategy: BundlingStrategy.DOCKER,
    cacheDir,
    bundlingFileAccess: BundlingFileAccess.VOLUME_COPY,
  }))).toThrow(); // the fake docker has no volumes to copy from
  expect(dockerCalls()[0].slice(0, 2)).toEqual(['volume', 'create']);
  expect(dockerCalls().some(c => c[0] === 'cp')).toBe(true);
});

test('a wheel file in findLinks is mounted under its own name (pip reads the tags from it), and pip reads no pip.conf in the image', () => {
  const wheel = path.join(dir, 'dist', 'dockerpkg-1.0-py3-none-any.whl');
  fs.mkdirSync(path.dirname(wheel));
  fs.writeFileSync(wheel, 'wheel');
  captureStderr(() => new PythonDependencyLayer(newStack().stack, 'Deps', {
    requirementsFile: requirements(dir, 'dockerpkg\n'), bundlingStrategy: BundlingStrategy.DOCKER, findLinks: [wheel], noIndex: true, cacheDir,
  }));
  const argv = dockerCalls()[0];
  expect(argv).toEqual(expect.arrayContaining(['-v', `${wheel}:/asset-find-links/0/dockerpkg-1.0-py3-none-any.whl:delegated`,
    '--env', 'PIP_CONFIG_FILE=/dev/null']));
  expect(argv[argv.length - 1]).toMatch(/^python -m pip install --isolated .* --find-links \/asset-find-links\/0\/dockerpkg-1\.0-py3-none-any\.whl --no-index$/);
});
