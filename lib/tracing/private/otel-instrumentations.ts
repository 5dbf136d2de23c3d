import { IConstruct } from 'constructs';
import { ErrorId } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import type { OpenTelemetryInstrumentations } from '../instrumentation-options';
import { WrapperRelease } from '../otel-wrapper-data';

/** `enable: ['all']`: every instrumentation the mode has. */
export const ALL = 'all';

/** What the wrapper reads as "disable nothing" (any value that names no instrumentation; the layer's README uses it). */
export const NONE = 'none';

const NAME = /^[A-Za-z0-9_.-]+$/;
const WHERE = 'Instrumentation.openTelemetry()';

/** Checks the shape of `instrumentations` before any construct exists (the names are checked per release at bind). */
export function checkInstrumentationsShape(option: OpenTelemetryInstrumentations | undefined): void {
  if (option === undefined) return;
  for (const key of ['disable', 'enable'] as const) {
    const names = option[key];
    if (names === undefined) continue;
    const bad = names.filter(n => !NAME.test(n));
    if (names.length === 0 || bad.length > 0) {
      throw new TracedLambdaError(ErrorId.OTEL_INSTRUMENTATIONS_INVALID, WHERE,
        `instrumentations.${key} must list instrumentation names (letters, digits, '_', '.', '-'), but received ${JSON.stringify(names)}. `
        + `Fix: pass one name per entry, e.g. { ${key}: ['botocore', 'requests'] }, or leave ${key} out.`);
    }
  }
  const both = (option.disable ?? []).filter(n => (option.enable ?? []).includes(n));
  if (both.length > 0 || ((option.disable ?? []).length > 0 && (option.enable ?? []).includes(ALL))) {
    throw new TracedLambdaError(ErrorId.OTEL_INSTRUMENTATIONS_INVALID, WHERE,
      `instrumentations both enables and disables ${both.length > 0 ? both.join(', ') : 'everything (enable: [\'all\'])'}. Fix: name each instrumentation in one list only.`);
  }
}

/** The instrumentations a release can load in a mode (for `enable`), and the names `disable` accepts. */
export function knownInstrumentations(release: WrapperRelease, fastStart: boolean): string[] {
  if (fastStart) return [...(release.fastStartEnabled ?? [])];
  return [...release.onByDefault, ...release.disabledByDefault];
}

/**
 * The `OTEL_PYTHON_DISABLED_INSTRUMENTATIONS` value that gives the release's default for the mode changed by
 * `option`, or undefined when the default stands (the variable is then not set). Throws naming the known
 * instrumentations when `option` names one the release and mode do not know. `layerRelease` is the release of the
 * layer in use (undefined: unknown); when it is not `release`, the error says which release was checked instead.
 *
 * Full mode: the wrapper keeps a value the function sets and otherwise writes its default list, so the value
 * is that list minus `enable` plus `disable` (`none` when nothing stays disabled: an empty value would bring
 * the default back). Fast start: the lite SDK subtracts the variable from its own enabled set, and the wrapper
 * leaves it alone, so the value is `disable`.
 */
export function disabledInstrumentationsValue(scope: IConstruct, option: OpenTelemetryInstrumentations | undefined,
  release: WrapperRelease, fastStart: boolean, layerRelease: string | undefined): string | undefined {
  if (option === undefined) return undefined;
  const known = knownInstrumentations(release, fastStart);
  const enable = option.enable ?? [];
  const disable = option.disable ?? [];
  const unknown = [...disable, ...enable.filter(n => n !== ALL)].filter(n => !known.includes(n));
  if (unknown.length > 0) {
    const mode = fastStart ? 'in fast start mode (the lite SDK loads no other)' : 'in full mode';
    const fix = fastStart && enable.some(n => unknown.includes(n))
      ? 'turn fastStart off to load other instrumentations, or'
      : 'check the spelling (entry point names, e.g. aiohttp-client, grpc_client), or';
    const checked = layerRelease === release.release ? ''
      : layerRelease === undefined ? ' (the release of the layer in use is unknown: checked against the newest release this library describes)'
        : ` (the layer in use is release ${layerRelease}, which this library does not describe: checked against the newest release it describes)`;
    throw new TracedLambdaError(ErrorId.OTEL_INSTRUMENTATION_UNKNOWN, scope,
      `instrumentations names ${unknown.join(', ')}, which the AWSOpenTelemetryDistroPython layer ${release.release} does not know ${mode}`
      + `${checked}. `
      + `The known ones are: ${[...known].sort().join(', ')}. Fix: ${fix} remove the name.`);
  }
  if (fastStart) {
    return disable.length > 0 ? disable.join(',') : undefined;
  }
  const enableAll = enable.includes(ALL);
  const kept = release.disabledByDefault.filter(n => !enableAll && !enable.includes(n));
  const added = disable.filter(n => !kept.includes(n));
  const value = [...kept, ...added];
  const unchanged = value.length === release.disabledByDefault.length && value.every((n, i) => n === release.disabledByDefault[i]);
  if (unchanged) return undefined;
  return value.length > 0 ? value.join(',') : NONE;
}
