import * as fs from 'fs';
import * as path from 'path';
import { Annotations, AssetHashType, AssetStaging, BundlingFileAccess, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { BundlingStrategy } from './bundling-strategy';
import { PipOptions } from './pip-options';
import { AnnotationId, ErrorId } from '../contract';
import { readLockFileCached } from './lock';
import { TracedLambdaError } from '../private/error';
import { requirementsInclude } from '../private/python-names';
import { bundlingOptions, finishDockerBuild, LayerBundler, resolveMethod } from './private/build';
import { cacheEntryDir } from './private/cache';
import { resolvePipOptions } from './private/context';
import { layerAssetHash, LayerBuildSpec, RequirementsInput } from './private/hash';
import { isUrl, samBuildImage, stripAnsi } from './private/pip';
import { parseRequirements } from './private/requirements';

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
   * @default - `$CDK_TRACED_LAMBDA_CACHE_DIR`, else `.cdk-cache/cdk-traced-lambda` in the current working directory
   */
  readonly cacheDir?: string;
}

/**
 * A Lambda layer with the Python packages of a requirements.txt, installed under `python/`.
 *
 * The layer is an asset bundled by aws-cdk-lib (so stacks that are not being deployed are not built):
 * with local pip, or in the AWS SAM build image with Docker. Built layers are kept in a cache shared
 * by every `cdk.out`, keyed by a hash of every build input and verified against a manifest before
 * reuse, so synthesizing again with unchanged inputs runs pip zero times.
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
    try {
      super(scope, id, {
        ...props,
        code: prepared.code,
        compatibleRuntimes: [prepared.runtime],
        compatibleArchitectures: [prepared.architecture],
      });
    } catch (e) {
      // aws-cdk-lib keeps the failed bundle's output folder (cdk.out/asset.<hash>-building) for diagnosis; a
      // local build writes nothing there before it succeeds, and Docker's output is printed above: remove it,
      // so that nothing half-built is left behind. Our own error names the layer first, without aws-cdk-lib's
      // "bundle output is located at" that would point at it.
      if (prepared.bundler.outputDir) fs.rmSync(prepared.bundler.outputDir, { recursive: true, force: true });
      throw prepared.bundler.dockerStartedAt === undefined ? prepared.bundler.failure ?? e : dockerFailed(prepared.spec, e);
    }
    this.runtime = prepared.runtime;
    this.architecture = prepared.architecture;
    this.requirements = prepared.requirements;
    this.assetHash = prepared.assetHash;
    Object.defineProperty(this, PYTHON_DEPENDENCY_LAYER_SYMBOL, { value: true });

    for (const rejected of prepared.bundler.rejected) {
      Annotations.of(this).addWarningV2(AnnotationId.LAYER_CACHE_ENTRY_REJECTED,
        `The cached layer ${rejected}; it was not used and the layer was rebuilt. `
        + 'If nobody changed the cache on purpose, check who can write to it (e.g. a shared CI cache).');
    }
    if (prepared.bundler.dockerStartedAt !== undefined) {
      const staging = this.node.findChild('Code').node.findChild('Stage') as AssetStaging;
      finishDockerBuild(prepared.spec, prepared.assetHash, staging.absoluteStagedPath, prepared.bundler.dockerStartedAt);
    }
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
  readonly spec: LayerBuildSpec;
  readonly bundler: LayerBundler;
}

/** Validates the props and computes the asset hash and bundling options. Runs before `super()`; builds nothing. */
function prepareLayer(scope: Construct, id: string, props: PythonDependencyLayerProps): PreparedLayer {
  const constructPath = [scope.node.path, id].filter(p => p).join('/');
  const runtime = props.runtime ?? lambda.Runtime.PYTHON_3_13;
  const architecture = props.architecture ?? lambda.Architecture.X86_64;

  if (runtime.family !== lambda.RuntimeFamily.PYTHON || !/^python\d+\.\d+$/.test(runtime.name)) {
    throw new TracedLambdaError(ErrorId.LAYER_RUNTIME_NOT_PYTHON, constructPath, `runtime must be a Python runtime, got ${runtime.name}. `
      + 'Fix: pass a Python runtime such as lambda.Runtime.PYTHON_3_13, or omit runtime.');
  }
  if (architecture.name !== lambda.Architecture.X86_64.name && architecture.name !== lambda.Architecture.ARM_64.name) {
    throw new Error(`${constructPath}: architecture must be x86_64 or arm64, got ${architecture.name}. `
      + 'Fix: pass lambda.Architecture.X86_64 or lambda.Architecture.ARM_64.');
  }
  const strategy = checkBundlingStrategy(constructPath, props.bundlingStrategy);
  const pip = resolvePipOptions(scope, props);
  checkPipExtraArgs(constructPath, pip.extraArgs);
  for (const location of pip.findLinks) {
    if (isUrl(location) && pip.noIndex) {
      throw new Error(`${constructPath}: noIndex is set, but find-links names a URL: '${location}'. `
        + 'Fix: use a local wheelhouse directory in findLinks (or cdk-traced-lambda:pipFindLinks), or turn noIndex off.');
    }
    if (!isUrl(location) && !(fs.existsSync(location) && fs.statSync(location).isDirectory())) {
      throw new Error(`${constructPath}: find-links directory not found: '${location}'. `
        + 'Fix: create the wheelhouse (e.g. pip download -d <dir> -r requirements.txt) or correct findLinks / '
        + 'the cdk-traced-lambda:pipFindLinks context value.');
    }
  }
  const cacheDir = path.resolve(props.cacheDir ?? process.env.CDK_TRACED_LAMBDA_CACHE_DIR ?? path.join('.cdk-cache', 'cdk-traced-lambda'));
  const { input, requirements } = props.lockFile !== undefined
    ? lockInput(constructPath, props, runtime, architecture, cacheDir)
    : requirementsInput(constructPath, props, pip.noIndex);
  const inputFile = input.origin;

  const bundlingRequired = Stack.of(scope).bundlingRequired;
  const pythonExecutable = props.pythonExecutable ?? 'python3';
  const base: LayerBuildSpec = {
    constructPath,
    input,
    runtimeName: runtime.name,
    pythonVersion: runtime.name.replace(/^python/, ''),
    architecture: architecture.name,
    dockerPlatform: architecture.dockerPlatform,
    // Chosen by chooseBuild.
    method: 'auto',
    pythonExecutable,
    pip,
    keepRuntimeProvidedPackages: props.keepRuntimeProvidedPackages ?? false,
    compileBytecode: props.compileBytecode ?? false,
    cacheDir,
  };
  const { spec, assetHash } = chooseBuild(base, strategy, bundlingRequired, inputFile);
  const bundler = new LayerBundler(spec, assetHash);

  return {
    code: lambda.Code.fromAsset(path.dirname(inputFile), {
      assetHash,
      assetHashType: AssetHashType.CUSTOM,
      bundling: bundlingOptions(spec, bundler, props.bundlingFileAccess),
    }),
    runtime,
    architecture,
    requirements,
    assetHash,
    spec,
    bundler,
  };
}

