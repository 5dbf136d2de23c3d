import * as fs from 'fs';
import * as path from 'path';
import {
  captureStderr, countingPython, eachTestInTempDir, fakePython, newStack, requirements, stagedAsset, withoutPipVariablesInEachTest,
} from './helpers';
import { BundlingStrategy, ErrorId, PythonDependencyLayer, PythonDependencyLayerProps } from '../../lib';
import { expectErrorId } from '../helpers/errors';
import { makeWheel } from '../helpers/wheels';

// pip runs isolated from the machine's configuration (--isolated, no PIP_* variable, PIP_CONFIG_FILE=/dev/null): what it
// installs depends only on the layer's props, the app's context and its input files, which are all in the key. So
// switching PIP_FIND_LINKS or a pip.conf between two wheelhouses can never ship the layer of the other one.
let dir: string;
let cacheDir: string;
eachTestInTempDir(d => ({ dir, cacheDir } = d));
withoutPipVariablesInEachTest();

/** Wheelhouse A holds tiny-dep 1.0, wheelhouse B tiny-dep 2.0. */
function wheelhouses(): { a: string; b: string } {
  const a = path.join(dir, 'wheelhouse-a');
  const b = path.join(dir, 'wheelhouse-b');
  makeWheel(a, { name: 'tiny-dep', version: '1.0' });
  makeWheel(b, { name: 'tiny-dep', version: '2.0' });
  return { a, b };
}

/** A pip.conf that points pip at `wheelhouse` only. */
function pipConf(wheelhouse: string): string {
  const file = path.join(dir, `pip-${path.basename(wheelhouse)}.conf`);
  fs.writeFileSync(file, `[global]\nfind-links = ${wheelhouse}\nno-index = true\n[install]\nfind-links = ${wheelhouse}\n`);
  return file;
}

function build(python: string, props: Partial<PythonDependencyLayerProps>, cache = cacheDir) {
  const { app, stack } = newStack();
  const layer = captureStderr(() => new PythonDependencyLayer(stack, 'Deps', {
    requirementsFile: requirements(dir, 'tiny-dep\n'),
    noIndex: true,
    pythonExecutable: python,
    bundlingStrategy: BundlingStrategy.LOCAL,
    cacheDir: cache,
    ...props,
  })).result;
  const version = fs.readFileSync(path.join(stagedAsset(app), 'python', 'tiny_dep', '__init__.py'), 'utf8');
  return { hash: layer.assetHash, version };
}

test('PIP_FIND_LINKS and a pip.conf (PIP_CONFIG_FILE) naming another wheelhouse change neither the key nor the content: the props decide', () => {
  // GIVEN real pip, the layer's wheelhouse A (tiny-dep 1.0) and the machine's wheelhouse B (tiny-dep 2.0, which pip would prefer)
  const { a, b } = wheelhouses();
  const pip = countingPython(dir);

  // WHEN built with the machine pointing pip at B, through the environment and through a pip.conf
  process.env.PIP_FIND_LINKS = b;
  process.env.PIP_CONFIG_FILE = pipConf(b);
  const pointedAtB = build(pip.python, { findLinks: [a] });
  // AND again with the machine pointing pip at A, into a fresh cache (so pip runs again)
  process.env.PIP_FIND_LINKS = a;
  process.env.PIP_CONFIG_FILE = pipConf(a);
  const pointedAtA = build(pip.python, { findLinks: [a] }, path.join(dir, 'cache-2'));

  // THEN both are the layer the props describe (tiny-dep 1.0 from A), with one key: isolation, not luck
  expect(pip.pipInstalls()).toBe(2);
  expect(pointedAtB).toEqual({ hash: pointedAtA.hash, version: '__version__ = \'1.0\'\n' });
  expect(pointedAtA.version).toBe('__version__ = \'1.0\'\n');
});

test('a wheelhouse named only by PIP_FIND_LINKS or a pip.conf is not used: the build fails by id instead of installing from it', () => {
  const { b } = wheelhouses();
  const pip = countingPython(dir);
  for (const configure of [() => { process.env.PIP_FIND_LINKS = b; }, () => { process.env.PIP_CONFIG_FILE = pipConf(b); }]) {
    delete process.env.PIP_FIND_LINKS;
    delete process.env.PIP_CONFIG_FILE;
    configure();
    expectErrorId(() => build(pip.python, {}), ErrorId.LAYER_PIP_FAILED, /^Stack\/Deps: /, 'No matching distribution found for tiny-dep');
  }
  expect(pip.pipInstalls()).toBe(2);
});

test('pip gets --isolated, PIP_CONFIG_FILE=/dev/null and no other PIP_* variable; transport settings become options outside the key', () => {
  // GIVEN a fake pip that records its environment
  const envLog = path.join(dir, 'pip-env.log');
  const pip = fakePython(dir, `env | grep '^PIP_' | sort > "${envLog}"; mkdir -p "$TARGET/fakepkg"; echo x > "$TARGET/fakepkg/__init__.py"`);
  const layer = (cache: string) => captureStderr(() => new PythonDependencyLayer(newStack().stack, 'Deps', {
    requirementsFile: requirements(dir, 'fakepkg\n'), pythonExecutable: pip.python, bundlingStrategy: BundlingStrategy.LOCAL, cacheDir: cache,
  })).result.assetHash;
  const plain = layer(path.join(dir, 'cache-plain'));

  // WHEN the machine sets pip variables that change what is installed and some that only change how pip connects
  Object.assign(process.env, {
    PIP_FIND_LINKS: '/opt/wheels',
    PIP_INDEX_URL: 'https://u:p@index.example/simple',
    PIP_CONSTRAINT: '/etc/constraints.txt',
    PIP_CERT: '/etc/ssl/ca.pem',
    PIP_DEFAULT_TIMEOUT: '180',
    PIP_RETRIES: '2',
    PIP_PROXY: 'http://proxy.example:3128',
  });
  const configured = layer(path.join(dir, 'cache-configured'));

  // THEN pip saw none of them as variables, got the transport ones as options, and the key did not change
  expect(fs.readFileSync(envLog, 'utf8')).toBe('PIP_CONFIG_FILE=/dev/null\n');
  const args = pip.installs()[1];
  expect(args.slice(0, 4)).toEqual(['-m', 'pip', 'install', '--isolated']);
  expect(args.slice(args.indexOf('--disable-pip-version-check') + 1)).toEqual([
    '--cert', '/etc/ssl/ca.pem', '--proxy', 'http://proxy.example:3128', '--timeout', '180', '--retries', '2',
  ]);
  expect(configured).toBe(plain);
});

test('a ${PIP_...} variable the requirements refer to is kept for pip to expand (its value is in the key)', () => {
  const envLog = path.join(dir, 'pip-env.log');
  const pip = fakePython(dir, `env | grep '^PIP_' | sort > "${envLog}"; mkdir -p "$TARGET/fakepkg"; echo x > "$TARGET/fakepkg/__init__.py"`);
  process.env.PIP_PIN = '1.0';
  const build1 = () => captureStderr(() => new PythonDependencyLayer(newStack().stack, 'Deps', {
    requirementsFile: requirements(dir, 'fakepkg==${PIP_PIN}\n'), pythonExecutable: pip.python, bundlingStrategy: BundlingStrategy.LOCAL, cacheDir,
  })).result.assetHash;
  const one = build1();
  expect(fs.readFileSync(envLog, 'utf8')).toBe('PIP_CONFIG_FILE=/dev/null\nPIP_PIN=1.0\n');
  process.env.PIP_PIN = '2.0';
  expect(build1()).not.toBe(one);
});
