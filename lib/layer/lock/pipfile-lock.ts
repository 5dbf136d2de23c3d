import { ReaderContext } from './context';
import { list, LockedPackage, LockSelection, SkippedPackage, str, table } from './model';
import { ErrorId } from '../../contract';
import { normalizeName } from '../../private/python-names';
import { shown, shownList } from '../../private/untrusted-text';

/** The `_meta.pipfile-spec` values this reader knows. */
export const PIPFILE_SPECS = [6];

/**
 * Pipfile.lock (`_meta.pipfile-spec` 6), JSON. Fields read, as Pipenv writes them (https://pipenv.pypa.io/en/latest/
 * and real locks such as https://github.com/dimanu-py/simple-mars-rover-kata/blob/main/Pipfile.lock, read 2026-11-27):
 * `_meta.pipfile-spec`, `_meta.requires.python_version` / `python_full_version`, `_meta.sources` (`name`, `url`),
 * and per package of `default` (and of the chosen categories, `develop` for `[dev-packages]`): `version`
 * (`==1.2.3`), `hashes`, `markers`, `index`; `git`, `path`, `file` and `editable` entries are refused.
 *
 * Pipfile.lock lists the hashes of a release's files without their names and records no dependency graph, so
 * every hash goes on the pin (pip picks the wheel) and the wheel check is left to pip's `--only-binary=:all:`.
 * Direct dependencies come from the Pipfile beside the lock (`[packages]` and the chosen categories).
 */
export function readPipfileLock(ctx: ReaderContext, data: Record<string, unknown>): LockSelection {
  const meta = table(data._meta) ?? {};
  const spec = meta['pipfile-spec'];
  if (typeof spec !== 'number' || !PIPFILE_SPECS.includes(spec)) {
    ctx.fail(ErrorId.LOCK_VERSION_UNSUPPORTED, `unknown Pipfile.lock _meta.pipfile-spec ${shown(JSON.stringify(spec ?? null))} `
      + `(this reader knows ${PIPFILE_SPECS.join(', ')}). Fix: lock again with a current Pipenv (\`pipenv lock\`).`, ctx.lines.jsonKey('pipfile-spec') ?? 1);
  }
  const requires = table(meta.requires) ?? {};
  const wanted = str(requires.python_version) ?? str(requires.python_full_version);
  if (wanted !== undefined) {
    const [major, minor] = wanted.split('.');
    if (`${major}.${minor}` !== ctx.target.pythonVersion) {
      ctx.fail(ErrorId.LOCK_PYTHON_MISMATCH, `the lock requires Python ${shown(wanted)} (_meta.requires), but the layer is built for `
        + `python${ctx.target.pythonVersion}. Fix: build the layer for python ${shown(`${major}.${minor}`)} (runtime prop), or set `
        + `python_version = "${ctx.target.pythonVersion}" in the Pipfile and lock again.`,
      ctx.lines.jsonKey('python_version') ?? ctx.lines.jsonKey('python_full_version'));
    }
  }
  const sources = new Map(list(meta.sources).map(s => [str(table(s)?.name) ?? '', str(table(s)?.url)]));

  const categories = ['default', ...ctx.groups.map(g => g === 'dev' ? 'develop' : g)];
  for (const category of categories) {
    if (!table(data[category]) && category !== 'default') {
      const available = Object.keys(data).filter(k => k !== '_meta' && table(data[k]));
      ctx.fail(ErrorId.LOCK_GROUP_UNKNOWN, `category ${shown(category)} is not in the lock; it has ${shownList(available, 20)}. `
        + 'Fix: choose one of those categories (develop for [dev-packages]).');
    }
  }

  const selected = new Map<string, LockedPackage>();
  const skipped: SkippedPackage[] = [];
  for (const category of categories) {
    for (const [rawName, rawEntry] of Object.entries(table(data[category]) ?? {})) {
      const name = normalizeName(rawName);
      const entry = table(rawEntry) ?? {};
      const line = ctx.lines.jsonKey(rawName);
      const local = ['git', 'path', 'file', 'editable'].find(k => entry[k] !== undefined && entry[k] !== false);
      if (local) {
        ctx.fail(ErrorId.LOCK_SOURCE_UNSUPPORTED, `${shown(name)} is a ${local} entry (${shown(JSON.stringify(entry[local]))}), which has `
          + `no pinned version and hash. Fix: publish ${shown(name)} as a wheel to an index (or a findLinks wheelhouse) and depend on that version, `
          + 'or put its code into the function itself.', line);
      }
      const versionSpec = str(entry.version);
      const version = versionSpec?.startsWith('==') ? versionSpec.slice(2).trim() : undefined;
      if (versionSpec !== undefined && version === undefined) {
        ctx.fail(ErrorId.LOCK_VERSION_NOT_PINNED, `${shown(name)} has version ${shown(versionSpec)}, not an exact pin (==). `
          + 'Fix: lock again (`pipenv lock`).', line);
      }
      const marker = str(entry.markers);
      if (!ctx.marker(marker, line)) {
        skipped.push({ name, version, reason: marker! });
        continue;
      }
      const index = str(entry.index);
      selected.set(name, {
        name,
        version,
        files: list(entry.hashes).map(h => ({ hash: String(h) })),
        fileNamesKnown: false,
        index: index === undefined ? undefined : sources.get(index),
        line,
      });
    }
  }

  const pipfile = ctx.readSiblingToml('Pipfile');
  let direct: string[] | undefined;
  if (pipfile) {
    const sections = ['packages', ...categories.slice(1).map(c => c === 'develop' ? 'dev-packages' : c)];
    direct = [...new Set(sections.flatMap(s => ctx.tableSpecs(pipfile.data[s])))];
  }
  return {
    packages: [...selected.values()],
    skipped: skipped.filter(s => !selected.has(s.name)),
    directRequirements: direct,
    manifests: pipfile ? [{ name: 'Pipfile', content: pipfile.content }] : [],
  };
}
