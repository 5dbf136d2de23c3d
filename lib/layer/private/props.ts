import * as fs from 'fs';
import * as path from 'path';
import { BundlingFileAccess } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { resolvePipOptions } from './context';
import { isUrl, refusedPipOption, ResolvedPipOptions } from './pip';
import { ErrorId } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import { shown } from '../../private/untrusted-text';
import { BundlingStrategy } from '../bundling-strategy';
import type { PythonDependencyLayerProps } from '../python-dependency-layer';

/** A layer's props after checking, with defaults and the app's pip context applied. Nothing is read or built yet. */
export interface CheckedLayerProps {
  readonly constructPath: string;
  readonly runtime: lambda.Runtime;
  /** The runtime's Python version, `3.13` for python3.13. */
  readonly pythonVersion: string;
  readonly architecture: lambda.Architecture;
  readonly strategy: BundlingStrategy;
  readonly pip: ResolvedPipOptions;
  readonly pythonExecutable: string;
  readonly keepRuntimeProvidedPackages: boolean;
  readonly compileBytecode: boolean;
  /** Absolute path. */
  readonly cacheDir: string;
  readonly bundlingFileAccess?: BundlingFileAccess;
}

/** Checks every prop that needs no file read (besides find-links locations) and applies the defaults. */
export function checkLayerProps(scope: Construct, id: string, props: PythonDependencyLayerProps): CheckedLayerProps {
  const constructPath = [scope.node.path, id].filter(p => p).join('/');
  const runtime = props.runtime ?? lambda.Runtime.PYTHON_3_13;
  const architecture = props.architecture ?? lambda.Architecture.X86_64;

  const pythonVersion = /^python(\d+\.\d+)$/.exec(runtime.name)?.[1];
  if (runtime.family !== lambda.RuntimeFamily.PYTHON || pythonVersion === undefined) {
    throw new TracedLambdaError(ErrorId.LAYER_RUNTIME_NOT_PYTHON, constructPath, `runtime must be a Python runtime, got ${shown(runtime.name)}. `
      + 'Fix: pass a Python runtime such as lambda.Runtime.PYTHON_3_13, or omit runtime.');
  }
  if (architecture.name !== lambda.Architecture.X86_64.name && architecture.name !== lambda.Architecture.ARM_64.name) {
    throw new TracedLambdaError(ErrorId.LAYER_ARCHITECTURE_UNSUPPORTED, constructPath, `architecture must be x86_64 or arm64, got ${shown(architecture.name)}. `
      + 'Fix: pass lambda.Architecture.X86_64 or lambda.Architecture.ARM_64.');
  }
  const strategy = checkBundlingStrategy(constructPath, props.bundlingStrategy);
  const pip = resolvePipOptions(scope, props, constructPath);
  checkPipExtraArgs(constructPath, pip.extraArgs);
  for (const location of pip.findLinks) {
    if (isUrl(location) && pip.noIndex) {
      throw new TracedLambdaError(ErrorId.LAYER_NO_INDEX_URL, constructPath, `noIndex is set, but find-links names a URL: ${shown(location)}. `
        + 'Fix: use a local wheelhouse directory in findLinks (or cdk-traced-lambda:pipFindLinks), or turn noIndex off.');
    }
    if (!isUrl(location)) {
      checkFindLinksLocation(constructPath, location, 'correct findLinks / the cdk-traced-lambda:pipFindLinks context value');
    }
  }
  return {
    constructPath,
    runtime,
    pythonVersion,
    architecture,
    strategy,
    pip,
    pythonExecutable: props.pythonExecutable ?? 'python3',
    keepRuntimeProvidedPackages: props.keepRuntimeProvidedPackages ?? false,
    compileBytecode: props.compileBytecode ?? false,
    cacheDir: path.resolve(props.cacheDir ?? process.env.CDK_TRACED_LAMBDA_CACHE_DIR ?? path.join('.cdk-cache', 'cdk-traced-lambda')),
    bundlingFileAccess: props.bundlingFileAccess,
  };
}

/**
 * A local find-links location as pip takes it: a directory (pip lists the wheels in it), or a wheel file (pip
 * takes the file itself as a candidate). Anything else is an error: a missing path, or another kind of file (pip
 * would parse an HTML file for links to fetch, outside the layer's key).
 */
export function checkFindLinksLocation(constructPath: string, location: string, fix: string, where = ''): void {
  const stat = fs.statSync(location, { throwIfNoEntry: false });
  if (stat?.isDirectory() || (stat?.isFile() && location.endsWith('.whl'))) {
    return;
  }
  const what = stat === undefined ? 'find-links directory not found' : 'find-links names a file that is not a wheel (.whl)';
  throw new TracedLambdaError(ErrorId.LAYER_FIND_LINKS_NOT_FOUND, constructPath, `${what}: ${shown(location)}${where}. `
    + `Fix: point find-links at a wheelhouse directory (e.g. made with pip download -d <dir> -r requirements.txt) or at a wheel file, or ${fix}.`);
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
    const value = typeof strategy === 'string' ? `${shown(strategy)}` : shown(safeJson(strategy));
    throw new TracedLambdaError(ErrorId.LAYER_BUNDLING_STRATEGY_INVALID, constructPath,
      `bundlingStrategy must be one of ${allowed.map(v => `'${v}'`).join(', ')}, got ${value}. `
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

/**
 * pipExtraArgs may not undo the platform flags, nor turn pip's isolation off, in any spelling pip's parser reads
 * (`refusedPipOption`: `--no-bin`, `-qe./pkg`).
 */
function checkPipExtraArgs(constructPath: string, args: string[]): void {
  args.forEach((arg, i) => {
    if (refusedPipOption(arg, args[i + 1]) !== undefined) {
      throw new TracedLambdaError(ErrorId.LAYER_PIP_ARG_REFUSED, constructPath, `pipExtraArgs may not contain ${shown(arg)}: it would build `
        + 'packages for this machine instead of the Lambda platform. Fix: remove it; provide binary wheels for the layer\'s platform with findLinks.');
    }
  });
}
