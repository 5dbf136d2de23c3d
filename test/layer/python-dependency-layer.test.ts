import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  captureStderr, countingPython, distPip, eachTestInTempDir, listFiles, newStack, quickPip, REAL_PYTHON, requirements, restoreEnvAfterEach, script,
  stagedAsset, wheelhouse, withoutPipVariablesInEachTest,
} from './helpers';
import { AnnotationId, BundlingStrategy, PythonDependencyLayer } from '../../lib';
import { annotations } from '../tracing/annotations';

let dir: string;
let cacheDir: string;
eachTestInTempDir(d => ({ dir, cacheDir } = d));
withoutPipVariablesInEachTest();


describe('template', () => {
  test('defaults to Python 3.13 on x86_64 and sets compatible runtimes and architectures', () => {
    // GIVEN
    const { stack } = newStack();
    // WHEN
    const layer = new PythonDependencyLayer(stack, 'Deps', {
      requirementsFile: requirements(dir, 'fakepkg\n'), pythonExecutable: quickPip(dir, ['fakepkg/__pycache__/__init__.cpython-313.pyc', 'fakepkg/stale.pyc']).python, cacheDir,
    });
    // THEN
    expect(layer.runtime).toBe(lambda.Runtime.PYTHON_3_13);
    expect(layer.architecture).toBe(lambda.Architecture.X86_64);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::LayerVersion', {
      CompatibleRuntimes: ['python3.13'],
      CompatibleArchitectures: ['x86_64'],
    });
  });

  test('uses the given runtime, architecture and layer version options', () => {
    const { stack } = newStack();
    const pip = quickPip(dir, ['fakepkg/__pycache__/__init__.cpython-313.pyc', 'fakepkg/stale.pyc']);
    new PythonDependencyLayer(stack, 'Deps', {
      requirementsFile: requirements(dir, 'fakepkg\n'),
      runtime: lambda.Runtime.PYTHON_3_12,
      architecture: lambda.Architecture.ARM_64,
      description: 'my deps',
      layerVersionName: 'deps',
      license: 'MIT',
      removalPolicy: RemovalPolicy.RETAIN,
      pythonExecutable: pip.python,
      cacheDir,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::LayerVersion', {
      CompatibleRuntimes: ['python3.12'],
      CompatibleArchitectures: ['arm64'],
      Description: 'my deps',
      LayerName: 'deps',
      LicenseInfo: 'MIT',
    });
    template.hasResource('AWS::Lambda::LayerVersion', { DeletionPolicy: 'Retain' });
    const args = pip.installs()[0];
    expect(args.join(' ')).toContain('--platform manylinux2014_aarch64 --platform manylinux_2_28_aarch64 --implementation cp --python-version 3.12');
  });

  test('a Python runtime this library does not list yet is built for by its name: pip gets its version', () => {
    const pip = quickPip(dir);
    const { stack } = newStack();
    const layer = new PythonDependencyLayer(stack, 'Deps', {
      requirementsFile: requirements(dir, 'fakepkg\n'), runtime: new lambda.Runtime('python10.1', lambda.RuntimeFamily.PYTHON), pythonExecutable: pip.python, cacheDir,
    });
    expect(layer.runtime.name).toBe('python10.1');
    expect(pip.installs()[0].join(' ')).toContain('--python-version 10.1 --abi cp101');
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::LayerVersion', { CompatibleRuntimes: ['python10.1'] });
  });

  test('isPythonDependencyLayer tells layers apart', () => {
    const { stack } = newStack();
    const layer = new PythonDependencyLayer(stack, 'Deps', {
      requirementsFile: requirements(dir, 'fakepkg\n'), pythonExecutable: quickPip(dir, ['fakepkg/__pycache__/__init__.cpython-313.pyc', 'fakepkg/stale.pyc']).python, cacheDir,
    });
    const other = new lambda.LayerVersion(stack, 'Other', { code: lambda.Code.fromAsset(dir) });
    expect(PythonDependencyLayer.isPythonDependencyLayer(layer)).toBe(true);
    expect(PythonDependencyLayer.isPythonDependencyLayer(other)).toBe(false);
    expect(PythonDependencyLayer.isPythonDependencyLayer(undefined)).toBe(false);
    expect(PythonDependencyLayer.isPythonDependencyLayer(null)).toBe(false);
  });
});

