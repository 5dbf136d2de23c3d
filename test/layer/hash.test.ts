import * as fs from 'fs';
import * as path from 'path';
import { buildSpec, cleanTempDirs, tempDir } from './helpers';
import { LayerBuildSpec, layerAssetHash } from '../../lib/layer/private/hash';
import * as pip from '../../lib/layer/private/pip';

afterEach(cleanTempDirs);

let wheels: string;
let base: LayerBuildSpec;
beforeEach(() => {
  wheels = tempDir('wheels-');
  fs.writeFileSync(path.join(wheels, 'a-1.0-py3-none-any.whl'), 'a');
  base = buildSpec({ pip: { extraIndexUrls: [], findLinks: [wheels], noIndex: false, extraArgs: [], requireHashes: false } });
});

test('is a sha256 and stable for the same inputs', () => {
  expect(layerAssetHash(base)).toMatch(/^[0-9a-f]{64}$/);
  expect(layerAssetHash({ ...base })).toBe(layerAssetHash(base));
});

test.each<[string, (s: LayerBuildSpec) => LayerBuildSpec]>([
  ['requirements content', s => ({ ...s, input: { ...s.input, hashInputs: { sources: [{ name: 'requirements.txt', content: 'six==1.16\n' }] } } })],
  ['a generated requirements text', s => ({ ...s, input: { ...s.input, file: undefined, text: 'six==1.16 --hash=sha256:00\n' } })],
  ['the flags of the requirements input', s => ({ ...s, input: { ...s.input, flags: ['--no-deps'] } })],
  ['a find-links directory named inside the requirements', s => ({ ...s, input: { ...s.input, findLinks: [wheels] } })],
  ['the Python version', s => ({ ...s, runtimeName: 'python3.12', pythonVersion: '3.12' })],
  ['the architecture', s => ({ ...s, architecture: 'arm64', dockerPlatform: 'linux/arm64' })],
  ['the method used (local pip or Docker)', s => ({ ...s, method: 'docker' })],
  ['compileBytecode', s => ({ ...s, compileBytecode: true })],
  ['the index URL', s => ({ ...s, pip: { ...s.pip, indexUrl: 'https://i.example/simple' } })],
  ['extra index URLs', s => ({ ...s, pip: { ...s.pip, extraIndexUrls: ['https://e.example/simple'] } })],
  ['no-index', s => ({ ...s, pip: { ...s.pip, noIndex: true } })],
  ['extra pip args', s => ({ ...s, pip: { ...s.pip, extraArgs: ['--pre'] } })],
  ['require-hashes', s => ({ ...s, pip: { ...s.pip, requireHashes: true } })],
  ['a find-links URL', s => ({ ...s, pip: { ...s.pip, findLinks: [...s.pip.findLinks, 'https://w.example/'] } })],
  ['keepRuntimeProvidedPackages', s => ({ ...s, keepRuntimeProvidedPackages: true })],
])('changes with %s', (_, change) => {
  expect(layerAssetHash(change(base))).not.toBe(layerAssetHash(base));
});

test('changes with the build logic version salt', () => {
  expect(layerAssetHash(base, 'next')).not.toBe(layerAssetHash(base));
});

test('changes with the contents of a find-links directory, not with its location, the cache dir or the python used', () => {
  const before = layerAssetHash(base);
  const copy = tempDir('wheels-copy-');
  fs.copyFileSync(path.join(wheels, 'a-1.0-py3-none-any.whl'), path.join(copy, 'a-1.0-py3-none-any.whl'));
  expect(layerAssetHash({
    ...base,
    pip: { ...base.pip, findLinks: [copy] },
    cacheDir: '/elsewhere',
    pythonExecutable: '/usr/bin/python3',
    input: { ...base.input, file: '/other/requirements.txt', origin: '/other/requirements.txt' },
  })).toBe(before);

  fs.writeFileSync(path.join(wheels, 'b-1.0-py3-none-any.whl'), 'b');
  const added = layerAssetHash(base);
  expect(added).not.toBe(before);
  fs.writeFileSync(path.join(wheels, 'b-1.0-py3-none-any.whl'), 'bb');
  expect(layerAssetHash(base)).not.toBe(added);
});

test('a find-links wheel file counts by its name and content, not its path; the signing key never counts', () => {
  const wheel = path.join(wheels, 'a-1.0-py3-none-any.whl');
  const withFile = buildSpec({ pip: { ...base.pip, findLinks: [wheel] } });
  const before = layerAssetHash(withFile);
  // the same key as the folder that holds only this wheel: pip sees the same candidates
  expect(before).toBe(layerAssetHash(base));
  const copy = path.join(tempDir('wheel-copy-'), 'a-1.0-py3-none-any.whl');
  fs.copyFileSync(wheel, copy);
  expect(layerAssetHash(buildSpec({ pip: { ...base.pip, findLinks: [copy] } }))).toBe(before);
  fs.writeFileSync(copy, 'other');
  expect(layerAssetHash(buildSpec({ pip: { ...base.pip, findLinks: [copy] } }))).not.toBe(before);
  expect(layerAssetHash({ ...base, signingKey: 'secret' })).toBe(layerAssetHash(base));
});

test('a folder inside a find-links directory does not count (pip does not look into it)', () => {
  const before = layerAssetHash(base);
  fs.mkdirSync(path.join(wheels, 'sub'));
  fs.writeFileSync(path.join(wheels, 'sub', 'c-1.0-py3-none-any.whl'), 'c');
  expect(layerAssetHash(base)).toBe(before);
});

test('with Docker, the build image is part of the key: a new SAM build image rebuilds the layer; local pip has none', () => {
  const docker = { ...base, method: 'docker' as const };
  const before = layerAssetHash(docker);
  const local = layerAssetHash(base);
  const image = jest.spyOn(pip, 'samBuildImage').mockReturnValue('public.ecr.aws/sam/build-python3.13:next');
  try {
    expect(layerAssetHash(docker)).not.toBe(before);
    expect(layerAssetHash(base)).toBe(local);
  } finally {
    image.mockRestore();
  }
});
