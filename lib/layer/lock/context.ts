import * as fs from 'fs';
import * as path from 'path';
import { LineIndex } from './lines';
import { evaluateMarker, lambdaEnvironment, LockTarget, MarkerEnvironment } from './markers';
import { list, LockSyntaxError, table, where } from './model';
import { parseConstraint, runtimeSatisfies } from './pep440';
import { parseToml, tomlErrorLine } from './toml';
import { ErrorId } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import { formatRequirementName, normalizeName, parseRequirementName, RequirementName } from '../../private/python-names';
import { shown } from '../../private/untrusted-text';

/** What every reader gets: the lock's path and text, the target and the chosen groups and extras. */
export class ReaderContext {
  /** Marker environment for the target with the chosen extras and no groups. */
  public readonly env: MarkerEnvironment;
  /** The lock's base name, as messages show it. */
  public readonly name: string;
  /** Line numbers of the lock's entries, for messages (built in one pass when first needed). */
  public readonly lines: LineIndex;
  /** Markers already evaluated in `env` (locks repeat the same few markers thousands of times). */
  private readonly markerMemo = new Map<string, boolean>();

  constructor(
    /** Absolute path of the lock file. */
    public readonly file: string,
    public readonly text: string,
    public readonly target: LockTarget,
    /** Normalized group names chosen besides the default. */
    public readonly groups: string[],
    /** Normalized extras chosen. */
    public readonly extras: string[],
    /** The construct path errors name first; empty for none. */
    private readonly prefix: string,
  ) {
    this.env = lambdaEnvironment(target, extras);
    this.name = path.basename(file);
    this.lines = new LineIndex(text);
  }

  /** `python3.13 x86_64` */
  public get targetName(): string {
    return `python${this.target.pythonVersion} ${this.target.architecture}`;
  }

  /**
   * Throws a TracedLambdaError with `id` naming the construct (or, without one, the lock file), the lock
   * file and line. `message` says what was wrong and the fix; values from the lock go in through `shown`.
   */
  public fail(id: string, message: string, line?: number): never {
    return lockError(id, this.prefix, where(this.file, line), message);
  }

  /** The line of a TOML lock's package entry `name` (and `version`), for messages. */
  public packageLine(name: string, version?: string): number | undefined {
    return this.lines.tomlPackage(name, version);
  }

  /** Evaluates `marker` (in `env`, default the target's), naming the lock and line when it cannot be read. */
  public marker(marker: string | undefined, line?: number, env: MarkerEnvironment = this.env): boolean {
    if (marker === undefined || marker.trim() === '') {
      return true;
    }
    const memo = env === this.env ? this.markerMemo.get(marker) : undefined;
    if (memo !== undefined) {
      return memo;
    }
    let value: boolean;
    try {
      value = evaluateMarker(marker, env);
    } catch (e) {
      return this.syntaxError(e, 'Fix: correct the marker, or lock again with the tool that wrote this file.', line);
    }
    if (env === this.env) {
      this.markerMemo.set(marker, value);
    }
    return value;
  }

  /** Rethrows a LockSyntaxError of markers.ts / pep440.ts as a TracedLambdaError naming the file and line. */
  public syntaxError(e: unknown, fix: string, line?: number, field?: string): never {
    if (e instanceof LockSyntaxError) {
      return this.fail(e.id, `${field ? `${field} ` : ''}${e.message}. ${fix}`, line);
    }
    throw e;
  }

  /** Throws unless the target Python meets `constraint` (the lock's requires-python). */
  public checkRequiresPython(constraint: string | undefined, field: string, poetry = false, line?: number): void {
    if (constraint === undefined || constraint.trim() === '') {
      return;
    }
    let parsed;
    try {
      parsed = parseConstraint(constraint, poetry);
    } catch (e) {
      return this.syntaxError(e, `Fix: correct ${field}, or lock again with the tool that wrote ${this.name}.`, line, field);
    }
    if (!runtimeSatisfies(this.target.pythonVersion, parsed)) {
      this.fail(ErrorId.LOCK_PYTHON_MISMATCH, `the lock requires Python ${shown(constraint)} (${field}), but the layer is built for `
        + `python${this.target.pythonVersion}. Fix: build the layer for a runtime inside ${shown(constraint)} (runtime prop), or widen `
        + 'the project\'s requires-python and lock again.', line);
    }
  }

  /** Reads and parses a TOML file beside the lock (pyproject.toml, Pipfile), or undefined when absent. */
  public readSiblingToml(baseName: string): { content: string; data: Record<string, unknown> } | undefined {
    const sibling = path.join(path.dirname(this.file), baseName);
    if (!fs.existsSync(sibling) || !fs.statSync(sibling).isFile()) {
      return undefined;
    }
    const content = fs.readFileSync(sibling, 'utf8');
    try {
      return { content, data: parseToml(content) };
    } catch (e) {
      const at = where(sibling, tomlErrorLine(e));
      const message = `not valid TOML, read for the direct dependencies of ${this.name}. `
        + 'Fix: correct the file, or move the lock to a directory without it.';
      return lockError(ErrorId.LOCK_PROJECT_FILE_INVALID, this.prefix, at, message);
    }
  }

  /** Canonical `name[extras]` of PEP 508 requirement strings (`Requests[socks] (>=2) ; python_version < "4"`). */
  public requirementSpecs(requirements: unknown): string[] {
    return list(requirements)
      .map(r => typeof r === 'string' ? parseRequirementName(r) : undefined)
      .filter((r): r is RequirementName => r !== undefined)
      .map(formatRequirementName);
  }

  /** Canonical `name[extras]` of a TOML dependency table (`fake = "*"`, `x = { version = "*", extras = ["a"] }`). */
  public tableSpecs(dependencies: unknown, skip: string[] = []): string[] {
    return Object.entries(table(dependencies) ?? {})
      .filter(([name]) => !skip.includes(name))
      .map(([name, value]) => formatRequirementName({
        name: normalizeName(name),
        extras: list(table(value)?.extras).map(e => normalizeName(String(e))).sort(),
      }));
  }
}

/**
 * Throws a TracedLambdaError with `id`: for the construct `constructPath` with `at` (the file and line) before
 * the message, or, without a construct path, for `at` itself.
 */
export function lockError(id: string, constructPath: string, at: string, message: string): never {
  throw constructPath ? new TracedLambdaError(id, constructPath, `${at}: ${message}`) : new TracedLambdaError(id, at, message);
}
