import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { formatRequirementName, parseRequirementName } from '../../private/python-names';

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
  /** Absolute local directories named by `--find-links`/`-f` lines, in order of appearance. */
  readonly findLinks: string[];
  /** `${VAR}` references (pip expands them) with their values now; unset ones are absent. */
  readonly environment: Record<string, string>;
}

/** Checks that need more than the file itself. */
export interface RequirementsPolicy {
  /** `noIndex` is on: nothing may be fetched from a URL. */
  readonly noIndex: boolean;
  /** Prefix of every error: the construct path. */
  readonly constructPath: string;
}

const INCLUDE = /^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?=[^\s-]))(\S+)/;
const FIND_LINKS = /^(?:-f|--find-links)(?:\s*=\s*|\s+|(?=[^\s-]))(\S+)/;
const ONLY_BINARY = /(?:^|\s)--only-binary(?:\s*=\s*|\s+)(\S+)/;
const VCS = /(?:^|[\s@=])(git|hg|svn|bzr)\+[a-z]+:/i;
const URL = /^[a-z][a-z0-9+.-]*:\/\//i;
const ENV_VAR = /\$\{([A-Z0-9_]+)\}/g;

const WHEELHOUSE_FIX = 'build a wheel for it (pip wheel -w wheels <source>), put it in a wheelhouse and point findLinks at it '
  + '(or a --find-links line in the file), then name the package by name and version';

/**
 * Parses a pip requirements file: names and extras of the requirements it lists (following `-r`
 * includes), the text of every file read (following `-r` and `-c`), whether hashes are used, the
 * local find-links directories and `${VAR}` values it refers to. Throws, naming the file and line,
 * for anything that would override the target platform, fetch from a VCS, or (with `noIndex`)
 * fetch from a URL. Include targets are checked with `stat` before they are opened, so a FIFO or
 * a directory is an error, never a hang.
 */
export function parseRequirements(file: string, policy: RequirementsPolicy = { noIndex: false, constructPath: '' }): ParsedRequirements {
  const root = path.dirname(path.resolve(file));
  const requirements = new Set<string>();
  const sources: RequirementsSource[] = [];
  const findLinks: string[] = [];
  const environment: Record<string, string> = {};
  const seen = new Set<string>();
  let hasHashes = false;
  const prefix = policy.constructPath ? `${policy.constructPath}: ` : '';

  const visit = (current: string, names: boolean, from?: string) => {
    const abs = path.resolve(current);
    if (seen.has(abs)) {
      return;
    }
    seen.add(abs);
    checkRegularFile(abs, prefix, from);
    const content = fs.readFileSync(abs, 'utf8');
    const rel = path.relative(root, abs).split(path.sep).join('/');
    sources.push({ name: rel, content });

    for (const { text: raw, line } of logicalLines(content)) {
      const where = `${abs}, line ${line}`;
      const fail = (what: string, fix: string): never => {
        throw new Error(`${prefix}${what} (${where}: '${raw}'). Fix: ${fix}.`);
      };
      for (const m of raw.matchAll(ENV_VAR)) {
        if (process.env[m[1]] !== undefined) {
          environment[m[1]] = process.env[m[1]]!;
        }
      }
      const text = raw.replace(ENV_VAR, (_, name: string) => process.env[name] ?? '');
      if (/(^|\s)--hash[=\s]/.test(text)) {
        hasHashes = true;
      }
      const include = INCLUDE.exec(text);
      if (include) {
        visit(path.resolve(path.dirname(abs), include[2]), names && (include[1] === '-r' || include[1] === '--requirement'), where);
        continue;
      }
      if (/^(-e|--editable)(\s|=|$)/.test(text) || /^-e\S/.test(text)) {
        fail('editable requirements (-e) are not supported in a layer', WHEELHOUSE_FIX);
      }
      if (/(^|\s)--no-binary(\s|=|$)/.test(text)) {
        fail('--no-binary would build from source for this machine instead of the Lambda platform', 'remove the line; '
          + 'every package needs a binary wheel for the layer\'s platform: ' + WHEELHOUSE_FIX);
      }
      const onlyBinary = ONLY_BINARY.exec(text);
      if (onlyBinary && onlyBinary[1] !== ':all:') {
        fail(`--only-binary ${onlyBinary[1]} would allow source builds for this machine instead of the Lambda platform`,
          'remove the line (the layer is always built with --only-binary=:all:)');
      }
      if (VCS.test(text)) {
        fail('VCS requirements (git+, hg+, svn+, bzr+) run a VCS client and build on this machine', WHEELHOUSE_FIX);
      }
      const findLink = FIND_LINKS.exec(text);
      if (findLink) {
        findLinks.push(...localFindLinks(findLink[1], abs, policy, fail));
        continue;
      }
      if (text.startsWith('-') || !names) {
        continue; // other options (-i, --extra-index-url, --pre, ...) and constraint files name no requirement
      }
      const url = directUrl(text);
      if (url !== undefined) {
        if (/^file:/i.test(url)) {
          fail('a requirement on a local file is not part of the layer\'s hash', WHEELHOUSE_FIX);
        }
        if (policy.noIndex) {
          fail('noIndex is set, but this requirement is fetched from a URL', 'download the wheel into a wheelhouse, '
            + 'point findLinks at it and name the package by name and version, or turn noIndex off');
        }
      }
      const parsed = parseRequirementName(text);
      if (!parsed && url === undefined) {
        fail('a requirement on a local path is not part of the layer\'s hash', WHEELHOUSE_FIX);
      }
      if (parsed && !URL.test(text)) {
        requirements.add(formatRequirementName(parsed));
      }
    }
  };

  visit(file, true);
  return { requirements: [...requirements], sources, hasHashes, findLinks, environment };
}