describe('contents', () => {
  test('puts the packages under python/ in the asset, without __pycache__ or *.pyc', () => {
    const { app, stack } = newStack();
    new PythonDependencyLayer(stack, 'Deps', {
      requirementsFile: requirements(dir, 'fakepkg\n'), pythonExecutable: quickPip(dir, ['fakepkg/__pycache__/__init__.cpython-313.pyc', 'fakepkg/stale.pyc']).python, cacheDir,
    });
    expect(listFiles(stagedAsset(app))).toEqual(['python/fakepkg/__init__.py']);
  });

  test('lists the requirements the file names, PEP 503 normalized, with extras', () => {
    const { stack } = newStack();
    requirements(dir, 'jsonpickle\n', 'more.txt');
    requirements(dir, 'boto3\n', 'constraints.txt');
    const layer = new PythonDependencyLayer(stack, 'Deps', {
      requirementsFile: requirements(dir, [
        '# tracing',
        'AWS_Lambda.Powertools[Tracer] >= 2.0  # with the tracer',
        'Requests==2.32.0 \\',
        '    --hash=sha256:abc',
        '-r more.txt',
        '-c constraints.txt',
        '--index-url https://example.invalid/simple',
      ].join('\n')),
      pythonExecutable: quickPip(dir, ['fakepkg/__pycache__/__init__.cpython-313.pyc', 'fakepkg/stale.pyc']).python,
      cacheDir,
    });
    expect(layer.requirements).toEqual(['aws-lambda-powertools[tracer]', 'requests', 'jsonpickle']);
    expect(layer.hasRequirement('aws_lambda_powertools')).toBe(true);
    expect(layer.hasRequirement('AWS-Lambda-Powertools', 'Tracer')).toBe(true);
    expect(layer.hasRequirement('aws-lambda-powertools', 'parser')).toBe(false);
    expect(layer.hasRequirement('requests', 'socks')).toBe(false);
    expect(layer.hasRequirement('boto3')).toBe(false);
  });

  test('keeps a runtime-provided package the requirements name with extras, and what it requires; leaves out the one only another needs', () => {
    const { app, stack } = newStack();
    const pip = distPip(dir, [{ name: 'boto3', requires: ['botocore'] }, { name: 'botocore' }, { name: 'fakeapp', requires: ['six'] }, { name: 'six' }]);
    captureStderr(() => new PythonDependencyLayer(stack, 'Deps', {
      requirementsFile: requirements(dir, 'boto3[crt]\nfakeapp\n'), pythonExecutable: pip.python, cacheDir,
    }));
    expect([...new Set(listFiles(stagedAsset(app)).map(f => f.split('/')[1]))].sort()).toEqual([
      'boto3', 'boto3-1.0.dist-info', 'botocore', 'botocore-1.0.dist-info', 'fakeapp', 'fakeapp-1.0.dist-info',
    ]);
  });
});

