import * as fs from 'fs';
import * as path from 'path';
import {
  buildSpec, captureStderr, eachTestInTempDir, fakePython, listFiles, pythonOfVersion, quickPip, restoreEnvAfterEach, script,
} from './helpers';
import { BundlingStrategy, ErrorId } from '../../lib';
import { bundlingOptions, finishDockerBuild, LayerBundler, resolveMethod } from '../../lib/layer/private/build';
import { verifyCacheEntry } from '../../lib/layer/private/cache';
import { LayerBuildSpec, layerAssetHash } from '../../lib/layer/private/hash';
import { compileArgs, DOCKER_REQUIREMENTS_VARIABLE } from '../../lib/layer/private/pip';
import { expectErrorId } from '../helpers/errors';

let dir: string;
let cacheDir: string;
eachTestInTempDir(d => ({ dir, cacheDir } = d));
restoreEnvAfterEach('PATH');
restoreEnvAfterEach('CDK_DOCKER');

/** Bundles `spec` locally, as aws-cdk-lib calls it, into a new output folder `name`; stderr is captured. */
function bundle(spec: LayerBuildSpec, name = 'out') {
  const hash = layerAssetHash(spec);
  const out = path.join(dir, name);
  fs.mkdirSync(out);
  const bundler = new LayerBundler(spec, hash);
  const { result, stderr } = captureStderr(() => bundler.tryBundle(out));
  return { bundler, result, stderr, out, hash, entry: path.join(spec.cacheDir, hash) };
}

/** What the cache folder holds: verified entries by their hash, and any `.building-*` folder a build left. */
function cacheContents(): string[] {
  return fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).sort() : [];
}

/** A PATH with nothing on it but what the test puts in the returned folder. */
function emptyPath(): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  process.env.PATH = bin;
  return bin;
}

// The seam for lock files: the pip step takes a requirements text, extra flags and the inputs to hash.
test('a generated requirements text is installed with its flags, hashed, and leaves no requirements file behind', () => {
  // GIVEN a fake pip that copies the file it was given with -r into the layer, so the test can read it
  const pip = fakePython(dir, [
    'R=""; P=""; for a in "$@"; do if [ "$P" = "-r" ]; then R="$a"; fi; P="$a"; done',
    'mkdir -p "$TARGET/pinned"; cp "$R" "$TARGET/pinned/requirements.txt"',
  ].join('\n'));
  const text = 'six==1.17.0 --hash=sha256:4721f391ed90541fddacab5acf947aa0d3dc7d27b2e1e8eda2be8970586c3274\n';
  const spec = buildSpec({
    input: { file: undefined, text, origin: '/src/uv.lock', flags: ['--require-hashes', '--no-deps'], hashInputs: { lockFile: 'content' } },
    pythonExecutable: pip.python,
    cacheDir,
  });

  // WHEN
  const { result, out, entry } = bundle(spec);

  // THEN pip read exactly the text, with the input's flags
  expect(result).toBe(true);
  expect(fs.readFileSync(path.join(out, 'python', 'pinned', 'requirements.txt'), 'utf8')).toBe(text);
  const args = pip.installs()[0];
  expect(args.slice(-2)).toEqual(['--require-hashes', '--no-deps']);
  // AND the cache entry holds only the verified layer
  expect(listFiles(entry)).toEqual(['manifest.json', 'python/pinned/requirements.txt']);
  expect(verifyCacheEntry(entry).ok).toBe(true);
});

