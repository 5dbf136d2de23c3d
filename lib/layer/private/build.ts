import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BundlingFileAccess, BundlingOptions, BundlingOutput, DockerImage, DockerVolume, ILocalBundling } from 'aws-cdk-lib';
import { cacheEntryDir, copyLayer, prepareCacheDir, verifyCacheEntry, writeManifest } from './cache';
import { LayerBuildSpec } from './hash';
import {
  compileArgs, DOCKER_PIP_ENVIRONMENT, DOCKER_REQUIREMENTS_VARIABLE, dockerCommand, isolatedPipEnvironment, isUrl, pipInstallArgs,
  samBuildImage, transportArgs,
} from './pip';
import { pipFailureFix, pipOutputTail } from './pip-failure';
import { checkLayerSize, checkRequiresPython, removeRuntimeProvidedPackages, stripBytecode } from './post-process';
import { CacheSigning } from './signature';
import { ErrorId } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import { shown, shownOutput } from '../../private/untrusted-text';
import { BundlingStrategy } from '../bundling-strategy';

/**
 * The local half of the layer's asset bundling. aws-cdk-lib calls `tryBundle` only for a stack that is
 * bundled and whose asset is not in `cdk.out` yet; it first consults the verified cross-`cdk.out`
 * cache, then builds with local pip, or returns false so that aws-cdk-lib runs Docker.
 */
export class LayerBundler implements ILocalBundling {
  /** Cache entries that failed verification during this synth, with what differed (for warnings). */
  public readonly rejected: string[] = [];
  /** Set when Docker was left to aws-cdk-lib: when it started. */
  public dockerStartedAt?: number;
  /** The error of a local build that failed (aws-cdk-lib wraps it in its own). */
  public failure?: unknown;
  /** The folder aws-cdk-lib asked for the layer in (`cdk.out/asset.<hash>-building`), once it asked. */
  public outputDir?: string;

  constructor(private readonly spec: LayerBuildSpec, private readonly assetHash: string) {}

  public tryBundle(outputDir: string): boolean {
    this.outputDir = outputDir;
    try {
      return this.bundleLocally(outputDir);
    } catch (e) {
      this.failure = e;
      throw e;
    }
  }

  private bundleLocally(outputDir: string): boolean {
    prepareCacheDir(this.spec.cacheDir, this.spec.constructPath);
    const entry = cacheEntryDir(this.spec.cacheDir, this.assetHash);
    if (fs.lstatSync(entry, { throwIfNoEntry: false })) {
      const verification = verifyCacheEntry(entry, signingOf(this.spec, this.assetHash));
      if (verification.ok) {
        copyLayer(entry, outputDir);
        return true; // cache hit: silent
      }
      const problems = verification.problems.slice(0, 5).join('; ');
      const more = verification.problems.length > 5 ? ` and ${verification.problems.length - 5} more` : '';
      this.rejected.push(`${shown(entry)}: ${problems}${more}`);
    }
    if (this.spec.method === 'docker') {
      this.dockerStartedAt = Date.now();
      return false;
    }
    const started = Date.now();
    const built = buildIntoCache(this.spec, this.assetHash, pythonDir => runLocalPip(this.spec, pythonDir), false);
    copyLayer(built.entry, outputDir);
    reportBuild(this.spec, 'local pip', started, built.leftOut);
    return true;
  }

  /** aws-cdk-lib hashes the bundling options; every input is already in the custom hash. */
  public toJSON(): unknown {
    return { localBundling: 'cdk-traced-lambda' };
  }
}

/** The Docker bundling options for a layer: pip (and compileall) in the SAM build image. */
export function bundlingOptions(spec: LayerBuildSpec, local: LayerBundler, bundlingFileAccess?: BundlingFileAccess): BundlingOptions {
  const volumes: DockerVolume[] = [];
  // A wheel file is mounted under its own name: pip reads the tags from the file name.
  const containerPath = (location: string) => {
    const folder = `/asset-find-links/${volumes.length}`;
    const mounted = fs.statSync(location).isDirectory() ? folder : `${folder}/${path.basename(location)}`;
    volumes.push({ hostPath: location, containerPath: mounted });
    return mounted;
  };
  const findLinks = spec.pip.findLinks.map(l => isUrl(l) ? l : containerPath(l));
  findLinks.push(...spec.input.findLinks.map(containerPath));
  const environment: Record<string, string> = { HOME: '/tmp', ...spec.input.environment, ...DOCKER_PIP_ENVIRONMENT };
  if (spec.input.file === undefined) {
    environment[DOCKER_REQUIREMENTS_VARIABLE] = spec.input.text ?? '';
  }
  return {
    image: DockerImage.fromRegistry(samBuildImage(spec.runtimeName, spec.architecture)),
    platform: spec.dockerPlatform,
    command: dockerCommand({
      requirementsFile: spec.input.file === undefined ? undefined : path.basename(spec.input.file),
      pythonVersion: spec.pythonVersion,
      architecture: spec.architecture,
      pip: { ...spec.pip, findLinks },
      flags: spec.input.flags,
      compileBytecode: spec.compileBytecode,
    }),
    environment,
    volumes: volumes.length > 0 ? volumes : undefined,
    bundlingFileAccess,
    outputType: BundlingOutput.NOT_ARCHIVED,
    local,
  };
}

