import { FAST_START_FIRST_RELEASE, OTEL_WRAPPER_RELEASES, newestWrapperRelease, wrapperRelease } from './otel-wrapper-data';
import { knownInstrumentations } from './private/otel-instrumentations';
import { releaseOfLayerVersion } from './private/otel-release';

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
   */
  public static loadedInstrumentations(settings: OpenTelemetryWrapperSettings = {}): string[] {
    const release = (settings.release !== undefined ? wrapperRelease(settings.release) : undefined)
      ?? wrapperRelease(releaseOfLayerVersion(undefined, undefined) ?? '') ?? newestWrapperRelease();
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
   * @param release the layer release
   */
  public static disabledByDefault(release?: string): string[] {
    const data = wrapperRelease(release ?? releaseOfLayerVersion(undefined, undefined) ?? '') ?? newestWrapperRelease();
    return [...data.disabledByDefault];
  }

  private constructor() {}
}

function splitList(value: string): string[] {
  return value.split(',').map(n => n.trim()).filter(n => n.length > 0);
}
