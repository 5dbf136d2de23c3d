import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { dockerRunArgs, isUrl, pipInstallArgs, ResolvedPipOptions, samBuildImage } from './layer-pip';
import { checkLayerSize, removeRuntimeProvidedPackages, stripBytecode } from './layer-post-process';
import { RequirementsSource } from './layer-requirements';

/**
 * Salt for the asset hash: bump it whenever the way layers are built or post-processed changes,
 * so every cached and deployed layer is rebuilt.
 */
export const LAYER_BUILD_LOGIC_VERSION = '3';

/** Everything that decides what a layer build produces. */
export interface LayerBuildSpec {
  readonly constructPath: string;
  /** Absolute path. */
  readonly requirementsFile: string;
  readonly requirementsSources: RequirementsSource[];
  /** Normalized names the requirements file names (kept even when the runtime provides them). */
  readonly requirementNames: string[];
  /** `python3.13` */
  readonly runtimeName: string;
  /** `3.13` */
  readonly pythonVersion: string;
  /** `x86_64` or `arm64` */
  readonly architecture: string;
  /** `linux/amd64` or `linux/arm64` */
  readonly dockerPlatform: string;
  /** `auto`, `local` or `docker` */
  readonly strategy: string;
  readonly pythonExecutable: string;
  readonly pip: ResolvedPipOptions;
  readonly keepRuntimeProvidedPackages: boolean;
  /** Absolute path. */
  readonly cacheDir: string;
}

/** The docker binary, as aws-cdk-lib chooses it. */
export function dockerExecutable(): string {
  return process.env.CDK_DOCKER ?? 'docker';
}

/** The custom asset hash (sha256, hex) of a layer: every input that changes what gets built. */
export function layerAssetHash(spec: LayerBuildSpec, salt: string = LAYER_BUILD_LOGIC_VERSION): string {
  const inputs = {
    salt,
    requirements: spec.requirementsSources,
    pythonVersion: spec.pythonVersion,
    architecture: spec.architecture,
    strategy: spec.strategy,
    dockerImage: spec.strategy === 'local' ? undefined : samBuildImage(spec.runtimeName, spec.architecture),
    pip: {
      indexUrl: spec.pip.indexUrl,
      extraIndexUrls: spec.pip.extraIndexUrls,
      findLinks: spec.pip.findLinks.map(l => isUrl(l) ? l : directoryFingerprint(l)),
      noIndex: spec.pip.noIndex,
      extraArgs: spec.pip.extraArgs,
      requireHashes: spec.pip.requireHashes,
    },
    keepRuntimeProvidedPackages: spec.keepRuntimeProvidedPackages,
  };
  return crypto.createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}

const fileHashMemo = new Map<string, string>();

/** Names and content hashes of the files directly in `dir` (what pip's --find-links sees), not its path. */
function directoryFingerprint(dir: string): string[][] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter(e => e.isFile())
    .map(e => e.name)
    .sort()
    .map(name => {
      const file = path.join(dir, name);
      const stat = fs.statSync(file);
      const key = `${file}\0${stat.size}\0${stat.mtimeMs}`;
      let digest = fileHashMemo.get(key);
      if (digest === undefined) {
        digest = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
        fileHashMemo.set(key, digest);
      }
      return [name, digest];
    });
}

/** The cache entry directory for a hash; it holds `python/` once built. */
export function cacheEntryDir(cacheDir: string, assetHash: string): string {
  return path.join(cacheDir, assetHash);
}

/**
 * Returns the cache entry for `assetHash`, building it first if it is missing. A build runs in a
 * temporary directory inside the cache and is renamed into place only when complete; on any
 * failure the temporary directory is deleted, so the cache never holds a half-built layer.
 */
export function buildLayer(spec: LayerBuildSpec, assetHash: string): string {
  const entry = cacheEntryDir(spec.cacheDir, assetHash);
  if (fs.existsSync(entry)) {
    return entry; // cache hit: silent
  }
  fs.mkdirSync(spec.cacheDir, { recursive: true });
  const started = Date.now();
  const temp = fs.mkdtempSync(path.join(spec.cacheDir, `.building-${assetHash.slice(0, 12)}-`));
  try {
    const pythonDir = path.join(temp, 'python');
    fs.mkdirSync(pythonDir);
    const method = resolveMethod(spec);
    if (method === 'docker') {
      runDocker(spec, temp);
    } else {
      runLocalPip(spec, pythonDir);
    }
    if (!spec.keepRuntimeProvidedPackages) {
      removeRuntimeProvidedPackages(pythonDir, spec.requirementNames);
    }
    stripBytecode(pythonDir);
    checkLayerSize(pythonDir, spec.constructPath, spec.requirementsFile);
    fs.chmodSync(temp, 0o755);
    try {
      fs.renameSync(temp, entry);
    } catch (e) {
      if (!fs.existsSync(entry)) {
        throw e;
      }
      fs.rmSync(temp, { recursive: true, force: true }); // built concurrently by another process: use theirs
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(`cdk-traced-lambda: built layer ${spec.constructPath} (${spec.runtimeName}, ${spec.architecture}, `
      + `${method === 'docker' ? 'docker' : 'local pip'}) in ${seconds}s\n`);
    return entry;
  } catch (e) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw e;
  }
}

