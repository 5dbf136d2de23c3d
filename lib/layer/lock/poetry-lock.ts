import { ReaderContext } from './context';
import { list, LockedFile, LockedPackage, LockSelection, SkippedPackage, str, table } from './model';
import { poetryReachable } from './poetry-graph';
import { ErrorId } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import { normalizeName } from '../../private/python-names';
import { shown, shownList } from '../../private/untrusted-text';

/** The `[metadata] lock-version`s this reader knows: 1.1 (Poetry 1.1), 2.0 (Poetry 1.3-1.8) and 2.1 (Poetry 2.x). */
export const POETRY_LOCK_VERSIONS = ['1.1', '2.0', '2.1'];

/**
 * poetry.lock, `[metadata] lock-version` 1.1, 2.0 and 2.1. Fields read, as Poetry writes them
 * (https://github.com/python-poetry/poetry/blob/main/src/poetry/packages/locker.py, the Poetry 2.1.1 lock in
 * https://github.com/dependabot/dependabot-core/blob/main/python/spec/fixtures/poetry_locks/poetry.lock and
 * https://github.com/python-poetry/poetry/pull/9427 "Lock markers and groups", read 2026-11-27):
 * `[metadata] lock-version` / `python-versions`, the top-level `[extras]`, and per `[[package]]`: `name`,
 * `version`, `optional`, `groups` (2.1) or `category` (older 2.0 locks), `markers` (2.1: a string, or a table
 * of group to marker), `files` (`file`, `hash`), `[package.dependencies]` (names only), `[package.source]`
 * (`type`, `url`).
 *
 * What gets installed: packages in the `main` group (or `category = "main"`) or a chosen group whose marker
 * holds for the target; `optional = true` packages only when a chosen extra lists them in `[extras]`. Locks
 * that record neither (Poetry 1.5-1.8) are walked from pyproject.toml instead (poetry-graph.ts).
 * lock-version 1.1 (Poetry 1.0-1.2; a real one is test/fixtures/lock/poetry-1.1) records `category` and keeps
 * the files of every package in `[metadata.files]`, keyed by name, instead of in the package; like the 2.0
 * locks with `category`, it records no package markers, so every package of a chosen category is pinned.
 * Direct dependencies come from pyproject.toml beside the lock (`[project] dependencies`,
 * `[tool.poetry.dependencies]`, and the chosen `[tool.poetry.group.<name>.dependencies]`).
 */
