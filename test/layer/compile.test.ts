import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { countingPython, eachTestInTempDir, listFiles, newStack, requirements, restoreEnvAfterEach, stagedAsset } from './helpers';
import { BundlingStrategy, ErrorId, PythonDependencyLayer } from '../../lib';
import { expectErrorId } from '../helpers/errors';
import { makeWheel } from '../helpers/wheels';

// compileBytecode: real pip, then compileall with a Python of exactly the target minor version.
const PYENV = path.join(process.env.HOME ?? '/root', '.pyenv', 'versions');
/** The pyenv Python 3.12 binary (the interpreter a python3.12 layer must be compiled with). */
const PYTHON_312 = fs.existsSync(PYENV)
  ? fs.readdirSync(PYENV).filter(v => v.startsWith('3.12.')).map(v => path.join(PYENV, v, 'bin', 'python3.12')).find(p => fs.existsSync(p))
  : undefined;

let dir: string;
let wheels: string;
restoreEnvAfterEach('PATH');
eachTestInTempDir(d => ({ dir } = d));
beforeEach(() => {
  wheels = path.join(dir, 'wheels');
  makeWheel(wheels, { name: 'tiny-dep', version: '1.0', files: [{ path: 'tiny_dep/mod.py', content: 'def f():\n    return 1\n' }] });
});

function build(cacheDir: string, runtime = lambda.Runtime.PYTHON_3_12) {
  const { app, stack } = newStack();
  new PythonDependencyLayer(stack, 'Deps', {
    requirementsFile: requirements(dir, 'tiny-dep==1.0\n'),
    findLinks: [wheels],
    noIndex: true,
    runtime,
    bundlingStrategy: BundlingStrategy.LOCAL,
    pythonExecutable: countingPython(dir).python,
    compileBytecode: true,
    cacheDir,
  });
  return stagedAsset(app);
}

test('compiles with python3.X from the PATH into hash-based pycs, byte-identical between builds', () => {
  expect(PYTHON_312).toBeDefined(); // this machine has pyenv's 3.12
  // GIVEN python3.12 on the PATH (pip itself runs with the default python3)
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.symlinkSync(PYTHON_312!, path.join(bin, 'python3.12'));
  process.env.PATH = `${bin}${path.delimiter}${process.env.PATH}`;

  // WHEN built twice into separate caches
  const one = build(path.join(dir, 'cache-1'));
  const two = build(path.join(dir, 'cache-2'));

  // THEN the pycs are for cpython-312, checked by source hash (flags 0b11 = unchecked-hash), and byte-identical
  const files = listFiles(one);
  expect(files).toEqual(expect.arrayContaining(['python/tiny_dep/__pycache__/__init__.cpython-312.pyc', 'python/tiny_dep/__pycache__/mod.cpython-312.pyc']));
  const pyc = fs.readFileSync(path.join(one, 'python/tiny_dep/__pycache__/mod.cpython-312.pyc'));
  expect(pyc.readUInt32LE(4)).toBe(0b01); // hash-based, check_source off: unchecked-hash
  expect(pyc.includes(Buffer.from('/opt/python/tiny_dep/mod.py'))).toBe(true); // the path Lambda sees, not the build dir
  expect(listFiles(two)).toEqual(files);
  for (const f of files) {
    expect(fs.readFileSync(path.join(two, f)).equals(fs.readFileSync(path.join(one, f)))).toBe(true);
  }
});

test('fails when no interpreter of the target version is found, saying which one is needed', () => {
  process.env.PATH = path.dirname(process.execPath); // node only: no python3.9
  expectErrorId(() => build(path.join(dir, 'cache'), lambda.Runtime.PYTHON_3_9), ErrorId.LAYER_COMPILE_PYTHON_NOT_FOUND,
    /^Stack\/Deps: /, 'python3.9', /counting-python' is Python '3\.11'/, '\'python3.9\' was not found', 'BundlingStrategy.DOCKER');
  expect(fs.readdirSync(path.join(dir, 'cache')).filter(e => !e.startsWith('pip-'))).toEqual([]);
});
