import { LockSyntaxError } from './model';
import { compareWith } from './pep440';
import { ErrorId } from '../../contract';
import { normalizeName } from '../../private/python-names';
import { shown } from '../../private/untrusted-text';

/**
 * PEP 508 environment markers, evaluated for a Lambda target, with PEP 751's `extras` and `dependency_groups`
 * sets. https://packaging.python.org/en/latest/specifications/dependency-specifiers/#environment-markers
 * and https://packaging.python.org/en/latest/specifications/pylock-toml/ (read 2026-11-27).
 */

/** What a layer is built for. */
export interface LockTarget {
  /** The Lambda runtime's Python version, `3.13`. */
  readonly pythonVersion: string;
  /** The Lambda architecture name: `x86_64` or `arm64`. */
  readonly architecture: string;
  /**
   * The value of `python_full_version` in markers.
   * @default - `${pythonVersion}.0`
   */
  readonly pythonFullVersion?: string;
}

/** Marker variable values: strings, or sets for `extra`, `extras` and `dependency_groups`. */
export type MarkerEnvironment = Record<string, string | ReadonlySet<string>>;

/** The marker environment of the Lambda Python runtime for `target`, with the chosen extras and groups. */
export function lambdaEnvironment(target: LockTarget, extras: string[] = [], groups: string[] = []): MarkerEnvironment {
  const full = target.pythonFullVersion ?? `${target.pythonVersion}.0`;
  const extraSet = new Set(extras.map(normalizeName));
  return {
    python_version: target.pythonVersion,
    python_full_version: full,
    implementation_version: full,
    os_name: 'posix',
    sys_platform: 'linux',
    platform_system: 'Linux',
    platform_machine: target.architecture === 'arm64' ? 'aarch64' : 'x86_64',
    platform_python_implementation: 'CPython',
    implementation_name: 'cpython',
    platform_release: '',
    platform_version: '',
    extra: extraSet,
    extras: extraSet,
    dependency_groups: new Set(groups.map(normalizeName)),
  };
}

/** Legacy (PEP 345) spellings that PEP 508 evaluators still accept. */
const ALIASES: Record<string, string> = {
  'os.name': 'os_name',
  'sys.platform': 'sys_platform',
  'platform.version': 'platform_version',
  'platform.machine': 'platform_machine',
  'platform.python_implementation': 'platform_python_implementation',
  'python_implementation': 'platform_python_implementation',
};

type Token = { kind: 'str' | 'var' | 'op' | '(' | ')' | 'and' | 'or'; value: string };

const BLANK_TO_END = /\s*$/y;
const TOKEN = /\s*(?:(\()|(\))|'([^']*)'|"([^"]*)"|(===|==|!=|<=|>=|~=|<|>|not\s+in\b|in\b)|(and\b)|(or\b)|([A-Za-z_][A-Za-z0-9_.]*))/y;

function tokenize(marker: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let position = 0;
  while (position < marker.length) {
    BLANK_TO_END.lastIndex = position;
    if (BLANK_TO_END.test(marker)) {
      break;
    }
    TOKEN.lastIndex = position;
    const m = TOKEN.exec(marker);
    if (!m) {
      throw new LockSyntaxError(ErrorId.LOCK_MARKER_INVALID, 'environment marker', marker, `at ${shown(marker.slice(position).trim())}`);
    }
    position = TOKEN.lastIndex;
    if (m[1]) tokens.push({ kind: '(', value: '(' });
    else if (m[2]) tokens.push({ kind: ')', value: ')' });
    else if (m[3] !== undefined || m[4] !== undefined) tokens.push({ kind: 'str', value: m[3] ?? m[4] });
    else if (m[5]) tokens.push({ kind: 'op', value: m[5].replace(/\s+/, ' ') });
    else if (m[6]) tokens.push({ kind: 'and', value: 'and' });
    else if (m[7]) tokens.push({ kind: 'or', value: 'or' });
    else tokens.push({ kind: 'var', value: ALIASES[m[8]] ?? m[8] });
  }
  return tokens;
}

/**
 * Evaluates a PEP 508 marker (`python_version < "3.12" and platform_machine == "x86_64"`) in `env`.
 * Throws on a marker it cannot parse or a variable it does not know.
 */
export function evaluateMarker(marker: string, env: MarkerEnvironment): boolean {
  const tokens = tokenize(marker);
  let i = 0;
  const fail = (what: string): never => {
    throw new LockSyntaxError(ErrorId.LOCK_MARKER_INVALID, 'environment marker', marker, what);
  };

  const orExpr = (): boolean => {
    let value = andExpr();
    while (tokens[i]?.kind === 'or') {
      i++;
      const right = andExpr();
      value = value || right;
    }
    return value;
  };
  const andExpr = (): boolean => {
    let value = atom();
    while (tokens[i]?.kind === 'and') {
      i++;
      const right = atom();
      value = value && right;
    }
    return value;
  };
  const atom = (): boolean => {
    if (tokens[i]?.kind === '(') {
      i++;
      const value = orExpr();
      if (tokens[i]?.kind !== ')') {
        fail('missing )');
      }
      i++;
      return value;
    }
    const left = operand();
    const op = tokens[i];
    if (op?.kind !== 'op') {
      fail(`expected a comparison after ${shown(left.text)}`);
    }
    i++;
    const right = operand();
    return compare(left, op.value, right, fail);
  };
  const operand = (): Operand => {
    const t = tokens[i++];
    if (t?.kind === 'str') {
      return { text: t.value, value: t.value };
    }
    if (t?.kind === 'var') {
      if (!(t.value in env)) {
        fail(`unknown variable ${shown(t.value)}`);
      }
      return { text: t.value, value: env[t.value], variable: t.value };
    }
    return fail(t ? `unexpected ${shown(t.value)}` : 'unexpected end');
  };

  const result = orExpr();
  if (i < tokens.length) {
    fail(`unexpected ${shown(tokens[i].value)}`);
  }
  return result;
}

interface Operand {
  readonly text: string;
  readonly value: string | ReadonlySet<string>;
  readonly variable?: string;
}

function compare(left: Operand, op: string, right: Operand, fail: (what: string) => never): boolean {
  // `extra == "x"` (and the PEP 751 sets): membership of the normalized name.
  const set = typeof left.value !== 'string' ? left.value : typeof right.value !== 'string' ? right.value : undefined;
  if (set !== undefined) {
    const other = typeof left.value === 'string' ? left.value : right.value as string;
    const member = set.has(normalizeName(other));
    switch (op) {
      case '==': case 'in': return member;
      case '!=': case 'not in': return !member;
      default: return fail(`'${op}' cannot compare ${shown(left.text)} and ${shown(right.text)}`);
    }
  }
  // Both strings: `extra`, `extras` and `dependency_groups` are always sets (lambdaEnvironment), handled above.
  const l = left.value as string;
  const r = right.value as string;
  if (op === 'in') {
    return r.includes(l);
  }
  if (op === 'not in') {
    return !r.includes(l);
  }
  // PEP 508: PEP 440 comparison where both sides are versions, else Python's string comparison.
  const versioned = compareWith(l, op, r);
  if (versioned !== undefined) {
    return versioned;
  }
  switch (op) {
    case '==': return l === r; // `===` never gets here: compareWith answers it for any two strings
    case '!=': return l !== r;
    case '<': return l < r;
    case '<=': return l <= r;
    case '>': return l > r;
    case '>=': return l >= r;
    default: return fail(`'${op}' needs versions on both sides, got ${shown(left.text)} and ${shown(right.text)}`);
  }
}
