import * as fs from 'fs';
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import { RequirementsInput } from './hash';
import { CheckedLayerProps } from './props';
import { parseRequirements } from './requirements';
import { signingKey } from './signature';
import { ErrorId } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import { shown } from '../../private/untrusted-text';
import { readLockFileCached } from '../lock';
import type { PythonDependencyLayerProps } from '../python-dependency-layer';

/** What the layer installs, read from its requirements file or its lock file. */
export interface LayerInput {
  readonly input: RequirementsInput;
  /** The canonical `name[extras]` of the direct requirements, for `hasRequirement`. */
  readonly requirements: string[];
}

/** Reads the layer's one input file: a requirements.txt (`requirementsFile`) or a lock file (`lockFile`). */
export function readLayerInput(checked: CheckedLayerProps, props: PythonDependencyLayerProps): LayerInput {
  return props.lockFile !== undefined ? lockInput(checked, props) : requirementsInput(checked, props);
}

/** Exactly one of requirementsFile and lockFile, a literal path to an existing regular file. */
function checkInputFile(constructPath: string, props: PythonDependencyLayerProps): string {
  const given = [props.requirementsFile, props.lockFile].filter(f => f !== undefined);
  if (given.length !== 1) {
    throw new TracedLambdaError(ErrorId.LAYER_INPUT_FILE_CHOICE, constructPath, 'pass exactly one of requirementsFile and lockFile, got '
      + `${given.length === 0 ? 'neither' : `both (${shown(props.requirementsFile!)} and ${shown(props.lockFile!)})`}. `
      + 'Fix: requirementsFile: \'requirements.txt\' for a pip requirements file, or lockFile: \'uv.lock\' '
      + '(or poetry.lock, Pipfile.lock, pylock.toml) for a lock file.');
  }
  const prop = props.lockFile !== undefined ? 'lockFile' : 'requirementsFile';
  const file = given[0]!;
  if (Token.isUnresolved(file)) {
    throw new TracedLambdaError(ErrorId.LAYER_INPUT_FILE_TOKEN, constructPath, `${prop} must be a literal path, got a token. `
      + 'Fix: pass the file\'s path as a string.');
  }
  if (prop === 'requirementsFile' && (props.lockGroups !== undefined || props.lockExtras !== undefined)) {
    throw new TracedLambdaError(ErrorId.LAYER_LOCK_OPTIONS_WITHOUT_LOCK, constructPath, 'lockGroups and lockExtras only apply to a lockFile, '
      + `but requirementsFile ${shown(file)} was given. Fix: remove lockGroups/lockExtras, or build the layer from the lock file with lockFile.`);
  }
  const resolved = path.resolve(file);
  const stat = fs.statSync(resolved, { throwIfNoEntry: false });
  if (!stat || !stat.isFile()) {
    throw new TracedLambdaError(ErrorId.LAYER_INPUT_FILE_NOT_FOUND, constructPath, `${prop} not found: ${shown(file)} `
      + `(resolved to ${shown(resolved)}${stat ? ', which is not a regular file' : ''}). Fix: pass as ${prop} the path of an existing `
      + 'file, relative to the current working directory or absolute.');
  }
  return resolved;
}

/** A requirements.txt: pip reads the file; names, sources and `${VAR}` values come from parsing it. */
function requirementsInput(checked: CheckedLayerProps, props: PythonDependencyLayerProps): LayerInput {
  const { constructPath } = checked;
  const requirementsFile = checkInputFile(constructPath, props);
  const parsed = parseRequirements(requirementsFile, { noIndex: checked.pip.noIndex, constructPath });
  if (parsed.requirements.length === 0) {
    throw new TracedLambdaError(ErrorId.LAYER_NO_PACKAGES, constructPath, `the requirements file ${shown(props.requirementsFile!)} names no `
      + 'package (it is empty, or holds only comments and options), so the layer would be empty. Fix: list the packages the functions '
      + 'need, one per line (e.g. aws-xray-sdk==2.15.0), or remove the layer.');
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
 * bytes, project file and options) is not parsed again: the read is remembered in the cache directory, signed
 * with the cache's signing key when the environment gives one.
 */
function lockInput(checked: CheckedLayerProps, props: PythonDependencyLayerProps): LayerInput {
  const { constructPath, runtime, pythonVersion, architecture } = checked;
  const lockFile = checkInputFile(constructPath, props);
  const lock = readLockFileCached(lockFile, { pythonVersion, architecture: architecture.name as 'x86_64' | 'arm64' }, {
    groups: props.lockGroups,
    extras: props.lockExtras,
    keepRuntimeProvidedPackages: checked.keepRuntimeProvidedPackages,
    errorPrefix: constructPath,
  }, { dir: checked.cacheDir, signingKey: signingKey() });
  if (lock.packages.length === 0) {
    throw new TracedLambdaError(ErrorId.LAYER_NO_PACKAGES, constructPath, `the lock file ${shown(props.lockFile!)} selects no package to `
      + `install for ${runtime.name} on ${architecture.name} (left out as runtime-provided: ${lock.runtimeProvidedLeftOut.join(', ') || 'none'}), `
      + 'so the layer would be empty. Fix: add the dependencies the functions '
      + 'need to the project and lock again, choose lockGroups/lockExtras, or remove the layer.');
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
