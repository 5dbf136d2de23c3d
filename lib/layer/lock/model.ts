import { LockTarget } from './markers';
import { shown } from '../../private/untrusted-text';

/** The lock-file formats this module reads. */
export type LockFormat = 'uv' | 'poetry' | 'pipfile' | 'pylock';

/** What to install from a lock besides its default (main) dependencies. */
export interface ReadLockOptions {
  /**
   * Named dependency groups to add: uv `[dependency-groups]`, Poetry groups, Pipfile categories
   * (`develop` or `dev` for `[dev-packages]`), pylock.toml `dependency-groups`.
   * @default - none: only the default/main dependencies
   */
  readonly groups?: string[];
  /**
   * Extras of the project to add (uv and pylock.toml `[project.optional-dependencies]`, Poetry `[extras]`).
   * @default - none
   */
  readonly extras?: string[];
  /**
   * Pin the runtime-provided packages (boto3, botocore, ...) the lock has even when the project does not
   * name them directly.
   * @default false
   */
  readonly keepRuntimeProvidedPackages?: boolean;
  /**
   * The packages the Lambda Python runtime provides (PEP 503 names).
   * @default - RUNTIME_PROVIDED_PACKAGES of the layer's post-processing
   */
  readonly runtimeProvidedPackages?: string[];
  /**
   * The construct path errors are reported for (TracedLambdaError's path); the lock file and line follow it.
   * @default - none: errors are reported for the lock file itself
   */
  readonly errorPrefix?: string;
}

/** One file of a locked package and its hash (`sha256:<hex>`). */
export interface LockedFile {
  /** File name, when the lock records it (Pipfile.lock does not). */
  readonly name?: string;
  readonly hash: string;
}

/** A package the lock would install for the target, as a reader found it. */
export interface LockedPackage {
  /** PEP 503 normalized name. */
  readonly name: string;
  readonly version?: string;
  readonly files: LockedFile[];
  /** Whether `files` names each file, so wheels can be told from sdists and checked against the target. */
  readonly fileNamesKnown: boolean;
  /** Normalized names of what it depends on; undefined when the lock does not record it. */
  readonly dependencies?: string[];
  /** The index URL the lock got it from, if recorded. */
  readonly index?: string;
  /** Line of its entry in the lock file, for messages. */
  readonly line?: number;
}

/** A package left out because a marker excludes the target (or its group/extra is not chosen). */
export interface SkippedPackage {
  readonly name: string;
  readonly version?: string;
  /** Why: the marker that is false for the target, e.g. `platform_machine == "x86_64"`. */
  readonly reason: string;
}

/** What one reader returns before the common checks. */
export interface LockSelection {
  readonly packages: LockedPackage[];
  readonly skipped: SkippedPackage[];
  /** What the project names directly, canonical `name[extras]`; undefined when nothing beside the lock says. */
  readonly directRequirements?: string[];
  /** Files read besides the lock (pyproject.toml, Pipfile), for the asset hash. */
  readonly manifests: { name: string; content: string }[];
}

/** A package to install, pinned with its hashes. */
export interface PinnedPackage {
  readonly name: string;
  readonly version: string;
  /** `sha256:<hex>` of every wheel the lock lists (every file, for Pipfile.lock, which does not name them). */
  readonly hashes: string[];
  readonly index?: string;
}

/** Everything a layer build needs from a lock file. */
export interface LockReadResult {
  readonly format: LockFormat;
  /** Absolute path of the lock file. */
  readonly file: string;
  /** The packages to install, sorted by name. */
  readonly packages: PinnedPackage[];
  /** The content of the requirements file to give pip with `--require-hashes --no-deps`. */
  readonly requirementsText: string;
  /** Normalized names the project names directly (empty when no project file says). */
  readonly directDependencies: string[];
  /**
   * The same with their extras, canonical `name[extra1,extra2]` as `PythonDependencyLayer.requirements` holds them
   * (`aws-lambda-powertools[tracer]`).
   */
  readonly directRequirements: string[];
  /** Packages markers (or unchosen groups/extras) leave out, for the build report. */
  readonly skipped: SkippedPackage[];
  /** Runtime-provided packages left out because the project does not name them (nor a kept one need them). */
  readonly runtimeProvidedLeftOut: string[];
  /**
   * Index URLs the lock records (other than PyPI's). Informational: pip is never pointed at them; with
   * `noIndex`/`findLinks` they are ignored, otherwise `indexUrl`/`extraIndexUrls` decide where pip looks.
   */
  readonly lockIndexUrls: string[];
  /** Everything that decides `requirementsText` and `packages`: put it into the layer's asset hash. */
  readonly hashInputs: LockHashInputs;
}

/** The inputs of a lock read, for the asset hash. */
export interface LockHashInputs {
  /** Bumped when the reading logic changes what a lock yields. */
  readonly readerVersion: string;
  readonly format: LockFormat;
  /** The lock file and the project files read beside it: base name and sha256 (hex) of the content. */
  readonly sources: { name: string; sha256: string }[];
  readonly groups: string[];
  readonly extras: string[];
  readonly target: LockTarget;
  readonly keepRuntimeProvidedPackages: boolean;
  readonly runtimeProvidedPackages: string[];
}

/**
 * A marker or version specifier this module cannot read. Thrown by markers.ts and pep440.ts, which know
 * neither the file nor the construct; ReaderContext turns it into a TracedLambdaError with `id`, the file and line.
 */
export class LockSyntaxError extends Error {
  constructor(
    /** The `ErrorId` the reader reports it with. */
    public readonly id: string,
    /** What could not be read, e.g. `environment marker`. */
    public readonly what: string,
    /** The whole marker or specifier (untrusted: messages show it through `shown`). */
    public readonly value: string,
    /** What is wrong, naming parts of `value` only through `shown`. */
    public readonly problem: string,
  ) {
    super(`${what} ${shown(value)} cannot be read: ${problem}`);
    this.name = 'LockSyntaxError';
    Object.setPrototypeOf(this, LockSyntaxError.prototype);
  }
}

/** `file`, or `file line 12`. */
export function where(file: string, line?: number): string {
  return line === undefined ? shown(file) : `${shown(file)} line ${line}`;
}

/** A string value from untrusted parsed data, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A table (plain object) from untrusted parsed data, or undefined. */
export function table(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

/** An array from untrusted parsed data, or an empty one. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
