import { ReaderContext } from './context';
import { lambdaEnvironment } from './markers';
import { list, LockedFile, LockedPackage, LockSelection, SkippedPackage, str, table } from './model';
import { ErrorId } from '../../contract';
import { normalizeName } from '../../private/python-names';
import { shown, shownList } from '../../private/untrusted-text';

/**
 * pylock.toml / pylock.<name>.toml (PEP 751, `lock-version = "1.0"`). Fields read, per the specification
 * (https://packaging.python.org/en/latest/specifications/pylock-toml/ and https://peps.python.org/pep-0751/,
 * read 2026-11-27): `lock-version`, `environments`, `requires-python`, `extras`, `dependency-groups`,
 * `default-groups`, and per `[[packages]]`: `name`, `version`, `marker`, `requires-python`, `dependencies`
 * (names only, for the runtime-provided rule), `index`, `wheels` (`name` / `url` / `path`, `hashes`), `sdist`;
 * `vcs`, `directory` and `archive` packages are refused.
 *
 * What gets installed follows the specification's installation steps: `extras` and `dependency_groups` are set
 * from the chosen extras and from `default-groups` plus the chosen groups; a package whose `marker` is false is
 * skipped; one whose `requires-python` excludes the target is an error. Direct dependencies come from
 * pyproject.toml beside the lock (`[project] dependencies`, chosen optional dependencies, chosen
 * `[dependency-groups]`).
 */
export function readPylock(ctx: ReaderContext, data: Record<string, unknown>): LockSelection {
  const lockVersion = str(data['lock-version']);
  if (lockVersion === undefined || !/^1\.\d+$/.test(lockVersion)) {
    ctx.fail(ErrorId.LOCK_VERSION_UNSUPPORTED, `unknown pylock.toml lock-version ${shown(JSON.stringify(data['lock-version'] ?? null))} (this reader knows 1.x). `
      + 'Fix: write the lock with a tool that implements PEP 751 lock-version 1.0 (e.g. `uv export --format pylock.toml`).', 1);
  }
  ctx.checkRequiresPython(str(data['requires-python']), 'pylock.toml requires-python');

  const available = (key: string) => list(data[key]).map(v => normalizeName(String(v)));
  for (const [chosen, key, what, id] of [[ctx.extras, 'extras', 'extra', ErrorId.LOCK_EXTRA_UNKNOWN],
    [ctx.groups, 'dependency-groups', 'dependency group', ErrorId.LOCK_GROUP_UNKNOWN]] as const) {
    for (const name of chosen) {
      if (!available(key).includes(name)) {
        ctx.fail(id, `${what} ${shown(name)} is not in the lock's ${key} (${shownList(available(key), 20)}). `
          + `Fix: choose one of those, or lock again with the ${what} included.`);
      }
    }
  }
  const env = lambdaEnvironment(ctx.target, ctx.extras, [...available('default-groups'), ...ctx.groups]);
  const environments = list(data.environments).map(String);
  if (environments.length > 0 && !environments.some(e => ctx.marker(e, undefined, env))) {
    ctx.fail(ErrorId.LOCK_ENVIRONMENT_MISMATCH, `none of the lock's environments (${shownList(environments)}) is ${ctx.targetName} on Linux. `
      + 'Fix: lock again for Linux, the layer\'s Python and architecture.');
  }

  const selected = new Map<string, LockedPackage>();
  const skipped: SkippedPackage[] = [];
  for (const raw of list(data.packages)) {
    const p = table(raw) ?? {};
    const name = normalizeName(str(p.name) ?? '');
    const version = str(p.version);
    const line = name ? ctx.packageLine(name, version) : undefined;
    if (!name) {
      ctx.fail(ErrorId.LOCK_FILE_INVALID, 'a [[packages]] entry has no name. Fix: lock again.', line);
    }
    const marker = str(p.marker);
    if (!ctx.marker(marker, line, env)) {
      skipped.push({ name, version, reason: marker! });
      continue;
    }
    ctx.checkRequiresPython(str(p['requires-python']), `requires-python of ${name}`, false, line);
    if (selected.has(name)) {
      ctx.fail(ErrorId.LOCK_FILE_INVALID, `two entries for ${shown(name)} apply to ${ctx.targetName} (${shown(selected.get(name)!.version)} and ${shown(version)}). `
        + 'Fix: lock again so that at most one entry per package matches each environment.', line);
    }
    const direct = ['vcs', 'directory', 'archive'].find(k => p[k] !== undefined);
    if (direct) {
      ctx.fail(ErrorId.LOCK_SOURCE_UNSUPPORTED, `${shown(name)} comes from a ${direct} source, which pip cannot install by name and hash `
        + `from an index. Fix: publish ${shown(name)} as a wheel to an index (or a findLinks wheelhouse) and depend on that version, `
        + 'or put its code into the function itself.', line);
    }
    const file = (value: unknown): LockedFile | undefined => {
      const f = table(value);
      if (!f) {
        return undefined;
      }
      const location = str(f.name) ?? str(f.url) ?? str(f.path) ?? '';
      const fileName = decodeURIComponent(location.split(/[?#]/)[0].split('/').pop()!);
      const hashes = table(f.hashes) ?? {};
      const algorithm = ['sha256', 'sha384', 'sha512'].find(a => typeof hashes[a] === 'string');
      return { name: fileName, hash: algorithm ? `${algorithm}:${hashes[algorithm]}` : '' };
    };
    const sdist = file(p.sdist);
    selected.set(name, {
      name,
      version,
      files: [...list(p.wheels).map(file).filter((f): f is LockedFile => f !== undefined), ...sdist ? [sdist] : []],
      fileNamesKnown: true,
      dependencies: p.dependencies === undefined ? undefined
        : list(p.dependencies).map(d => normalizeName(str(table(d)?.name) ?? '')).filter(n => n),
      index: str(p.index),
      line,
    });
  }

  const pyproject = ctx.readSiblingToml('pyproject.toml');
  let direct: string[] | undefined;
  if (pyproject) {
    const project = table(pyproject.data.project) ?? {};
    const optional = table(project['optional-dependencies']) ?? {};
    const groups = table(pyproject.data['dependency-groups']) ?? {};
    direct = [...new Set([
      ...ctx.requirementSpecs(project.dependencies),
      ...Object.entries(optional).filter(([k]) => ctx.extras.includes(normalizeName(k))).flatMap(([, v]) => ctx.requirementSpecs(v)),
      ...Object.entries(groups).filter(([k]) => ctx.groups.includes(normalizeName(k))).flatMap(([, v]) => ctx.requirementSpecs(v)),
    ])];
  }
  return {
    packages: [...selected.values()],
    skipped: skipped.filter(s => !selected.has(s.name)),
    directRequirements: direct,
    manifests: pyproject ? [{ name: 'pyproject.toml', content: pyproject.content }] : [],
  };
}
