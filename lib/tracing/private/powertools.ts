import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { InstrumentationConfig } from './instrumentation-config';
import { powertoolsLayerArn, powertoolsSsmLayerArn } from './layer-arns';
import { POWERTOOLS_LAYER_ARN } from './layer-names';
import { noteXRaySdkUse } from './xray-sdk-notice';
import { ErrorId, TracingContract } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import type { PowertoolsInstrumentationOptions } from '../instrumentation-options';
import { POWERTOOLS_PYTHON_LAYER } from '../layer-data';

/** The environment variables Powertools reads. */
export const SERVICE_NAME_VARIABLE = 'POWERTOOLS_SERVICE_NAME';
export const CAPTURE_RESPONSE_VARIABLE = 'POWERTOOLS_TRACER_CAPTURE_RESPONSE';
export const CAPTURE_ERROR_VARIABLE = 'POWERTOOLS_TRACER_CAPTURE_ERROR';

/** Where option errors are reported: no construct exists yet. */
const WHERE = 'Instrumentation.powertools()';

/** Checks the options before any construct exists. */
export function checkPowertoolsOptions(options: PowertoolsInstrumentationOptions): void {
  if (options.latestLayerFromSsm && (options.layerVersion !== undefined || options.layer !== undefined)) {
    throw new TracedLambdaError(ErrorId.POWERTOOLS_LAYER_OPTIONS_CONFLICT, WHERE, 'latestLayerFromSsm takes the layer version from SSM at deploy time, '
      + `but received ${options.layerVersion !== undefined ? `layerVersion ${options.layerVersion}` : `layer '${options.layer!.node.path}'`} too. `
      + 'Fix: remove latestLayerFromSsm to pin, or remove layerVersion/layer to follow the newest layer.');
  }
  if (options.layerVersion !== undefined && options.layer !== undefined) {
    throw new TracedLambdaError(ErrorId.INSTRUMENTATION_LAYER_CONFLICT, WHERE,
      'pass either `layerVersion` (a version of the public Powertools layer) or `layer` (your own layer), not both, '
      + `but received layerVersion ${options.layerVersion} and layer '${options.layer.node.path}'. Fix: remove one of them.`);
  }
  if (options.layerVersion !== undefined && !(Number.isInteger(options.layerVersion) && options.layerVersion > 0)) {
    throw new TracedLambdaError(ErrorId.INSTRUMENTATION_LAYER_VERSION_INVALID, WHERE,
      `layerVersion must be a positive whole number, but received ${options.layerVersion}. `
      + `Fix: pass the number at the end of the layer version ARN, e.g. layerVersion: ${POWERTOOLS_PYTHON_LAYER.version}.`);
  }
  if (options.serviceName !== undefined && options.serviceName.trim() === '') {
    throw new TracedLambdaError(ErrorId.POWERTOOLS_SERVICE_NAME_EMPTY, WHERE,
      `serviceName must not be empty, but received ${JSON.stringify(options.serviceName)}. `
      + 'Fix: pass a name, or leave it out to use the function\'s construct id.');
  }
}

/** What `Instrumentation.powertools()` adds to `fn`. */
export function bindPowertools(scope: Construct, fn: lambda.Function, options: PowertoolsInstrumentationOptions): InstrumentationConfig {
  const layer = options.layer ?? defaultLayer(scope, fn, options.layerVersion, options.latestLayerFromSsm === true);
  const environment: { [key: string]: string } = {
    [SERVICE_NAME_VARIABLE]: options.serviceName ?? fn.node.id,
  };
  if (options.captureResponse !== undefined) {
    environment[CAPTURE_RESPONSE_VARIABLE] = `${options.captureResponse}`;
  }
  if (options.captureError !== undefined) {
    environment[CAPTURE_ERROR_VARIABLE] = `${options.captureError}`;
  }
  noteXRaySdkUse(fn, 'Instrumentation.powertools(): its Tracer uses the SDK');
  return { layers: [layer], environment };
}

/**
 * Whether `layer` is a public Powertools for AWS Lambda (Python) layer, which brings the AWS X-Ray SDK
 * (its Tracer's dependency). Recognized by the layer name in its ARN.
 */
export function isPowertoolsLayer(layer: lambda.ILayerVersion): boolean {
  const arn = JSON.stringify(Stack.of(layer).resolve(layer.layerVersionArn));
  return POWERTOOLS_LAYER_ARN.test(arn) || arn.includes(`resolve:ssm:${POWERTOOLS_SSM_PREFIX}`);
}

/** The start of Powertools' public SSM parameters (`/aws/service/powertools/python/`), from the layer data. */
const POWERTOOLS_SSM_PREFIX = POWERTOOLS_PYTHON_LAYER.ssmParameter.slice(0, POWERTOOLS_PYTHON_LAYER.ssmParameter.indexOf('{'));

function defaultLayer(scope: Construct, fn: lambda.Function, version: number | undefined, fromSsm: boolean): lambda.ILayerVersion {
  const data = POWERTOOLS_PYTHON_LAYER;
  const runtime = fn.runtime.name;
  if (!data.runtimes.includes(runtime)) {
    throw new TracedLambdaError(ErrorId.INSTRUMENTATION_RUNTIME_UNSUPPORTED, fn,
      `the public Powertools for AWS Lambda (Python) v3 layer exists for ${data.runtimes.join(', ')}, but the function runs ${runtime}. `
      + 'Fix: use one of those runtimes, or pass your own layer: Instrumentation.powertools({ layer }).');
  }
  if (fromSsm) {
    // Resolved by CloudFormation at deploy time: the newest layer for the region, runtime and architecture.
    (fn.node.defaultChild as lambda.CfnFunction).addMetadata(TracingContract.LAYER_VERSION_SOURCE_METADATA_KEY,
      `Powertools' public SSM parameter, resolved at each deploy (${data.source})`);
    return lambda.LayerVersion.fromLayerVersionArn(scope, 'PowertoolsLayer', powertoolsSsmLayerArn(runtime, fn.architecture.name));
  }
  const lookup = powertoolsLayerArn(fn, runtime, fn.architecture.name, version);
  if ('missing' in lookup) {
    throw new TracedLambdaError(ErrorId.INSTRUMENTATION_LAYER_NOT_FOUND, fn,
      `Instrumentation.powertools() has no layer for this function: ${lookup.missing}. `
      + 'Fix: pass the layer yourself: Instrumentation.powertools({ layer: lambda.LayerVersion.fromLayerVersionArn(this, \'Powertools\', \'<ARN of the Powertools layer for your region>\') }).');
  }
  return lambda.LayerVersion.fromLayerVersionArn(scope, 'PowertoolsLayer', lookup.arn);
}