/** A `--find-links` value from a requirements file as local directories (none for an allowed URL). */
function localFindLinks(value: string, file: string, policy: RequirementsPolicy, fail: (what: string, fix: string) => never): string[] {
  let location = value;
  if (/^file:/i.test(location)) {
    location = fileURLToPath(location);
  } else if (URL.test(location)) {
    if (policy.noIndex) {
      fail('noIndex is set, but this --find-links line names a URL', 'use a local wheelhouse directory, or turn noIndex off');
    }
    return [];
  }
  // pip resolves a relative find-links path against the requirements file's directory when it exists there.
  const besideFile = path.resolve(path.dirname(file), location);
  const dir = fs.existsSync(besideFile) ? besideFile : path.resolve(location);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    fail(`find-links directory not found: '${dir}'`, 'create the wheelhouse there or correct the line');
  }
  return [dir];
}

/** The URL of a direct reference (`name @ url` or a bare URL), if the line is one. */
function directUrl(text: string): string | undefined {
  const at = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*@\s*(\S+)/.exec(text);
  if (at) {
    return at[1];
  }
  return URL.test(text) ? text.split(/\s/)[0] : undefined;
}

/** Throws unless `file` is a regular file (following symlinks); never opens it, so a FIFO cannot block. */
function checkRegularFile(file: string, prefix: string, from: string | undefined): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new Error(`${prefix}requirements file not found: '${file}'${from ? ` (included from ${from})` : ''}. `
      + 'Fix: correct the -r/-c path (relative paths are resolved against the including file\'s directory).');
  }
  if (!stat.isFile()) {
    const kind = stat.isDirectory() ? 'a directory' : stat.isFIFO() ? 'a FIFO (named pipe)' : stat.isSocket() ? 'a socket' : 'not a regular file';
    throw new Error(`${prefix}requirements file '${file}'${from ? ` (included from ${from})` : ''} is ${kind}. `
      + 'Fix: name a regular requirements file.');
  }
}

/** Lines with continuations joined, comments removed, blank lines dropped; each with its first line number. */
function logicalLines(content: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const physical = content.split(/\r?\n/);
  for (let i = 0; i < physical.length; i++) {
    const line = i + 1;
    let text = physical[i];
    while (text.endsWith('\\') && i + 1 < physical.length) {
      text = text.slice(0, -1) + ' ' + physical[++i];
    }
    text = text.replace(/(^|\s)#.*$/, '').trim();
    if (text.length > 0) {
      out.push({ text, line });
    }
  }
  return out;
}
