import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AssetHashType, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { BundlingStrategy } from './bundling/bundling-strategy';
import { PipOptions } from './bundling/pip-options';
import { buildLayer, cacheEntryDir, LayerBuildSpec, layerAssetHash } from './private/layer-build';
import { resolvePipOptions } from './private/layer-context';
import { isUrl } from './private/layer-pip';
import { parseRequirements, requirementsInclude } from './private/layer-requirements';

/** Properties for a PythonDependencyLayer. */
export interface PythonDependencyLayerProps extends lambda.LayerVersionOptions, PipOptions {
  /** Path to the requirements.txt file (relative paths are resolved against the current working directory). */
  readonly requirementsFile: string;

  /**
   * The Python runtime the layer is built for.
   *
   * Python 3.13 is the newest generally available Lambda Python runtime with broad binary-wheel
   * coverage. The default does not follow "latest" automatically: a changed default would rebuild
   * every layer and change every template on a library upgrade.
   * @default lambda.Runtime.PYTHON_3_13
   */
  readonly runtime?: lambda.Runtime;

  /**
   * The CPU architecture the layer is built for.
   * @default lambda.Architecture.X86_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * How pip is run.
   * @default BundlingStrategy.AUTO
   */
  readonly bundlingStrategy?: BundlingStrategy;

  /**
   * The Python interpreter that runs pip for local bundling.
   * @default 'python3' from the PATH
   */
  readonly pythonExecutable?: string;

  /**
   * Keep the packages the Lambda Python runtime already provides (boto3, botocore, s3transfer,
   * jmespath, python-dateutil, six, urllib3) even when the requirements file does not name them.
   * Packages the requirements file names, and the runtime-provided packages they need, are always kept.
   * @default false
   */
  readonly keepRuntimeProvidedPackages?: boolean;

  /**
   * Directory where built layers are cached, keyed by their asset hash, so an unchanged layer is never rebuilt.
   * @default - `$CDK_TRACED_LAMBDA_CACHE_DIR`, else `.cdk-cache/cdk-traced-lambda` in the current working directory
   */
  readonly cacheDir?: string;
}

/**
 * A Lambda layer with the Python packages of a requirements.txt, installed under `python/`.
 *
 * The layer is built while the construct is created (with local pip or in the AWS SAM build image)
 * and cached on disk by a hash of every build input, so synthesizing again with unchanged inputs
 * runs pip zero times. Packages the Lambda runtime already provides are left out, as is bytecode.
 */
export class PythonDependencyLayer extends lambda.LayerVersion {
  /** Whether `x` is a PythonDependencyLayer. */
  public static isPythonDependencyLayer(x: any): x is PythonDependencyLayer {
    return x !== null && typeof x === 'object' && PYTHON_DEPENDENCY_LAYER_SYMBOL in x;
  }

  /** The Python runtime the layer was built for. */
  public readonly runtime: lambda.Runtime;
  /** The CPU architecture the layer was built for. */
  public readonly architecture: lambda.Architecture;
  /** Normalized (PEP 503) names of the packages the requirements file names, with extras, e.g. `aws-lambda-powertools[tracer]`. */
  public readonly requirements: string[];
  /** The custom asset hash of the layer's contents: a sha256 of every build input. */
  public readonly assetHash: string;

  constructor(scope: Construct, id: string, props: PythonDependencyLayerProps) {
    const prepared = prepareLayer(scope, id, props);
    super(scope, id, {
      ...props,
      code: prepared.code,
      compatibleRuntimes: [prepared.runtime],
      compatibleArchitectures: [prepared.architecture],
    });
    this.runtime = prepared.runtime;
    this.architecture = prepared.architecture;
    this.requirements = prepared.requirements;
    this.assetHash = prepared.assetHash;
    Object.defineProperty(this, PYTHON_DEPENDENCY_LAYER_SYMBOL, { value: true });
  }

  /** Whether the requirements file names `name` (PEP 503 normalized), optionally with `extra`. */
  public hasRequirement(name: string, extra?: string): boolean {
    return requirementsInclude(this.requirements, name, extra);
  }
}

const PYTHON_DEPENDENCY_LAYER_SYMBOL = Symbol.for('cdk-traced-lambda.PythonDependencyLayer');

