import * as fs from 'fs';
import * as path from 'path';
import { Annotations, AssetHashType, AssetStaging, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { bundlingOptions, finishDockerBuild, LayerBundler, resolveMethod } from './build';
import { cacheEntryDir } from './cache';
import { layerAssetHash, LayerBuildSpec } from './hash';
import { LayerInput } from './inputs';
import { samBuildImage } from './pip';
import { CheckedLayerProps } from './props';
import { signingKey } from './signature';
import { AnnotationId, ErrorId } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import { shown, shownOutput } from '../../private/untrusted-text';
import { BundlingStrategy } from '../bundling-strategy';

/**
 * A layer's bundling: the key (asset hash), the method, and the asset code whose bundling aws-cdk-lib runs
 * (local pip through `LayerBundler`, or Docker). `prepare` runs before the layer's `super()` and builds nothing.
 */
export class LayerBundling {
  /** Computes the build spec and its key, and the asset code for them. */
  public static prepare(scope: Construct, checked: CheckedLayerProps, layerInput: LayerInput): LayerBundling {
    const base: BaseSpec = {
      constructPath: checked.constructPath,
      input: layerInput.input,
      runtimeName: checked.runtime.name,
      pythonVersion: checked.pythonVersion,
      architecture: checked.architecture.name,
      dockerPlatform: checked.architecture.dockerPlatform,
      pythonExecutable: checked.pythonExecutable,
      pip: checked.pip,
      keepRuntimeProvidedPackages: checked.keepRuntimeProvidedPackages,
      compileBytecode: checked.compileBytecode,
      cacheDir: checked.cacheDir,
      signingKey: signingKey(),
    };
    const { spec, assetHash } = chooseBuild(base, checked.strategy, Stack.of(scope).bundlingRequired);
    return new LayerBundling(spec, assetHash, checked);
  }

  /** The asset code of the layer. */
  public readonly code: lambda.Code;
  private readonly bundler: LayerBundler;

  private constructor(public readonly spec: LayerBuildSpec, public readonly assetHash: string, checked: CheckedLayerProps) {
    this.bundler = new LayerBundler(spec, assetHash);
    this.code = lambda.Code.fromAsset(path.dirname(spec.input.origin), {
      assetHash,
      assetHashType: AssetHashType.CUSTOM,
      bundling: bundlingOptions(spec, this.bundler, checked.bundlingFileAccess),
    });
  }

  /**
   * The error to throw when binding the code (which bundles it) failed. aws-cdk-lib keeps the failed bundle's
   * output folder (`cdk.out/asset.<hash>-building`) for diagnosis; a local build writes nothing there before it
   * succeeds, and Docker's output is printed above: it is removed, so nothing half-built is left behind. Our own
   * error names the layer first, without aws-cdk-lib's "bundle output is located at" that would point at it.
   */
  public failed(e: unknown): unknown {
    if (this.bundler.outputDir) {
      fs.rmSync(this.bundler.outputDir, { recursive: true, force: true });
    }
    return this.bundler.dockerStartedAt === undefined ? this.bundler.failure ?? e : dockerFailed(this.spec, e, this.bundler.outputDir);
  }

  /**
   * After the layer bound its code: warns about rejected cache entries, and finishes a Docker build (post-process,
   * cache, manifest) in the folder aws-cdk-lib staged it in: the `AssetStaging` of this layer's code, found by
   * type (its construct id is aws-cdk-lib's business).
   */
  public finish(layer: Construct): void {
    for (const rejected of this.bundler.rejected) {
      Annotations.of(layer).addWarningV2(AnnotationId.LAYER_CACHE_ENTRY_REJECTED,
        `The cached layer ${rejected}; it was not used and the layer was rebuilt. `
        + 'If nobody changed the cache on purpose, check who can write to it (e.g. a shared CI cache), and sign its entries '
        + '(CDK_TRACED_LAMBDA_CACHE_KEY).');
    }
    if (this.bundler.dockerStartedAt !== undefined) {
      const staging = layer.node.findAll().find((c): c is AssetStaging => c instanceof AssetStaging);
      if (!staging) {
        throw new TracedLambdaError(ErrorId.LAYER_DOCKER_FAILED, this.spec.constructPath, 'Docker ran, but the layer has no staged asset '
          + 'to finish. Fix: report this as a bug of cdk-traced-lambda, naming the aws-cdk-lib version.');
      }
      finishDockerBuild(this.spec, this.assetHash, staging.absoluteStagedPath, this.bundler.dockerStartedAt);
    }
  }
}

/** A layer's build spec before `chooseBuild` chose its method. */
type BaseSpec = Omit<LayerBuildSpec, 'method'>;

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
function chooseBuild(base: BaseSpec, strategy: BundlingStrategy, bundlingRequired: boolean): ChosenBuild {
  const withMethod = (method: LayerBuildSpec['method']): ChosenBuild => {
    const spec: LayerBuildSpec = { ...base, method };
    return { spec, assetHash: layerAssetHash(spec) };
  };
  if (strategy !== BundlingStrategy.AUTO) {
    return withMethod(resolveMethod(base.constructPath, strategy, base.pythonExecutable, base.input.origin));
  }
  if (!bundlingRequired) {
    return withMethod('auto');
  }
  const local = withMethod('local');
  if (fs.existsSync(cacheEntryDir(base.cacheDir, local.assetHash))
    || resolveMethod(base.constructPath, strategy, base.pythonExecutable, base.input.origin) === 'local') {
    return local;
  }
  return withMethod('docker');
}

/**
 * aws-cdk-lib's docker error, with what was being built and how to fix it; without aws-cdk-lib's ", bundle output is
 * located at <outputDir>", a folder `failed` has removed.
 */
function dockerFailed(spec: LayerBuildSpec, e: unknown, outputDir: string | undefined): Error {
  const message = String((e as Error)?.message ?? e);
  const withoutRemoved = outputDir === undefined ? message : message.split(`, bundle output is located at ${outputDir}`).join('');
  return new TracedLambdaError(ErrorId.LAYER_DOCKER_FAILED, spec.constructPath, 'docker failed building the dependency layer from '
    + `${shown(spec.input.origin)} in ${samBuildImage(spec.runtimeName, spec.architecture)} (docker's own output is above): `
    + `${shownOutput(withoutRemoved)}\nFix: install and start Docker (or set CDK_DOCKER to a working `
    + 'docker-compatible binary), or use BundlingStrategy.LOCAL / AUTO with Python 3 and pip.');
}