export function readPoetryLock(ctx: ReaderContext, data: Record<string, unknown>): LockSelection {
  const metadata = table(data.metadata) ?? {};
  const lockVersion = str(metadata['lock-version']);
  const metadataLine = ctx.lines.firstLine(/^\s*\[metadata\]/);
  if (lockVersion === undefined || !POETRY_LOCK_VERSIONS.includes(lockVersion)) {
    ctx.fail(ErrorId.LOCK_VERSION_UNSUPPORTED, `unknown poetry.lock lock-version ${shown(JSON.stringify(metadata['lock-version'] ?? null))} `
      + `(this reader knows ${POETRY_LOCK_VERSIONS.join(', ')}). Fix: lock again with Poetry 1.3 or later (\`poetry lock\`).`, metadataLine);
  }
  // lock-version 1.1: `[metadata.files]` maps each package name to the files of all its locked versions.
  const legacyFiles = new Map(Object.entries(table(metadata.files) ?? {}).map(([k, v]) => [normalizeName(k), list(v)]));
  ctx.checkRequiresPython(str(metadata['python-versions']), 'poetry.lock [metadata] python-versions', true, metadataLine);

  const groups = ['main', ...ctx.groups];
  const extrasTable = table(data.extras) ?? {};
  const knownExtras = Object.keys(extrasTable).map(normalizeName);
  for (const extra of ctx.extras) {
    if (!knownExtras.includes(extra)) {
      ctx.fail(ErrorId.LOCK_EXTRA_UNKNOWN, `extra ${shown(extra)} is not in the lock's [extras]; it has ${shownList(knownExtras, 20)}. `
        + 'Fix: choose one of those extras, or add it to pyproject.toml and lock again.');
    }
  }
  const extraPackages = new Set(Object.entries(extrasTable)
    .filter(([extra]) => ctx.extras.includes(normalizeName(extra)))
    .flatMap(([, names]) => list(names).map(n => normalizeName(String(n).split(/[\s[(;]/)[0]))));

  const pyproject = ctx.readSiblingToml('pyproject.toml');
  const rawPackages = list(data.package).map(raw => table(raw) ?? {});
  // Poetry 1.5-1.8 wrote lock-version 2.0 without groups or category: walk the graph from pyproject.toml instead.
  const recordsGroups = rawPackages.every(p => p.groups !== undefined || typeof p.category === 'string');
  // Locks before 2.1 (1.1, and 2.0 with category) record no package markers: the dependency edges' markers
  // decide, as when Poetry installs, by the same walk from pyproject.toml, within the chosen categories.
  const recordsMarkers = lockVersion === '2.1' || rawPackages.some(p => p.markers !== undefined);
  const reachable = !pyproject ? undefined
    : !recordsGroups ? poetryReachable(ctx, rawPackages, pyproject.data)
      : !recordsMarkers ? reachableOrUndefined(() => poetryReachable(ctx, rawPackages, pyproject.data)) : undefined;

  const selected: LockedPackage[] = [];
  const skipped: SkippedPackage[] = [];
  const seenGroups = new Set<string>();
  for (const p of rawPackages) {
    const name = normalizeName(str(p.name) ?? '');
    const version = str(p.version);
    const line = name ? ctx.packageLine(name, version) : undefined;
    if (!name) {
      ctx.fail(ErrorId.LOCK_FILE_INVALID, 'a [[package]] entry has no name. Fix: lock again with Poetry (`poetry lock`).', line);
    }
    const packageGroups = p.groups !== undefined ? list(p.groups).map(g => normalizeName(String(g)))
      : typeof p.category === 'string' ? [normalizeName(p.category)] : undefined;
    if (packageGroups === undefined && reachable === undefined) {
      ctx.fail(ErrorId.LOCK_GROUPS_NOT_RECORDED, `${shown(name)} has neither groups (lock-version 2.1) nor category (older 2.0 locks), and there is no pyproject.toml `
        + 'beside the lock to follow the dependencies from, so main dependencies cannot be told from dev ones. Fix: lock '
        + 'again with Poetry 2.0 or later (`poetry lock`), which records groups, or keep pyproject.toml beside poetry.lock.', line);
    }
    packageGroups?.forEach(g => seenGroups.add(g));
    if (reachable !== undefined && !reachable.has(`${name}@${version}`)) {
      skipped.push({ name, version, reason: 'not a dependency of the chosen groups and extras for the target' });
      continue;
    }
    const markers = p.markers;
    const inGroup = packageGroups === undefined ? ['main'] : groups.filter(g => packageGroups.includes(g));
    if (inGroup.length === 0) {
      skipped.push({ name, version, reason: `group ${(packageGroups ?? []).map(g => `'${g}'`).join(', ')} not chosen` });
      continue;
    }
    if (p.optional === true && !extraPackages.has(name) && reachable === undefined) {
      skipped.push({ name, version, reason: 'optional, and no chosen extra lists it' });
      continue;
    }
    const markerOf = (group: string) => typeof markers === 'string' ? markers : str(table(markers)?.[group]);
    const holding = reachable !== undefined ? inGroup : inGroup.filter(g => ctx.marker(markerOf(g), line));
    if (holding.length === 0) {
      skipped.push({ name, version, reason: inGroup.map(markerOf).join(' / ') });
      continue;
    }
    const source = table(p.source) ?? {};
    const sourceType = str(source.type);
    if (sourceType !== undefined && sourceType !== 'legacy') {
      ctx.fail(ErrorId.LOCK_SOURCE_UNSUPPORTED, `${shown(name)} comes from a ${shown(sourceType)} source (${shown(str(source.url) ?? '?')}), `
        + `which pip cannot install by name and hash from an index. Fix: publish ${shown(name)} as a wheel to an index (or a findLinks wheelhouse) and `
        + 'depend on that version, or put its code into the function itself.', line);
    }
    selected.push({
      name,
      version,
      files: p.files !== undefined ? lockedFiles(list(p.files)) : filesOfVersion(lockedFiles(legacyFiles.get(name) ?? []), version),
      fileNamesKnown: true,
      dependencies: Object.keys(table(p.dependencies) ?? {}).map(normalizeName),
      index: str(source.url),
      line,
    });
  }
  for (const group of recordsGroups ? ctx.groups : []) {
    if (!seenGroups.has(group)) {
      ctx.fail(ErrorId.LOCK_GROUP_UNKNOWN, `no package is in group ${shown(group)}; the lock has ${shownList([...seenGroups].sort(), 20)}. `
        + 'Fix: choose one of those groups.');
    }
  }
  return {
    packages: selected,
    skipped,
    directRequirements: pyproject ? directFromPyproject(ctx, pyproject.data) : undefined,
    manifests: pyproject ? [{ name: 'pyproject.toml', content: pyproject.content }] : [],
  };
}

/**
 * The walk's result, or undefined when the lock has several entries of a name that the constraints cannot
 * tell apart (older locks keep one per Python version): then the categories alone decide.
 */
function reachableOrUndefined(walk: () => Set<string>): Set<string> | undefined {
  try {
    return walk();
  } catch (e) {
    if (e instanceof TracedLambdaError && e.id === ErrorId.LOCK_FILE_INVALID) {
      return undefined;
    }
    throw e;
  }
}

function lockedFiles(files: unknown[]): LockedFile[] {
  return files.map(f => ({ name: str(table(f)?.file), hash: str(table(f)?.hash) ?? '' }));
}

/**
 * The files of `version` among the files `[metadata.files]` lists for every locked version of a name
 * (wheel `name-<version>-...whl`, sdist `name-<version>.tar.gz`/`.zip`); all of them when none matches.
 */
function filesOfVersion(files: LockedFile[], version: string | undefined): LockedFile[] {
  const versionOf = (file: string) => file.toLowerCase().endsWith('.whl') ? file.split('-')[1]
    : /-([^-]+?)(\.tar\.gz|\.zip|\.tar\.bz2)$/i.exec(file)?.[1];
  const matching = files.filter(f => f.name !== undefined && versionOf(f.name) === version);
  return matching.length > 0 ? matching : files;
}

function directFromPyproject(ctx: ReaderContext, data: Record<string, unknown>): string[] {
  const project = table(data.project) ?? {};
  const poetry = table(table(data.tool)?.poetry) ?? {};
  const optional = table(project['optional-dependencies']) ?? {};
  const groupTables = table(poetry.group) ?? {};
  const names = [
    ...ctx.requirementSpecs(project.dependencies),
    ...ctx.extras.flatMap(e => ctx.requirementSpecs(Object.entries(optional).find(([k]) => normalizeName(k) === e)?.[1])),
    ...ctx.tableSpecs(poetry.dependencies, ['python']),
    ...Object.entries(groupTables)
      .filter(([g]) => ctx.groups.includes(normalizeName(g)))
      .flatMap(([, g]) => ctx.tableSpecs(table(g)?.dependencies)),
    ...ctx.groups.includes('dev') ? ctx.tableSpecs(poetry['dev-dependencies']) : [],
  ];
  return [...new Set(names)];
}
