import { ReaderContext } from './context';
import { list, str, table } from './model';
import { parseConstraint, runtimeSatisfies, satisfies } from './pep440';
import { ErrorId } from '../../contract';
import { normalizeName, parseRequirementName } from '../../private/python-names';
import { shown } from '../../private/untrusted-text';

/**
 * For poetry.lock files that record no groups (lock-version 2.0 from Poetry 1.5-1.8, which dropped `category`):
 * the packages the project needs, found by walking `[package.dependencies]` from pyproject.toml's main
 * dependencies (plus the chosen groups and extras), edges whose `markers` / `python` exclude the target skipped.
 * Poetry's dependency forms: https://python-poetry.org/docs/dependency-specification/ (read 2026-11-27).
 * Returns `name@version` keys.
 */
export function poetryReachable(ctx: ReaderContext, packages: Record<string, unknown>[], pyproject: Record<string, unknown>): Set<string> {
  const project = table(pyproject.project) ?? {};
  const poetry = table(table(pyproject.tool)?.poetry) ?? {};
  const poetryExtras = table(poetry.extras) ?? {};
  const chosenOptional = new Set(Object.entries(poetryExtras)
    .filter(([e]) => ctx.extras.includes(normalizeName(e)))
    .flatMap(([, names]) => list(names).map(n => normalizeName(String(n)))));

  const roots: Edge[] = [
    ...list(project.dependencies).flatMap(pep508Edge),
    ...Object.entries(table(project['optional-dependencies']) ?? {})
      .filter(([e]) => ctx.extras.includes(normalizeName(e))).flatMap(([, v]) => list(v).flatMap(pep508Edge)),
    ...tableEdges(poetry.dependencies).filter(e => e.name !== 'python' && (!e.optional || chosenOptional.has(e.name))),
    ...Object.entries(table(poetry.group) ?? {})
      .filter(([g]) => ctx.groups.includes(normalizeName(g))).flatMap(([, g]) => tableEdges(table(g)?.dependencies)),
    ...ctx.groups.includes('dev') ? tableEdges(poetry['dev-dependencies']) : [],
  ];

  const byName = new Map<string, Record<string, unknown>[]>();
  for (const p of packages) {
    const name = normalizeName(str(p.name) ?? '');
    const same = byName.get(name);
    if (same) {
      same.push(p);
    } else {
      byName.set(name, [p]);
    }
  }
  const key = (p: Record<string, unknown>) => `${normalizeName(str(p.name) ?? '')}@${str(p.version)}`;

  const reached = new Map<string, Set<string>>();
  const queue: { edge: Edge; from: string }[] = roots.map(edge => ({ edge, from: 'pyproject.toml' }));
  // A moving head instead of queue.shift(), which copies the array on every call (quadratic in big locks).
  for (let head = 0; head < queue.length; head++) {
    const { edge, from } = queue[head];
    if (!ctx.marker(edge.markers) || (edge.python !== undefined && !pythonAllows(ctx, edge.python))) {
      continue;
    }
    const candidates = (byName.get(edge.name) ?? []).filter(p => edge.version === undefined || allows(edge.version, str(p.version)));
    if (candidates.length !== 1) {
      ctx.fail(ErrorId.LOCK_FILE_INVALID, `${shown(from)} depends on ${shown(edge.name)}${edge.version ? ` (${shown(edge.version)})` : ''}, `
        + `which the lock has ${candidates.length === 0 ? 'no entry for' : `${candidates.length} entries for`}. Fix: lock again with Poetry 2.0 or `
        + 'later (`poetry lock`), which records groups and markers.', ctx.packageLine(edge.name));
    }
    const p = candidates[0];
    const k = key(p);
    const active = reached.get(k) ?? new Set<string>();
    const fresh = [...reached.has(k) ? [] : [''], ...edge.extras.filter(e => !active.has(e))];
    if (fresh.length === 0) {
      continue;
    }
    fresh.forEach(e => active.add(e));
    reached.set(k, active);
    const extrasOf = table(p.extras) ?? {};
    const listed = new Set([...active].flatMap(e => list(Object.entries(extrasOf).find(([x]) => normalizeName(x) === e)?.[1])
      .map(r => normalizeName(String(r).split(/[\s[(;]/)[0]))));
    for (const dep of tableEdges(p.dependencies)) {
      if (!dep.optional || listed.has(dep.name)) {
        queue.push({ edge: dep, from: `${str(p.name)} ${str(p.version)}` });
      }
    }
  }
  return new Set(reached.keys());
}

/** Whether the target Python meets a dependency's `python = "..."` restriction. */
function pythonAllows(ctx: ReaderContext, constraint: string): boolean {
  try {
    return runtimeSatisfies(ctx.target.pythonVersion, parseConstraint(constraint, true));
  } catch (e) {
    return ctx.syntaxError(e, 'Fix: lock again with Poetry (`poetry lock`).', undefined, 'a dependency\'s Python restriction');
  }
}

/** Whether Poetry constraint `constraint` allows `version`; a constraint this reader cannot parse allows any. */
function allows(constraint: string, version: string | undefined): boolean {
  try {
    return satisfies(version ?? '', parseConstraint(constraint, true));
  } catch {
    return true;
  }
}

interface Edge {
  readonly name: string;
  readonly version?: string;
  readonly markers?: string;
  readonly python?: string;
  /** `optional = true` in a dependency table: followed only when a chosen extra lists it. */
  readonly optional?: boolean;
  readonly extras: string[];
}

/** `"fake-app (>=1.0) ; python_version < '3.12'"` */
function pep508Edge(requirement: unknown): Edge[] {
  const text = String(requirement);
  const parsed = parseRequirementName(text);
  if (!parsed) {
    return [];
  }
  const marker = text.includes(';') ? text.slice(text.indexOf(';') + 1).trim() : undefined;
  return [{ name: parsed.name, markers: marker, extras: parsed.extras }];
}

/** `[package.dependencies]` / `[tool.poetry.dependencies]`: `name = "^1.0"`, a table, or an array of tables. */
function tableEdges(dependencies: unknown): Edge[] {
  return Object.entries(table(dependencies) ?? {}).flatMap(([rawName, value]) => {
    const name = normalizeName(rawName);
    const forms = Array.isArray(value) ? value : [value];
    return forms.map(form => {
      if (typeof form === 'string') {
        return { name, version: form, extras: [] };
      }
      const t = table(form) ?? {};
      return {
        name,
        version: str(t.version),
        markers: str(t.markers),
        python: str(t.python),
        optional: t.optional === true,
        extras: list(t.extras).map(e => normalizeName(String(e))),
      };
    });
  });
}
