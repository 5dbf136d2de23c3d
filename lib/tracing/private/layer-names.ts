import { OTEL_PYTHON_LAYER } from '../layer-data';

/**
 * The names of the public layers this library adds or recognizes, in one place: the instrumentations build
 * layer ARNs from them, TracedFunction and the TracingChecks pack recognize layers by them.
 */

/**
 * The family name of the public Powertools for AWS Lambda (Python) layers: `AWSLambdaPowertoolsPythonV3-python313-x86_64`,
 * and the older `AWSLambdaPowertoolsPythonV2...` (Powertools' documentation, see `POWERTOOLS_PYTHON_LAYER.source`).
 */
export const POWERTOOLS_LAYER_FAMILY = 'AWSLambdaPowertoolsPython';

/** The name of the Powertools v3 layer for a runtime (`python3.13`) and an architecture (`x86_64`, `arm64`). */
export function powertoolsLayerName(runtime: string, architecture: string): string {
  return `${POWERTOOLS_LAYER_FAMILY}V3-${runtime.replace('.', '')}-${architecture}`;
}

/** A text (an ARN, or a template value as JSON) naming a public Powertools layer, which ships `aws_xray_sdk`. */
export const POWERTOOLS_LAYER_ARN = new RegExp(`:layer:${POWERTOOLS_LAYER_FAMILY}`);

/** A text naming AWS's current OpenTelemetry layer (AWSOpenTelemetryDistroPython, the one with Application Signals). */
export const OTEL_DISTRO_LAYER_ARN = new RegExp(`:layer:${OTEL_PYTHON_LAYER.layerName}`);

/**
 * A text naming one of AWS's OpenTelemetry layers for Python: the current distro, or aws-cdk-lib's legacy ADOT layer
 * (`aws-otel-python-amd64-ver-1-29-0`, `aws-otel-python-arm64-...`, as aws-cdk-lib's region facts name it).
 */
export const OTEL_LAYER_ARN = new RegExp(`:layer:(${OTEL_PYTHON_LAYER.layerName}|aws-otel-python-(amd64|arm64))`);
