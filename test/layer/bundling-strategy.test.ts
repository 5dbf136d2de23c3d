import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { captureStderr, cleanTempDirs, fakePython, newStack, requirements, tempDir } from './helpers';
import { BundlingStrategy, PythonDependencyLayer } from '../../lib';

// BundlingStrategy's values are in every layer's key: the asset hash (so the cache entry's name and the
// S3 key of the asset) holds the method the strategy picked. These values were computed before
// BundlingStrategy became a TypeScript enum and are pinned, so that no change to how the strategy is
// spelled rebuilds a layer or changes a template. A deliberate change to the key (e.g. bumping
// LAYER_BUILD_LOGIC_VERSION) must update them.
let dir: string;
let cacheDir: string;
beforeEach(() => {
  dir = tempDir();
  cacheDir = path.join(dir, 'cache');
});
afterEach(cleanTempDirs);

const LAYER_LOGICAL_ID = 'Deps9F0A5805';
/** The key of a layer built by local pip (LOCAL, or AUTO that found pip). */
const LOCAL_HASH = 'cc6cf31e8ec0bb732c1e5b6f0bdeea98ef959774b53f2f799986a6652da6e303';
/** The key of a layer built by Docker. */
const DOCKER_HASH = '80d72de08a4c60faf96c82dc0cf1b82a026ab881351ef7386ab42664e36ff100';
/** The key of an AUTO layer in a stack that is not bundled (AUTO does not look for pip there). */
const AUTO_UNBUNDLED_HASH = '5fa20f5e5bb1eb1d72dc8b59c597c63553bf6b409141ac959f725771fcdb7a76';

/** The layer's asset hash, the asset's S3 key and the construct paths, for a stack that is not bundled. */
function unbundled(strategy: BundlingStrategy) {
  const { stack } = newStack({ 'aws:cdk:bundling-stacks': [] });
  const layer = new PythonDependencyLayer(stack, 'Deps', {
    requirementsFile: requirements(dir, 'six==1.17.0\n'), bundlingStrategy: strategy, cacheDir,
  });
  new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.PYTHON_3_13, handler: 'index.handler', code: lambda.Code.fromInline('x = 1'), layers: [layer],
  });
  const template = Template.fromStack(stack);
  const layers = template.findResources('AWS::Lambda::LayerVersion');
  return {
    assetHash: layer.assetHash,
    layerLogicalIds: Object.keys(layers),
    s3Key: Object.values(layers).map(l => l.Properties.Content.S3Key),
    logicalIds: Object.keys(template.toJSON().Resources).sort(),
    paths: stack.node.findAll().map(c => c.node.path),
  };
}

describe('BundlingStrategy values keep every layer key and id', () => {
  test.each<[string, BundlingStrategy, string, string]>([
    // [strategy, value, layer asset hash (= cache entry name), asset hash in the template's S3 key]
    ['AUTO', BundlingStrategy.AUTO, AUTO_UNBUNDLED_HASH, 'b5079f2270ceacb17f51974d7d0fc3028bafb3a4e1c3c9a6b7474ff36f8cb635'],
    ['LOCAL', BundlingStrategy.LOCAL, LOCAL_HASH, '59e085023602e8e13569386997b0873ec5573289189f1978c79049ddd3e48207'],
    ['DOCKER', BundlingStrategy.DOCKER, DOCKER_HASH, '16669d1b0b4b0938bc58c75ded94e30ccce84730ef8828ff616661f0e5c94e82'],
  ])('%s: the same asset hash, S3 key and logical ids as before the enum', (_, strategy, assetHash, s3Hash) => {
    const synthesized = unbundled(strategy);
    expect(synthesized.assetHash).toBe(assetHash);
    expect(synthesized.s3Key).toEqual([`${s3Hash}.zip`]);
    expect(synthesized.layerLogicalIds).toEqual([LAYER_LOGICAL_ID]);
    expect(synthesized.logicalIds).toEqual([LAYER_LOGICAL_ID, 'FnServiceRoleB9001A96', 'Fn9270CBC0'].sort());
    expect(synthesized.paths).toEqual([
      'Stack', 'Stack/Deps', 'Stack/Deps/Code', 'Stack/Deps/Code/Stage', 'Stack/Deps/Code/AssetBucket', 'Stack/Deps/Resource',
      'Stack/Fn', 'Stack/Fn/ServiceRole', 'Stack/Fn/ServiceRole/Resource', 'Stack/Fn/Resource',
      'Stack/BootstrapVersion', 'Stack/CheckBootstrapVersion',
    ]);
  });

  test('LOCAL, and AUTO that finds local pip, build into the same pinned cache entry', () => {
    const pip = fakePython(dir, 'mkdir -p "$TARGET/six"\necho x > "$TARGET/six/__init__.py"');
    const build = (strategy: BundlingStrategy) => {
      const { stack } = newStack();
      return captureStderr(() => new PythonDependencyLayer(stack, 'Deps', {
        requirementsFile: requirements(dir, 'six==1.17.0\n'), pythonExecutable: pip.python, bundlingStrategy: strategy, cacheDir,
      })).result.assetHash;
    };
    expect(build(BundlingStrategy.LOCAL)).toBe(LOCAL_HASH);
    expect(build(BundlingStrategy.AUTO)).toBe(LOCAL_HASH);
    expect(fs.readdirSync(cacheDir).filter(e => !e.startsWith('.'))).toEqual([LOCAL_HASH]);
    expect(pip.installs()).toHaveLength(1);
  });
});

describe('a value that is not a BundlingStrategy (JavaScript callers are not type-checked)', () => {
  test.each<[string, unknown, string]>([
    ['an unknown name', 'podman', '\'podman\''],
    ['a member name instead of its value', 'LOCAL', '\'LOCAL\''],
    ['an object like the old class', { name: 'local' }, '{"name":"local"}'],
  ])('%s fails naming the construct path, the value and the allowed values, before pip runs', (_, value, shown) => {
    const pip = fakePython(dir, 'mkdir -p "$TARGET/six"');
    const { stack } = newStack();
    expect(() => new PythonDependencyLayer(stack, 'Deps', {
      requirementsFile: requirements(dir, 'six==1.17.0\n'), pythonExecutable: pip.python, bundlingStrategy: value as BundlingStrategy, cacheDir,
    })).toThrow(`Stack/Deps: bundlingStrategy must be one of 'auto', 'local', 'docker', got ${shown}. `
      + 'Fix: pass BundlingStrategy.AUTO, BundlingStrategy.LOCAL or BundlingStrategy.DOCKER, or omit bundlingStrategy for AUTO.');
    expect(pip.installs()).toHaveLength(0);
    expect(fs.existsSync(cacheDir)).toBe(false);
  });

  test('the members are the strings the layer key was built from', () => {
    expect(Object.entries(BundlingStrategy)).toEqual([['AUTO', 'auto'], ['LOCAL', 'local'], ['DOCKER', 'docker']]);
  });
});
