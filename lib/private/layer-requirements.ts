import * as fs from 'fs';
import * as path from 'path';

/** One file read while parsing requirements: its path relative to the main file's directory and its content. */
export interface RequirementsSource {
  readonly name: string;
  readonly content: string;
}

/** What a requirements file (and the `-r`/`-c` files it includes) says. */
export interface ParsedRequirements {
  /** PEP 503 normalized names, with sorted normalized extras when present: `aws-lambda-powertools[tracer]`. */
  readonly requirements: string[];
  /** Every file read, for the asset hash. */
  readonly sources: RequirementsSource[];
  /** Whether any requirement carries `--hash=`, which turns on `--require-hashes`. */
  readonly hasHashes: boolean;
}

/** PEP 503 name normalization: runs of `-`, `_` and `.` become one `-`, lower case. */
export function normalizeName(name: string): string {
  return name.trim().replace(/[-_.]+/g, '-').toLowerCase();
}

const INCLUDE = /^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?=[^\s-]))(\S+)/;
const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?/;

/**
 * Parses a pip requirements file: names and extras of the requirements it lists (following
 * `-r` includes), the text of every file read (following `-r` and `-c`) and whether hashes are used.
 */
export function parseRequirements(file: string): ParsedRequirements {
  const root = path.dirname(path.resolve(file));
  const requirements = new Set<string>();
  const sources: RequirementsSource[] = [];
  const seen = new Set<string>();
  let hasHashes = false;

  const visit = (current: string, names: boolean) => {
    const abs = path.resolve(current);
    if (seen.has(abs) || !fs.existsSync(abs)) {
      return; // a missing include is reported by pip itself
    }
    seen.add(abs);
    const content = fs.readFileSync(abs, 'utf8');
    sources.push({ name: path.relative(root, abs).split(path.sep).join('/'), content });

    for (const line of logicalLines(content)) {
      if (/(^|\s)--hash[=\s]/.test(line)) {
        hasHashes = true;
      }
      const include = INCLUDE.exec(line);
      if (include) {
        visit(path.resolve(path.dirname(abs), include[2]), names && (include[1] === '-r' || include[1] === '--requirement'));
        continue;
      }
      if (line.startsWith('-') || !names) {
        continue; // options (-e, -i, --find-links, ...) and constraint files name no requirement
      }
      const match = NAME.exec(line);
      if (!match || /^[a-z][a-z0-9+.-]*:\/\//i.test(line)) {
        continue; // a bare URL or path
      }
      const name = normalizeName(match[1]);
      const extras = (match[2] ?? '').split(',').map(e => e.trim()).filter(e => e).map(normalizeName).sort();
      requirements.add(extras.length > 0 ? `${name}[${extras.join(',')}]` : name);
    }
  };

  visit(file, true);
  return { requirements: [...requirements], sources, hasHashes };
}

/** Whether `requirements` (as produced by `parseRequirements`) names `name`, optionally with `extra`. */
export function requirementsInclude(requirements: string[], name: string, extra?: string): boolean {
  const wantedName = normalizeName(name);
  const wantedExtra = extra === undefined ? undefined : normalizeName(extra);
  return requirements.some(r => {
    const match = /^([^[]+)(?:\[(.*)\])?$/.exec(r);
    if (!match || match[1] !== wantedName) {
      return false;
    }
    return wantedExtra === undefined || (match[2] ?? '').split(',').includes(wantedExtra);
  });
}

/** Lines with continuations joined, comments removed, blank lines dropped. */
function logicalLines(content: string): string[] {
  const joined = content.replace(/\\\r?\n/g, ' ');
  return joined.split(/\r?\n/)
    .map(line => line.replace(/(^|\s)#.*$/, '').trim())
    .filter(line => line.length > 0);
}
