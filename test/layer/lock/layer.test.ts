import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildWheelhouse, cleanTemps, projectFromFixture, tempDir, toPoetry11 } from './helpers';
import { BundlingStrategy, ErrorId, PythonDependencyLayer } from '../../../lib';
import { clearLockReadMemo, lastLockReadSource } from '../../../lib/layer/lock';
import { expectErrorId } from '../../helpers/errors';
import { makeWheel } from '../../helpers/wheels';
import { captureStderr, countingPython, listFiles, newStack, stagedAsset } from '../helpers';

// PythonDependencyLayer({ lockFile }) end to end: the lock read natively, real pip offline with
// --require-hashes --no-deps against self-made wheels whose sha256 the fixtures carry.
let wheelhouse: string;
beforeAll(() => {
  wheelhouse = buildWheelhouse();
});
afterAll(cleanTemps);

function lockLayer(lockFile: string, cacheDir: string, python: string, wheels = wheelhouse) {
  const { app, stack } = newStack();
  const { stderr, result: layer } = captureStderr(() => new PythonDependencyLayer(stack, 'Deps', {
    lockFile,
    findLinks: [wheels],
    noIndex: true,
    bundlingStrategy: BundlingStrategy.LOCAL,
    pythonExecutable: python,
    cacheDir,
  }));
  return { app, stack, layer, stderr };
}

/** The top-level package folders of the layer's python/ folder. */
function packagesOf(asset: string): string[] {
  return [...new Set(listFiles(asset).map(f => f.split('/')[1]))].filter(f => !f.endsWith('.dist-info')).sort();
}

describe.each(['uv', 'poetry', 'pipfile', 'pylock'])('%s lock file', format => {
  test('builds a layer with exactly the main packages, runtime-provided ones left out and reported, and rebuilds nothing when unchanged', () => {
    // GIVEN the fixture project (fake-app -> fake-lib, boto3; fake-x86 only on x86_64; a dev group; an extra)
    const dir = tempDir();
    const lockFile = projectFromFixture(format, wheelhouse);
    const pip = countingPython(dir);
    const cacheDir = path.join(dir, 'cache');

    // WHEN
    const first = lockLayer(lockFile, cacheDir, pip.python);

    // THEN
    expect(packagesOf(stagedAsset(first.app))).toEqual(['fake_app', 'fake_lib', 'fake_x86']);
    expect(first.stderr).toMatch(/built layer Stack\/Deps \(python3\.13, x86_64, local pip\) in \d+\.\ds; left out \(runtime-provided\): boto3, botocore\n/);
    expect(first.layer.hasRequirement('fake-app')).toBe(true);
    expect(pip.pipInstalls()).toBe(1);

    // WHEN the same lock is synthesized again (a later synth: this process's memo forgotten),
    // THEN pip does not run and the lock is not parsed: its read comes from the cache directory
    clearLockReadMemo();
    const second = lockLayer(lockFile, cacheDir, pip.python);
    expect(second.layer.assetHash).toEqual(first.layer.assetHash);
    expect(second.layer.requirements).toEqual(first.layer.requirements);
    expect(lastLockReadSource()).toBe('disk');
    expect(pip.pipInstalls()).toBe(1);
  });
});

test('a wheel whose bytes differ from the lock fails the build with pip\'s hash message and the package, leaving nothing in the cache', () => {
  const dir = tempDir();
  const tampered = buildWheelhouse(tempDir('lock-tampered-'));
  makeWheel(tampered, { name: 'fake-lib', files: [{ path: 'fake_lib/evil.py', content: 'import os\n' }] });
  const lockFile = projectFromFixture('uv', wheelhouse);
  const cacheDir = path.join(dir, 'cache');

  expect(() => lockLayer(lockFile, cacheDir, countingPython(dir).python, tampered))
    .toThrow(/Stack\/Deps[\s\S]*THESE PACKAGES DO NOT MATCH THE HASHES[\s\S]*fake-lib==1\.0/);
  expect(fs.readdirSync(cacheDir).filter(e => !e.startsWith('.'))).toEqual([]);
});

test('a Poetry 1.1 lock (category, [metadata.files]) builds a layer of its main packages', () => {
  const dir = tempDir();
  const lockFile = projectFromFixture('poetry', wheelhouse, { edit: toPoetry11 });

  const { app } = lockLayer(lockFile, path.join(dir, 'cache'), countingPython(dir).python);

  expect(packagesOf(stagedAsset(app))).toEqual(['fake_app', 'fake_lib', 'fake_x86']);
});

