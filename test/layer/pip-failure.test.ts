import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { captureStderr, countingPython, eachTestInTempDir, newStack, requirements, withoutPipVariablesInEachTest, buildSpec } from './helpers';
import { BundlingStrategy, ErrorId, PythonDependencyLayer, PythonDependencyLayerProps } from '../../lib';
import { PIP_CONTEXT_KEYS } from '../../lib/layer/private/context';
import { LayerBuildSpec } from '../../lib/layer/private/hash';
import { pipFailureFix, pipFailureKind, pipOutputTail } from '../../lib/layer/private/pip-failure';
import { expectErrorId } from '../helpers/errors';
import { makeWheel } from '../helpers/wheels';

// The "Fix:" of a pip failure depends on what failed, told from real pip's output (this machine's pip 23.2) and
// from what the wheelhouse holds.
let dir: string;
let cacheDir: string;
eachTestInTempDir(d => ({ dir, cacheDir } = d));
withoutPipVariablesInEachTest();

function build(requirementsText: string, props: Partial<PythonDependencyLayerProps>) {
  return () => captureStderr(() => new PythonDependencyLayer(newStack().stack, 'Deps', {
    requirementsFile: requirements(dir, requirementsText),
    pythonExecutable: countingPython(dir).python,
    bundlingStrategy: BundlingStrategy.LOCAL,
    cacheDir,
    noIndex: true,
    ...props,
  }));
}

describe('real pip failures get the fix for their kind', () => {
  test('a hash mismatch: the lock is stale or a wheel was replaced; re-lock', () => {
    const wheels = path.join(dir, 'wheels');
    makeWheel(wheels, { name: 'tiny-dep', version: '1.0' });
    const error = expectErrorId(build(`tiny-dep==1.0 --hash=sha256:${'0'.repeat(64)}\n`, { findLinks: [wheels] }), ErrorId.LAYER_PIP_FAILED,
      /^Stack\/Deps: /, 'DO NOT MATCH THE HASHES', 'requirements.txt', 'stale', 'Re-lock');
    expect(error.message).not.toMatch(/check the requirement names/);
  });

  test('no matching distribution: the index/wheelhouse and the version, naming where pip looked', () => {
    const wheels = path.join(dir, 'wheels');
    makeWheel(wheels, { name: 'tiny-dep', version: '1.0' });
    expectErrorId(build('tiny-dep==2.0\n', { findLinks: [wheels] }), ErrorId.LAYER_PIP_FAILED,
      /^Stack\/Deps: /, 'No matching distribution found for tiny-dep', `'tiny-dep' exists under this name in the index or wheelhouse the layer uses ('${wheels}')`,
      'a version that matches the requirement');
  });

  test('no wheel for the target platform: names the wheels found and the tags the layer needs', () => {
    const wheels = path.join(dir, 'wheels');
    const wheel = makeWheel(wheels, { name: 'cext', version: '1.0' });
    fs.renameSync(wheel, path.join(wheels, 'cext-1.0-cp313-cp313-win_amd64.whl'));
    expectErrorId(build('cext\n', { findLinks: [wheels] }), ErrorId.LAYER_PIP_FAILED, /^Stack\/Deps: /,
      "'cext-1.0-cp313-cp313-win_amd64.whl' for 'cext'", 'manylinux x86_64 (manylinux2014_x86_64, manylinux_2_28_x86_64), CPython 3.13 (cp313)',
      '--platform manylinux2014_x86_64 --python-version 3.13');
  });

  test('requires-python: the versions found exclude the runtime\'s Python', () => {
    const wheels = path.join(dir, 'wheels');
    makeWheel(wheels, { name: 'newpy', requiresPython: '>=3.99' });
    expectErrorId(build('newpy\n', { findLinks: [wheels] }), ErrorId.LAYER_PIP_FAILED, /^Stack\/Deps: /,
      'requires a different Python', 'Requires-Python that excludes Python 3.13', 'python3.13');
  });

  test('a wheel whose Requires-Python excludes the layer\'s Python but not the Python pip runs on: never in the layer', () => {
    // pip checks Requires-Python against --python-version from 24.2 on (pypa/pip@6b54c192b); before, against the
    // Python it runs on (this machine's python3 is 3.11). Either pip refuses the wheel, or the layer does.
    const wheels = path.join(dir, 'wheels');
    makeWheel(wheels, { name: 'oldpy', version: '2.0', requiresPython: '<3.12' });
    const probe = spawnSync('python3', ['-c', 'import sys, pip; print("%d.%d" % sys.version_info[:2], pip.__version__)'], { encoding: 'utf8' });
    const [python, pip] = probe.stdout.trim().split(' ');
    const checksTarget = Number(pip.split('.')[0]) * 100 + Number(pip.split('.')[1]) >= 2402;
    expect(python < '3.12' || checksTarget).toBe(true); // else the wheel does not test the difference
    if (checksTarget) {
      expectErrorId(build('oldpy\n', { findLinks: [wheels] }), ErrorId.LAYER_PIP_FAILED, 'requires a different Python');
    } else {
      expectErrorId(build('oldpy\n', { findLinks: [wheels] }), ErrorId.LAYER_PACKAGE_PYTHON_MISMATCH, /^Stack\/Deps: /,
        "'oldpy 2.0 (Requires-Python: <3.12)'", 'Python 3.13');
    }
    expect(fs.readdirSync(cacheDir).filter(e => !e.startsWith('.'))).toEqual([]);
  });

  test('an index that does not answer: credentials in its URL are masked everywhere in the message', () => {
    const error = expectErrorId(build('somepkg==1.0\n', {
      noIndex: false, indexUrl: 'http://deploy:s3cr3t-token@127.0.0.1:9/simple', pipExtraArgs: ['--retries', '0', '--timeout', '2'],
    }), ErrorId.LAYER_PIP_FAILED, /^Stack\/Deps: /, 'somepkg', "(it looked in 'http://deploy:***@127.0.0.1:9/simple')", 'cdk-traced-lambda:pipFindLinks=<dir>');
    expect(error.message).not.toContain('s3cr3t-token');
  });
});

