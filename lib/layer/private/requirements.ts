import * as fs from 'fs';
import * as path from 'path';
import { fileUrlPath, refusedPipOption, RefusedPipOption } from './pip';
import { checkFindLinksLocation } from './props';
import { ErrorId } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import { formatRequirementName, parseRequirementName } from '../../private/python-names';
import { shown } from '../../private/untrusted-text';

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
  /** Absolute local directories (or wheel files) named by `--find-links`/`-f` lines, in order of appearance. */
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

const VCS = /(?:^|[\s@=])(git|hg|svn|bzr)\+[a-z]+:/i;
const URL = /^[a-z][a-z0-9+.-]*:\/\//i;
const ENV_VAR = /\$\{([A-Z0-9_]+)\}/g;
/**
 * What may follow a requirement's name and extras (PEP 508): nothing, a version, markers, a URL, or options (a
 * space-separated token that starts with `-`, as pip's `break_args_options` splits them: `six -C a=b`).
 */
const REQUIREMENT = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\s*(?:\[[^\]]*\])?(?:\s*(?:$|[<>=!~;@(])|\s+-)/;

const WHEELHOUSE_FIX = 'build a wheel for it (pip wheel -w wheels <source>), put it in a wheelhouse and point findLinks at it '
  + '(or a --find-links line in the file), then name the package by name and version';

/**
 * Parses a pip requirements file: names and extras of the requirements it lists (following `-r`
 * includes), the text of every file read (following `-r` and `-c`), whether hashes are used, the
 * local find-links locations and `${VAR}` values it refers to. Throws, naming the file and line,
 * for anything that would override the target platform, fetch from a VCS, or (with `noIndex`)
 * fetch from a URL; for `-r`/`-c` cycles (naming the chain), URL includes, and files that are not
 * UTF-8 text. Include targets are checked with `stat` before they are opened, so a FIFO or a
 * directory is an error, never a hang. A line is quoted in a message only when its file is inside
 * the requirements folder and the line is a requirement or option the parser recognized: nothing
 * of a foreign file (`-r /etc/passwd`) is echoed.
 */
export function parseRequirements(file: string, policy: RequirementsPolicy = { noIndex: false, constructPath: '' }): ParsedRequirements {
  const root = path.dirname(path.resolve(file));
  const requirements = new Set<string>();
  const sources: RequirementsSource[] = [];
  const findLinks: string[] = [];
  const environment: Record<string, string> = {};
  const seen = new Set<string>();
  const chain: string[] = [];
  let hasHashes = false;
  const where = policy.constructPath;

  const visit = (current: string, names: boolean, from?: string) => {
    const abs = path.resolve(current);
    if (chain.includes(abs)) {
      const cycle = [...chain.slice(chain.indexOf(abs)), abs].map(f => displayPath(f, root)).join(' -> ');
      throw new TracedLambdaError(ErrorId.LAYER_REQUIREMENTS_INCLUDE_CYCLE, where, 'the requirements files include each other in a '
        + `cycle: ${cycle}. pip would recurse until it fails. Fix: remove the -r/-c line that closes the cycle (${from}).`);
    }
    if (seen.has(abs)) {
      return; // included twice, not in a cycle: read once
    }
    seen.add(abs);
    checkRegularFile(abs, where, from);
    const content = readText(abs, where, from);
    const inside = isInside(abs, root);
    const rel = path.relative(root, abs).split(path.sep).join('/');
    sources.push({ name: rel, content });
    chain.push(abs);

    for (const { text: raw, line } of logicalLines(content)) {
      const at = `${shown(abs)}, line ${line}`;
      /** Throws naming the file and line; quotes the line only when it is a recognized line of a file in the folder. */
      const fail = (id: string, what: string, fix: string, quote = true): never => {
        const quoted = quote && inside ? `: ${shown(raw)}` : '';
        throw new TracedLambdaError(id, where, `${what} (${at}${quoted}). Fix: ${fix}.`);
      };
      // The values used are part of the layer's key (and go to pip).
      const text = expandVariables(raw, process.env, environment);
      const read = readLine(text);
      if (read.requirement && read.options.some(o => o.name === '--hash')) {
        hasHashes = true; // pip ignores --hash on a line without a requirement
      }
      const refused = refusedOption(read.args);
      if (refused) {
        // the option as written names only a known option (and its value) of a line of a file in the folder
        const written = inside ? ` (${shown(refused.written)})` : '';
        if (refused.kind === 'editable') {
          fail(ErrorId.LAYER_REQUIREMENT_EDITABLE, `an editable requirement (-e, --editable)${written} is not supported in a layer`, WHEELHOUSE_FIX);
        }
        fail(ErrorId.LAYER_REQUIREMENT_PLATFORM_OVERRIDE, `--no-binary, or --only-binary other than :all:,${written} would allow `
          + 'source builds for this machine instead of the Lambda platform', 'remove the line; every package needs a binary wheel for the '
          + `layer's platform (the layer is always built with --only-binary=:all:): ${WHEELHOUSE_FIX}`);
      }
      // pip follows one include per line that is not a requirement: its first -r, else its first -c; the line's
      // other options then have no effect (req_file.RequirementsFileParser._parse_and_recurse).
      const include = read.requirement ? undefined : read.options.find(o => o.name === '--requirement') ?? read.options.find(o => o.name === '--constraint');
      if (include) {
        if (URL.test(include.value!)) {
          fail(ErrorId.LAYER_REQUIREMENTS_URL_INCLUDE, `${include.name} names a URL, which pip would fetch at build time, outside the layer's key`,
            'download the file next to the requirements file and include it by its relative path');
        }
        visit(path.resolve(path.dirname(abs), include.value!), names && include.name === '--requirement', at);
        continue;
      }
      if (VCS.test(text)) {
        fail(ErrorId.LAYER_REQUIREMENT_VCS, 'VCS requirements (git+, hg+, svn+, bzr+) run a VCS client and build on this machine', WHEELHOUSE_FIX);
      }
      // pip takes the first --find-links of a line that is not a requirement (req_file.handle_option_line)
      const findLink = read.requirement ? undefined : read.options.find(o => o.name === '--find-links');
      if (findLink) {
        findLinks.push(...localFindLinks(findLink.value!, abs, policy, at, fail));
        continue;
      }
      if (text.startsWith('-') || !names) {
        continue; // other options (-i, --extra-index-url, --pre, ...) and constraint files name no requirement
      }
      const url = directUrl(text);
      if (url !== undefined) {
        if (/^file:/i.test(url)) {
          fail(ErrorId.LAYER_REQUIREMENT_NOT_A_PACKAGE, 'a requirement on a local file is not part of the layer\'s hash', WHEELHOUSE_FIX);
        }
        if (policy.noIndex) {
          fail(ErrorId.LAYER_NO_INDEX_URL, 'noIndex is set, but this requirement is fetched from a URL', 'download the wheel into a '
            + 'wheelhouse, point findLinks at it and name the package by name and version, or turn noIndex off');
        }
      }
      const parsed = REQUIREMENT.test(text) ? parseRequirementName(text) : undefined;
      if (!parsed && url === undefined) {
        fail(ErrorId.LAYER_REQUIREMENT_NOT_A_PACKAGE, 'this line is not a requirement (a name with an optional version), nor an option '
          + 'pip knows here; a local path is not part of the layer\'s hash either', `name a package and version, or for a local package: ${WHEELHOUSE_FIX}`,
        false);
      }
      if (parsed && !URL.test(text)) {
        requirements.add(formatRequirementName(parsed));
      }
    }
    chain.pop();
  };

  visit(file, true);
  return { requirements: [...requirements], sources, hasHashes, findLinks, environment };
}

/**
 * The first of a line's option arguments (`RequirementsLine.args`) that would build for this machine
 * (`refusedPipOption`), with the option as written (and its value when that is the next argument). pip's parser
 * reads the options of a requirement line too (pip applies `--no-binary` there as well); quotes and backslashes are
 * shell-like (`"--no-binary"`, `-'e'`).
 */
function refusedOption(args: readonly string[]): { kind: RefusedPipOption; written: string } | undefined {
  for (const [i, arg] of args.entries()) {
    const kind = refusedPipOption(arg, args[i + 1]);
    if (kind !== undefined) {
      // its value is the next argument unless attached: `--no-binary=x`, `-e./pkg` (the rest of a short group after e)
      const attached = arg.startsWith('--') ? arg.includes('=') : arg.length > arg.indexOf('e') + 1;
      return { kind, written: attached || args[i + 1] === undefined ? arg : `${arg} ${args[i + 1]}` };
    }
  }
  return undefined;
}

/**
 * pip's requirements-file options, as pip 23.2.1's `req_file.build_parser()` defines them (SUPPORTED_OPTIONS and
 * SUPPORTED_OPTIONS_REQ; read from the machine's pip on 2026-12-03, and a test asks that pip again): the long name,
 * the short name, and whether it takes a value. Every short option here takes one.
 */
const LINE_OPTIONS: readonly (readonly [long: string, short: string | undefined, takesValue: boolean])[] = [
  ['--index-url', '-i', true], ['--pypi-url', undefined, true], ['--extra-index-url', undefined, true], ['--no-index', undefined, false],
  ['--constraint', '-c', true], ['--requirement', '-r', true], ['--editable', '-e', true], ['--find-links', '-f', true],
  ['--no-binary', undefined, true], ['--only-binary', undefined, true], ['--prefer-binary', undefined, false],
  ['--require-hashes', undefined, false], ['--pre', undefined, false], ['--trusted-host', undefined, true],
  ['--use-feature', undefined, true], ['--global-option', undefined, true], ['--hash', undefined, true], ['--config-settings', '-C', true],
];

/** A requirements-file line as pip reads it (`req_file.get_line_parser`). */
export interface RequirementsLine {
  /** Whether pip reads it as a requirement: it has text before its first option (an editable counts too, but is refused). */
  readonly requirement: boolean;
  /** Its options, split as `shlex.split` splits them; empty when shlex fails (pip fails on the line). */
  readonly args: readonly string[];
  /**
   * Its options by long name with their values, in order, as optparse reads them: a long option also by an
   * unambiguous prefix of its name (`--find`, `--cons`), `--name=value` or `--name value`, a short option with its
   * value attached or next (`-fwheels`, `-f wheels`; `-f=wheels` is the value `=wheels`). Reading stops at the first
   * argument optparse fails on (an unknown or ambiguous option, a missing value), where pip fails on the line.
   */
  readonly options: readonly { readonly name: string; readonly value?: string }[];
}

/**
 * Reads `line` as pip does: `req_file.break_args_options` (the options start at the first space-separated token
 * that starts with `-`), then `shlex.split`, then optparse with `LINE_OPTIONS`.
 */
export function readLine(line: string): RequirementsLine {
  const tokens = line.split(' ');
  const first = tokens.findIndex(t => t.startsWith('-'));
  const args = first < 0 ? [] : shlexSplit(tokens.slice(first).join(' ')) ?? [];
  const options: { name: string; value?: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') break; // optparse: the rest are arguments
    if (!arg.startsWith('-') || arg === '-') continue; // an argument between options: optparse sets it aside
    let option: readonly [string, string | undefined, boolean] | undefined;
    let value: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const written = eq < 0 ? arg : arg.slice(0, eq);
      const prefixed = LINE_OPTIONS.filter(o => o[0].startsWith(written));
      option = LINE_OPTIONS.find(o => o[0] === written) ?? (prefixed.length === 1 ? prefixed[0] : undefined);
      if (!option || (eq >= 0 && !option[2])) break;
      value = !option[2] ? undefined : eq >= 0 ? arg.slice(eq + 1) : args[++i];
    } else {
      option = LINE_OPTIONS.find(o => o[1] === arg.slice(0, 2));
      if (!option) break;
      value = arg.length > 2 ? arg.slice(2) : args[++i];
    }
    if (option[2] && value === undefined) break;
    options.push(value === undefined ? { name: option[0] } : { name: option[0], value });
  }
  return { requirement: (first < 0 ? tokens : tokens.slice(0, first)).join(' ') !== '', args, options };
}