/** A layer's build spec and its key. */
interface ChosenBuild {
  readonly spec: LayerBuildSpec;
  readonly assetHash: string;
}

/**
 * The build spec with the method the key holds, and its key (hashed once: hashing lists and stats the
 * find-links directories). LOCAL or DOCKER as asked; AUTO in a stack that is not bundled builds nothing, so it
 * need not look for pip; AUTO in a bundled stack is local pip when the cache already holds this layer built by
 * local pip (a warm synth starts no Python process at all: the entry is verified before use, and a rejected
 * one is rebuilt by local pip), else whatever this machine has.
 */
function chooseBuild(base: LayerBuildSpec, strategy: BundlingStrategy, bundlingRequired: boolean, inputFile: string): ChosenBuild {
  const withMethod = (method: LayerBuildSpec['method']): ChosenBuild => {
    const spec: LayerBuildSpec = { ...base, method };
    return { spec, assetHash: layerAssetHash(spec) };
  };
  if (strategy !== BundlingStrategy.AUTO) {
    return withMethod(resolveMethod(base.constructPath, strategy, base.pythonExecutable, inputFile));
  }
  if (!bundlingRequired) {
    return withMethod('auto');
  }
  const local = withMethod('local');
  if (fs.existsSync(cacheEntryDir(base.cacheDir, local.assetHash))) {
    return local;
  }
  const method = resolveMethod(base.constructPath, strategy, base.pythonExecutable, inputFile);
  return method === 'local' ? local : withMethod(method);
}

