import { Aws, CfnMapping, Fn, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { powertoolsLayerName } from './layer-names';
import { layerVersionsFile, versionFromFile } from './versions-file';
import { ErrorId, TracingContract } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import { OTEL_PYTHON_LAYER, openTelemetryDataRelease, POWERTOOLS_PYTHON_LAYER } from '../layer-data';

/** One published layer version, split into the parts an ARN is built from. */
export interface PublishedLayer {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly name: string;
  readonly version: number;
}

/** The answer of a lookup: the layer version ARN (a token in a region-agnostic stack), or why there is none. */
export type LayerLookup = { readonly arn: string } | { readonly missing: string };

const LAYER_VERSION_ARN = /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):layer:([A-Za-z0-9_-]+):(\d+)$/;

/** The mapping ids this library adds to a region-agnostic stack. Public contract: they appear in templates. */
export const OTEL_MAPPING_ID = 'TracedLambdaOpenTelemetryLayers';
export const POWERTOOLS_MAPPING_ID = 'TracedLambdaPowertoolsLayers';

/** The AWSOpenTelemetryDistroPython layer per region, parsed from the data file (which the tests check). */
export function otelLayers(): Record<string, PublishedLayer> {
  const result: Record<string, PublishedLayer> = {};
  for (const region of Object.keys(OTEL_PYTHON_LAYER.arns)) {
    result[region] = otelLayer(region)!;
  }
  return result;
}

/** The AWSOpenTelemetryDistroPython layer of one region, parsed from the data file; undefined if it lists none. */
function otelLayer(region: string): PublishedLayer | undefined {
  if (!Object.prototype.hasOwnProperty.call(OTEL_PYTHON_LAYER.arns, region)) return undefined;
  const arn = OTEL_PYTHON_LAYER.arns[region];
  const m = LAYER_VERSION_ARN.exec(arn);
  if (!m || m[2] !== region || m[4] !== OTEL_PYTHON_LAYER.layerName) {
    throw new TracedLambdaError(ErrorId.LAYER_DATA_INVALID, 'lib/tracing/layer-data.generated.ts', `the OpenTelemetry layer ARN for ${region} is malformed: '${arn}'. `
      + `Fix: regenerate the data with npm run update-layer-data (source: ${OTEL_PYTHON_LAYER.source}).`);
  }
  return { partition: m[1], region, account: m[3], name: m[4], version: Number(m[5]) };
}

const DATA_SOURCE = `library data (${OTEL_PYTHON_LAYER.source})`;

/** Records on `scope` (a function) where the version of its public layer came from. */
function noteVersionSource(scope: IConstruct, source: string): void {
  const resource = scope instanceof lambda.Function ? scope.node.defaultChild as lambda.CfnFunction : undefined;
  resource?.addMetadata(TracingContract.LAYER_VERSION_SOURCE_METADATA_KEY, source);
}

/**
 * The ADOT Python release (e.g. `v0.19.0`) that `version` of the AWSOpenTelemetryDistroPython layer in `region`
 * belongs to, for a function on `architecture`: the library data's release for the version it names, or the
 * release the app's layer versions file records for that region and version (pass `scope` to read it).
 * Undefined when no source says (a bare `layerVersion`): AWS's layer description does not name the release.
 *
 * @param region the stack's region
 * @param architecture `x86_64` or `arm64`
 * @param version the layer version
 * @param scope a construct of the app, to read its versions file (context key `cdk-traced-lambda:layerVersions`)
 */
export function openTelemetryLayerRelease(region: string, architecture: string, version: number, scope?: IConstruct): string | undefined {
  const fromFile = scope ? versionFromFile(layerVersionsFile(scope), OTEL_PYTHON_LAYER.layerName, region) : undefined;
  if (fromFile?.version === version && fromFile.release !== undefined && OTEL_PYTHON_LAYER.architectures.includes(architecture)) {
    return fromFile.release;
  }
  return openTelemetryDataRelease(region, architecture, version);
}

/**
 * The ARN of the AWSOpenTelemetryDistroPython layer for `scope`'s stack region, at `version`, else the version the
 * app's layer versions file names, else the library data's. A region-agnostic stack gets a `CfnMapping` and
 * `Fn::FindInMap` on `AWS::Region`. Records the version's source in the function's metadata.
 */
