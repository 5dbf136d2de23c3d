import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  countingPython, eachTestInTempDir, listFiles, newStack, pinnedNames, pylock, quickPip, readingPip, requirements, script, stagedAsset,
  withoutPipVariablesInEachTest,
} from './helpers';
import { BundlingStrategy, ErrorId, PythonDependencyLayer, PythonDependencyLayerProps } from '../../lib';
import { clearLockReadMemo, lastLockReadSource } from '../../lib/layer/lock';
import { expectErrorId } from '../helpers/errors';
import { makeWheel } from '../helpers/wheels';

// Every input in the key, refusals before anything runs, and clear errors for bad inputs.
let dir: string;
let cacheDir: string;
eachTestInTempDir(d => ({ dir, cacheDir } = d));


function layer(props: Partial<PythonDependencyLayerProps> & { requirementsFile: string }, context?: Record<string, unknown>) {
  const { app, stack } = newStack(context);
  return { app, layer: new PythonDependencyLayer(stack, 'Deps', { cacheDir, bundlingStrategy: BundlingStrategy.LOCAL, ...props }) };
}

describe('a lock file as the input', () => {
  withoutPipVariablesInEachTest();

  /** A layer built from `lockFile` by a fake pip that keeps the requirements it was given. */
  function lockLayer(lockFile: string, props: Partial<PythonDependencyLayerProps> = {}) {
    const pip = readingPip(dir);
    const { stack } = newStack();
    const built = new PythonDependencyLayer(stack, 'Deps', { lockFile, cacheDir, bundlingStrategy: BundlingStrategy.LOCAL, pythonExecutable: pip.python, ...props });
    return { layer: built, stack, pip };
  }

  /** fake-app (a direct dependency, needing boto3), boto3, and packages that only a marker, a group or an extra selects. */
  function project(): string {
    return pylock(dir, [
      { name: 'boto3' },
      { name: 'fake-app', dependencies: ['boto3'] },
      { name: 'fake-dev', marker: "'dev' in dependency_groups" },
      { name: 'fake-extra', marker: "'cli' in extras" },
      { name: 'fake-old', marker: "python_full_version < '3.12'" },
    ], { dependencies: ['fake-app'], groups: ['dev'], extras: ['cli'] });
  }

  test('pip installs exactly the pins the lock selects, hash-checked without dependencies, and the layer lists the project\'s requirements', () => {
    const { layer: built, stack, pip } = lockLayer(project());
    expect(pip.requirementsTexts().map(pinnedNames)).toEqual([['fake-app']]);
    const args = pip.installs()[0];
    expect(args.slice(-2)).toEqual(['--require-hashes', '--no-deps']);
    expect(args).not.toContain('--find-links');
    expect(args.join(' ')).not.toContain('files.example');
    expect(built.requirements).toEqual(['fake-app']);
    expect(built.hasRequirement('fake-app')).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::LayerVersion', { CompatibleRuntimes: ['python3.13'] });
  });

  test('the markers are evaluated for the layer\'s Python: a python3.11 layer also pins what the lock marks for Python < 3.12', () => {
    const { pip } = lockLayer(project(), { runtime: lambda.Runtime.PYTHON_3_11 });
    expect(pip.requirementsTexts().map(pinnedNames)).toEqual([['fake-app', 'fake-old']]);
    expect(pip.installs()[0].join(' ')).toContain('--python-version 3.11');
  });

  test('lockGroups, lockExtras and keepRuntimeProvidedPackages add what they choose', () => {
    const { pip } = lockLayer(project(), { lockGroups: ['dev'], lockExtras: ['cli'], keepRuntimeProvidedPackages: true });
    expect(pip.requirementsTexts().map(pinnedNames)).toEqual([['boto3', 'fake-app', 'fake-dev', 'fake-extra']]);
  });

  test('an unchanged lock is parsed once: a later synth takes the read from the cache directory', () => {
    const lockFile = project();
    const synth = (id: string) => new PythonDependencyLayer(newStack({ 'aws:cdk:bundling-stacks': [] }).stack, id, { lockFile, cacheDir });
    clearLockReadMemo();
    synth('First');
    expect(lastLockReadSource()).toBe('parsed');
    clearLockReadMemo();
    synth('Second');
    expect(lastLockReadSource()).toBe('disk');
  });

  test('fails when the lock selects no package, naming the lock, the runtime, the architecture and what it left out as runtime-provided', () => {
    const pip = quickPip(dir);
    const lockFile = pylock(dir, [{ name: 'boto3', dependencies: ['botocore'] }, { name: 'botocore' }]);
    expectErrorId(() => new PythonDependencyLayer(newStack().stack, 'Deps', {
      lockFile, runtime: lambda.Runtime.PYTHON_3_12, architecture: lambda.Architecture.ARM_64, pythonExecutable: pip.python, cacheDir,
    }), ErrorId.LAYER_NO_PACKAGES, /^Stack\/Deps: /, `'${lockFile}'`, 'python3.12', 'arm64', 'boto3, botocore');
    expect(pip.installs()).toHaveLength(0);
  });
});