test('a changed lock changes the asset hash (and so rebuilds once)', () => {
  const a = projectFromFixture('uv', wheelhouse);
  const b = projectFromFixture('uv', wheelhouse, { edit: text => text.replace(/requires-python = "[^"]*"/, 'requires-python = ">=3.10"') });
  // A stack not selected for bundling builds nothing: the hash alone is compared.
  const { stack } = newStack({ 'aws:cdk:bundling-stacks': [] });
  const cacheDir = tempDir();
  const hashOf = (lockFile: string, id: string) => new PythonDependencyLayer(stack, id, {
    lockFile, findLinks: [wheelhouse], noIndex: true, bundlingStrategy: BundlingStrategy.LOCAL, cacheDir,
  }).assetHash;
  expect(hashOf(a, 'A')).not.toEqual(hashOf(b, 'B'));
});

test('with CDK_TRACED_LAMBDA_CACHE_KEY set, the remembered lock read is signed with it (HMAC-SHA256)', () => {
  const lockFile = projectFromFixture('uv', wheelhouse);
  const { stack } = newStack({ 'aws:cdk:bundling-stacks': [] });
  const cacheDir = tempDir();
  const seals = () => fs.readdirSync(path.join(cacheDir, '.lock-reads'))
    .map(f => JSON.parse(fs.readFileSync(path.join(cacheDir, '.lock-reads', f), 'utf-8')).seal as string);
  const previous = process.env.CDK_TRACED_LAMBDA_CACHE_KEY;
  try {
    process.env.CDK_TRACED_LAMBDA_CACHE_KEY = 'ci-secret';
    clearLockReadMemo();
    new PythonDependencyLayer(stack, 'Signed', { lockFile, findLinks: [wheelhouse], noIndex: true, bundlingStrategy: BundlingStrategy.LOCAL, cacheDir });
    expect(seals()).toEqual([expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/)]);
  } finally {
    if (previous === undefined) delete process.env.CDK_TRACED_LAMBDA_CACHE_KEY; else process.env.CDK_TRACED_LAMBDA_CACHE_KEY = previous;
  }
});

test('an arm64 layer leaves out the package whose marker needs x86_64', () => {
  const dir = tempDir();
  const { app, stack } = newStack();
  captureStderr(() => new PythonDependencyLayer(stack, 'Deps', {
    lockFile: projectFromFixture('uv', wheelhouse),
    architecture: lambda.Architecture.ARM_64,
    findLinks: [wheelhouse],
    noIndex: true,
    bundlingStrategy: BundlingStrategy.LOCAL,
    pythonExecutable: countingPython(dir).python,
    cacheDir: path.join(dir, 'cache'),
  }));
  expect(packagesOf(stagedAsset(app))).toEqual(['fake_app', 'fake_lib']);
  Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
});

describe('fails when', () => {
  test.each([
    ['both requirementsFile and lockFile are given', { requirementsFile: 'requirements.txt', lockFile: 'uv.lock' }, /Stack\/Deps: pass exactly one of requirementsFile and lockFile, got both/],
    ['neither is given', {}, /Stack\/Deps: pass exactly one of requirementsFile and lockFile, got neither/],
    ['lockGroups is given with a requirementsFile', { requirementsFile: __filename, lockGroups: ['dev'] }, /Stack\/Deps: lockGroups and lockExtras only apply to a lockFile/],
    ['the lock file does not exist', { lockFile: '/nonexistent/uv.lock' }, /Stack\/Deps: lockFile not found: '\/nonexistent\/uv\.lock'/],
  ])('%s', (_name, props, message) => {
    const { stack } = newStack();
    expect(() => new PythonDependencyLayer(stack, 'Deps', props)).toThrow(message);
  });

  test('the lock file has another name', () => {
    const { stack } = newStack();
    expectErrorId(() => new PythonDependencyLayer(stack, 'Deps', { lockFile: __filename }), ErrorId.LOCK_FILE_NAME_UNKNOWN,
      /^Stack\/Deps: /, "'layer.test.ts'");
  });

  test('the lock\'s requires-python excludes the layer\'s Python, naming both', () => {
    const lockFile = projectFromFixture('uv', wheelhouse, { edit: text => text.replace(/requires-python = "[^"]*"/, 'requires-python = ">=3.14"') });
    const { stack } = newStack();
    expectErrorId(() => new PythonDependencyLayer(stack, 'Deps', { lockFile, findLinks: [wheelhouse], noIndex: true, cacheDir: tempDir() }),
      ErrorId.LOCK_PYTHON_MISMATCH, /^Stack\/Deps: /, "'>=3.14'", 'python3.13');
  });
});
