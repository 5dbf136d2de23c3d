import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { cleanTemps, tempDir } from './helpers';
import { BundlingStrategy, PythonDependencyLayer, PythonDependencyLayerProps } from '../../../lib';
import { sharedWheelhouse } from '../../sample/shared-sample';
import { captureStderr, newStack, stagedAsset } from '../helpers';

// The sample's dependencies (function/requirements.txt: aws-xray-sdk, jsonpickle) built twice, offline, from
// the same wheelhouse: once from the requirements file, once from a PEP 751 pylock.toml that pins every
// wheel of that wheelhouse by sha256 (the dependency graph as the packages' metadata declares it). Both layers
// must hold the same packages. Format: https://packaging.python.org/en/latest/specifications/pylock-toml/
// (read 2026-11-27), as in test/fixtures/lock/pylock/.
const ROOT = path.join(__dirname, '..', '..', '..');

/** What each package of the sample's closure requires (its wheel's Requires-Dist, without markers that never hold on Linux). */
const DEPENDENCIES: Record<string, string[]> = {
  'aws-xray-sdk': ['botocore', 'wrapt'],
  'botocore': ['jmespath', 'python-dateutil', 'urllib3'],
  'python-dateutil': ['six'],
};

// The wheelhouse is the run's shared one (only read here); both layers are still built by pip, in a fresh cache.
let wheelhouse: string;
beforeAll(() => {
  wheelhouse = sharedWheelhouse();
});
afterAll(cleanTemps);

/** A pylock.toml (and the pyproject.toml beside it naming the direct dependencies) for every wheel of `wheelhouse`. */
function writeSampleLock(dir: string): string {
  const packages = fs.readdirSync(wheelhouse).filter(f => f.endsWith('.whl')).sort().map(file => {
    const [dist, version] = file.split('-');
    const name = dist.replace(/_/g, '-').toLowerCase();
    const content = fs.readFileSync(path.join(wheelhouse, file));
    const sha256 = crypto.createHash('sha256').update(content).digest('hex');
    const dependencies = (DEPENDENCIES[name] ?? []).map(d => `{name = '${d}'}`).join(', ');
    return [
      '[[packages]]',
      `name = '${name}'`,
      `version = '${version}'`,
      `dependencies = [${dependencies}]`,
      `wheels = [{name = '${file}', url = 'https://files.pythonhosted.org/packages/${file}', size = ${content.length}, hashes = {sha256 = '${sha256}'}}]`,
      '',
    ].join('\n');
  });
  fs.writeFileSync(path.join(dir, 'pyproject.toml'),
    '[project]\nname = "blank-python"\nversion = "1.0"\ndependencies = ["aws-xray-sdk==2.15.0", "jsonpickle==4.1.2"]\n');
  const lock = path.join(dir, 'pylock.toml');
  fs.writeFileSync(lock, ["lock-version = '1.0'", "requires-python = '>=3.9'", "created-by = 'cdk-traced-lambda tests'", '', ...packages].join('\n'));
  return lock;
}

/** The entries under python/ of a layer built offline from `input`, for the sample's runtime and architecture. */
function layerEntries(input: Partial<PythonDependencyLayerProps>, cacheDir: string): string[] {
  const { app, stack } = newStack();
  captureStderr(() => new PythonDependencyLayer(stack, 'Deps', {
    ...input,
    runtime: lambda.Runtime.PYTHON_3_15,
    architecture: lambda.Architecture.ARM_64,
    findLinks: [wheelhouse],
    noIndex: true,
    bundlingStrategy: BundlingStrategy.LOCAL,
    cacheDir,
  }));
  return fs.readdirSync(path.join(stagedAsset(app), 'python')).sort();
}

test('a layer built from a pylock.toml of the sample\'s dependencies holds the same packages as the requirements-built one', () => {
  const dir = tempDir();
  const fromRequirements = layerEntries({ requirementsFile: path.join(ROOT, 'function', 'requirements.txt') }, path.join(dir, 'cache'));
  const fromLock = layerEntries({ lockFile: writeSampleLock(dir) }, path.join(dir, 'cache'));

  expect(fromRequirements).toEqual(expect.arrayContaining(['aws_xray_sdk', 'jsonpickle', 'wrapt']));
  expect(fromRequirements.filter(e => /^(boto3|botocore|jmespath|urllib3|six)([-_.]|$)/.test(e))).toEqual([]);
  expect(fromLock).toEqual(fromRequirements);
});