describe('pip options', () => {
  test('passes index, extra index, find-links, no-index and extra args to pip; --require-hashes when hashes are used', () => {
    const pip = quickPip(dir, ['fakepkg/__pycache__/__init__.cpython-313.pyc', 'fakepkg/stale.pyc']);
    fs.mkdirSync(path.join(dir, 'wheels'));
    new PythonDependencyLayer(newStack().stack, 'Deps', {
      requirementsFile: requirements(dir, 'fakepkg==1.0 --hash=sha256:0123\n'),
      indexUrl: 'https://pypi.example/simple',
      extraIndexUrls: ['https://extra.example/simple'],
      findLinks: [path.join(dir, 'wheels')],
      noIndex: true,
      pipExtraArgs: ['--prefer-binary'],
      bundlingStrategy: BundlingStrategy.LOCAL,
      pythonExecutable: pip.python,
      cacheDir,
    });
    expect(pip.installs()).toHaveLength(1);
    const args = pip.installs()[0];
    expect(args.slice(0, 7)).toEqual(['-m', 'pip', 'install', '--isolated', '-r', path.join(dir, 'requirements.txt'), '-t']);
    expect(args.slice(8)).toEqual([
      '--platform', 'manylinux2014_x86_64', '--platform', 'manylinux_2_28_x86_64', '--implementation', 'cp',
      '--python-version', '3.13', '--abi', 'cp313', '--only-binary=:all:', '--no-compile', '--no-color', '--disable-pip-version-check',
      '--index-url', 'https://pypi.example/simple',
      '--extra-index-url', 'https://extra.example/simple',
      '--find-links', path.join(dir, 'wheels'),
      '--no-index', '--require-hashes', '--prefer-binary',
    ]);
  });

  test.each([
    ['a comma-separated string and "true"', 'elsewhere, wheelhouse', 'true'],
    ['a list and a boolean', ['elsewhere', 'wheelhouse'], true],
  ])('takes find-links and no-index from CDK context given as %s, relative to the working directory', (_, findLinks, noIndex) => {
    fs.mkdirSync(path.join(dir, 'wheelhouse'));
    fs.mkdirSync(path.join(dir, 'elsewhere'));
    const pip = quickPip(dir, ['fakepkg/__pycache__/__init__.cpython-313.pyc', 'fakepkg/stale.pyc']);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const { stack } = newStack({
        'cdk-traced-lambda:pipFindLinks': findLinks,
        'cdk-traced-lambda:pipNoIndex': noIndex,
        'cdk-traced-lambda:pipIndexUrl': 'https://context.example/simple',
      });
      new PythonDependencyLayer(stack, 'Deps', { requirementsFile: requirements(dir, 'fakepkg\n'), pythonExecutable: pip.python, cacheDir });
    } finally {
      process.chdir(cwd);
    }
    const args = pip.installs()[0].join(' ');
    expect(args).toContain(`--index-url https://context.example/simple --find-links ${fs.realpathSync(dir)}/elsewhere `
      + `--find-links ${fs.realpathSync(dir)}/wheelhouse --no-index`);
  });

  test('a file: URL in find-links is the folder it names: noIndex accepts it, and its wheels are in the layer\'s hash', () => {
    const wheels = path.join(dir, 'wheels');
    fs.mkdirSync(wheels);
    fs.writeFileSync(path.join(wheels, 'fakepkg-1.0-py3-none-any.whl'), 'one');
    const pip = quickPip(dir, ['fakepkg/__init__.py']);
    const layer = () => new PythonDependencyLayer(newStack().stack, 'Deps', {
      requirementsFile: requirements(dir, 'fakepkg\n'), findLinks: [pathToFileURL(wheels).href], noIndex: true, pythonExecutable: pip.python, cacheDir,
    });
    const before = layer().assetHash;
    expect(pip.installs()[0].join(' ')).toContain(`--find-links ${wheels} --no-index`);
    fs.writeFileSync(path.join(wheels, 'fakepkg-1.0-py3-none-any.whl'), 'two');
    expect(layer().assetHash).not.toBe(before);
  });

  test('pipExtraArgs that keep the Lambda platform reach pip: --only-binary :all:, and values that only contain a refused option\'s text', () => {
    const pip = quickPip(dir);
    const extraArgs = ['--only-binary', ':all:', '--only-binary=:all:', '--only-bin=:all:', '--log', path.join(dir, 'pip-e'), '--cache-dir', path.join(dir, 'x--no-binary'),
      '--src', path.join(dir, 'x--only-binary=cext'), '-Ckey=e', '-vq', '--use-feature=truststore'];
    new PythonDependencyLayer(newStack().stack, 'Deps', {
      requirementsFile: requirements(dir, 'fakepkg\n'), pipExtraArgs: extraArgs, pythonExecutable: pip.python, cacheDir,
    });
    expect(pip.installs()[0].slice(-extraArgs.length)).toEqual(extraArgs);
  });

  test('a URL in findLinks is passed to pip as it is when noIndex is off', () => {
    const pip = quickPip(dir);
    new PythonDependencyLayer(newStack().stack, 'Deps', {
      requirementsFile: requirements(dir, 'fakepkg\n'), findLinks: ['https://wheels.example/simple/'], pythonExecutable: pip.python, cacheDir,
    });
    expect(pip.installs()[0].join(' ')).toContain('--find-links https://wheels.example/simple/');
  });

  test('props win over CDK context', () => {
    fs.mkdirSync(path.join(dir, 'from-props'));
    const pip = quickPip(dir, ['fakepkg/__pycache__/__init__.cpython-313.pyc', 'fakepkg/stale.pyc']);
    const { stack } = newStack({
      'cdk-traced-lambda:pipFindLinks': '/does/not/exist',
      'cdk-traced-lambda:pipNoIndex': 'true',
      'cdk-traced-lambda:pipIndexUrl': 'https://context.example/simple',
    });
    new PythonDependencyLayer(stack, 'Deps', {
      requirementsFile: requirements(dir, 'fakepkg\n'),
      indexUrl: 'https://props.example/simple',
      findLinks: [path.join(dir, 'from-props')],
      noIndex: false,
      pythonExecutable: pip.python,
      cacheDir,
    });
    const args = pip.installs()[0].join(' ');
    expect(args).toContain(`--index-url https://props.example/simple --find-links ${path.join(dir, 'from-props')}`);
    expect(args).not.toContain('context.example');
    expect(args).not.toContain('--no-index');
  });
});

