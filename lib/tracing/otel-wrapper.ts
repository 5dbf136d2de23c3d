import { FAST_START_FIRST_RELEASE, OTEL_WRAPPER_RELEASES, newestWrapperRelease, WrapperRelease, wrapperRelease } from './otel-wrapper-data';
import { ErrorId } from '../contract';
import { knownInstrumentations } from './private/otel-instrumentations';
import { releaseOfLayerVersion } from './private/otel-release';
import { TracedLambdaError } from '../private/error';
import { shown } from '../private/untrusted-text';

/**
 * A function's OpenTelemetry settings, as the AWSOpenTelemetryDistroPython layer's wrapper reads them.
 */
export interface OpenTelemetryWrapperSettings {
  /**
   * The layer release (`v0.19.0`).
   *
   * @default - the release of the layer versions this library documents
   */
  readonly release?: string;

  /**
   * Whether `OTEL_AWS_LAMBDA_FAST_START` is `true` (the lite SDK).
   *
   * @default false
   */
  readonly fastStart?: boolean;

  /**
   * The function's `OTEL_PYTHON_DISABLED_INSTRUMENTATIONS`, as set.
   *
   * @default - not set: the release's default for the mode
   */
  readonly disabledInstrumentations?: string;
}

/**
 * What the AWSOpenTelemetryDistroPython layer's wrapper script (`/opt/otel-instrument`) and its lite SDK do
 * with the instrumentation settings, per layer release, read from the layer's sources (lib/tracing/otel-wrapper-data.ts,
 * cited there with repository, tag and commit).
 */
export class OpenTelemetryWrapper {
  /** The first layer release with fast start (`OTEL_AWS_LAMBDA_FAST_START`). */
  public static readonly FAST_START_FIRST_RELEASE: string = FAST_START_FIRST_RELEASE;

  /**
   * The layer releases whose wrapper this library describes, oldest first.
   */
  public static releases(): string[] {
    return OTEL_WRAPPER_RELEASES.map(r => r.release);
  }

  /**
   * The release of an AWSOpenTelemetryDistroPython layer version, as the layer data says: the documented version
   * of a region (or, without a region or a version, the documented versions) belongs to the data's release.
   *
   * @param region the layer's region; undefined for the documented versions of every region
   * @param version the layer version; undefined for the documented one
   * @returns the release tag, or undefined when the data cannot tell
   */
  public static releaseOfLayerVersion(region?: string, version?: number): string | undefined {
    return releaseOfLayerVersion(region, version);
  }

  /**
   * The instrumentations the layer loads for a function with `settings` (each applies when its library is
   * imported): in full mode every instrumentation the release installs minus the disabled list (the release's
   * default list when the variable is unset, and `aws-lambda`, which the layer's own wrapper replaces); with
   * fast start, botocore, requests and urllib3 minus the variable. Sorted.
   *
   * @param settings the release, the mode and the variable
   * @throws an error with id `ErrorId.OTEL_RELEASE_NOT_DESCRIBED` for a release not in `releases()`
   */
  public static loadedInstrumentations(settings: OpenTelemetryWrapperSettings = {}): string[] {
    const release = describedRelease('OpenTelemetryWrapper.loadedInstrumentations()', settings.release);
    const fastStart = settings.fastStart === true && release.fastStartEnabled !== undefined;
    const value = settings.disabledInstrumentations?.trim();
    const disabled = fastStart
      ? splitList(value ?? '')
      : [...(value ? splitList(value) : release.disabledByDefault), release.alwaysDisabled];
    return knownInstrumentations(release, fastStart).filter(n => !disabled.includes(n)).sort();
  }

  /**
   * The instrumentations the release's wrapper disables by default in full mode, in its order (`aws-lambda`,
   * which it always adds, not included).
   *
   * @param release the layer release; one of `releases()` (else an error with id `ErrorId.OTEL_RELEASE_NOT_DESCRIBED`)
   */
  public static disabledByDefault(release?: string): string[] {
    return [...describedRelease('OpenTelemetryWrapper.disabledByDefault()', release).disabledByDefault];
  }

  private constructor() {}
}

/**
 * The wrapper data of `release`, or, when it is undefined, of the release of the documented layer versions (the
 * newest described one if the data cannot tell). A release the data does not describe is an error: answering
 * for another release would be a wrong answer that looks right.
 */
function describedRelease(where: string, release: string | undefined): WrapperRelease {
  if (release === undefined) {
    return wrapperRelease(releaseOfLayerVersion(undefined, undefined) ?? '') ?? newestWrapperRelease();
  }
  const data = wrapperRelease(release);
  if (!data) {
    throw new TracedLambdaError(ErrorId.OTEL_RELEASE_NOT_DESCRIBED, where, `release ${shown(release)} is not a layer release whose wrapper `
      + `this library describes (${OpenTelemetryWrapper.releases().join(', ')}). Fix: pass one of them, or leave release out for the `
      + 'release of the layer versions this library documents.');
  }
  return data;
}

function splitList(value: string): string[] {
  return value.split(',').map(n => n.trim()).filter(n => n.length > 0);
}