function resolveMethod(spec: LayerBuildSpec): 'local' | 'docker' {
  if (spec.strategy !== 'auto') {
    return spec.strategy === 'docker' ? 'docker' : 'local';
  }
  if (spawnSync(spec.pythonExecutable, ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0) {
    return 'local';
  }
  const docker = spawnSync(dockerExecutable(), ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (docker.status === 0) {
    return 'docker';
  }
  throw new Error(`${spec.constructPath}: cannot build the dependency layer from ${spec.requirementsFile}: `
    + `neither pip ('${spec.pythonExecutable} -m pip' failed) nor Docker ('${dockerExecutable()} version': `
    + `${firstLine(docker.error?.message ?? docker.stderr)}) is available. Fix: install Python 3 with pip `
    + '(or set pythonExecutable), or install and start Docker, or point pip at a local wheelhouse with '
    + 'findLinks + noIndex (or -c cdk-traced-lambda:pipFindLinks=<dir> -c cdk-traced-lambda:pipNoIndex=true).');
}

function runLocalPip(spec: LayerBuildSpec, pythonDir: string): void {
  const args = pipInstallArgs({
    requirementsFile: spec.requirementsFile,
    targetDir: pythonDir,
    pythonVersion: spec.pythonVersion,
    architecture: spec.architecture,
  }, spec.pip);
  const result = spawnSync(spec.pythonExecutable, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  if (result.error) {
    throw new Error(`${spec.constructPath}: cannot run '${spec.pythonExecutable}' to build the dependency layer `
      + `(${result.error.message}). Fix: install Python 3 with pip, set pythonExecutable to a Python that has pip, `
      + 'or use BundlingStrategy.DOCKER.');
  }
  if (result.status !== 0) {
    throw new Error(`${spec.constructPath}: pip failed (exit ${result.status}) building the dependency layer from `
      + `${spec.requirementsFile} for ${spec.runtimeName} ${spec.architecture}:\n${tail(result.stderr)}\n`
      + 'Fix: check the requirement names and versions; every package needs a binary wheel for '
      + `manylinux ${spec.architecture} and Python ${spec.pythonVersion} (or provide one with findLinks), `
      + `or use BundlingStrategy.DOCKER.${indexHint(spec, result.stderr)}`);
  }
}

function runDocker(spec: LayerBuildSpec, outputDir: string): void {
  const args = dockerRunArgs({
    requirementsFile: spec.requirementsFile,
    outputDir,
    runtimeName: spec.runtimeName,
    pythonVersion: spec.pythonVersion,
    architecture: spec.architecture,
    dockerPlatform: spec.dockerPlatform,
    pip: spec.pip,
    user: typeof process.getuid === 'function' && typeof process.getgid === 'function'
      ? `${process.getuid()}:${process.getgid()}` : undefined,
  });
  const docker = dockerExecutable();
  const result = spawnSync(docker, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  if (result.error || result.status !== 0) {
    throw new Error(`${spec.constructPath}: docker failed building the dependency layer from ${spec.requirementsFile} `
      + `(${docker} ${args.slice(0, 2).join(' ')} ... ${samBuildImage(spec.runtimeName, spec.architecture)}):\n`
      + `${tail(result.error?.message ?? (result.stderr || result.stdout))}\n`
      + 'Fix: install and start Docker (or set CDK_DOCKER to a working docker-compatible binary), '
      + 'or use BundlingStrategy.LOCAL / AUTO with Python 3 and pip.');
  }
}

/** pip's signs that no index answered: nothing found at all, or no connection. */
const INDEX_UNREACHABLE = /from versions: none|Could not fetch URL|NewConnectionError|Failed to establish a new connection|Temporary failure in name resolution|Name or service not known/;

/** When pip found no index to install from, how to build offline or from a private index. */
function indexHint(spec: LayerBuildSpec, stderr: string | undefined): string {
  if (spec.pip.noIndex || !INDEX_UNREACHABLE.test(stderr ?? '')) {
    return '';
  }
  return ' If this machine cannot reach the package index (no internet, a private network), build from a local '
    + 'wheelhouse: findLinks + noIndex, or `cdk synth -c cdk-traced-lambda:pipFindLinks=<dir> -c cdk-traced-lambda:pipNoIndex=true`; '
    + 'or from an index it can reach: indexUrl, or `-c cdk-traced-lambda:pipIndexUrl=<url>`.';
}

function tail(text: string | undefined, lines = 30): string {
  const all = (text ?? '').trimEnd().split(/\r?\n/);
  return all.slice(-lines).join('\n');
}

function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split(/\r?\n/)[0] || 'no output';
}
