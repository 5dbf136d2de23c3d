import { CfnResource } from 'aws-cdk-lib';
import { resolvedResource, stackIndex } from './template';
import { InstrumentationName, TracingContract } from '../../contract';
import { PythonDependencyLayer } from '../../layer/python-dependency-layer';
import type { RenderedResource } from '../../private/cfn';
import { asList, referencedLogicalId } from '../../private/stack-index';

/** Layer names of AWS's OpenTelemetry layers: the current distro and aws-cdk-lib's legacy ADOT layer. */
const OTEL_LAYER = /:layer:(AWSOpenTelemetryDistroPython|aws-otel-python-(amd64|arm64))/;
/** The current distro, which is the one with Application Signals. */
const OTEL_DISTRO_LAYER = /:layer:AWSOpenTelemetryDistroPython/;
/** The public Powertools for AWS Lambda (Python) layers, which ship aws_xray_sdk. */
const POWERTOOLS_LAYER = /:layer:AWSLambdaPowertoolsPython/;

/** What a function resource says about its OpenTelemetry wiring, read from its resolved template. */
export interface OtelWiring {
  /** One of its layers is an OpenTelemetry layer (by name), or this library instrumented it with one. */
  readonly otelLayer: boolean;
  /** ... and that layer is AWSOpenTelemetryDistroPython (Application Signals capable). */
  readonly distroLayer: boolean;
  /** How many layers it has. */
  readonly layerCount: number;
  /** Some layer cannot be named here (defined in the stack, or an unresolvable token). */
  readonly unknownLayers: boolean;
  /** `AWS_LAMBDA_EXEC_WRAPPER`: a string, undefined when unset, or `unknown` for a token. */
  readonly wrapper: string | undefined | typeof UNKNOWN;
  /** `OTEL_AWS_APPLICATION_SIGNALS_ENABLED`, likewise. */
  readonly applicationSignals: string | undefined | typeof UNKNOWN;
  /** The resolved layers, as written in the template. */
  readonly layers: any[];
}

/** A value this rule cannot read (a token). */
export const UNKNOWN = Symbol('unknown');

/**
 * Reads the OpenTelemetry wiring of a function resource: the one reading of the pack's rules and of the
 * warnings TracedFunction adds at synthesis (lib/tracing/private/otel-conflicts.ts), which passes the resource
 * rendered on its own (no stack index).
 */
export function otelWiring(node: CfnResource, rendered?: RenderedResource): OtelWiring {
  const resource = rendered ?? resolvedResource(node);
  const props = resource.properties;
  const instrumentation = resource.metadata[TracingContract.INSTRUMENTATION_METADATA_KEY];
  const layers = asList(props.Layers);
  const texts = layers.map(l => JSON.stringify(l));
  const variables = props.Environment?.Variables ?? {};
  const read = (name: string) => {
    const value = variables[name];
    return value === undefined || typeof value === 'string' ? value : UNKNOWN;
  };
  return {
    otelLayer: instrumentation === InstrumentationName.OPEN_TELEMETRY || instrumentation === InstrumentationName.ADOT
      || texts.some(t => OTEL_LAYER.test(t)),
    distroLayer: instrumentation === InstrumentationName.OPEN_TELEMETRY || texts.some(t => OTEL_DISTRO_LAYER.test(t)),
    layerCount: layers.length,
    unknownLayers: layers.some(l => typeof l !== 'string' && !OTEL_LAYER.test(JSON.stringify(l))),
    wrapper: read(TracingContract.EXEC_WRAPPER_VARIABLE),
    applicationSignals: read('OTEL_AWS_APPLICATION_SIGNALS_ENABLED'),
    layers,
  };
}

/**
 * The function's layers that ship `aws_xray_sdk`: the public Powertools layers (by name), and
 * PythonDependencyLayers of its stack whose requirements name `aws-xray-sdk` or
 * `aws-lambda-powertools[tracer]` / `[all]`. Layers built otherwise cannot be inspected.
 */
export function layersShippingXRaySdk(fn: CfnResource, layers: any[]): string[] {
  const found: string[] = [];
  for (const layer of layers) {
    if (POWERTOOLS_LAYER.test(JSON.stringify(layer))) {
      found.push(typeof layer === 'string' ? layer : JSON.stringify(layer));
      continue;
    }
    const cfn = stackIndex(fn).find('AWS::Lambda::LayerVersion', referencedLogicalId(layer));
    const l2 = cfn?.node.scope;
    if (PythonDependencyLayer.isPythonDependencyLayer(l2)
      && (l2.hasRequirement('aws-xray-sdk') || l2.hasRequirement('aws-lambda-powertools', 'tracer') || l2.hasRequirement('aws-lambda-powertools', 'all'))) {
      found.push(l2.node.path);
    }
  }
  return found;
}