describe('caching', () => {
  test('a warm AUTO synth starts no Python process at all (the cached local build decides the method)', () => {
    // GIVEN a layer built once (AUTO: pip found, local pip), and a second wrapper that logs every start of python
    const wh = wheelhouse(dir);
    const requirementsFile = requirements(dir, 'tiny-dep\n');
    const synth = (python: string) => {
      const { app, stack } = newStack();
      const layer = new PythonDependencyLayer(stack, 'Deps', { requirementsFile, findLinks: [wh], noIndex: true, pythonExecutable: python, cacheDir });
      stagedAsset(app);
      return layer.assetHash;
    };
    const first = captureStderr(() => synth(countingPython(dir).python)).result;
    const starts = path.join(dir, 'python-starts.log');
    const logging = script(dir, 'logging-python', `#!/bin/sh\necho "$*" >> "${starts}"\nexec "${REAL_PYTHON}" "$@"\n`);

    // WHEN synthesized again with an interpreter this process has not probed yet
    const second = captureStderr(() => synth(logging)).result;

    // THEN the same hash, and python never started (not even `python -m pip --version`)
    expect(second).toBe(first);
    expect(fs.existsSync(starts)).toBe(false);
  });

  test('a second synth with unchanged inputs runs pip zero times; one changed requirement rebuilds once', () => {
    // GIVEN real pip behind a wrapper that counts installs, and a local wheelhouse
    const wh = wheelhouse(dir);
    const { python, pipInstalls } = countingPython(dir);
    const requirementsFile = requirements(dir, 'tiny-dep\n');
    const synth = () => {
      const { app, stack } = newStack();
      const layer = new PythonDependencyLayer(stack, 'Deps', {
        requirementsFile, findLinks: [wh], noIndex: true, pythonExecutable: python, cacheDir,
      });
      return { layer, files: listFiles(stagedAsset(app)) };
    };

    // WHEN synthesized twice into fresh apps THEN pip runs once, and the second time prints nothing
    const first = captureStderr(synth);
    expect(pipInstalls()).toBe(1);
    expect(first.stderr).toMatch(/\ncdk-traced-lambda: built layer Stack\/Deps \(python3\.13, x86_64, local pip\) in \d+\.\ds\n$/);
    expect(first.result.files).toContain('python/tiny_dep/__init__.py');
    const second = captureStderr(synth);
    expect(pipInstalls()).toBe(1);
    expect(second.stderr).not.toContain('cdk-traced-lambda');
    expect(second.result.layer.assetHash).toBe(first.result.layer.assetHash);
    expect(second.result.files).toEqual(first.result.files);

    // WHEN one requirement changes THEN exactly one rebuild, and the new hash is cached too
    fs.writeFileSync(requirementsFile, 'tiny-dep\nsix\n');
    const third = synth();
    expect(pipInstalls()).toBe(2);
    expect(third.layer.assetHash).not.toBe(first.result.layer.assetHash);
    expect(third.files).toContain('python/tiny_dep/__init__.py');
    synth();
    expect(pipInstalls()).toBe(2);
  });

  test('uses $CDK_TRACED_LAMBDA_CACHE_DIR when cacheDir is not set', () => {
    const envCache = path.join(dir, 'env-cache');
    const previous = process.env.CDK_TRACED_LAMBDA_CACHE_DIR;
    process.env.CDK_TRACED_LAMBDA_CACHE_DIR = envCache;
    try {
      const layer = new PythonDependencyLayer(newStack().stack, 'Deps', {
        requirementsFile: requirements(dir, 'fakepkg\n'), pythonExecutable: quickPip(dir, ['fakepkg/__pycache__/__init__.cpython-313.pyc', 'fakepkg/stale.pyc']).python,
      });
      expect(listFiles(path.join(envCache, layer.assetHash))).toEqual(['manifest.json', 'python/fakepkg/__init__.py']);
    } finally {
      if (previous === undefined) {
        delete process.env.CDK_TRACED_LAMBDA_CACHE_DIR;
      } else {
        process.env.CDK_TRACED_LAMBDA_CACHE_DIR = previous;
      }
    }
  });

  describe('without cacheDir or $CDK_TRACED_LAMBDA_CACHE_DIR', () => {
    restoreEnvAfterEach('CDK_TRACED_LAMBDA_CACHE_DIR');
    test('caches in .cdk-cache/cdk-traced-lambda of the working directory', () => {
      delete process.env.CDK_TRACED_LAMBDA_CACHE_DIR;
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        const layer = new PythonDependencyLayer(newStack().stack, 'Deps', { requirementsFile: requirements(dir, 'fakepkg\n'), pythonExecutable: quickPip(dir).python });
        expect(listFiles(path.join(dir, '.cdk-cache', 'cdk-traced-lambda', layer.assetHash))).toEqual(['manifest.json', 'python/fakepkg/__init__.py']);
      } finally {
        process.chdir(cwd);
      }
    });
  });

  test('warns by id on the layer when its cache entry was changed, naming the entry, and ships the rebuilt layer', () => {
    const pip = quickPip(dir);
    const synth = () => {
      const { app, stack } = newStack();
      const layer = new PythonDependencyLayer(stack, 'Deps', { requirementsFile: requirements(dir, 'fakepkg\n'), pythonExecutable: pip.python, cacheDir });
      return { stack, files: listFiles(stagedAsset(app)), entry: path.join(cacheDir, layer.assetHash) };
    };
    const first = synth();
    fs.writeFileSync(path.join(first.entry, 'python', 'evil.py'), 'import os\n');
    const second = synth();
    expect(annotations(second.stack, 'warning').map(a => [a.path, a.id])).toEqual([['/Stack/Deps', AnnotationId.LAYER_CACHE_ENTRY_REJECTED]]);
    expect(annotations(second.stack, 'warning')[0].message).toContain(`'${first.entry}'`);
    expect(second.files).toEqual(first.files);
    expect(pip.installs()).toHaveLength(2);
  });

  test('a changed wheel in a find-links directory rebuilds the layer', () => {
    const wh = path.join(dir, 'wheels');
    fs.mkdirSync(wh);
    fs.writeFileSync(path.join(wh, 'fakepkg-1.0-py3-none-any.whl'), 'one');
    const pip = quickPip(dir, ['fakepkg/__pycache__/__init__.cpython-313.pyc', 'fakepkg/stale.pyc']);
    const build = () => new PythonDependencyLayer(newStack().stack, 'Deps', {
      requirementsFile: requirements(dir, 'fakepkg\n'), findLinks: [wh], pythonExecutable: pip.python, cacheDir,
    }).assetHash;
    const before = build();
    expect(build()).toBe(before);
    fs.writeFileSync(path.join(wh, 'fakepkg-1.0-py3-none-any.whl'), 'two');
    expect(build()).not.toBe(before);
    expect(pip.installs()).toHaveLength(2);
  });

  test('does not build for a stack that does not need bundling (cdk deploy --exclusively Other): no pip, no directory', () => {
    // GIVEN a python that logs every call (AUTO must not even look for pip)
    const calls = path.join(dir, 'python-calls.log');
    const python = script(dir, 'logging-python', `#!/bin/sh\necho "$*" >> "${calls}"\nexit 1\n`);
    const tmpBefore = fs.readdirSync(os.tmpdir()).filter(e => e.startsWith('cdk-traced-lambda'));
    const { app, stack } = newStack({ 'aws:cdk:bundling-stacks': ['OtherStack'] });
    // WHEN
    const layer = new PythonDependencyLayer(stack, 'Deps', {
      requirementsFile: requirements(dir, 'fakepkg\n'), pythonExecutable: python, cacheDir,
    });
    app.synth();
    // THEN python never ran, no cache dir, no temporary directory, no asset directory; the template is complete
    expect(fs.existsSync(calls)).toBe(false);
    expect(fs.existsSync(cacheDir)).toBe(false);
    expect(fs.readdirSync(os.tmpdir()).filter(e => e.startsWith('cdk-traced-lambda'))).toEqual(tmpBefore);
    expect(fs.readdirSync(app.outdir).filter(e => e.startsWith('asset.'))).toEqual([]);
    expect(layer.assetHash).toMatch(/^[0-9a-f]{64}$/);
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::LayerVersion', 1);
  });
});
