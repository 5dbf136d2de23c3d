import * as fs from 'fs';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { captureStderr, eachTestInTempDir, fakePython, newStack, requirements } from './helpers';
import { BundlingStrategy, ErrorId, PythonDependencyLayer } from '../../lib';
import { expectErrorId } from '../helpers/errors';

// BundlingStrategy's values are in every layer's key: the asset hash (so the cache entry's name and the
// S3 key of the asset) holds the method the strategy picked. These values were computed before
// BundlingStrategy became a TypeScript enum and are pinned, so that no change to how the strategy is
// spelled rebuilds a layer or changes a template. A deliberate change to the key (e.g. bumping
// LAYER_BUILD_LOGIC_VERSION) must update them: they were last updated when it went from 4 to 5 (pip runs isolated
// from the machine's pip configuration, so layers built before may hold what a pip.conf chose).
let dir: string;
let cacheDir: string;
eachTestInTempDir(d => ({ dir, cacheDir } = d));

const LAYER_LOGICAL_ID = 'Deps9F0A5805';
/** The key of a layer built by local pip (LOCAL, or AUTO that found pip). */
const LOCAL_HASH = '3892b03b2ef1f64580eace9064c81414b3d9ce20ffd1f3ecd1a56c8f14c66ffc';
/** The key of a layer built by Docker. */
const DOCKER_HASH = '0f9b387b7cafa83d051018d8d02b28083fb9dde384ef24b593d527cc3a4d7d57';
/** The key of an AUTO layer in a stack that is not bundled (AUTO does not look for pip there). */
const AUTO_UNBUNDLED_HASH = 'a5cef935d4c42cb1bbca00669cb3e8bd19ef447fd8dbd13e51736d30186f9193';

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
    ['AUTO', BundlingStrategy.AUTO, AUTO_UNBUNDLED_HASH, '39cd2774554ca06cc36384ec7b84dac90511a1b17add83bcc3ab78683f12ed0a'],
    ['LOCAL', BundlingStrategy.LOCAL, LOCAL_HASH, '21c6493428644eabe6a738b4c3d8d72b4bc3bf2e01e9d50d14bb58a8259b1b1e'],
    ['DOCKER', BundlingStrategy.DOCKER, DOCKER_HASH, 'aac3eb811b1fe10aacceda85d1dde7869503229e144c3fea9398fd2d68b98be7'],
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
    ['an object like the old class', { name: 'local' }, '\'{"name":"local"}\''],
    ['an object with no JSON (it refers to itself)', (() => {
      const cyclic: Record<string, unknown> = { name: 'local' };
      cyclic.self = cyclic;
      return cyclic;
    })(), '\'object\''],
  ])('%s fails naming the construct path, the value and the allowed values, before pip runs', (_, value, shown) => {
    const pip = fakePython(dir, 'mkdir -p "$TARGET/six"');
    const { stack } = newStack();
    expectErrorId(() => new PythonDependencyLayer(stack, 'Deps', {
      requirementsFile: requirements(dir, 'six==1.17.0\n'), pythonExecutable: pip.python, bundlingStrategy: value as BundlingStrategy, cacheDir,
    }), ErrorId.LAYER_BUNDLING_STRATEGY_INVALID, /^Stack\/Deps: /, `got ${shown}`, "'auto', 'local', 'docker'", 'BundlingStrategy.AUTO');
    expect(pip.installs()).toHaveLength(0);
    expect(fs.existsSync(cacheDir)).toBe(false);
  });

  test('the members are the strings the layer key was built from', () => {
    expect(Object.entries(BundlingStrategy)).toEqual([['AUTO', 'auto'], ['LOCAL', 'local'], ['DOCKER', 'docker']]);
  });
});