/**
 * `text` split as Python's `shlex.split` (POSIX mode, no comments) splits it: on spaces, tabs and line breaks; `'...'`
 * literal; `"..."` where a backslash escapes only `"` and itself; elsewhere a backslash escapes any character. Undefined
 * where shlex raises (an unclosed quote, a final backslash).
 */
export function shlexSplit(text: string): string[] | undefined {
  const out: string[] = [];
  let token: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (' \t\r\n'.includes(c)) {
      if (token !== undefined) {
        out.push(token);
        token = undefined;
      }
    } else if (c === "'" || c === '"') {
      const end = c === "'" ? text.indexOf("'", i + 1) : closingDoubleQuote(text, i + 1);
      if (end < 0) {
        return undefined;
      }
      const inner = text.slice(i + 1, end);
      token = (token ?? '') + (c === "'" ? inner : inner.replace(/\\(["\\])/g, '$1'));
      i = end;
    } else if (c === '\\') {
      if (i + 1 >= text.length) {
        return undefined;
      }
      token = (token ?? '') + text[++i];
    } else {
      token = (token ?? '') + c;
    }
  }
  if (token !== undefined) {
    out.push(token);
  }
  return out;
}

/** The index of the `"` that closes a double-quoted string starting at `from`, skipping `\"` and `\\`; -1 if none. */
function closingDoubleQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      i++;
    } else if (text[i] === '"') {
      return i;
    }
  }
  return -1;
}

