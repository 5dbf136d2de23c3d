import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { captureStderr, countingPython, eachTestInTempDir, newStack, requirements, REAL_PYTHON, withoutPipVariablesInEachTest, buildSpec } from './helpers';
import { BundlingStrategy, ErrorId, PythonDependencyLayer, PythonDependencyLayerProps } from '../../lib';
import { pipFailureKind } from '../../lib/layer/private/pip-failure';
import { expectErrorId } from '../helpers/errors';
import { makeWheel } from '../helpers/wheels';

// The "Fix:" of a pip failure depends on what failed, told from real pip's output (this machine's pip 23.2) and
// from what the wheelhouse holds.
let dir: string;
let cacheDir: string;
eachTestInTempDir(d => ({ dir, cacheDir } = d));
withoutPipVariablesInEachTest();

/** A wheel whose METADATA declares Requires-Python (makeWheel writes none), made with Python's zipfile. */
function wheelRequiringPython(wheelhouse: string, requiresPython: string): void {
  fs.mkdirSync(wheelhouse, { recursive: true });
  const script = `
import base64, hashlib, sys, zipfile
name, out, rp = 'newpy', sys.argv[1], sys.argv[2]
dist = name + '-1.0.dist-info'
files = {name + '/__init__.py': 'x = 1\\n', dist + '/METADATA': 'Metadata-Version: 2.1\\nName: newpy\\nVersion: 1.0\\nRequires-Python: ' + rp + '\\n',
         dist + '/WHEEL': 'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'}
record = []
with zipfile.ZipFile(out, 'w') as z:
    for k, v in files.items():
        z.writestr(k, v)
        record.append('%s,sha256=%s,%d' % (k, base64.urlsafe_b64encode(hashlib.sha256(v.encode()).digest()).rstrip(b'=').decode(), len(v)))
    z.writestr(dist + '/RECORD', '\\n'.join(record + [dist + '/RECORD,,']) + '\\n')
`;
  const result = spawnSync(REAL_PYTHON, ['-c', script, path.join(wheelhouse, 'newpy-1.0-py3-none-any.whl'), requiresPython], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
}

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
    wheelRequiringPython(wheels, '>=3.99');
    expectErrorId(build('newpy\n', { findLinks: [wheels] }), ErrorId.LAYER_PIP_FAILED, /^Stack\/Deps: /,
      'requires a different Python', 'Requires-Python that excludes Python 3.13', 'python3.13');
  });

  test('an index that does not answer: credentials in its URL are masked everywhere in the message', () => {
    const error = expectErrorId(build('somepkg==1.0\n', {
      noIndex: false, indexUrl: 'http://deploy:s3cr3t-token@127.0.0.1:9/simple', pipExtraArgs: ['--retries', '0', '--timeout', '2'],
    }), ErrorId.LAYER_PIP_FAILED, /^Stack\/Deps: /, 'somepkg', "(it looked in 'http://deploy:***@127.0.0.1:9/simple')", 'cdk-traced-lambda:pipFindLinks=<dir>');
    expect(error.message).not.toContain('s3cr3t-token');
  });
});

test('a failure pip does not explain gets the general fix', () => {
  expect(pipFailureKind(buildSpec(), 'ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device\n').kind).toBe('other');
});

test('a -r cycle fails before pip runs, naming the chain', () => {
  requirements(dir, '-r requirements.txt\n', 'more.txt');
  const pip = countingPython(dir);
  expectErrorId(() => new PythonDependencyLayer(newStack().stack, 'Deps', {
    requirementsFile: requirements(dir, 'six\n-r more.txt\n'), pythonExecutable: pip.python, cacheDir,
  }), ErrorId.LAYER_REQUIREMENTS_INCLUDE_CYCLE, /^Stack\/Deps: /, "'requirements.txt' -> 'more.txt' -> 'requirements.txt'");
  expect(pip.pipInstalls()).toBe(0);
});
