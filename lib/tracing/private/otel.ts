import { Annotations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { APPLICATION_SIGNALS_ACCESS } from './application-signals';
import { noteAtSynthesis } from './at-synthesis';
import type { InstrumentationConfig } from './instrumentation-config';
import { otelLayerArn } from './layer-arns';
import { reportApplicationSignalsVariable } from './otel-conflicts';
import { checkInstrumentationsShape, disabledInstrumentationsValue } from './otel-instrumentations';
import { LayerRelease, releaseOfOpenTelemetryLayer } from './otel-release';
import { ensureRolePolicy } from './role-policy';
import { AnnotationId, ErrorId, TracingContract } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import type { OpenTelemetryInstrumentationOptions } from '../instrumentation-options';
import { OTEL_PYTHON_LAYER } from '../layer-data';
import { FAST_START_FIRST_RELEASE, newestWrapperRelease, releaseAtLeast, wrapperRelease } from '../otel-wrapper-data';

/** Where option errors are reported: no construct exists yet. */
const WHERE = 'Instrumentation.openTelemetry()';

/** Checks the options before any construct exists; throws naming the option, the value and the fix. */
export function checkOpenTelemetryOptions(options: OpenTelemetryInstrumentationOptions): void {
  if (options.layerVersion !== undefined && options.layer !== undefined) {
    throw new TracedLambdaError(ErrorId.INSTRUMENTATION_LAYER_CONFLICT, WHERE,
      'pass either `layerVersion` (a version of AWS\'s layer) or `layer` (your own layer), not both, '
      + `but received layerVersion ${options.layerVersion} and layer '${options.layer.node.path}'. Fix: remove one of them.`);
  }
  if (options.layerVersion !== undefined && !(Number.isInteger(options.layerVersion) && options.layerVersion > 0)) {
    throw new TracedLambdaError(ErrorId.INSTRUMENTATION_LAYER_VERSION_INVALID, WHERE,
      `layerVersion must be a positive whole number, but received ${options.layerVersion}. `
      + 'Fix: pass the number at the end of the layer version ARN, e.g. layerVersion: 29.');
  }
  checkInstrumentationsShape(options.instrumentations);
}

/** What `Instrumentation.openTelemetry()` adds to `fn`. */
export function bindOpenTelemetry(scope: Construct, fn: lambda.Function, options: OpenTelemetryInstrumentationOptions): InstrumentationConfig {
  const runtime = fn.runtime.name;
  if (options.layer === undefined && !OTEL_PYTHON_LAYER.runtimes.includes(runtime)) {
    throw new TracedLambdaError(ErrorId.INSTRUMENTATION_RUNTIME_UNSUPPORTED, fn,
      `AWS's ${OTEL_PYTHON_LAYER.layerName} layer supports ${OTEL_PYTHON_LAYER.runtimes.join(', ')}, but the function runs ${runtime}. `
      + `Fix: use one of those runtimes, or pass a layer built for ${runtime}: Instrumentation.openTelemetry({ layer }).`);
  }
  const layer = options.layer ?? defaultLayer(scope, fn, options.layerVersion);
  const fastStart = options.fastStart === true;
  const inUse = releaseOfOpenTelemetryLayer(fn, options);
  if (fastStart) checkFastStart(fn, inUse);
  // An unknown release, or one this library does not describe, is read as the newest one it describes (fast start needs it anyway).
  const release = (inUse.release !== undefined ? wrapperRelease(inUse.release) : undefined) ?? newestWrapperRelease();

  const environment: { [key: string]: string } = {
    [TracingContract.EXEC_WRAPPER_VARIABLE]: TracingContract.OTEL_EXEC_WRAPPER,
    [TracingContract.APPLICATION_SIGNALS_VARIABLE]: options.applicationSignals ? 'true' : 'false',
  };
  if (fastStart) {
    environment[TracingContract.FAST_START_VARIABLE] = 'true';
  }
  const disabled = disabledInstrumentationsValue(fn, options.instrumentations, release, fastStart, inUse.release);
  if (disabled !== undefined) {
    environment[TracingContract.DISABLED_INSTRUMENTATIONS_VARIABLE] = disabled;
  }
  if (options.applicationSignals) {
    ensureRolePolicy(fn, fn.role, APPLICATION_SIGNALS_ACCESS, 'managed-policy');
  } else {
    // The user's OTEL_AWS_APPLICATION_SIGNALS_ENABLED (true, or empty: the wrapper's default) wins over 'false': it needs the policy too.
    noteAtSynthesis(fn, () => reportApplicationSignalsVariable(fn));
  }
  return { layers: [layer], environment };
}

/** Fast start needs release v0.19.0 or later: an older known release is an error, an unknown one a warning. */
function checkFastStart(fn: lambda.Function, inUse: LayerRelease): void {
  const fixes = `pass a layerVersion of release ${FAST_START_FIRST_RELEASE} or later for the region, name one in your layer versions file, `
    + 'or run `npx cdk-traced-lambda layers --check` to find the newest published version';
  if (inUse.release === undefined) {
    Annotations.of(fn).addWarningV2(AnnotationId.OTEL_FAST_START_RELEASE_UNKNOWN,
      `${fn.node.path}: fastStart sets ${TracingContract.FAST_START_VARIABLE}=true, but the release of ${inUse.layer} is unknown: ${inUse.why}. `
      + `Releases before ${FAST_START_FIRST_RELEASE} ignore the variable and start the full SDK. If the layer is ${FAST_START_FIRST_RELEASE} or later, `
      + `acknowledge this warning; otherwise ${fixes}.`);
    return;
  }
  if (!releaseAtLeast(inUse.release, FAST_START_FIRST_RELEASE)) {
    throw new TracedLambdaError(ErrorId.OTEL_OPTION_UNSUPPORTED, fn,
      `fastStart needs the AWSOpenTelemetryDistroPython layer release ${FAST_START_FIRST_RELEASE} or later, but ${inUse.layer} is release ${inUse.release} `
      + `(${inUse.why}), whose wrapper has no fast start. Fix: ${fixes}; or remove fastStart.`);
  }
}

function defaultLayer(scope: Construct, fn: lambda.Function, version: number | undefined): lambda.ILayerVersion {
  const lookup = otelLayerArn(fn, version);
  if ('missing' in lookup) {
    throw new TracedLambdaError(ErrorId.INSTRUMENTATION_LAYER_NOT_FOUND, fn,
      `Instrumentation.openTelemetry() has no layer for this function: ${lookup.missing}. `
      + 'Fix: pass the layer yourself: Instrumentation.openTelemetry({ layer: lambda.LayerVersion.fromLayerVersionArn(this, \'Otel\', \'<ARN of an AWSOpenTelemetryDistroPython layer>\') }), '
      + 'or deploy the stack to a region that has it.');
  }
  return lambda.LayerVersion.fromLayerVersionArn(scope, 'OpenTelemetryLayer', lookup.arn);
}
