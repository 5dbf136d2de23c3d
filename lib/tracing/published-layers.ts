import { InstrumentationName } from '../contract';
import { OTEL_PYTHON_LAYER, POWERTOOLS_PYTHON_LAYER } from './layer-data';
import { powertoolsLayerName } from './private/layer-names';

/**
 * One public layer version this library adds, as its data knows it.
 */
export interface PublishedLayerVersion {
  /** The layer's name, e.g. `AWSOpenTelemetryDistroPython` or `AWSLambdaPowertoolsPythonV3-python313-arm64`. */
  readonly layerName: string;
  /** The instrumentation that adds it (an `InstrumentationName` value). */
  readonly instrumentation: string;
  /** The region it is published in. */
  readonly region: string;
  /** The layer version ARN. */
  readonly layerVersionArn: string;
  /** The layer version number. */
  readonly version: number;
  /**
   * The release the version belongs to (e.g. ADOT Python `v0.18.0`).
   *
   * @default - no source names it (Powertools' docs give the layer version, not the release)
   */
  readonly release?: string;
  /** The runtimes the release declares it compatible with. */
  readonly compatibleRuntimes: string[];
  /** The architectures it runs on. */
  readonly compatibleArchitectures: string[];
  /** Where the data comes from (repository, path, commit). */
  readonly source: string;
  /** The day the source was read (YYYY-MM-DD). */
  readonly readOn: string;
}

/**
 * Which published layers to list.
 */
export interface PublishedLayersFilter {
  /**
   * Only this region.
   *
   * @default - every region
   */
  readonly region?: string;
  /**
   * Only layers for this architecture (`x86_64` or `arm64`).
   *
   * @default - both
   */
  readonly architecture?: string;
  /**
   * Only layers compatible with this runtime (e.g. `python3.14`).
   *
   * @default - every runtime
   */
  readonly runtime?: string;
}

/**
 * The public Lambda layers this library adds (AWS's AWSOpenTelemetryDistroPython and Powertools for AWS Lambda
 * (Python) v3), per region, with the release, the compatible runtimes and the source of each: the data
 * `cdk-traced-lambda layers` prints and `layers --check` compares with AWS.
 */
export class PublishedLayers {
  /**
   * The layers the library's data lists, filtered.
   *
   * @param filter region, architecture and runtime to keep
   */
  public static list(filter: PublishedLayersFilter = {}): PublishedLayerVersion[] {
    const keep = (region: string, runtimes: string[]) => (filter.region === undefined || filter.region === region)
      && (filter.runtime === undefined || runtimes.includes(filter.runtime));
    const result: PublishedLayerVersion[] = [];
    const otel = OTEL_PYTHON_LAYER;
    if (filter.architecture === undefined || otel.architectures.includes(filter.architecture)) {
      for (const [region, arn] of Object.entries(otel.arns)) {
        if (!keep(region, otel.runtimes)) continue;
        result.push({
          layerName: otel.layerName,
          instrumentation: InstrumentationName.OPEN_TELEMETRY,
          region,
          layerVersionArn: arn,
          version: Number(arn.slice(arn.lastIndexOf(':') + 1)),
          release: otel.release,
          compatibleRuntimes: [...otel.runtimes],
          compatibleArchitectures: [...otel.architectures],
          source: otel.source,
          readOn: otel.readOn,
        });
      }
    }
    const pt = POWERTOOLS_PYTHON_LAYER;
    for (const region of pt.regions) {
      for (const runtime of pt.runtimes) {
        for (const architecture of pt.architectures) {
          if (!keep(region, [runtime]) || (filter.architecture !== undefined && filter.architecture !== architecture)) continue;
          const name = powertoolsLayerName(runtime, architecture);
          result.push({
            layerName: name,
            instrumentation: InstrumentationName.POWERTOOLS,
            region,
            layerVersionArn: `arn:${pt.partition}:lambda:${region}:${pt.account}:layer:${name}:${pt.version}`,
            version: pt.version,
            compatibleRuntimes: [runtime],
            compatibleArchitectures: [architecture],
            source: pt.source,
            readOn: pt.readOn,
          });
        }
      }
    }
    return result;
  }

  private constructor() {}
}