describe('every input is in the key', () => {
  test('a --find-links directory named inside the requirements (and an included file): a rewritten wheel rebuilds once', () => {
    // GIVEN real pip, and a wheelhouse named only inside an included requirements file
    const wheels = path.join(dir, 'deps', 'wheels');
    makeWheel(wheels, { name: 'tiny-dep', version: '1.0' });
    requirements(dir, '--find-links ./wheels\n--no-index\n', 'deps/sources.txt');
    const requirementsFile = requirements(dir, '-r sources.txt\ntiny-dep==1.0\n', 'deps/requirements.txt');
    const pip = countingPython(dir);
    const build = () => layer({ requirementsFile, pythonExecutable: pip.python });
    const first = build();
    expect(listFiles(stagedAsset(first.app))).toContain('python/tiny_dep/__init__.py');
    expect(build().layer.assetHash).toBe(first.layer.assetHash);
    expect(pip.pipInstalls()).toBe(1);
    // WHEN the wheel is rebuilt with other content under the same name
    makeWheel(wheels, { name: 'tiny-dep', version: '1.0', files: [{ path: 'tiny_dep/new.py', content: 'x = 2\n' }] });
    const second = build();
    // THEN the hash changed, pip ran once more, and the new content ships
    expect(second.layer.assetHash).not.toBe(first.layer.assetHash);
    expect(listFiles(stagedAsset(second.app))).toContain('python/tiny_dep/new.py');
    build();
    expect(pip.pipInstalls()).toBe(2);
  });

  test('${VAR} references count by their values', () => {
    const pip = quickPip(dir);
    const requirementsFile = requirements(dir, 'fakepkg==${CDK_TRACED_LAMBDA_TEST_PIN}\n');
    try {
      process.env.CDK_TRACED_LAMBDA_TEST_PIN = '1.0';
      const one = layer({ requirementsFile, pythonExecutable: pip.python }).layer.assetHash;
      expect(layer({ requirementsFile, pythonExecutable: pip.python }).layer.assetHash).toBe(one);
      process.env.CDK_TRACED_LAMBDA_TEST_PIN = '2.0';
      expect(layer({ requirementsFile, pythonExecutable: pip.python }).layer.assetHash).not.toBe(one);
      expect(pip.installs()).toHaveLength(2);
    } finally {
      delete process.env.CDK_TRACED_LAMBDA_TEST_PIN;
    }
  });

  test('the method used counts, not the strategy asked for: AUTO that chose local pip shares LOCAL\'s hash, DOCKER does not', () => {
    const pip = quickPip(dir);
    const requirementsFile = requirements(dir, 'fakepkg\n');
    const auto = layer({ requirementsFile, pythonExecutable: pip.python, bundlingStrategy: BundlingStrategy.AUTO }).layer.assetHash;
    const local = layer({ requirementsFile, pythonExecutable: pip.python, bundlingStrategy: BundlingStrategy.LOCAL }).layer.assetHash;
    const docker = layer({ requirementsFile, pythonExecutable: pip.python, bundlingStrategy: BundlingStrategy.DOCKER },
      { 'aws:cdk:bundling-stacks': [] }).layer.assetHash;
    expect(auto).toBe(local);
    expect(docker).not.toBe(local);
    expect(pip.installs()).toHaveLength(1);
  });
});

test('findLinks may name a wheel file, as pip takes it; its content is in the key', () => {
  // GIVEN real pip and a wheel file outside any wheelhouse
  const wheel = makeWheel(path.join(dir, 'dist'), { name: 'tiny-dep', version: '1.0' });
  const pip = countingPython(dir);
  const build = () => layer({ requirementsFile: requirements(dir, 'tiny-dep\n'), findLinks: [wheel], noIndex: true, pythonExecutable: pip.python });
  // WHEN built THEN pip installed it
  const first = build();
  expect(listFiles(stagedAsset(first.app))).toContain('python/tiny_dep/__init__.py');
  // AND a rebuilt wheel under the same name is a new layer
  makeWheel(path.join(dir, 'dist'), { name: 'tiny-dep', version: '1.0', files: [{ path: 'tiny_dep/new.py', content: 'x = 2\n' }] });
  expect(build().layer.assetHash).not.toBe(first.layer.assetHash);
  expect(pip.pipInstalls()).toBe(2);
});

test('findLinks naming a file that is not a wheel fails by id before pip runs (pip would read an HTML file for links)', () => {
  const html = path.join(dir, 'links.html');
  fs.writeFileSync(html, '<a href="https://x.example/p.whl">p</a>');
  expectErrorId(() => layer({ requirementsFile: requirements(dir, 'fakepkg\n'), findLinks: [html] }), ErrorId.LAYER_FIND_LINKS_NOT_FOUND,
    /^Stack\/Deps: /, `'${html}'`, '.whl');
});

