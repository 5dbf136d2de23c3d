import { LockTarget } from './markers';

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
   * Prefix of every error message, e.g. the construct path.
   * @default - none
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
  /** The lock file and the project files read beside it: base name and content. */
  readonly sources: { name: string; content: string }[];
  readonly groups: string[];
  readonly extras: string[];
  readonly target: LockTarget;
  readonly keepRuntimeProvidedPackages: boolean;
  readonly runtimeProvidedPackages: string[];
}

/** A lock file that cannot be used, with the file (and line) in its message. */
export class LockFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockFileError';
  }
}

/** `file`, or `file line 12`. */
export function where(file: string, line?: number): string {
  return line === undefined ? file : `${file} line ${line}`;
}

/** The 1-based line of the first match of `pattern` in `text`, or undefined. */
export function lineOf(text: string, pattern: RegExp): number | undefined {
  const m = pattern.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : undefined;
}

/** Escapes `s` for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The line of `name = "<name>"` in a TOML lock (names compared loosely: `-`, `_`, `.` alike). */
export function tomlPackageLine(text: string, name: string, version?: string): number | undefined {
  const loose = name.split(/[-_.]+/).map(escapeRegExp).join('[-_.]+');
  const withVersion = version === undefined ? undefined
    : lineOf(text, new RegExp(`^\\s*name\\s*=\\s*["']${loose}["']\\s*\\r?\\n\\s*version\\s*=\\s*["']${escapeRegExp(version)}["']`, 'im'));
  return withVersion ?? lineOf(text, new RegExp(`^\\s*name\\s*=\\s*["']${loose}["']`, 'im'));
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
