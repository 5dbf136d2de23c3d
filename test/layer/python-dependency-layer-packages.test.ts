import * as path from 'path';
import { BundlingStrategy, PythonDependencyLayer } from '../../lib';
import { cleanTempDirs, countingPython, listFiles, newStack, requirements, stagedAsset, tempDir, wheelhouse } from './helpers';

// Real pip (through a counting wrapper) against self-made wheels: fake-app -> boto3 -> botocore -> jmespath,
// python-dateutil -> six. No network: --no-index with a local wheelhouse.
let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(cleanTempDirs);

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

test('leaves out the packages the Lambda runtime provides, with their dist-info', () => {
  expect(buildLayer('fake-app\n')).toEqual(new Set(['python/fake_app', 'python/Fake_App-1.0.dist-info']));
});

test('keeps a runtime-provided package the requirements name, and the runtime-provided packages it needs', () => {
  expect(buildLayer('fake-app\nBotocore\n')).toEqual(new Set([
    'python/fake_app', 'python/Fake_App-1.0.dist-info',
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