interface PreparedLayer {
  readonly code: lambda.Code;
  readonly runtime: lambda.Runtime;
  readonly architecture: lambda.Architecture;
  readonly requirements: string[];
  readonly assetHash: string;
}

/** Validates the props and builds (or finds in the cache) the layer's contents. Runs before `super()`. */
function prepareLayer(scope: Construct, id: string, props: PythonDependencyLayerProps): PreparedLayer {
  const constructPath = [scope.node.path, id].filter(p => p).join('/');
  const runtime = props.runtime ?? lambda.Runtime.PYTHON_3_13;
  const architecture = props.architecture ?? lambda.Architecture.X86_64;

  if (runtime.family !== lambda.RuntimeFamily.PYTHON || !/^python\d+\.\d+$/.test(runtime.name)) {
    throw new Error(`${constructPath}: runtime must be a Python runtime, got ${runtime.name}. `
      + 'Fix: pass a Python runtime such as lambda.Runtime.PYTHON_3_13, or omit runtime.');
  }
  if (architecture.name !== lambda.Architecture.X86_64.name && architecture.name !== lambda.Architecture.ARM_64.name) {
    throw new Error(`${constructPath}: architecture must be x86_64 or arm64, got ${architecture.name}. `
      + 'Fix: pass lambda.Architecture.X86_64 or lambda.Architecture.ARM_64.');
  }
  if (Token.isUnresolved(props.requirementsFile)) {
    throw new Error(`${constructPath}: requirementsFile must be a literal path, got a token. Fix: pass the file's path as a string.`);
  }
  const requirementsFile = path.resolve(props.requirementsFile);
  if (!fs.existsSync(requirementsFile) || !fs.statSync(requirementsFile).isFile()) {
    throw new Error(`${constructPath}: requirements file not found: '${props.requirementsFile}' (resolved to ${requirementsFile}). `
      + 'Fix: pass the path of an existing requirements.txt, relative to the current working directory or absolute.');
  }

  const pip = resolvePipOptions(scope, props);
  const parsed = parseRequirements(requirementsFile);
  for (const location of pip.findLinks) {
    if (!isUrl(location) && !(fs.existsSync(location) && fs.statSync(location).isDirectory())) {
      throw new Error(`${constructPath}: find-links directory not found: '${location}'. `
        + 'Fix: create the wheelhouse (e.g. pip download -d <dir> -r requirements.txt) or correct findLinks / '
        + 'the cdk-traced-lambda:pipFindLinks context value.');
    }
  }

  const spec: LayerBuildSpec = {
    constructPath,
    requirementsFile,
    requirementsSources: parsed.sources,
    requirementNames: parsed.requirements.map(r => r.replace(/\[.*$/, '')),
    runtimeName: runtime.name,
    pythonVersion: runtime.name.replace(/^python/, ''),
    architecture: architecture.name,
    dockerPlatform: architecture.dockerPlatform,
    strategy: (props.bundlingStrategy ?? BundlingStrategy.AUTO).name,
    pythonExecutable: props.pythonExecutable ?? 'python3',
    pip: { ...pip, requireHashes: pip.requireHashes || parsed.hasHashes },
    keepRuntimeProvidedPackages: props.keepRuntimeProvidedPackages ?? false,
    cacheDir: path.resolve(props.cacheDir ?? process.env.CDK_TRACED_LAMBDA_CACHE_DIR ?? path.join('.cdk-cache', 'cdk-traced-lambda')),
  };
  const assetHash = layerAssetHash(spec);

  let assetDir: string;
  if (Stack.of(scope).bundlingRequired) {
    assetDir = buildLayer(spec, assetHash);
  } else {
    // Like aws-cdk-lib: no bundling for stacks that are not being deployed (`cdk deploy --exclusively Other`).
    const cached = cacheEntryDir(spec.cacheDir, assetHash);
    assetDir = fs.existsSync(cached) ? cached : fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-traced-lambda-skipped-'));
  }

  return {
    code: lambda.Code.fromAsset(assetDir, { assetHash, assetHashType: AssetHashType.CUSTOM }),
    runtime,
    architecture,
    requirements: parsed.requirements,
    assetHash,
  };
}