export function otelLayerArn(scope: IConstruct, version?: number): LayerLookup {
  const stack = Stack.of(scope);
  const name = OTEL_PYTHON_LAYER.layerName;
  // Read even when `version` is pinned: the file is the app's input, and a region-agnostic stack's mapping, made by
  // whichever function comes first, serves every function of the stack.
  const file = layerVersionsFile(scope);
  if (!Token.isUnresolved(stack.region)) {
    // Only this region's ARN is parsed: this runs once per function.
    const layer = otelLayer(stack.region);
    if (!layer) {
      return { missing: `AWS documents no ${name} layer for region ${stack.region} (${OTEL_PYTHON_LAYER.source})` };
    }
    const fromFile = versionFromFile(file, name, stack.region);
    noteVersionSource(scope, version !== undefined ? 'layerVersion option' : fromFile?.source ?? DATA_SOURCE);
    return { arn: `arn:${layer.partition}:lambda:${layer.region}:${layer.account}:layer:${name}:${version ?? fromFile?.version ?? layer.version}` };
  }
  const fileRegions = Object.keys(file?.layers[name] ?? {});
  noteVersionSource(scope, version !== undefined ? 'layerVersion option'
    : fileRegions.length > 0 ? `${versionFromFile(file, name, fileRegions[0])!.source} for ${fileRegions.length} region(s), ${DATA_SOURCE} for the others` : DATA_SOURCE);
  const mapping = regionMapping(stack, OTEL_MAPPING_ID, () => Object.values(otelLayers()).map(l => [l.region, {
    account: l.account, version: `${versionFromFile(file, name, l.region)?.version ?? l.version}`,
  }]));
  return {
    arn: Fn.join('', [
      'arn:', Aws.PARTITION, ':lambda:', Aws.REGION, ':', mapping.findInMap(Aws.REGION, 'account'), `:layer:${name}:`,
      version !== undefined ? `${version}` : mapping.findInMap(Aws.REGION, 'version'),
    ]),
  };
}

/**
 * The ARN of the Powertools for AWS Lambda (Python) v3 layer for `scope`'s stack region, the runtime and
 * the architecture, at `version`, else the app's versions file's, else the documented one. Only the commercial
 * partition: Powertools publishes China and GovCloud layers from other accounts.
 */
export function powertoolsLayerArn(scope: IConstruct, runtime: string, architecture: string, version?: number): LayerLookup {
  const data = POWERTOOLS_PYTHON_LAYER;
  const stack = Stack.of(scope);
  const name = powertoolsLayerName(runtime, architecture);
  const file = layerVersionsFile(scope);
  const dataSource = `library data (${data.source})`;
  if (!Token.isUnresolved(stack.region)) {
    if (!data.regions.includes(stack.region)) {
      const partition = /^cn-/.test(stack.region) ? 'aws-cn' : /^us-gov-/.test(stack.region) ? 'aws-us-gov' : undefined;
      return {
        missing: partition
          ? `region ${stack.region} is in the ${partition} partition, where Powertools publishes its layer from another account than ${data.account}`
          : `Powertools' documentation (${data.url}) lists no layer for region ${stack.region} (read from ${data.regionsSource})`,
      };
    }
    const fromFile = versionFromFile(file, name, stack.region);
    noteVersionSource(scope, version !== undefined ? 'layerVersion option' : fromFile?.source ?? dataSource);
    return { arn: `arn:${data.partition}:lambda:${stack.region}:${data.account}:layer:${name}:${version ?? fromFile?.version ?? data.version}` };
  }
  noteVersionSource(scope, version !== undefined ? 'layerVersion option' : file?.layers[name] ? `${file.path} where it names the region, ${dataSource} elsewhere` : dataSource);
  if (version !== undefined || !file?.layers[name]) {
    const mapping = regionMapping(stack, POWERTOOLS_MAPPING_ID, () => data.regions.map(r => [r, { account: data.account }]));
    return {
      arn: Fn.join('', [`arn:${data.partition}:lambda:`, Aws.REGION, ':', mapping.findInMap(Aws.REGION, 'account'), `:layer:${name}:${version ?? data.version}`]),
    };
  }
  // The file names versions of this layer: one mapping key per layer name, e.g. `python313arm64`.
  const key = name.slice(data.layerNamePrefix.length + 1).replace(/[^A-Za-z0-9]/g, '');
  const mapping = regionMapping(stack, POWERTOOLS_MAPPING_ID, () => data.regions.map(r => [r, { account: data.account }]));
  for (const region of data.regions) {
    mapping.setValue(region, key, `${versionFromFile(file, name, region)?.version ?? data.version}`);
  }
  return {
    arn: Fn.join('', [`arn:${data.partition}:lambda:`, Aws.REGION, ':', mapping.findInMap(Aws.REGION, 'account'), `:layer:${name}:`, mapping.findInMap(Aws.REGION, key)]),
  };
}

/**
 * The public SSM parameter reference (`{{resolve:ssm:/aws/service/powertools/python/{arch}/{runtime}/latest}}`) that
 * CloudFormation resolves at deploy time to the newest Powertools v3 layer ARN for the region, runtime and architecture.
 */
export function powertoolsSsmLayerArn(runtime: string, architecture: string): string {
  const parameter = POWERTOOLS_PYTHON_LAYER.ssmParameter.replace('{architecture}', architecture).replace('{runtime}', runtime);
  return `{{resolve:ssm:${parameter}}}`;
}

/** The stack's mapping `id` (created once, from `rows()`), region -> values. */
function regionMapping(stack: Stack, id: string, rows: () => [string, Record<string, string>][]): CfnMapping {
  const existing = stack.node.tryFindChild(id);
  if (existing) {
    return existing as CfnMapping;
  }
  const mapping = new CfnMapping(stack, id);
  for (const [region, values] of rows()) {
    for (const [key, value] of Object.entries(values)) {
      mapping.setValue(region, key, value);
    }
  }
  return mapping;
}