// pip's stderr from real failing runs, classified without running pip: test/fixtures/pip-failures/README.md gives the
// pip versions and the command of each capture. Paths in the output are the capture's (/tmp/pip-failures/...).
const CAPTURES = path.join(__dirname, '..', 'fixtures', 'pip-failures');
/** The tags of the default spec's target (python3.13, x86_64), as the fixes must name them. */
const TARGET_TAGS = ['manylinux2014_x86_64', 'manylinux_2_28_x86_64', 'cp313'];
/** What a message must never carry raw (newlines between lines of output excepted). */
// eslint-disable-next-line no-control-regex
const RAW_CONTROLS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * The unfit wheelhouses of capture.sh by file name (the classifier reads names only): unfit-a is given on the
 * command line (the layer's findLinks), unfit-b by a `--find-links` line of the requirements file.
 */
function unfitWheelhouses(): { commandLine: string; fromRequirements: string } {
  const commandLine = path.join(dir, 'unfit-a');
  const fromRequirements = path.join(dir, 'unfit-b');
  const contents: Array<[string, string[]]> = [
    [commandLine, ['fast_ext-2.0-cp313-cp313-win_amd64.whl', 'fast_ext_tools-1.0-py3-none-any.whl', 'fast_ext-1.0.tar.gz']],
    [fromRequirements, ['fast_ext-1.0-cp313-cp313-macosx_11_0_arm64.whl']],
  ];
  for (const [folder, files] of contents) {
    fs.mkdirSync(folder, { recursive: true });
    files.forEach(f => fs.writeFileSync(path.join(folder, f), ''));
  }
  return { commandLine, fromRequirements };
}

function specWith(pip: Partial<LayerBuildSpec['pip']>, requirementsFindLinks: string[] = []): LayerBuildSpec {
  return buildSpec({
    pip: { extraIndexUrls: [], findLinks: [], noIndex: false, extraArgs: [], requireHashes: false, ...pip },
    input: { findLinks: requirementsFindLinks },
  });
}

describe.each(['pip-23.2.1', 'pip-24.2'])('the stderr of real failing runs of %s', (pip) => {
  const output = (name: string) => fs.readFileSync(path.join(CAPTURES, pip, `${name}.txt`), 'utf8');
  const classify = (name: string, spec: LayerBuildSpec) => ({ failure: pipFailureKind(spec, output(name)), fix: pipFailureFix(spec, output(name)) });

  test('a hash mismatch: names the file that pins the hashes and the lock commands that re-pin them', () => {
    const { failure, fix } = classify('hash-mismatch', specWith({ noIndex: true }));
    expect(failure).toEqual({ kind: 'hash-mismatch', unfit: [] });
    expect(fix).toMatch(/^Fix: /);
    for (const value of ["'requirements.txt'", 'uv lock', 'poetry lock', 'pipenv lock', 'pip-compile --generate-hashes']) {
      expect(fix).toContain(value);
    }
  });

  test.each(['requires-python', 'index-versions-require-other-python'])('%s: the Requires-Python of what pip found excludes the runtime, even when pip also finds no match', (name) => {
    for (const noIndex of [true, false]) {
      const { failure, fix } = classify(name, specWith({ noIndex }));
      expect(failure).toEqual({ kind: 'requires-python', unfit: [] });
      expect(fix).toMatch(/^Fix: /);
      expect(fix).toContain('python3.13');
      expect(fix.replace('python3.13', '')).toContain('3.13');
    }
  });

  test('a wheelhouse with only unfit wheels: lists them from both find-links sources, sorted, with the tags the layer needs and the pip download that gets one', () => {
    const { commandLine, fromRequirements } = unfitWheelhouses();
    for (const noIndex of [true, false]) {
      const { failure, fix } = classify('wheelhouse-has-unfit-wheels', specWith({ noIndex, findLinks: [commandLine] }, [fromRequirements]));
      expect(failure).toEqual({
        kind: 'no-wheel-for-platform',
        name: 'Fast.Ext',
        unfit: ['fast_ext-1.0-cp313-cp313-macosx_11_0_arm64.whl', 'fast_ext-2.0-cp313-cp313-win_amd64.whl'],
      });
      expect(fix).toMatch(/^Fix: /);
      expect(fix).toContain("'fast_ext-1.0-cp313-cp313-macosx_11_0_arm64.whl', 'fast_ext-2.0-cp313-cp313-win_amd64.whl'");
      expect(fix).toContain("'Fast.Ext'");
      expect(fix).toMatch(/pip download --only-binary=:all: --platform manylinux2014_x86_64 --python-version 3\.13 -d \S+ 'Fast\.Ext'/);
      for (const value of [...TARGET_TAGS, 'BundlingStrategy.DOCKER']) {
        expect(fix).toContain(value);
      }
    }
  });

  test('a find-links entry that is a wheel file counts as that wheel', () => {
    const wheel = path.join(unfitWheelhouses().commandLine, 'fast_ext-2.0-cp313-cp313-win_amd64.whl');
    expect(pipFailureKind(specWith({ noIndex: true, findLinks: [wheel] }), output('find-links-to-unfit-wheel')))
      .toEqual({ kind: 'no-wheel-for-platform', unfit: ['fast_ext-2.0-cp313-cp313-win_amd64.whl'], name: 'Fast.Ext' });
  });

  test('find-links folders that do not exist (pip ignores them): no matching distribution, and the classifier does not fail on them', () => {
    expect(pipFailureKind(specWith({ noIndex: true, findLinks: [path.join(dir, 'missing')] }, [path.join(dir, 'also-missing')]), output('find-links-missing')))
      .toEqual({ kind: 'no-matching-distribution', unfit: [], name: 'tiny-dep' });
  });

  test('other versions in a wheelhouse: no matching distribution, naming the package, the wheelhouse and the target', () => {
    const wheels = path.join(dir, 'wheels');
    const { failure, fix } = classify('wheelhouse-has-other-versions', specWith({ noIndex: true, findLinks: [wheels] }));
    expect(failure).toEqual({ kind: 'no-matching-distribution', unfit: [], name: 'tiny-dep' });
    expect(fix).toMatch(/^Fix: /);
    for (const value of ["'tiny-dep'", `'${wheels}'`, ...TARGET_TAGS, 'findLinks', 'BundlingStrategy.DOCKER']) {
      expect(fix).toContain(value);
    }
    expect(fix).not.toContain('PyPI');
  });

  test('other versions in an index that answered: no matching distribution, not an unreachable index', () => {
    const { failure, fix } = classify('index-has-other-versions', specWith({ indexUrl: 'file:///tmp/pip-failures/simple' }));
    expect(failure).toEqual({ kind: 'no-matching-distribution', unfit: [], name: 'tiny-dep' });
    expect(fix).toContain("'file:///tmp/pip-failures/simple'");
  });

  test('an index that refuses the connection: names the package, the index (credentials masked) and the options that point pip elsewhere', () => {
    const { failure, fix } = classify('index-unreachable', specWith({ indexUrl: 'http://deploy:s3cr3t-token@127.0.0.1:9/simple' }));
    expect(failure).toEqual({ kind: 'index-unreachable', unfit: [], name: 'somepkg' });
    expect(fix).toMatch(/^Fix: /);
    for (const value of ["'somepkg'", "'http://deploy:***@127.0.0.1:9/simple'", 'findLinks', 'noIndex', 'indexUrl',
      `${PIP_CONTEXT_KEYS.findLinks}=<dir>`, `${PIP_CONTEXT_KEYS.noIndex}=true`, `${PIP_CONTEXT_KEYS.indexUrl}=<url>`]) {
      expect(fix).toContain(value);
    }
    expect(fix).not.toContain('s3cr3t');
  });

  test('PyPI behind a proxy that refuses the connection: index unreachable, pip looked in PyPI', () => {
    const { failure, fix } = classify('pypi-behind-unreachable-proxy', specWith({}));
    expect(failure).toEqual({ kind: 'index-unreachable', unfit: [], name: 'somepkg' });
    expect(fix).toContain("'PyPI'");
  });

  test('a direct URL that refuses the connection (no "No matching distribution"): index unreachable, naming no package, unless noIndex', () => {
    const { failure, fix } = classify('direct-url-unreachable', specWith({}));
    expect(failure).toEqual({ kind: 'index-unreachable', unfit: [] });
    expect(fix).toContain("'PyPI'");
    expect(fix).not.toContain('undefined');
    expect(pipFailureKind(specWith({ noIndex: true }), output('direct-url-unreachable'))).toEqual({ kind: 'other', unfit: [] });
  });

  test.each(['resolution-impossible', 'target-not-a-directory'])('%s: a failure pip does not explain gets the general fix', (name) => {
    for (const noIndex of [true, false]) {
      const { failure, fix } = classify(name, specWith({ noIndex }));
      expect(failure).toEqual({ kind: 'other', unfit: [] });
      expect(fix).toMatch(/^Fix: /);
      for (const value of [...TARGET_TAGS, 'findLinks', 'BundlingStrategy.DOCKER']) {
        expect(fix).toContain(value);
      }
    }
  });

  test('untrusted text in the locations and in pip\'s output: credentials masked, control characters escaped', () => {
    const locations = ['htp://deploy:s3cr3t@127.0.0.1:9/wheels', path.join(dir, 'missing\x1b[2J\x01\u202elmth.exe\x9b')];
    const { failure, fix } = classify('find-links-untrusted-text', specWith({ noIndex: true, findLinks: locations }));
    expect(failure).toEqual({ kind: 'no-matching-distribution', unfit: [], name: 'tiny-dep' });
    expect(fix).toContain(`'htp://deploy:***@127.0.0.1:9/wheels', '${dir}/missing\\x1b[2J\\x01\\u202elmth.exe\\x9b'`);
    const tail = pipOutputTail(output('find-links-untrusted-text'));
    expect(tail).toContain("'htp://deploy:***@127.0.0.1:9/wheels'");
    expect(tail).toContain("/missing\\x01\\u202elmth.exe\\x9b'");
    for (const text of [fix, tail]) {
      expect(text).not.toContain('s3cr3t');
      expect(text).not.toMatch(RAW_CONTROLS);
    }
  });

  test('the tail of pip\'s output: the last lines, whole, without the final newline', () => {
    expect(pipOutputTail(output('find-links-missing'), 2)).toBe('ERROR: Could not find a version that satisfies the requirement tiny-dep (from versions: none)\n'
      + 'ERROR: No matching distribution found for tiny-dep');
    expect(pipOutputTail(output('find-links-missing'))).toBe(output('find-links-missing').trimEnd());
  });
});

test('no output, no tail', () => {
  expect(pipOutputTail(undefined)).toBe('');
});

test('a -r cycle fails before pip runs, naming the chain', () => {
  requirements(dir, '-r requirements.txt\n', 'more.txt');
  const pip = countingPython(dir);
  expectErrorId(() => new PythonDependencyLayer(newStack().stack, 'Deps', {
    requirementsFile: requirements(dir, 'six\n-r more.txt\n'), pythonExecutable: pip.python, cacheDir,
  }), ErrorId.LAYER_REQUIREMENTS_INCLUDE_CYCLE, /^Stack\/Deps: /, "'requirements.txt' -> 'more.txt' -> 'requirements.txt'");
  expect(pip.pipInstalls()).toBe(0);
});
