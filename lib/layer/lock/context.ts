import * as fs from 'fs';
import * as path from 'path';
import { evaluateMarker, lambdaEnvironment, LockTarget, MarkerEnvironment } from './markers';
import { list, LockFileError, table, where } from './model';
import { parseConstraint, runtimeSatisfies } from './pep440';
import { parseToml, tomlErrorLine } from './toml';
import { formatRequirementName, normalizeName, parseRequirementName, RequirementName } from '../../private/python-names';

/** What every reader gets: the lock's path and text, the target and the chosen groups and extras. */
export class ReaderContext {
  /** Marker environment for the target with the chosen extras and no groups. */
  public readonly env: MarkerEnvironment;
  /** The lock's base name, as messages show it. */
  public readonly name: string;

  constructor(
    /** Absolute path of the lock file. */
    public readonly file: string,
    public readonly text: string,
    public readonly target: LockTarget,
    /** Normalized group names chosen besides the default. */
    public readonly groups: string[],
    /** Normalized extras chosen. */
    public readonly extras: string[],
    private readonly prefix: string,
  ) {
    this.env = lambdaEnvironment(target, extras);
    this.name = path.basename(file);
  }

  /** `python3.13 x86_64` */
  public get targetName(): string {
    return `python${this.target.pythonVersion} ${this.target.architecture}`;
  }

  /** Throws a LockFileError naming the lock file (and line). */
  public fail(message: string, line?: number): never {
    throw new LockFileError(`${this.prefix}${where(this.file, line)}: ${message}`);
  }

  /** Evaluates `marker` (in `env`, default the target's), naming the lock and line when it cannot be read. */
  public marker(marker: string | undefined, line?: number, env: MarkerEnvironment = this.env): boolean {
    if (marker === undefined || marker.trim() === '') {
      return true;
    }
    try {
      return evaluateMarker(marker, env);
    } catch (e) {
      return this.fail(`${(e as Error).message}. Fix: correct the marker or lock again with the tool that wrote this file.`, line);
    }
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
      return this.fail(`${field} ${(e as Error).message}.`, line);
    }
    if (!runtimeSatisfies(this.target.pythonVersion, parsed)) {
      this.fail(`the lock requires Python '${constraint}' (${field}), but the layer is built for python${this.target.pythonVersion}. `
        + `Fix: build the layer for a runtime inside '${constraint}' (runtime prop), or widen the project's `
        + 'requires-python and lock again.', line);
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
      const line = tomlErrorLine(e) !== undefined ? ` line ${tomlErrorLine(e)}` : '';
      throw new LockFileError(`${this.prefix}${sibling}${line}: not valid TOML (${firstLine(e)}), read for the direct `
        + `dependencies of ${this.name}. Fix: correct the file, or move the lock to a directory without it.`);
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

/** The first line of an error's message. */
export function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n')[0];
}
