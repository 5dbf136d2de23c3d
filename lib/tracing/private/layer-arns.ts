import { Aws, CfnMapping, Fn, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { powertoolsLayerName } from './layer-names';
import { ErrorId } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import { OTEL_PYTHON_LAYER, POWERTOOLS_PYTHON_LAYER } from '../layer-data';

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
    throw new TracedLambdaError(ErrorId.LAYER_DATA_INVALID, 'lib/tracing/layer-data.ts',
      `the OpenTelemetry layer ARN for ${region} is malformed: '${arn}'. Fix: copy it again from ${OTEL_PYTHON_LAYER.source}.`);
  }
  return { partition: m[1], region, account: m[3], name: m[4], version: Number(m[5]) };
}

/**
 * The ARN of the AWSOpenTelemetryDistroPython layer for `scope`'s stack region, at `version` or the
 * documented one. A region-agnostic stack gets a `CfnMapping` and `Fn::FindInMap` on `AWS::Region`.
 */
export function otelLayerArn(scope: IConstruct, version?: number): LayerLookup {
  const stack = Stack.of(scope);
  const name = OTEL_PYTHON_LAYER.layerName;
  if (!Token.isUnresolved(stack.region)) {
    // Only this region's ARN is parsed: this runs once per function.
    const layer = otelLayer(stack.region);
    if (!layer) {
      return { missing: `AWS documents no ${name} layer for region ${stack.region} (${OTEL_PYTHON_LAYER.source}, read ${OTEL_PYTHON_LAYER.readOn})` };
    }
    return { arn: `arn:${layer.partition}:lambda:${layer.region}:${layer.account}:layer:${name}:${version ?? layer.version}` };
  }
  const mapping = regionMapping(stack, OTEL_MAPPING_ID, () => Object.values(otelLayers()).map(l => [l.region, { account: l.account, version: `${l.version}` }]));
  return {
    arn: Fn.join('', [
      'arn:', Aws.PARTITION, ':lambda:', Aws.REGION, ':', mapping.findInMap(Aws.REGION, 'account'), `:layer:${name}:`,
      version !== undefined ? `${version}` : mapping.findInMap(Aws.REGION, 'version'),
    ]),
  };
}

/**
 * The ARN of the Powertools for AWS Lambda (Python) v3 layer for `scope`'s stack region, the runtime and
 * the architecture, at `version` or the documented one. Only the commercial partition: Powertools
 * publishes China and GovCloud layers from other accounts.
 */
export function powertoolsLayerArn(scope: IConstruct, runtime: string, architecture: string, version?: number): LayerLookup {
  const data = POWERTOOLS_PYTHON_LAYER;
  const stack = Stack.of(scope);
  const name = powertoolsLayerName(runtime, architecture);
  const layerVersion = `${version ?? data.version}`;
  if (!Token.isUnresolved(stack.region)) {
    if (!data.regions.includes(stack.region)) {
      const partition = /^cn-/.test(stack.region) ? 'aws-cn' : /^us-gov-/.test(stack.region) ? 'aws-us-gov' : undefined;
      return {
        missing: partition
          ? `region ${stack.region} is in the ${partition} partition, where Powertools publishes its layer from another account than ${data.account}`
          : `Powertools' documentation lists no layer for region ${stack.region} (${data.source}, read ${data.readOn})`,
      };
    }
    return { arn: `arn:${data.partition}:lambda:${stack.region}:${data.account}:layer:${name}:${layerVersion}` };
  }
  const mapping = regionMapping(stack, POWERTOOLS_MAPPING_ID, () => data.regions.map(r => [r, { account: data.account }]));
  return {
    arn: Fn.join('', [`arn:${data.partition}:lambda:`, Aws.REGION, ':', mapping.findInMap(Aws.REGION, 'account'), `:layer:${name}:${layerVersion}`]),
  };
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