/** A `--find-links` value from a requirements file as local locations (none for an allowed URL). */
function localFindLinks(value: string, file: string, policy: RequirementsPolicy, at: string,
  fail: (id: string, what: string, fix: string) => never): string[] {
  let location = value;
  if (/^file:/i.test(location)) {
    const local = fileUrlPath(location);
    if (local === undefined) {
      fail(ErrorId.LAYER_FIND_LINKS_NOT_FOUND, 'this --find-links line names a file: URL that is not a local path', 'write file:///absolute/path (no host), or the path itself');
    }
    location = local;
  } else if (URL.test(location)) {
    if (policy.noIndex) {
      fail(ErrorId.LAYER_NO_INDEX_URL, 'noIndex is set, but this --find-links line names a URL', 'use a local wheelhouse directory, or turn noIndex off');
    }
    return [];
  }
  // pip resolves a relative find-links path against the requirements file's directory when it exists there.
  const besideFile = path.resolve(path.dirname(file), location);
  const resolved = fs.existsSync(besideFile) ? besideFile : path.resolve(location);
  checkFindLinksLocation(policy.constructPath, resolved, 'correct the line', ` (${at})`);
  return [resolved];
}

/**
 * `line` with its `${NAME}` references expanded as pip's `req_file.expand_env_variables` does: to the variable's
 * value when it is set and not empty; a reference to an unset or empty variable stays as it is. Each variable
 * expanded is recorded in `used`, when given.
 */