describe('requirements cannot override the platform or the offline promise', () => {
  test('fails when the file has --no-binary, before pip runs, naming the file, line and fix', () => {
    const pip = quickPip(dir);
    const requirementsFile = requirements(dir, '--no-binary cext\ncext==1.0\n');
    expectErrorId(() => layer({ requirementsFile, pythonExecutable: pip.python, architecture: lambda.Architecture.ARM_64 }),
      ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE, /^Stack\/Deps: /, `'${requirementsFile}', line 1: '--no-binary cext'`);
    expect(pip.installs()).toHaveLength(0);
    expect(fs.existsSync(cacheDir)).toBe(false);
  });

  test('fails with noIndex when the file has a URL find-links line, and fetches nothing', () => {
    const pip = quickPip(dir);
    const requirementsFile = requirements(dir, '--find-links http://127.0.0.1:9/wheels\nfakepkg\n');
    expectErrorId(() => layer({ requirementsFile, pythonExecutable: pip.python, noIndex: true }),
      ErrorId.LAYER_NO_INDEX_URL, /^Stack\/Deps: /, `'${requirementsFile}', line 1: '--find-links http://127.0.0.1:9/wheels'`);
    expect(pip.installs()).toHaveLength(0);
  });

  test('fails when the file has -e git+..., leaving nothing in the working directory', () => {
    const requirementsFile = requirements(dir, '-e git+https://127.0.0.1:9/p.git#egg=p\n');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expectErrorId(() => layer({ requirementsFile, pythonExecutable: quickPip(dir).python }), ErrorId.LAYER_REQUIREMENT_EDITABLE,
        /^Stack\/Deps: /, `'${requirementsFile}', line 1`);
    } finally {
      process.chdir(cwd);
    }
    expect(fs.existsSync(path.join(dir, 'src'))).toBe(false);
  });

  test('fails when pipExtraArgs holds --no-binary', () => {
    expectErrorId(() => layer({ requirementsFile: requirements(dir, 'fakepkg\n'), pipExtraArgs: ['--no-binary', ':all:'] }),
      ErrorId.LAYER_PIP_ARG_REFUSED, /^Stack\/Deps: /, "'--no-binary'");
  });

  test('fails when noIndex is set and findLinks names a URL', () => {
    expectErrorId(() => layer({ requirementsFile: requirements(dir, 'fakepkg\n'), noIndex: true, findLinks: ['https://u:secret@w.example/'] }),
      ErrorId.LAYER_NO_INDEX_URL, /^Stack\/Deps: /, "'https://u:***@w.example/'");
    expect(() => layer({ requirementsFile: requirements(dir, 'fakepkg\n'), noIndex: true, findLinks: ['https://u:secret@w.example/'] }))
      .toThrow(expect.objectContaining({ message: expect.not.stringContaining('secret') }));
  });
});

describe('clear errors for bad inputs', () => {
  test.each([
    ['empty', ''],
    ['comment-only', '# nothing yet\n\n   # really\n'],
    ['options-only', '--no-index\n'],
  ])('fails when the requirements file is %s', (_, text) => {
    const pip = quickPip(dir);
    expectErrorId(() => layer({ requirementsFile: requirements(dir, text), pythonExecutable: pip.python }),
      ErrorId.LAYER_NO_PACKAGES, /^Stack\/Deps: /, /requirements\.txt'/);
    expect(pip.installs()).toHaveLength(0);
  });

  test('fails (without hanging) when -r names a FIFO, naming the construct, the file and the fix', () => {
    spawnSync('mkfifo', [path.join(dir, 'pipe.txt')]);
    expectErrorId(() => layer({ requirementsFile: requirements(dir, 'fakepkg\n-r pipe.txt\n') }), ErrorId.LAYER_REQUIREMENTS_INCLUDE_NOT_FOUND,
      /^Stack\/Deps: /, path.join(dir, 'pipe.txt'), `'${path.join(dir, 'requirements.txt')}', line 2`, 'FIFO');
  });

  test('fails when -r names a directory', () => {
    fs.mkdirSync(path.join(dir, 'more'));
    expectErrorId(() => layer({ requirementsFile: requirements(dir, 'fakepkg\n-r more\n') }), ErrorId.LAYER_REQUIREMENTS_INCLUDE_NOT_FOUND,
      /^Stack\/Deps: /, `'${path.join(dir, 'more')}'`, 'directory');
  });

  test('runs pip with --no-color and keeps escape codes, OSC 52 clipboard writes and other control bytes out of the message', () => {
    const python = script(dir, 'colour-python', '#!/bin/sh\necho "$*" > "$(dirname "$0")/args"\n'
      + 'printf "\\033]52;c;ZXZpbA==\\007\\033[31mERROR: No matching distribution found for fakepkg\\033[0m\\bX\\n" >&2\nexit 1\n');
    const error = expectErrorId(() => layer({ requirementsFile: requirements(dir, 'fakepkg\n'), pythonExecutable: python }),
      ErrorId.LAYER_PIP_FAILED, /^Stack\/Deps: /, 'ERROR: No matching distribution found for fakepkg', '\\x08X');
    expect(error.message).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(error.message).not.toContain('ZXZpbA==');
    expect(fs.readFileSync(path.join(dir, 'args'), 'utf8')).toContain(' --no-color ');
  });
});