/**
 * The strategy, default AUTO. JavaScript callers are not type-checked and can pass any value; one that is not a
 * member would otherwise build with local pip silently.
 */
function checkBundlingStrategy(constructPath: string, strategy: BundlingStrategy | undefined): BundlingStrategy {
  const allowed: unknown[] = Object.values(BundlingStrategy);
  if (strategy === undefined) {
    return BundlingStrategy.AUTO;
  }
  if (!allowed.includes(strategy)) {
    const shown = typeof strategy === 'string' ? `'${strategy}'` : safeJson(strategy);
    throw new Error(`${constructPath}: bundlingStrategy must be one of ${allowed.map(v => `'${v}'`).join(', ')}, got ${shown}. `
      + 'Fix: pass BundlingStrategy.AUTO, BundlingStrategy.LOCAL or BundlingStrategy.DOCKER, or omit bundlingStrategy for AUTO.');
  }
  return strategy;
}

/** JSON of an unexpected value, or its type when it has none. */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

interface PreparedInput {
  readonly input: RequirementsInput;
  /** The canonical `name[extras]` of the direct requirements, for `hasRequirement`. */
  readonly requirements: string[];
}

/** Exactly one of requirementsFile and lockFile, a literal path to an existing regular file. */
function checkInputFile(constructPath: string, props: PythonDependencyLayerProps): string {
  const given = [props.requirementsFile, props.lockFile].filter(f => f !== undefined);
  if (given.length !== 1) {
    throw new Error(`${constructPath}: pass exactly one of requirementsFile and lockFile, got `
      + `${given.length === 0 ? 'neither' : `both ('${props.requirementsFile}' and '${props.lockFile}')`}. `
      + 'Fix: requirementsFile: \'requirements.txt\' for a pip requirements file, or lockFile: \'uv.lock\' '
      + '(or poetry.lock, Pipfile.lock, pylock.toml) for a lock file.');
  }
  const prop = props.lockFile !== undefined ? 'lockFile' : 'requirementsFile';
  const file = given[0]!;
  if (Token.isUnresolved(file)) {
    throw new Error(`${constructPath}: ${prop} must be a literal path, got a token. Fix: pass the file's path as a string.`);
  }
  if (prop === 'requirementsFile' && (props.lockGroups !== undefined || props.lockExtras !== undefined)) {
    throw new Error(`${constructPath}: lockGroups and lockExtras only apply to a lockFile, but requirementsFile '${file}' was given. `
      + 'Fix: remove lockGroups/lockExtras, or build the layer from the lock file with lockFile.');
  }
  const resolved = path.resolve(file);
  const stat = fs.statSync(resolved, { throwIfNoEntry: false });
  if (!stat || !stat.isFile()) {
    throw new Error(`${constructPath}: ${prop === 'lockFile' ? 'lock' : 'requirements'} file not found: '${file}' (resolved to ${resolved}`
      + `${stat ? ', which is not a regular file' : ''}). `
      + `Fix: pass the path of an existing ${prop === 'lockFile' ? 'lock file' : 'requirements.txt'}, relative to the current working directory or absolute.`);
  }
  return resolved;
}

