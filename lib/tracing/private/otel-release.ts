import { Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { layerVersionsFile, versionFromFile } from './versions-file';
import { OTEL_PYTHON_LAYER } from '../layer-data';

/**
 * The ADOT Python release of the ARN table in the layer data (layer-data.generated.ts: the release the newest commit
 * of the upstream table names). A version the app's layer versions file gives has the release the file records.
 */
export const LAYER_TABLE_RELEASE: string = OTEL_PYTHON_LAYER.release;

/** The release of the layer version a function uses, as far as this library can tell. */
export interface LayerRelease {
  /** The release tag (`v0.19.0`), or undefined when it cannot be told. */
  readonly release?: string;
  /** The layer version, for messages: `AWSOpenTelemetryDistroPython version 29 in us-east-1`. */
  readonly layer: string;
  /** Where the release comes from, or why it is unknown, for messages. */
  readonly why: string;
}

/** The documented AWSOpenTelemetryDistroPython layer version of `region`, if the data lists one. */
function documentedVersion(region: string): number | undefined {
  const arns: Record<string, string> = OTEL_PYTHON_LAYER.arns;
  return Object.prototype.hasOwnProperty.call(arns, region) ? Number(/:(\d+)$/.exec(arns[region])?.[1]) : undefined;
}

/**
 * The release of a layer version by the data: the documented version of `region` (both undefined: the documented
 * versions of every region) belongs to the data's release; any other is unknown.
 */
export function releaseOfLayerVersion(region: string | undefined, version: number | undefined): string | undefined {
  if (version === undefined) return region === undefined || documentedVersion(region) !== undefined ? LAYER_TABLE_RELEASE : undefined;
  return region !== undefined && version === documentedVersion(region) ? LAYER_TABLE_RELEASE : undefined;
}

/** What `Instrumentation.openTelemetry()` was given about the layer. */
export interface LayerChoice {
  readonly layerVersion?: number;
  readonly layer?: lambda.ILayerVersion;
}

/**
 * The release of the AWSOpenTelemetryDistroPython layer version `scope`'s function uses: the data's version for
 * the region (or every region, in a region-agnostic stack) belongs to the data's release; a `layerVersion` the
 * data does not list for the region, and a layer of the user's own, have no known release.
 */
export function releaseOfOpenTelemetryLayer(scope: IConstruct, choice: LayerChoice): LayerRelease {
  const name = OTEL_PYTHON_LAYER.layerName;
  if (choice.layer !== undefined) {
    return { layer: `the layer '${choice.layer.node.path}'`, why: 'it is a layer of your own, whose release this library cannot read' };
  }
  const stackRegion = Stack.of(scope).region;
  const region = Token.isUnresolved(stackRegion) ? undefined : stackRegion;
  const documented = region === undefined ? undefined : documentedVersion(region);
  const where = region === undefined ? 'in every region (a region-agnostic stack)' : `in ${region}`;
  const source = `lib/tracing/layer-data.ts (${OTEL_PYTHON_LAYER.source}, read ${OTEL_PYTHON_LAYER.readOn})`;
  const release = releaseOfLayerVersion(region, choice.layerVersion);
  // The app's layer versions file (`layers --check --write`) decides the default version where it names the region.
  const fromFile = choice.layerVersion === undefined && region !== undefined ? versionFromFile(layerVersionsFile(scope), name, region) : undefined;
  if (fromFile !== undefined) {
    const layer = `${name} version ${fromFile.version} ${where}`;
    return fromFile.release !== undefined
      ? { release: fromFile.release, layer, why: `the ${fromFile.source} records release ${fromFile.release}` }
      : { layer, why: `the ${fromFile.source} records no release for it (AWS's answer does not name one)` };
  }
  if (choice.layerVersion === undefined) {
    const which = documented === undefined ? 'the documented version' : `version ${documented} (the documented one)`;
    return { release, layer: `${name} ${which} ${where}`, why: `the documented versions are release ${LAYER_TABLE_RELEASE}, ${source}` };
  }
  const layer = `${name} version ${choice.layerVersion} ${where}`;
  if (release !== undefined) {
    return { release, layer, why: `it is the documented version of release ${release}, ${source}` };
  }
  return { layer, why: `the layer data does not list this version ${where}, so its release is unknown; ${source}` };
}
