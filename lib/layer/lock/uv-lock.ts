import { ReaderContext } from './context';
import { list, LockedFile, LockedPackage, LockSelection, SkippedPackage, str, table } from './model';
import { ErrorId } from '../../contract';
import { formatRequirementName, normalizeName } from '../../private/python-names';
import { shown, shownList } from '../../private/untrusted-text';

/**
 * uv.lock (`version = 1`, any `revision`). Fields read, as uv writes them (https://docs.astral.sh/uv/concepts/projects/layout/
 * and the lock snapshots in https://github.com/astral-sh/uv/blob/main/crates/uv/tests/it/lock.rs, read 2026-11-27):
 * `version`, `requires-python`, `[manifest] members`, and per `[[package]]`: `name`, `version`, `source`
 * (`registry`, `editable`, `virtual`, `directory`, `path`, `git`, `url`), `dependencies`
 * (`name`, `version`, `marker`, `extra`), `[package.optional-dependencies]`, `[package.dev-dependencies]`,
 * `sdist` and `wheels` (`url` / `path` / `filename`, `hash`).
 *
 * What gets installed: the dependency graph followed from the project (`source = { editable = "." }` or
 * `{ virtual = "." }`, else every `[manifest]` member) through its `dependencies`, the optional dependencies
 * of the chosen extras and the dev-dependency groups chosen, edges whose marker is false for the target skipped.
 */

interface UvDependency {
  readonly name: string;
  readonly version?: string;
  readonly marker?: string;
  readonly extras: string[];
}

interface UvPackage {
  readonly name: string;
  readonly version?: string;
  readonly source: Record<string, unknown>;
  readonly dependencies: UvDependency[];
  readonly optional: Map<string, UvDependency[]>;
  readonly dev: Map<string, UvDependency[]>;
  readonly wheels: LockedFile[];
  readonly sdist?: LockedFile;
  readonly line?: number;
}

export function readUvLock(ctx: ReaderContext, data: Record<string, unknown>): LockSelection {
  if (data.version !== 1) {
    ctx.fail(ErrorId.LOCK_VERSION_UNSUPPORTED, `unknown uv.lock version ${shown(JSON.stringify(data.version ?? null))} (this reader knows version = 1). `
      + 'Fix: lock with a uv release that writes version 1, or use `uv export --format pylock.toml` and pass pylock.toml.', 1);
  }
  ctx.checkRequiresPython(str(data['requires-python']), 'uv.lock requires-python');

  const packages = list(data.package).map(raw => uvPackage(ctx, raw));
  const byName = new Map<string, UvPackage[]>();
  for (const p of packages) {
    const same = byName.get(p.name);
    if (same) {
      same.push(p);
    } else {
      byName.set(p.name, [p]);
    }
  }

  const isLocalProject = (p: UvPackage) => ['editable', 'virtual'].some(k => typeof p.source[k] === 'string');
  let roots = packages.filter(p => isLocalProject(p) && (p.source.editable === '.' || p.source.virtual === '.'));
  if (roots.length === 0) {
    const members = list(table(data.manifest)?.members).map(m => normalizeName(String(m)));
    roots = packages.filter(p => isLocalProject(p) && members.includes(p.name));
  }
  if (roots.length === 0) {
    ctx.fail(ErrorId.LOCK_FILE_INVALID, 'no project entry (a [[package]] with source = { editable = "." } or { virtual = "." }, or [manifest] members), '
      + 'so nothing says what the project depends on. Fix: pass the uv.lock that `uv lock` wrote in the project directory.');
  }

  for (const group of ctx.groups) {
    if (!roots.some(r => r.dev.has(group))) {
      ctx.fail(ErrorId.LOCK_GROUP_UNKNOWN, `dependency group ${shown(group)} is not in the lock; it has ${shownList(unique(roots.flatMap(r => [...r.dev.keys()])), 20)}. `
        + 'Fix: choose one of those groups, or add the group to pyproject.toml [dependency-groups] and lock again.');
    }
  }
  for (const extra of ctx.extras) {
    if (!roots.some(r => r.optional.has(extra))) {
      ctx.fail(ErrorId.LOCK_EXTRA_UNKNOWN, `extra ${shown(extra)} is not in the lock; it has ${shownList(unique(roots.flatMap(r => [...r.optional.keys()])), 20)}. `
        + 'Fix: choose one of those extras, or add it to [project.optional-dependencies] and lock again.');
    }
  }

  const resolve = (dep: UvDependency, from: UvPackage): UvPackage => {
    const candidates = (byName.get(dep.name) ?? []).filter(p => dep.version === undefined || p.version === dep.version);
    if (candidates.length !== 1) {
      ctx.fail(ErrorId.LOCK_FILE_INVALID, `${shown(from.name)} depends on ${shown(dep.name)}${dep.version ? ` ${shown(dep.version)}` : ''}, which the lock has `
        + `${candidates.length === 0 ? 'no entry for' : `${candidates.length} entries for, without telling them apart`}. `
        + 'Fix: lock again with uv (`uv lock`).', from.line);
    }
    return candidates[0];
  };

  const selected = new Map<UvPackage, Set<string>>();
  const excluded: SkippedPackage[] = [];
  const direct = new Set<string>();
  const queue: { pkg: UvPackage; extras: string[] }[] = [];
  const rootSet = new Set(roots);
  const follow = (from: UvPackage, deps: UvDependency[]) => {
    for (const dep of deps) {
      if (!ctx.marker(dep.marker, from.line)) {
        excluded.push({ name: dep.name, version: dep.version, reason: dep.marker! });
        continue;
      }
      queue.push({ pkg: resolve(dep, from), extras: dep.extras });
    }
  };
  for (const root of roots) {
    const rootDeps = [...root.dependencies, ...ctx.extras.flatMap(e => root.optional.get(e) ?? []),
      ...ctx.groups.flatMap(g => root.dev.get(g) ?? [])];
    rootDeps.forEach(d => direct.add(formatRequirementName({ name: d.name, extras: [...d.extras].sort() })));
    follow(root, rootDeps);
  }
  // A moving head instead of queue.shift(), which copies the array on every call (quadratic in big locks).
  for (let head = 0; head < queue.length; head++) {
    const { pkg, extras } = queue[head];
    if (rootSet.has(pkg)) {
      continue;
    }
    const seen = selected.get(pkg);
    const fresh = seen === undefined ? ['', ...extras] : extras.filter(e => !seen.has(e));
    if (fresh.length === 0) {
      continue;
    }
    const active = seen ?? new Set<string>();
    fresh.forEach(e => active.add(e));
    selected.set(pkg, active);
    for (const extra of fresh) {
      follow(pkg, extra === '' ? pkg.dependencies : pkg.optional.get(extra) ?? []);
    }
  }

  const locked: LockedPackage[] = [...selected.entries()].map(([p, active]) => {
    const local = ['editable', 'virtual', 'directory', 'git'].find(k => p.source[k] !== undefined);
    if (local) {
      ctx.fail(ErrorId.LOCK_SOURCE_UNSUPPORTED, `${shown(p.name)} comes from a ${local} source (${shown(p.source[local])}), which has `
        + `no wheel with a hash in the lock. Fix: publish ${shown(p.name)} as a wheel to an index (or a findLinks wheelhouse) and depend on `
        + 'that version, or put its code into the function itself.', p.line);
    }
    return {
      name: p.name,
      version: p.version,
      files: [...p.wheels, ...p.sdist ? [p.sdist] : []],
      fileNamesKnown: true,
      dependencies: [...active].flatMap(e => e === '' ? p.dependencies : p.optional.get(e) ?? []).map(d => d.name),
      index: str(p.source.registry),
      line: p.line,
    };
  });
  const installed = new Set(locked.map(p => p.name));
  return {
    packages: locked,
    skipped: excluded.filter(s => !installed.has(s.name)),
    directRequirements: [...direct],
    manifests: [],
  };
}

