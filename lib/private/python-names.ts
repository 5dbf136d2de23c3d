/**
 * The one parser of Python package names and requirement specs in this library (PEP 503 / PEP 508
 * names), used by the layer, the tracing core, the nag rules and the tests alike.
 */

/** A requirement's name and extras, PEP 503 normalized, extras sorted. */
export interface RequirementName {
  /** The PEP 503 normalized project name, e.g. `aws-lambda-powertools`. */
  readonly name: string;
  /** The normalized extras, sorted, e.g. `['tracer']`; empty when there are none. */
  readonly extras: string[];
}

/** PEP 503 name normalization: runs of `-`, `_` and `.` become one `-`, lower case. */
export function normalizeName(name: string): string {
  return name.trim().replace(/[-_.]+/g, '-').toLowerCase();
}

/** A PEP 508 name at the start of a requirement line, with its optional `[extras]`. */
const NAME_AND_EXTRAS = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?/;

/**
 * The name and extras at the start of a requirement spec (`Aws_Lambda.Powertools[Tracer] >= 3`), or
 * undefined when the text does not start with a valid name.
 */
export function parseRequirementName(spec: string): RequirementName | undefined {
  const match = NAME_AND_EXTRAS.exec(spec.trim());
  if (!match) {
    return undefined;
  }
  const extras = (match[2] ?? '').split(',').map(e => e.trim()).filter(e => e).map(normalizeName).sort();
  return { name: normalizeName(match[1]), extras };
}

/** `name[extra1,extra2]`, or `name` without extras: the canonical form other modules compare. */
export function formatRequirementName(requirement: RequirementName): string {
  return requirement.extras.length > 0 ? `${requirement.name}[${requirement.extras.join(',')}]` : requirement.name;
}

/**
 * Whether `requirements` (canonical `name[extras]` strings) name `name`, optionally with `extra`.
 */
export function requirementsInclude(requirements: string[], name: string, extra?: string): boolean {
  const wantedName = normalizeName(name);
  const wantedExtra = extra === undefined ? undefined : normalizeName(extra);
  return requirements.some(r => {
    const parsed = parseRequirementName(r);
    if (!parsed || parsed.name !== wantedName) {
      return false;
    }
    return wantedExtra === undefined || parsed.extras.includes(wantedExtra);
  });
}