/**
 * After aws-cdk-lib ran Docker into `stagedDir`: post-processes the output, stores it in the cache
 * with its manifest and makes `stagedDir` equal to the cache entry. On failure `stagedDir` is removed,
 * so no half-processed asset stays in `cdk.out`.
 */
export function finishDockerBuild(spec: LayerBuildSpec, assetHash: string, stagedDir: string, startedAt: number): void {
  try {
    const output = path.join(stagedDir, 'python');
    if (!fs.existsSync(output)) {
      throw new TracedLambdaError(ErrorId.LAYER_DOCKER_FAILED, spec.constructPath, `Docker produced no python/ directory in ${shown(stagedDir)}. `
        + 'Fix: check the docker output above; CDK_DOCKER must name a docker-compatible binary.');
    }
    const built = buildIntoCache(spec, assetHash, pythonDir => fs.cpSync(output, pythonDir, { recursive: true }), spec.compileBytecode);
    fs.rmSync(output, { recursive: true, force: true });
    copyLayer(built.entry, stagedDir);
    reportBuild(spec, 'docker', startedAt, built.leftOut);
  } catch (e) {
    fs.rmSync(stagedDir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Builds a cache entry: `fill` writes the packages into `python/` of a `.building-*` directory inside
 * the cache, which is post-processed, compiled (when asked and not done yet), given its manifest and
 * renamed into place. On any failure the temporary directory is deleted.
 */
function buildIntoCache(spec: LayerBuildSpec, assetHash: string, fill: (pythonDir: string) => void, compiled: boolean):
{ entry: string; leftOut: string[] } {
  prepareCacheDir(spec.cacheDir, spec.constructPath);
  const compiler = spec.compileBytecode && !compiled ? compileInterpreter(spec) : undefined;
  const entry = cacheEntryDir(spec.cacheDir, assetHash);
  const temp = fs.mkdtempSync(path.join(spec.cacheDir, `.building-${assetHash.slice(0, 12)}-`));
  try {
    const pythonDir = path.join(temp, 'python');
    fs.mkdirSync(pythonDir);
    fill(pythonDir);
    const removed = spec.keepRuntimeProvidedPackages ? [] : removeRuntimeProvidedPackages(pythonDir, spec.input.names);
    checkRequiresPython(pythonDir, spec.pythonVersion, spec.constructPath);
    const leftOut = [...new Set([...(spec.input.leftOut ?? []), ...removed])].sort();
    if (!spec.compileBytecode) {
      stripBytecode(pythonDir);
    }
    checkLayerSize(pythonDir, spec.constructPath, spec.input.origin);
    if (compiler) {
      run(spec, compiler, compileArgs(pythonDir), 'compiling the layer\'s bytecode');
    }
    writeManifest(temp, signingOf(spec, assetHash));
    fs.chmodSync(temp, 0o755);
    if (fs.lstatSync(entry, { throwIfNoEntry: false })) {
      fs.rmSync(entry, { recursive: true, force: true }); // a rejected entry (a symlink is removed, not followed)
    }
    try {
      fs.renameSync(temp, entry);
    } catch (e) {
      if (!verifyCacheEntry(entry, signingOf(spec, assetHash)).ok) {
        throw e;
      }
      fs.rmSync(temp, { recursive: true, force: true }); // built concurrently by another process: use theirs
    }
    return { entry, leftOut };
  } catch (e) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw e;
  }
}

/** How entries of this layer are signed and verified, when a signing key is set. */
function signingOf(spec: LayerBuildSpec, assetHash: string): CacheSigning | undefined {
  return spec.signingKey === undefined ? undefined : { key: spec.signingKey, assetHash };
}

function reportBuild(spec: LayerBuildSpec, method: string, started: number, leftOut: string[]): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const left = leftOut.length > 0 ? `; left out (runtime-provided): ${leftOut.join(', ')}` : '';
  process.stderr.write(`cdk-traced-lambda: built layer ${spec.constructPath} (${spec.runtimeName}, ${spec.architecture}, `
    + `${method}) in ${seconds}s${left}\n`);
}

const pipAvailable = new Map<string, boolean>();

/** `local` or `docker`: what AUTO means on this machine (pip is looked for once per interpreter). */
export function resolveMethod(constructPath: string, strategy: BundlingStrategy, pythonExecutable: string, origin: string): 'local' | 'docker' {
  if (strategy !== BundlingStrategy.AUTO) {
    return strategy === BundlingStrategy.DOCKER ? 'docker' : 'local';
  }
  let hasPip = pipAvailable.get(pythonExecutable);
  if (hasPip === undefined) {
    hasPip = spawnSync(pythonExecutable, ['-m', 'pip', '--version'], { env: process.env, stdio: 'ignore' }).status === 0;
    pipAvailable.set(pythonExecutable, hasPip);
  }
  if (hasPip) {
    return 'local';
  }
  const docker = spawnSync(dockerExecutable(), ['version'], { env: process.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (docker.status === 0) {
    return 'docker';
  }
  throw new TracedLambdaError(ErrorId.LAYER_NO_BUILDER, constructPath, `cannot build the dependency layer from ${shown(origin)}: `
    + `neither pip (${shown(pythonExecutable)} -m pip failed) nor Docker (${shown(dockerExecutable())} version: `
    + `${firstLine(docker.error?.message ?? docker.stderr)}) is available. Fix: install Python 3 with pip `
    + '(or set pythonExecutable), or install and start Docker, or point pip at a local wheelhouse with '
    + 'findLinks + noIndex (or -c cdk-traced-lambda:pipFindLinks=<dir> -c cdk-traced-lambda:pipNoIndex=true).');
}

/** The docker binary, as aws-cdk-lib chooses it. */
function dockerExecutable(): string {
  return process.env.CDK_DOCKER ?? 'docker';
}

/** An interpreter of exactly the target minor version: `pythonExecutable`, else `python3.X` on the PATH. */
function compileInterpreter(spec: LayerBuildSpec): string {
  const found: string[] = [];
  for (const candidate of [spec.pythonExecutable, `python${spec.pythonVersion}`]) {
    const r = spawnSync(candidate, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { env: process.env, encoding: 'utf8' });
    const version = r.status === 0 ? r.stdout.trim() : undefined;
    if (version === spec.pythonVersion) {
      return candidate;
    }
    found.push(`${shown(candidate)} ${version ? `is Python ${shown(version)}` : 'was not found'}`);
  }
  throw new TracedLambdaError(ErrorId.LAYER_COMPILE_PYTHON_NOT_FOUND, spec.constructPath, `compileBytecode needs Python ${spec.pythonVersion} to compile bytecode for `
    + `${spec.runtimeName}, but ${found.join(' and ')}. Fix: put python${spec.pythonVersion} on the PATH, set `
    + `pythonExecutable to a Python ${spec.pythonVersion} with pip, use BundlingStrategy.DOCKER, or turn compileBytecode off.`);
}

function runLocalPip(spec: LayerBuildSpec, pythonDir: string): void {
  let requirementsFile = spec.input.file;
  if (requirementsFile === undefined) {
    requirementsFile = path.join(path.dirname(pythonDir), 'requirements.txt');
    fs.writeFileSync(requirementsFile, spec.input.text ?? '');
  }
  const args = pipInstallArgs({
    requirementsFile,
    targetDir: pythonDir,
    pythonVersion: spec.pythonVersion,
    architecture: spec.architecture,
  }, spec.pip, spec.input.flags, transportArgs(process.env));
  try {
    const env = isolatedPipEnvironment(process.env, spec.input.environment);
    const result = spawnSync(spec.pythonExecutable, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
    if (result.error) {
      throw new TracedLambdaError(ErrorId.LAYER_PYTHON_NOT_RUNNABLE, spec.constructPath, `cannot run ${shown(spec.pythonExecutable)} to build `
        + `the dependency layer (${shown(result.error.message)}). Fix: install Python 3 with pip, set pythonExecutable to a Python that has pip, `
        + 'or use BundlingStrategy.DOCKER.');
    }
    if (result.status !== 0) {
      throw new TracedLambdaError(ErrorId.LAYER_PIP_FAILED, spec.constructPath, `pip failed (exit ${result.status}) building the dependency `
        + `layer from ${shown(spec.input.origin)} for ${spec.runtimeName} ${spec.architecture}:\n${pipOutputTail(result.stderr)}\n`
        + pipFailureFix(spec, result.stderr ?? ''));
    }
  } finally {
    if (spec.input.file === undefined) {
      fs.rmSync(requirementsFile, { force: true });
    }
  }
}

function run(spec: LayerBuildSpec, executable: string, args: string[], what: string): void {
  const result = spawnSync(executable, args, { env: process.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  if (result.error || result.status !== 0) {
    throw new TracedLambdaError(ErrorId.LAYER_COMPILE_FAILED, spec.constructPath, `${shown(executable)} failed ${what}:\n`
      + `${pipOutputTail(result.error?.message ?? (result.stderr || result.stdout))}\nFix: check the interpreter (pythonExecutable), or turn compileBytecode off.`);
  }
}

function firstLine(text: string | undefined): string {
  return shownOutput(text ?? '').trim().split(/\r?\n/)[0] || 'no output';
}