function uvPackage(ctx: ReaderContext, raw: unknown): UvPackage {
  const t = table(raw) ?? {};
  const name = normalizeName(str(t.name) ?? '');
  const version = str(t.version);
  const line = name ? ctx.packageLine(name, version) : undefined;
  if (!name) {
    ctx.fail(ErrorId.LOCK_FILE_INVALID, 'a [[package]] entry has no name. Fix: lock again with uv (`uv lock`).', line);
  }
  const deps = (value: unknown): UvDependency[] => list(value).map(d => {
    const dt = table(d) ?? {};
    const depName = str(dt.name);
    if (!depName) {
      ctx.fail(ErrorId.LOCK_FILE_INVALID, `a dependency of ${shown(name)} has no name. Fix: lock again with uv (\`uv lock\`).`, line);
    }
    const extras = list(dt.extra).map(e => normalizeName(String(e)));
    return { name: normalizeName(depName), version: str(dt.version), marker: str(dt.marker), extras };
  });
  const groups = (value: unknown) => new Map(Object.entries(table(value) ?? {}).map(([k, v]) => [normalizeName(k), deps(v)]));
  const file = (value: unknown): LockedFile | undefined => {
    const f = table(value);
    if (!f) {
      return undefined;
    }
    const location = str(f.filename) ?? str(f.url) ?? str(f.path) ?? '';
    const fileName = decodeURIComponent(location.split(/[?#]/)[0].split('/').pop()!);
    return { name: fileName, hash: str(f.hash) ?? '' };
  };
  return {
    name,
    version,
    source: table(t.source) ?? {},
    dependencies: deps(t.dependencies),
    optional: groups(t['optional-dependencies']),
    dev: groups(t['dev-dependencies']),
    wheels: list(t.wheels).map(file).filter((f): f is LockedFile => f !== undefined),
    sdist: file(t.sdist),
    line,
  };
}

function unique(names: string[]): string[] {
  return [...new Set(names)].sort();
}
