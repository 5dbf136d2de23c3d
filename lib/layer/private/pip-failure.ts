import * as fs from 'fs';
import * as path from 'path';
import { LayerBuildSpec } from './hash';
import { isUrl, manylinuxPlatforms } from './pip';
import { normalizeName } from '../../private/python-names';
import { shown, shownOutput } from '../../private/untrusted-text';

/** What kind of pip failure a build ended in: the fix depends on it. */
export type PipFailureKind = 'hash-mismatch' | 'requires-python' | 'no-wheel-for-platform' | 'index-unreachable' | 'no-matching-distribution' | 'other';

/** pip's signs that no index answered: nothing found at all, or no connection. */
const INDEX_UNREACHABLE = /Could not fetch URL|NewConnectionError|Failed to establish a new connection|Temporary failure in name resolution|Name or service not known/;
const NO_MATCH = /No matching distribution found for ([A-Za-z0-9][A-Za-z0-9._-]*)/;

/**
 * The kind of a pip failure, from pip's output (pip 23-25 wording, checked against real pip in the tests), and
 * for "no matching distribution" from what the local wheelhouses hold: wheels of that name that fit no target tag
 * mean the platform is wrong, not the name or version.
 */
export function pipFailureKind(spec: LayerBuildSpec, output: string): { kind: PipFailureKind; unfit: string[]; name?: string } {
  if (/DO NOT MATCH THE HASHES|Expected sha256 /.test(output)) {
    return { kind: 'hash-mismatch', unfit: [] };
  }
  if (/requires a different Python|require a different python version/i.test(output)) {
    return { kind: 'requires-python', unfit: [] };
  }
  const missing = NO_MATCH.exec(output)?.[1];
  if (missing !== undefined) {
    // pip lists the versions it found usable ("from versions: 1.0, 2.0"); none, while the wheelhouse has wheels of
    // that name, means none of them fits the target's tags.
    const unfit = /from versions: none/.test(output) ? wheelsNamed(spec, missing) : [];
    if (unfit.length > 0) {
      return { kind: 'no-wheel-for-platform', unfit, name: missing };
    }
    if (!spec.pip.noIndex && (INDEX_UNREACHABLE.test(output) || /from versions: none/.test(output))) {
      return { kind: 'index-unreachable', unfit: [], name: missing };
    }
    return { kind: 'no-matching-distribution', unfit: [], name: missing };
  }
  if (!spec.pip.noIndex && INDEX_UNREACHABLE.test(output)) {
    return { kind: 'index-unreachable', unfit: [] };
  }
  return { kind: 'other', unfit: [] };
}

/** The "Fix:" for a pip failure, by kind. */
export function pipFailureFix(spec: LayerBuildSpec, output: string): string {
  const failure = pipFailureKind(spec, output);
  const target = `manylinux ${spec.architecture} (${manylinuxPlatforms(spec.pythonVersion, spec.architecture).join(', ')}), `
    + `CPython ${spec.pythonVersion} (cp${spec.pythonVersion.replace('.', '')})`;
  const name = failure.name === undefined ? 'the package' : `${shown(failure.name)}`;
  switch (failure.kind) {
    case 'hash-mismatch':
      return `Fix: a wheel's sha256 is not the one ${shown(path.basename(spec.input.origin))} pins: either the lock (or its --hash lines) is `
        + 'stale, or a wheel in the index or wheelhouse was replaced under the same name and version. Re-lock (uv lock, poetry lock, '
        + 'pipenv lock, or pip-compile --generate-hashes) against the index you build from, and find out who replaced the wheel if you did not.';
    case 'requires-python':
      return `Fix: the versions pip found declare a Requires-Python that excludes Python ${spec.pythonVersion} (the layer's runtime ${spec.runtimeName}): `
        + 'pin a version of the package that supports it, or build the layer (and the functions) for a runtime it supports.';
    case 'no-wheel-for-platform':
      return `Fix: the wheelhouse has ${failure.unfit.map(f => `${shown(f)}`).join(', ')} for ${name}, but no wheel whose tags fit ${target}. `
        + 'Add a wheel built for the layer\'s platform (e.g. pip download --only-binary=:all: --platform '
        + `${manylinuxPlatforms(spec.pythonVersion, spec.architecture)[0]} --python-version ${spec.pythonVersion} -d <wheelhouse> ${name === 'the package' ? '<package>' : shown(failure.name!)}), `
        + 'choose another runtime or architecture, or use BundlingStrategy.DOCKER.';
    case 'index-unreachable':
      return `Fix: pip found no version of ${name} at all (it looked in ${whereFrom(spec)}). If this machine cannot reach the package index (no internet, a private network), `
        + 'build from a local wheelhouse: findLinks + noIndex, or `cdk synth -c cdk-traced-lambda:pipFindLinks=<dir> -c cdk-traced-lambda:pipNoIndex=true`; '
        + 'or from an index it can reach: indexUrl, or `-c cdk-traced-lambda:pipIndexUrl=<url>`. pip reads no pip.conf or PIP_* variable for a layer. '
        + 'Otherwise check the name.';
    case 'no-matching-distribution':
      return `Fix: check that ${name} exists under this name in the index or wheelhouse the layer uses (${whereFrom(spec)}), with a version `
        + `that matches the requirement, as a binary wheel for ${target}; or provide one with findLinks, or use BundlingStrategy.DOCKER.`;
    default:
      return 'Fix: check the requirement names and versions; every package needs a binary wheel for '
        + `${target} (or provide one with findLinks), or use BundlingStrategy.DOCKER.`;
  }
}

/** pip's output for a message: the last lines, escape codes removed, credentials masked, control characters escaped. */
export function pipOutputTail(text: string | undefined, lines = 30): string {
  return shownOutput(text ?? '').trimEnd().split(/\r?\n/).slice(-lines).join('\n');
}

/** Where pip looked, for a message (URLs with credentials masked). */
function whereFrom(spec: LayerBuildSpec): string {
  const places = [
    ...(spec.pip.noIndex ? [] : [spec.pip.indexUrl ?? 'PyPI', ...spec.pip.extraIndexUrls]),
    ...spec.pip.findLinks,
    ...spec.input.findLinks,
  ];
  return places.map(shown).join(', ');
}

/** Wheel files in the local find-links locations whose distribution name is `name`. */
function wheelsNamed(spec: LayerBuildSpec, name: string): string[] {
  const wanted = normalizeName(name);
  const found: string[] = [];
  for (const location of [...spec.pip.findLinks, ...spec.input.findLinks]) {
    if (isUrl(location)) {
      continue;
    }
    const stat = fs.statSync(location, { throwIfNoEntry: false });
    const files = stat?.isDirectory() ? fs.readdirSync(location) : stat?.isFile() ? [path.basename(location)] : [];
    found.push(...files.filter(f => f.endsWith('.whl') && normalizeName(f.split('-')[0]) === wanted));
  }
  return found.sort();
}