/** A requirements.txt: pip reads the file; names, sources and `${VAR}` values come from parsing it. */
function requirementsInput(constructPath: string, props: PythonDependencyLayerProps, noIndex: boolean): PreparedInput {
  const requirementsFile = checkInputFile(constructPath, props);
  const parsed = parseRequirements(requirementsFile, { noIndex, constructPath });
  if (parsed.requirements.length === 0) {
    throw new Error(`${constructPath}: the requirements file '${props.requirementsFile}' names no package (it is empty, `
      + 'or holds only comments and options), so the layer would be empty. Fix: list the packages the functions need, '
      + 'one per line (e.g. aws-xray-sdk==2.15.0), or remove the layer.');
  }
  return {
    input: {
      file: requirementsFile,
      origin: requirementsFile,
      flags: parsed.hasHashes ? ['--require-hashes'] : [],
      names: parsed.requirements.map(r => r.replace(/\[.*$/, '')),
      hashInputs: { sources: parsed.sources, environment: parsed.environment },
      findLinks: parsed.findLinks,
      environment: parsed.environment,
    },
    requirements: parsed.requirements,
  };
}

/**
 * A lock file, read natively: pip gets the pinned, hashed text with `--require-hashes --no-deps` and
 * never the lock's own URLs (findLinks / noIndex / indexUrl decide where it looks). An unchanged lock (same
 * bytes, project file and options) is not parsed again: the read is remembered in the cache directory.
 */
function lockInput(constructPath: string, props: PythonDependencyLayerProps, runtime: lambda.Runtime,
  architecture: lambda.Architecture, cacheDir: string): PreparedInput {
  const lockFile = checkInputFile(constructPath, props);
  const lock = readLockFileCached(lockFile, { pythonVersion: runtime.name.replace(/^python/, ''), architecture: architecture.name as 'x86_64' | 'arm64' }, {
    groups: props.lockGroups,
    extras: props.lockExtras,
    keepRuntimeProvidedPackages: props.keepRuntimeProvidedPackages ?? false,
    errorPrefix: constructPath,
  }, { dir: cacheDir });
  if (lock.packages.length === 0) {
    throw new Error(`${constructPath}: the lock file '${props.lockFile}' selects no package to install for ${runtime.name} on `
      + `${architecture.name}${lock.runtimeProvidedLeftOut.length > 0 ? ` (left out as runtime-provided: ${lock.runtimeProvidedLeftOut.join(', ')})` : ''}, `
      + 'so the layer would be empty. Fix: add the dependencies the functions need to the project and lock again, choose '
      + 'lockGroups/lockExtras, or remove the layer.');
  }
  return {
    input: {
      text: lock.requirementsText,
      origin: lockFile,
      flags: ['--require-hashes', '--no-deps'],
      names: lock.directDependencies,
      hashInputs: lock.hashInputs,
      findLinks: [],
      environment: {},
      leftOut: lock.runtimeProvidedLeftOut,
    },
    requirements: lock.directRequirements,
  };
}

/** aws-cdk-lib's docker error, with what was being built and how to fix it. */
function dockerFailed(spec: LayerBuildSpec, e: unknown): Error {
  return new Error(`${spec.constructPath}: docker failed building the dependency layer from ${spec.input.origin} in `
    + `${samBuildImage(spec.runtimeName, spec.architecture)} (docker's own output is above): ${stripAnsi(String((e as Error)?.message ?? e))}\n`
    + 'Fix: install and start Docker (or set CDK_DOCKER to a working docker-compatible binary), '
    + 'or use BundlingStrategy.LOCAL / AUTO with Python 3 and pip.');
}

/** pipExtraArgs may not undo the platform flags either. */
function checkPipExtraArgs(constructPath: string, args: string[]): void {
  args.forEach((arg, i) => {
    const onlyBinary = arg === '--only-binary' ? args[i + 1] : /^--only-binary=(.*)$/.exec(arg)?.[1];
    if (/^--no-binary(=|$)/.test(arg) || (onlyBinary !== undefined && onlyBinary !== ':all:') || /^(-e|--editable)(=|$)/.test(arg)) {
      throw new Error(`${constructPath}: pipExtraArgs may not contain '${arg}': it would build packages for this machine `
        + 'instead of the Lambda platform. Fix: remove it; provide binary wheels for the layer\'s platform with findLinks.');
    }
  });
}