describe('the verified cache', () => {
  test('a first build rejects nothing, and a second build of the same layer copies the entry without running pip', () => {
    const pip = quickPip(dir);
    const spec = buildSpec({ pythonExecutable: pip.python, cacheDir });

    const first = bundle(spec, 'first');
    const second = bundle(spec, 'second');

    expect([first.bundler.rejected, second.bundler.rejected]).toEqual([[], []]);
    expect(pip.installs()).toHaveLength(1);
    expect(second.stderr).toBe(''); // a cache hit is silent
    expect(listFiles(second.out)).toEqual(['python/fakepkg/__init__.py']);
  });

  test.each([
    [5, ''],
    [7, ' and 2 more'],
  ])('an entry with %i changed files is rejected, naming the entry and at most five problems, and rebuilt in its place', (changed, more) => {
    // GIVEN an entry of seven files, `changed` of them edited after it was built
    const files = ['1', '2', '3', '4', '5', '6', '7'].map(n => `fakepkg/f${n}.py`);
    const pip = quickPip(dir, files);
    const spec = buildSpec({ pythonExecutable: pip.python, cacheDir });
    const { entry } = bundle(spec, 'first');
    for (const file of files.slice(0, changed)) {
      fs.writeFileSync(path.join(entry, 'python', file), 'tampered');
    }
    const problems = verifyCacheEntry(entry).problems;
    expect(problems).toHaveLength(changed);

    // WHEN
    const { bundler, result, out } = bundle(spec, 'second');

    // THEN the rejection names the entry and the first five problems (the warning shows it as it is)
    expect(bundler.rejected).toEqual([`'${entry}': ${problems.slice(0, 5).join('; ')}${more}`]);
    // AND pip rebuilt it: the layer and the new entry hold pip's files, verified, and nothing else is in the cache
    expect(result).toBe(true);
    expect(pip.installs()).toHaveLength(2);
    expect(fs.readFileSync(path.join(out, 'python', files[0]), 'utf8')).toBe('x\n');
    expect(verifyCacheEntry(entry).ok).toBe(true);
    expect(cacheContents()).toEqual([path.basename(entry)]);
  });

  test('with a signing key, the entry is signed for its key and reused, and fails verification with another key', () => {
    const pip = quickPip(dir);
    const spec = buildSpec({ pythonExecutable: pip.python, cacheDir, signingKey: 'ci-secret' });

    const { entry, hash } = bundle(spec, 'first');
    const second = bundle(spec, 'second');

    expect(verifyCacheEntry(entry, { key: 'ci-secret', assetHash: hash }).ok).toBe(true);
    expect(verifyCacheEntry(entry, { key: 'other', assetHash: hash }).ok).toBe(false);
    expect(second.bundler.rejected).toEqual([]);
    expect(pip.installs()).toHaveLength(1);
  });

  test('pip installs into a .building folder inside the cache, named for the layer, renamed into place', () => {
    const pip = quickPip(dir);
    const spec = buildSpec({ pythonExecutable: pip.python, cacheDir });

    const { hash } = bundle(spec);

    const args = pip.installs()[0];
    const target = args[args.indexOf('-t') + 1];
    expect(path.dirname(path.dirname(target))).toBe(cacheDir); // same file system: the rename is atomic
    expect(path.basename(path.dirname(target))).toMatch(new RegExp(`^\\.building-${hash.slice(0, 12)}-\\w{6}$`));
    expect(path.basename(target)).toBe('python');
    expect(cacheContents()).toEqual([hash]);
  });

  describe('another synth builds the same layer at the same time', () => {
    const nodeFs: typeof fs = jest.requireActual('fs');
    let rename: jest.SpyInstance;
    afterEach(() => rename.mockRestore());

    test('when its entry was renamed into place first, that verified entry is used and this build is removed', () => {
      const pip = quickPip(dir);
      const spec = buildSpec({ pythonExecutable: pip.python, cacheDir });
      rename = jest.spyOn(nodeFs, 'renameSync').mockImplementation((from, to) => {
        nodeFs.cpSync(String(from), String(to), { recursive: true }); // the other synth's identical build lands first
        throw Object.assign(new Error(`ENOTEMPTY: directory not empty, rename '${from}' -> '${to}'`), { code: 'ENOTEMPTY' });
      });

      const { result, out, entry, hash } = bundle(spec);

      expect(result).toBe(true);
      expect(listFiles(out)).toEqual(['python/fakepkg/__init__.py']);
      expect(cacheContents()).toEqual([hash]);
      expect(verifyCacheEntry(entry).ok).toBe(true);
    });

    test('when the rename fails and no verified entry is there, the error is thrown and nothing is left in the cache', () => {
      const pip = quickPip(dir);
      const spec = buildSpec({ pythonExecutable: pip.python, cacheDir });
      const failure = Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
      rename = jest.spyOn(nodeFs, 'renameSync').mockImplementation(() => {
        throw failure;
      });

      expect(() => bundle(spec)).toThrow(failure);
      expect(cacheContents()).toEqual([]);
      expect(fs.readdirSync(path.join(dir, 'out'))).toEqual([]);
    });
  });
});

