import { ReaderContext } from './context';
import { escapeRegExp, lineOf, list, LockedPackage, LockSelection, SkippedPackage, str, table } from './model';
import { normalizeName } from '../../private/python-names';

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
  const meta = table(data._meta);
  const spec = meta?.['pipfile-spec'];
  if (spec !== 6) {
    ctx.fail(`unknown Pipfile.lock _meta.pipfile-spec ${JSON.stringify(spec ?? null)} (this reader knows 6). `
      + 'Fix: lock again with a current Pipenv (`pipenv lock`).', lineOf(ctx.text, /"pipfile-spec"/) ?? 1);
  }
  const requires = table(meta?.requires) ?? {};
  const wanted = str(requires.python_version) ?? str(requires.python_full_version);
  if (wanted !== undefined) {
    const [major, minor] = wanted.split('.');
    if (`${major}.${minor}` !== ctx.target.pythonVersion) {
      ctx.fail(`the lock requires Python ${wanted} (_meta.requires), but the layer is built for python${ctx.target.pythonVersion}. `
        + `Fix: build the layer for python${major}.${minor} (runtime prop), or set python_version = "${ctx.target.pythonVersion}" `
        + 'in the Pipfile and lock again.', lineOf(ctx.text, /"python_(full_)?version"/));
    }
  }
  const sources = new Map(list(meta?.sources).map(s => [str(table(s)?.name) ?? '', str(table(s)?.url)]));

  const categories = ['default', ...ctx.groups.map(g => g === 'dev' ? 'develop' : g)];
  for (const category of categories) {
    if (!table(data[category]) && category !== 'default') {
      const available = Object.keys(data).filter(k => k !== '_meta' && table(data[k]));
      ctx.fail(`category '${category}' is not in the lock; it has ${available.map(k => `'${k}'`).join(', ')}. `
        + 'Fix: choose one of those categories (develop for [dev-packages]).');
    }
  }

  const selected = new Map<string, LockedPackage>();
  const skipped: SkippedPackage[] = [];
  for (const category of categories) {
    for (const [rawName, rawEntry] of Object.entries(table(data[category]) ?? {})) {
      const name = normalizeName(rawName);
      const entry = table(rawEntry) ?? {};
      const line = lineOf(ctx.text, new RegExp(`^\\s*"${escapeRegExp(rawName)}"\\s*:`, 'm'));
      const local = ['git', 'path', 'file', 'editable'].find(k => entry[k] !== undefined && entry[k] !== false);
      if (local) {
        ctx.fail(`${name} is a ${local} entry (${JSON.stringify(entry[local])}), which has no pinned version and hash. `
          + `Fix: publish ${name} as a wheel to an index (or a findLinks wheelhouse) and depend on that version, `
          + 'or put its code into the function itself.', line);
      }
      const versionSpec = str(entry.version);
      const version = versionSpec?.startsWith('==') ? versionSpec.slice(2).trim() : undefined;
      if (versionSpec !== undefined && version === undefined) {
        ctx.fail(`${name} has version '${versionSpec}', not an exact pin (==). Fix: lock again (\`pipenv lock\`).`, line);
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
