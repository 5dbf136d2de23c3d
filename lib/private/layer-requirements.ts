import * as fs from 'fs';
import * as path from 'path';
import { formatRequirementName, normalizeName, parseRequirementName, requirementsInclude } from './python-names';

export { normalizeName, requirementsInclude };

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

const INCLUDE = /^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?=[^\s-]))(\S+)/;

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
      const parsed = parseRequirementName(line);
      if (!parsed || /^[a-z][a-z0-9+.-]*:\/\//i.test(line)) {
        continue; // a bare URL or path
      }
      requirements.add(formatRequirementName(parsed));
    }
  };

  visit(file, true);
  return { requirements: [...requirements], sources, hasHashes };
}

/** Lines with continuations joined, comments removed, blank lines dropped. */
function logicalLines(content: string): string[] {
  const joined = content.replace(/\\\r?\n/g, ' ');
  return joined.split(/\r?\n/)
    .map(line => line.replace(/(^|\s)#.*$/, '').trim())
    .filter(line => line.length > 0);
}