describe('left-out runtime-provided packages', () => {
  /** A pip that installs fakepkg and boto3 (with the .dist-info and RECORD that tell what boto3 installed). */
  const pipWithBoto3 = () => fakePython(dir, [
    'mkdir -p "$TARGET/fakepkg" "$TARGET/boto3" "$TARGET/boto3-1.0.dist-info"',
    'echo x > "$TARGET/fakepkg/__init__.py"; echo x > "$TARGET/boto3/__init__.py"',
    'printf "boto3/__init__.py,,\\n" > "$TARGET/boto3-1.0.dist-info/RECORD"',
  ].join('\n'));

  test('the build line names those pip installed and those the input left out, sorted, once each', () => {
    const spec = buildSpec({ pythonExecutable: pipWithBoto3().python, cacheDir, input: { names: ['fakepkg'], leftOut: ['urllib3', 'boto3'] } });

    const { out, stderr } = bundle(spec);

    expect(listFiles(out)).toEqual(['python/fakepkg/__init__.py']);
    expect(stderr).toContain(': boto3, urllib3\n');
  });

  test('keepRuntimeProvidedPackages keeps them, and the build line names none', () => {
    const spec = buildSpec({ pythonExecutable: pipWithBoto3().python, cacheDir, input: { names: ['fakepkg'] }, keepRuntimeProvidedPackages: true });

    const { out, stderr } = bundle(spec);

    expect(listFiles(out)).toEqual(['python/boto3-1.0.dist-info/RECORD', 'python/boto3/__init__.py', 'python/fakepkg/__init__.py']);
    expect(stderr).toMatch(/^cdk-traced-lambda: built layer Stack\/Deps \(python3\.13, x86_64, local pip\) in \d+\.\ds\n$/);
  });
});

describe('compileBytecode with local pip: compiled by an interpreter of the target version', () => {
  test('pythonExecutable of the target version compiles the layer in its building folder, and the bytecode ships', () => {
    const bin = emptyPath();
    const python = pythonOfVersion(dir, 'python-3.13', '3.13', { pip: quickPip(dir, ['fakepkg/mod.py']).python });
    const other = pythonOfVersion(bin, 'python3.13', '3.13');
    const spec = buildSpec({ pythonExecutable: python.python, cacheDir, compileBytecode: true });

    const { out, entry, hash } = bundle(spec);

    expect(python.compiles()).toHaveLength(1);
    const compiled = python.compiles()[0];
    const pythonDir = compiled[compiled.length - 1];
    expect(compiled).toEqual(compileArgs(pythonDir));
    expect(path.relative(cacheDir, pythonDir)).toMatch(new RegExp(`^\\.building-${hash.slice(0, 12)}-\\w{6}/python$`));
    expect(other.compiles()).toEqual([]);
    expect(listFiles(out)).toEqual(expect.arrayContaining(['python/fakepkg/mod.py', expect.stringMatching(/^python\/fakepkg\/__pycache__\/mod\..*\.pyc$/)]));
    expect(listFiles(entry)).toEqual(['manifest.json', ...listFiles(out)]);
    expect(verifyCacheEntry(entry).ok).toBe(true);
  });

  test('when pythonExecutable is another version, python3.X on the PATH compiles', () => {
    const bin = emptyPath();
    const pip = quickPip(dir);
    const python312 = pythonOfVersion(dir, 'python-3.12', '3.12', { pip: pip.python });
    const python313 = pythonOfVersion(bin, 'python3.13', '3.13');
    const spec = buildSpec({ pythonExecutable: python312.python, cacheDir, compileBytecode: true });

    const { out } = bundle(spec);

    expect(pip.installs()).toHaveLength(1); // pip still runs in pythonExecutable
    expect(python312.compiles()).toEqual([]);
    expect(python313.compiles()).toHaveLength(1);
    expect(listFiles(out)).toContainEqual(expect.stringMatching(/^python\/fakepkg\/__pycache__\/__init__\..*\.pyc$/));
  });

  test('fails when neither pythonExecutable nor python3.X is the target version, naming both and what each is, before pip runs', () => {
    emptyPath();
    const pip = quickPip(dir);
    const python312 = pythonOfVersion(dir, 'python-3.12', '3.12', { pip: pip.python });
    const spec = buildSpec({ pythonExecutable: python312.python, cacheDir, compileBytecode: true });

    expectErrorId(() => bundle(spec), ErrorId.LAYER_COMPILE_PYTHON_NOT_FOUND, /^Stack\/Deps: /, 'python3.13',
      `'${python312.python}'`, "'3.12'", "'python3.13'");

    expect(pip.installs()).toEqual([]);
    expect(cacheContents()).toEqual([]);
  });

  test('fails when the compile fails, with the interpreter and the tail of its output, leaving nothing in the cache or the output', () => {
    // GIVEN a package with a syntax error, which the real compileall reports on stdout and exits 1
    emptyPath();
    const pip = fakePython(dir, 'mkdir -p "$TARGET/bad"; echo "def (" > "$TARGET/bad/__init__.py"');
    const python = pythonOfVersion(dir, 'python-3.13', '3.13', { pip: pip.python });
    const spec = buildSpec({ pythonExecutable: python.python, cacheDir, compileBytecode: true });

    expectErrorId(() => bundle(spec), ErrorId.LAYER_COMPILE_FAILED, /^Stack\/Deps: /, `'${python.python}'`,
      '"/opt/python/bad/__init__.py", line 1', /\nSyntaxError: invalid syntax\n/);

    expect(cacheContents()).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual([]);
  });

  test('fails when the compile fails on stderr, showing it with escape codes removed and control characters escaped', () => {
    emptyPath();
    const python = pythonOfVersion(dir, 'python-3.13', '3.13', {
      pip: quickPip(dir).python,
      compileBody: 'printf "compiling\\n\\033]52;c;ZXZpbA==\\007error: \\033[31mdisk full\\033[0m\\001\\n" >&2; exit 3',
    });
    const spec = buildSpec({ pythonExecutable: python.python, cacheDir, compileBytecode: true });

    const error = expectErrorId(() => bundle(spec), ErrorId.LAYER_COMPILE_FAILED, `'${python.python}'`, '\ncompiling\nerror: disk full\\x01\n');

    expect(error.message).not.toMatch(/[\x00-\x08\x1b\x7f]/); // eslint-disable-line no-control-regex
    expect(cacheContents()).toEqual([]);
  });
});

