/**
 * PEP 440 versions and version specifiers, as much as lock files need: comparing versions (for environment
 * markers) and matching `requires-python` (PEP 440 specifiers, and Poetry's `^`/`~`/`||` syntax).
 * https://packaging.python.org/en/latest/specifications/version-specifiers/ (read 2026-11-27)
 */
import { LockSyntaxError } from './model';
import { ErrorId } from '../../contract';
import { shown } from '../../private/untrusted-text';

/** A parsed PEP 440 version. */
export interface Version {
  readonly epoch: number;
  /** Release segments, trailing zeros kept as written. */
  readonly release: number[];
  /** `['a' | 'b' | 'rc', n]` */
  readonly pre?: [string, number];
  readonly post?: number;
  readonly dev?: number;
  readonly local?: string;
}

const VERSION = new RegExp('^\\s*v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)'
  + '(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\\d+)?)?'
  + '(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d+)?)?'
  + '(?:[-_.]?(dev)[-_.]?(\\d+)?)?'
  + '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$', 'i');

/** Parses a PEP 440 version, or returns undefined when `text` is not one. */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text);
  if (!m) {
    return undefined;
  }
  const preLabel = m[3]?.toLowerCase();
  const pre: [string, number] | undefined = preLabel === undefined ? undefined
    : [{ alpha: 'a', beta: 'b', c: 'rc', pre: 'rc', preview: 'rc' }[preLabel] ?? preLabel, Number(m[4] ?? 0)];
  const post = m[5] !== undefined ? Number(m[5]) : m[6] !== undefined ? Number(m[7] ?? 0) : undefined;
  return {
    epoch: Number(m[1] ?? 0),
    release: m[2].split('.').map(Number),
    pre,
    post,
    dev: m[8] !== undefined ? Number(m[9] ?? 0) : undefined,
    local: m[10]?.toLowerCase(),
  };
}

/** Negative, zero or positive as `a` sorts before, equal to or after `b` (PEP 440 ordering). */
export function compareVersions(a: Version, b: Version): number {
  if (a.epoch !== b.epoch) {
    return a.epoch - b.epoch;
  }
  const length = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < length; i++) {
    const d = (a.release[i] ?? 0) - (b.release[i] ?? 0);
    if (d !== 0) {
      return d;
    }
  }
  // A dev release of a final version sorts before its pre-releases; no pre-release sorts after them all.
  const preKey = (v: Version): [number, number] => {
    if (v.pre) {
      return [['a', 'b', 'rc'].indexOf(v.pre[0]), v.pre[1]];
    }
    return v.post === undefined && v.dev !== undefined ? [-1, 0] : [3, 0];
  };
  const d = compareTuples(preKey(a), preKey(b))
    || (a.post ?? -1) - (b.post ?? -1)
    || (a.dev ?? Infinity) - (b.dev ?? Infinity);
  if (d !== 0 && !Number.isNaN(d)) {
    return d;
  }
  return (a.local ?? '').localeCompare(b.local ?? '');
}

function compareTuples(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return a[i] - b[i];
    }
  }
  return 0;
}

/** One PEP 440 clause: `>=3.9`, `==3.12.*`, `~=3.10`. */
interface Clause {
  readonly op: string;
  readonly version: string;
}

const CLAUSE = /^\s*(===|==|!=|<=|>=|~=|<|>)\s*([^\s,;]+)\s*$/;

/** Whether `version` satisfies one PEP 440 comparison (`op` one of `==`, `!=`, `<=`, `>=`, `<`, `>`, `~=`, `===`). */
export function compareWith(version: string, op: string, spec: string): boolean | undefined {
  if (op === '===') {
    return version.trim().toLowerCase() === spec.trim().toLowerCase();
  }
  const v = parseVersion(version);
  const wildcard = spec.endsWith('.*');
  const s = parseVersion(wildcard ? spec.slice(0, -2) : spec);
  if (!v || !s || (wildcard && op !== '==' && op !== '!=')) {
    return undefined;
  }
  switch (op) {
    case '==':
    case '!=': {
      const equal = wildcard ? prefixMatches(v, s) : compareVersions(s.local ? v : { ...v, local: undefined }, s) === 0;
      return op === '==' ? equal : !equal;
    }
    case '<=': return compareVersions(v, s) <= 0;
    case '>=': return compareVersions(v, s) >= 0;
    // `<V` leaves out pre- and dev releases of V itself, `>V` its post and local releases (unless V is one).
    case '<': return compareVersions(v, s) < 0 && !(!isPreRelease(s) && isPreRelease(v) && sameRelease(v, s));
    case '>': return compareVersions(v, s) > 0 && !(s.post === undefined && v.post !== undefined && sameRelease(v, s))
      && !(v.local !== undefined && compareVersions({ ...v, local: undefined }, s) === 0);
    case '~=': {
      if (s.release.length < 2) {
        return undefined;
      }
      return compareVersions(v, s) >= 0 && prefixMatches(v, { epoch: s.epoch, release: s.release.slice(0, -1) });
    }
    default: return undefined;
  }
}