export function expandVariables(line: string, env: Record<string, string | undefined>, used?: Record<string, string>): string {
  return line.replace(ENV_VAR, (whole: string, name: string) => {
    const value = env[name];
    if (!value) {
      return whole;
    }
    if (used) {
      used[name] = value;
    }
    return value;
  });
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
function checkRegularFile(file: string, where: string, from: string | undefined): void {
  const included = from ? ` (included from ${from})` : '';
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new TracedLambdaError(ErrorId.LAYER_REQUIREMENTS_INCLUDE_NOT_FOUND, where, `requirements file not found: ${shown(file)}${included}. `
      + 'Fix: correct the -r/-c path (relative paths are resolved against the including file\'s directory).');
  }
  if (!stat.isFile()) {
    const kind = stat.isDirectory() ? 'a directory' : stat.isFIFO() ? 'a FIFO (named pipe)' : stat.isSocket() ? 'a socket' : 'not a regular file';
    throw new TracedLambdaError(ErrorId.LAYER_REQUIREMENTS_INCLUDE_NOT_FOUND, where, `requirements file ${shown(file)}${included} is ${kind}. `
      + 'Fix: name a regular requirements file.');
  }
}

/** The file's text, or an error (that shows none of its bytes) when it holds NUL bytes or is not UTF-8. */
function readText(file: string, where: string, from: string | undefined): string {
  const bytes = fs.readFileSync(file);
  let text: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = undefined;
  }
  if (text === undefined || text.includes('\0')) {
    throw new TracedLambdaError(ErrorId.LAYER_REQUIREMENTS_NOT_TEXT, where, `${shown(file)}${from ? ` (included from ${from})` : ''} `
      + `is not a text requirements file (${text === undefined ? 'not valid UTF-8' : 'it holds NUL bytes'}; ${bytes.length} bytes). `
      + 'Fix: name the requirements.txt (UTF-8 text, one requirement per line), not a binary or otherwise encoded file.');
  }
  return text.replace(/^\uFEFF/, '');
}

