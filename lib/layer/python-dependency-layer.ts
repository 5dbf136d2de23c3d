import { BundlingFileAccess } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { BundlingStrategy } from './bundling-strategy';
import { PipOptions } from './pip-options';
import { requirementsInclude } from '../private/python-names';
import { LayerBundling } from './private/bundling';
import { readLayerInput } from './private/inputs';
import { checkLayerProps } from './private/props';

/** Properties for a PythonDependencyLayer. */
export interface PythonDependencyLayerProps extends lambda.LayerVersionOptions, PipOptions {
  /**
   * Path to the requirements.txt file (relative paths are resolved against the current working directory).
   *
   * Pass exactly one of `requirementsFile` and `lockFile`.
   * @default - none: `lockFile` must be given
   */
  readonly requirementsFile?: string;

  /**
   * Path to a lock file to build the layer from instead of a requirements.txt: `uv.lock`, `poetry.lock`,
   * `Pipfile.lock`, `pylock.toml` or `pylock.<name>.toml`, recognized by its file name.
   *
   * The lock is read directly (uv, Poetry and Pipenv need not be installed); pip installs exactly the
   * locked versions of the default/main dependencies whose markers fit the layer's Python and
   * architecture, with `--require-hashes --no-deps`, so every wheel is checked against the lock's sha256.
   * Pass exactly one of `requirementsFile` and `lockFile`.
   * @default - none: `requirementsFile` must be given
   */
  readonly lockFile?: string;

  /**
   * Dependency groups of the lock file to install besides the default/main one (Poetry groups, Pipfile
   * categories such as `develop`, uv and pylock.toml dependency groups). Only with `lockFile`.
   * @default - the default/main dependencies only
   */
  readonly lockGroups?: string[];

  /**
   * Extras of the project to install from the lock file. Only with `lockFile`.
   * @default - no extras
   */
  readonly lockExtras?: string[];

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
   * How pip is run: `BundlingStrategy.AUTO` (local pip when `pythonExecutable` has pip, else Docker),
   * `BundlingStrategy.LOCAL` (always local pip) or `BundlingStrategy.DOCKER` (always the AWS SAM build image).
   *
   * Any other value is an error that names the construct, the value and the allowed values.
   * @default BundlingStrategy.AUTO
   */
  readonly bundlingStrategy?: BundlingStrategy;

  /**
   * The Python interpreter that runs pip for local bundling (and compiles bytecode when it is of the target version).
   * @default 'python3' from the PATH
   */
  readonly pythonExecutable?: string;

  /**
   * Keep every runtime-provided package (boto3, botocore, s3transfer, jmespath, python-dateutil, six,
   * urllib3) that pip installed.
   *
   * Without it, a runtime-provided package is kept only when the requirements name it (together with
   * the packages it requires); one that is only there because another package requires it (aws-xray-sdk
   * requires botocore) is left out, since the Lambda runtime provides it, and the build line lists it.
   * Name a runtime-provided package in the requirements to ship your own version of it.
   * @default false
   */
  readonly keepRuntimeProvidedPackages?: boolean;

  /**
   * Compile the layer's `.py` files to bytecode for the target Python, so functions skip compiling at
   * cold start. Needs an interpreter of exactly the target minor version: `pythonExecutable` or
   * `python3.X` on the PATH for local builds, the build image's Python for Docker builds. The bytecode
   * is hash-based (`--invalidation-mode unchecked-hash`), so rebuilds are byte-identical.
   * @default false
   */
  readonly compileBytecode?: boolean;

  /**
   * How Docker builds get the input and output directories (for remote Docker engines use VOLUME_COPY), as in every CDK asset.
   * @default BundlingFileAccess.BIND_MOUNT
   */
  readonly bundlingFileAccess?: BundlingFileAccess;

  /**
   * Directory where built layers are cached, keyed by their asset hash, so an unchanged layer is never rebuilt.
   *
   * Entries are verified against their manifest before reuse. For a cache others can write (a shared CI cache),
   * set the environment variable `CDK_TRACED_LAMBDA_CACHE_KEY` to a secret: entries are then signed (HMAC-SHA256)
   * and an entry whose signature fails is rejected and rebuilt. See docs/layers.md.
   * @default - `$CDK_TRACED_LAMBDA_CACHE_DIR`, else `.cdk-cache/cdk-traced-lambda` in the current working directory
   */
  readonly cacheDir?: string;
}

/**
 * A Lambda layer with the Python packages of a requirements.txt or a lock file, installed under `python/`.
 *
 * The layer is an asset bundled by aws-cdk-lib (so stacks that are not being deployed are not built):
 * with local pip, or in the AWS SAM build image with Docker. pip runs isolated from the machine's pip
 * configuration, so the layer depends only on its props, the app's context and its input files. Built
 * layers are kept in a cache shared by every `cdk.out`, keyed by a hash of every build input and verified
 * against a manifest (and a signature, with `CDK_TRACED_LAMBDA_CACHE_KEY`) before reuse, so synthesizing
 * again with unchanged inputs runs pip zero times.
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
    const checked = checkLayerProps(scope, id, props);
    const input = readLayerInput(checked, props);
    const bundling = LayerBundling.prepare(scope, checked, input);
    try {
      super(scope, id, {
        ...props,
        code: bundling.code,
        compatibleRuntimes: [checked.runtime],
        compatibleArchitectures: [checked.architecture],
      });
    } catch (e) {
      throw bundling.failed(e);
    }
    this.runtime = checked.runtime;
    this.architecture = checked.architecture;
    this.requirements = input.requirements;
    this.assetHash = bundling.assetHash;
    Object.defineProperty(this, PYTHON_DEPENDENCY_LAYER_SYMBOL, { value: true });
    bundling.finish(this);
  }

  /** Whether the requirements file names `name` (PEP 503 normalized), optionally with `extra`. */
  public hasRequirement(name: string, extra?: string): boolean {
    return requirementsInclude(this.requirements, name, extra);
  }
}

const PYTHON_DEPENDENCY_LAYER_SYMBOL = Symbol.for('cdk-traced-lambda.PythonDependencyLayer');
