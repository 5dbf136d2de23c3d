import * as path from 'path';
import { captureStderr, countingPython, eachTestInTempDir, fakePython, listFiles, newStack, requirements, stagedAsset, wheelhouse } from './helpers';
import { BundlingStrategy, PythonDependencyLayer } from '../../lib';

// Real pip (through a counting wrapper) against self-made wheels: fake-app -> boto3 -> botocore -> jmespath,
// python-dateutil -> six. No network: --no-index with a local wheelhouse.
let dir: string;
eachTestInTempDir(d => ({ dir } = d));

function buildLayer(requirementsText: string, keepRuntimeProvidedPackages?: boolean): Set<string> {
  const { app, stack } = newStack();
  new PythonDependencyLayer(stack, 'Deps', {
    requirementsFile: requirements(dir, requirementsText),
    findLinks: [wheelhouse(dir)],
    noIndex: true,
    keepRuntimeProvidedPackages,
    bundlingStrategy: BundlingStrategy.LOCAL,
    pythonExecutable: countingPython(dir).python,
    cacheDir: path.join(dir, 'cache'),
  });
  return new Set(listFiles(stagedAsset(app)).map(f => f.split('/').slice(0, 2).join('/')));
}

test('leaves out the runtime-provided packages a named package pulls in (fake-app -> boto3 -> botocore -> ...), and says so', () => {
  const { stderr, result } = captureStderr(() => buildLayer('fake-app\n'));
  expect(result).toEqual(new Set(['python/fake_app', 'python/Fake_App-1.0.dist-info']));
  expect(stderr).toMatch(/; left out \(runtime-provided\): boto3, botocore, jmespath, python-dateutil, six\n/);
});

test('leaves out a runtime-provided package nothing needs, and says so in the build line', () => {
  // GIVEN an install (as with --no-deps from a lock file) that holds botocore and six, which tiny-dep does not need
  const { app, stack } = newStack();
  const pip = fakePython(dir, [
    'mkdir -p "$TARGET/tiny_dep" "$TARGET/tiny_dep-1.0.dist-info" "$TARGET/botocore" "$TARGET/botocore-1.0.dist-info" "$TARGET/six-1.0.dist-info"',
    'echo x > "$TARGET/tiny_dep/__init__.py"; printf "Name: tiny-dep\\n" > "$TARGET/tiny_dep-1.0.dist-info/METADATA"',
    'echo x > "$TARGET/botocore/__init__.py"; printf "Name: botocore\\n" > "$TARGET/botocore-1.0.dist-info/METADATA"',
    'printf "botocore/__init__.py,,\\n" > "$TARGET/botocore-1.0.dist-info/RECORD"',
    'echo x > "$TARGET/six.py"; printf "Name: six\\n" > "$TARGET/six-1.0.dist-info/METADATA"; printf "six.py,,\\n" > "$TARGET/six-1.0.dist-info/RECORD"',
  ].join('\n'));
  // WHEN
  const { stderr } = captureStderr(() => new PythonDependencyLayer(stack, 'Deps', {
    requirementsFile: requirements(dir, 'tiny-dep\n'),
    pythonExecutable: pip.python,
    bundlingStrategy: BundlingStrategy.LOCAL,
    cacheDir: path.join(dir, 'cache'),
  }));
  // THEN
  expect(listFiles(stagedAsset(app))).toEqual(['python/tiny_dep-1.0.dist-info/METADATA', 'python/tiny_dep/__init__.py']);
  expect(stderr).toMatch(/cdk-traced-lambda: built layer Stack\/Deps \(python3\.13, x86_64, local pip\) in \d+\.\ds; left out \(runtime-provided\): botocore, six\n/);
});

test('keeps a runtime-provided package the requirements name, and the runtime-provided packages it needs', () => {
  expect(buildLayer('tiny-dep\nBotocore\n')).toEqual(new Set([
    'python/tiny_dep', 'python/tiny_dep-1.0.dist-info',
    'python/botocore', 'python/botocore-9.9.dist-info',
    'python/jmespath', 'python/jmespath-9.9.dist-info',
    'python/python_dateutil', 'python/python_dateutil-9.9.dist-info',
    'python/six', 'python/six-9.9.dist-info',
  ]));
});

test('keeps every runtime-provided package with keepRuntimeProvidedPackages', () => {
  const top = buildLayer('fake-app\n', true);
  for (const dist of ['boto3-9.9', 'botocore-9.9', 'jmespath-9.9', 'python_dateutil-9.9', 'six-9.9']) {
    expect(top).toContain(`python/${dist}.dist-info`);
  }
  expect(top).toContain('python/boto3');
});