function prefixMatches(v: Version, prefix: Version): boolean {
  return v.epoch === prefix.epoch && prefix.release.every((n, i) => (v.release[i] ?? 0) === n);
}

/** Pre-releases include developmental releases (PEP 440: "Pre-releases of any kind, including developmental releases"). */
function isPreRelease(v: Version): boolean {
  return v.pre !== undefined || v.dev !== undefined;
}

/** Whether `a` and `b` have the same epoch and release segments (PEP 440's base version). */
function sameRelease(a: Version, b: Version): boolean {
  if (a.epoch !== b.epoch) {
    return false;
  }
  const length = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < length; i++) {
    if ((a.release[i] ?? 0) !== (b.release[i] ?? 0)) {
      return false;
    }
  }
  return true;
}

/**
 * A version constraint as alternatives of conjunctions: PEP 440 (`>=3.9,<4`, `~=3.10`, `==3.12.*`, `!=3.9.1`)
 * and, with `poetry`, Poetry's own syntax too (`^3.11`, `~3.11`, `3.11.*`, `*`, `>=3.9 <4`, `>=3.9 || ^3.12`).
 * Throws on text it cannot read.
 */
export function parseConstraint(text: string, poetry = false): Clause[][] {
  const alternatives = poetry ? text.split(/\s*\|\|?\s*/) : [text];
  return alternatives.map(alternative => {
    const parts = poetry
      ? alternative.replace(/(===|==|!=|<=|>=|~=|<|>|\^|~)\s+/g, '$1').trim().split(/\s*,\s*|\s+/).filter(p => p)
      : alternative.split(',').map(p => p.trim()).filter(p => p);
    return parts.flatMap(part => poetry ? poetryClauses(part) : [pep440Clause(part, text)]);
  });
}

function pep440Clause(part: string, whole: string): Clause {
  const m = CLAUSE.exec(part);
  if (!m || !parseVersion(m[2].replace(/\.\*$/, ''))) {
    throw new LockSyntaxError(ErrorId.LOCK_SPECIFIER_INVALID, 'version specifier', whole, `${shown(part)} is not PEP 440`);
  }
  return { op: m[1], version: m[2] };
}

/** Poetry's constraint syntax: https://python-poetry.org/docs/dependency-specification/ (read 2026-11-27). */
function poetryClauses(part: string): Clause[] {
  if (part === '*') {
    return [];
  }
  const caret = /^\^\s*(\d+(?:\.\d+)*)$/.exec(part);
  if (caret) {
    const r = caret[1].split('.').map(Number);
    const firstNonZero = r.findIndex(n => n !== 0);
    const bump = firstNonZero === -1 ? Math.min(r.length, 2) - 1 : firstNonZero;
    const upper = [...r.slice(0, bump), r[bump] + 1];
    return [{ op: '>=', version: caret[1] }, { op: '<', version: upper.join('.') }];
  }
  const tilde = /^~(?!=)\s*(\d+(?:\.\d+)*)$/.exec(part);
  if (tilde) {
    const r = tilde[1].split('.').map(Number);
    const upper = r.length === 1 ? [r[0] + 1] : [r[0], r[1] + 1];
    return [{ op: '>=', version: tilde[1] }, { op: '<', version: upper.join('.') }];
  }
  if (/^\d+(?:\.\d+)*(?:\.\*)?$/.test(part)) {
    return [{ op: '==', version: part }];
  }
  return [pep440Clause(part, part)];
}

/** Whether `version` satisfies a constraint parsed by `parseConstraint`. */
export function satisfies(version: string, constraint: Clause[][]): boolean {
  return constraint.some(clauses => clauses.every(c => compareWith(version, c.op, c.version) === true));
}

/**
 * Whether the Lambda runtime for `pythonVersion` (`3.13`) meets `constraint`. Lambda moves a runtime to each
 * new patch release of its Python, so the check passes when some `3.13.z` release meets it
 * (`>=3.13.2` passes for python3.13; `<3.13` does not).
 */
export function runtimeSatisfies(pythonVersion: string, constraint: Clause[][]): boolean {
  for (let micro = 0; micro <= 50; micro++) {
    if (satisfies(`${pythonVersion}.${micro}`, constraint)) {
      return true;
    }
  }
  return false;
}
