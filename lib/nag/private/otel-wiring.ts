import { CfnResource } from 'aws-cdk-lib';
import { resolvedResource, stackIndex } from './template';
import { InstrumentationName, TracingContract } from '../../contract';
import { PythonDependencyLayer } from '../../layer/python-dependency-layer';
import type { RenderedResource } from '../../private/cfn';
import { parseRequirementName } from '../../private/python-names';
import { asList, referencedLogicalId } from '../../private/stack-index';
import { OTEL_DISTRO_LAYER_ARN as OTEL_DISTRO_LAYER, OTEL_LAYER_ARN as OTEL_LAYER, POWERTOOLS_LAYER_ARN as POWERTOOLS_LAYER } from '../../tracing/private/layer-names';

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
    applicationSignals: read(TracingContract.APPLICATION_SIGNALS_VARIABLE),
    layers,
  };
}

/** `TracingContract.XRAY_SDK_REQUIREMENTS`, parsed once. */
const XRAY_SDK_REQUIREMENTS = TracingContract.XRAY_SDK_REQUIREMENTS.map(r => parseRequirementName(r)!);

/**
 * The function's layers that ship `aws_xray_sdk`: the public Powertools layers (by name), and
 * PythonDependencyLayers of its stack whose requirements name one of `TracingContract.XRAY_SDK_REQUIREMENTS`. Layers built otherwise cannot be inspected.
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
    if (PythonDependencyLayer.isPythonDependencyLayer(l2) && XRAY_SDK_REQUIREMENTS.some(r => l2.hasRequirement(r.name, r.extras[0]))) {
      found.push(l2.node.path);
    }
  }
  return found;
}