describe('finishing a Docker build', () => {
  /** The folder aws-cdk-lib staged Docker's output in, holding `files` (paths under it, each written `x`). */
  function staged(files: string[]): string {
    const stagedDir = path.join(dir, 'cdk.out', 'asset.staged');
    fs.mkdirSync(stagedDir, { recursive: true });
    for (const file of files) {
      fs.mkdirSync(path.join(stagedDir, path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(stagedDir, file), file.endsWith('RECORD') ? 'boto3/__init__.py,,\n' : 'x');
    }
    return stagedDir;
  }

  test('keeps the bytecode Docker compiled (no local interpreter runs), caches the layer and reports the build from when Docker started', () => {
    // GIVEN Docker's output: a compiled package, and boto3, which is runtime-provided
    const interpreterLog = path.join(dir, 'interpreter.log');
    const python = script(dir, 'python', `#!/bin/sh\necho "$*" >> "${interpreterLog}"\nexit 1\n`);
    const spec = buildSpec({ method: 'docker', compileBytecode: true, pythonExecutable: python, cacheDir, input: { names: ['dockerpkg'], leftOut: ['urllib3'] } });
    const hash = layerAssetHash(spec);
    const stagedDir = staged(['python/dockerpkg/__init__.py', 'python/dockerpkg/__pycache__/__init__.cpython-313.pyc',
      'python/boto3/__init__.py', 'python/boto3-1.0.dist-info/RECORD']);

    // WHEN
    const { stderr } = captureStderr(() => finishDockerBuild(spec, hash, stagedDir, Date.now() - 2500));

    // THEN the asset and the verified cache entry hold the compiled package, without boto3
    const layer = ['python/dockerpkg/__init__.py', 'python/dockerpkg/__pycache__/__init__.cpython-313.pyc'];
    expect(listFiles(stagedDir)).toEqual(layer);
    expect(listFiles(path.join(cacheDir, hash))).toEqual(['manifest.json', ...layer]);
    expect(verifyCacheEntry(path.join(cacheDir, hash)).ok).toBe(true);
    expect(fs.existsSync(interpreterLog)).toBe(false);
    // AND the build line names what was left out and the time since Docker started
    expect(stderr).toContain('(python3.13, x86_64, docker)');
    expect(stderr).toContain(': boto3, urllib3\n');
    const seconds = Number(/ in (\d+\.\d)s/.exec(stderr)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(2.5);
    expect(seconds).toBeLessThan(60);
  });

  test.each([
    ['an empty folder', true],
    ['no folder at all', false],
  ])('fails when Docker left %s, naming the folder, and leaves nothing in cdk.out or the cache', (_, exists) => {
    const spec = buildSpec({ method: 'docker', cacheDir });
    const stagedDir = path.join(dir, 'cdk.out', 'asset.staged');
    if (exists) {
      fs.mkdirSync(stagedDir, { recursive: true });
    }

    expectErrorId(() => finishDockerBuild(spec, layerAssetHash(spec), stagedDir, Date.now()), ErrorId.LAYER_DOCKER_FAILED,
      /^Stack\/Deps: /, `'${stagedDir}'`);

    expect(fs.existsSync(stagedDir)).toBe(false);
    expect(cacheContents()).toEqual([]);
  });
});

describe('the Docker bundling options', () => {
  test('a generated requirements text goes into the container in its variable; a requirements file is mounted instead', () => {
    const text = 'six==1.17.0 --hash=sha256:4721f391ed90541fddacab5acf947aa0d3dc7d27b2e1e8eda2be8970586c3274\n';
    const fromText = buildSpec({ method: 'docker', cacheDir, input: { file: undefined, text, origin: path.join(dir, 'uv.lock') } });
    const fromFile = buildSpec({ method: 'docker', cacheDir });

    const options = (spec: LayerBuildSpec) => bundlingOptions(spec, new LayerBundler(spec, layerAssetHash(spec)));

    expect(options(fromText).environment).toEqual({ HOME: '/tmp', PIP_CONFIG_FILE: '/dev/null', [DOCKER_REQUIREMENTS_VARIABLE]: text });
    expect(options(fromFile).environment).toEqual({ HOME: '/tmp', PIP_CONFIG_FILE: '/dev/null' });
  });
});

describe('what AUTO means on this machine', () => {
  /** A python that records each run, and has pip when `withPip`. */
  function python(name: string, withPip: boolean): { python: string; runs: () => string[] } {
    const log = path.join(dir, `${name}.log`);
    const file = script(dir, name, `#!/bin/sh\necho "$*" >> "${log}"\n${withPip ? '[ "$*" = "-m pip --version" ]' : 'exit 1'}\n`);
    return { python: file, runs: () => fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(l => l) : [] };
  }

  test('local pip when pythonExecutable has pip, looked for once per interpreter', () => {
    process.env.CDK_DOCKER = script(dir, 'no-docker', '#!/bin/sh\nexit 1\n');
    const withPip = python('python-with-pip', true);

    const methods = [1, 2].map(() => resolveMethod('Stack/Deps', BundlingStrategy.AUTO, withPip.python, '/src/requirements.txt'));

    expect(methods).toEqual(['local', 'local']);
    expect(withPip.runs()).toEqual(['-m pip --version']);
  });

  test('Docker when there is no pip and `docker version` answers', () => {
    const dockerLog = path.join(dir, 'docker.log');
    process.env.CDK_DOCKER = script(dir, 'docker', `#!/bin/sh\necho "$*" >> "${dockerLog}"\n[ "$*" = "version" ]\n`);

    expect(resolveMethod('Stack/Deps', BundlingStrategy.AUTO, python('python-without-pip', false).python, '/src/requirements.txt')).toBe('docker');
    expect(fs.readFileSync(dockerLog, 'utf8')).toBe('version\n');
  });

  test('fails when neither is there, showing the first line of docker\'s output (past blank lines), escape codes removed, control characters escaped', () => {
    process.env.CDK_DOCKER = script(dir, 'broken-docker', '#!/bin/sh\n'
      + 'printf "\\n\\033]0;pwned\\007Cannot connect to the Docker daemon\\001\\nsecond line\\n" >&2\nexit 1\n');
    const noPip = python('python-without-pip', false);

    const error = expectErrorId(() => resolveMethod('Stack/Deps', BundlingStrategy.AUTO, noPip.python, '/src/requirements.txt'),
      ErrorId.LAYER_NO_BUILDER, /^Stack\/Deps: /, "'/src/requirements.txt'", `'${noPip.python}'`, `'${process.env.CDK_DOCKER}'`,
      'Cannot connect to the Docker daemon\\x01)');

    expect(error.message).not.toContain('second line');
    expect(error.message).not.toMatch(/[\x00-\x08\x1b\x7f]/); // eslint-disable-line no-control-regex
  });

  test('fails naming `docker` when CDK_DOCKER is not set and there is no docker on the PATH', () => {
    delete process.env.CDK_DOCKER;
    emptyPath();

    expectErrorId(() => resolveMethod('Stack/Deps', BundlingStrategy.AUTO, python('python-without-pip', false).python, '/src/requirements.txt'),
      ErrorId.LAYER_NO_BUILDER, "'docker'", 'ENOENT');
  });
});