/** Whether `file` is inside the folder `root` (the main requirements file's folder). */
function isInside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** A file for a cycle's chain: relative to the folder when inside it, else its absolute path. */
function displayPath(file: string, root: string): string {
  return shown(isInside(file, root) ? path.relative(root, file).split(path.sep).join('/') : file);
}

/** The line boundaries of Python's `str.splitlines()`, which pip splits a requirements file with. */
const PYTHON_LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** Python's whitespace (`str.isspace()`, and `\s` of its `re`): not JavaScript's, which also counts U+FEFF. */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** pip's COMMENT_RE, `(^|\s+)#.*$`: a comment starts a line or follows whitespace. */
const COMMENT = new RegExp(`(^|[${PY_SPACE}]+)#.*$`);

/** A line that join_lines never continues: one that starts with a comment (`COMMENT_RE.match`). */
const COMMENT_LINE = new RegExp(`^[${PY_SPACE}]*#`);

const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

/** Python's `str.strip()`. */
function pythonStrip(text: string): string {
  return text.replace(PY_STRIP, '');
}

/**
 * The logical lines of a requirements file as pip reads them (`req_file.preprocess`: `join_lines`, then
 * `ignore_comments`), each with its first line number: a line ending in `\` that is not a comment line is joined
 * to the next with its backslashes stripped from both ends and nothing between them; comments and surrounding
 * whitespace are removed and blank lines dropped. Environment variables are expanded later, per line.
 */
export function logicalLines(content: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const emit = (text: string, line: number) => {
    const stripped = pythonStrip(text.replace(COMMENT, ''));
    if (stripped.length > 0) {
      out.push({ text: stripped, line });
    }
  };
  const physical = content.split(PYTHON_LINE_BREAK);
  if (physical[physical.length - 1] === '') {
    physical.pop(); // splitlines() makes no empty line after a final line break
  }
  let joined: string[] = [];
  let first = 0;
  physical.forEach((text, i) => {
    const comment = COMMENT_LINE.test(text);
    if (!text.endsWith('\\') || comment) {
      const line = comment ? ` ${text}` : text;
      if (joined.length > 0) {
        emit(joined.join('') + line, first);
        joined = [];
      } else {
        emit(line, i + 1);
      }
    } else {
      if (joined.length === 0) {
        first = i + 1;
      }
      joined.push(text.replace(/^\\+|\\+$/g, ''));
    }
  });
  if (joined.length > 0) {
    emit(joined.join(''), first); // a continuation on the last line
  }
  return out;
}
