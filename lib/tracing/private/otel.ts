import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { InstrumentationConfig } from './instrumentation-config';
import { otelLayerArn } from './layer-arns';
import { ensureRolePolicy, RolePolicyRequirement } from './role-policy';
import { AnnotationId, ErrorId, TracingContract } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import type { OpenTelemetryInstrumentationOptions } from '../instrumentation-options';
import { OTEL_PYTHON_LAYER } from '../layer-data';

/** The AWS managed policy Application Signals needs on the execution role. */
export const APPLICATION_SIGNALS_POLICY = 'CloudWatchLambdaApplicationSignalsExecutionRolePolicy';

/**
 * Application Signals on the execution role, granted once per role by the same rule as the X-Ray grant
 * (`ensureRolePolicy`): an earlier grant, the policy attached by the user, or AdministratorAccess stands.
 */
export const APPLICATION_SIGNALS_ACCESS: RolePolicyRequirement = {
  // `TracedLambdaApplicationSignalsMANAGED_POLICY` under the role marks the grant.
  constructId: 'TracedLambdaApplicationSignals',
  description: 'CloudWatch Application Signals access',
  managedPolicyName: APPLICATION_SIGNALS_POLICY,
  equivalentManagedPolicies: ['AdministratorAccess'],
  equivalentPolicyPrefixes: [],
  // Only the managed policy counts here: the TracedLambda-ApplicationSignalsPolicy rule also accepts statements.
  actions: [],
  notGrantedWarningId: AnnotationId.APPLICATION_SIGNALS_POLICY_NOT_ATTACHED,
  keptInfoId: AnnotationId.APPLICATION_SIGNALS_POLICY_KEPT,
};

const INSTRUMENTATION_NAME = /^[A-Za-z0-9_.-]+$/;

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
  const disabled = options.disabledInstrumentations;
  if (disabled !== undefined) {
    const bad = disabled.filter(name => !INSTRUMENTATION_NAME.test(name));
    if (disabled.length === 0 || bad.length > 0) {
      throw new TracedLambdaError(ErrorId.OTEL_DISABLED_INSTRUMENTATIONS_INVALID, WHERE,
        `disabledInstrumentations must list instrumentation names (letters, digits, '_', '.', '-'), but received ${JSON.stringify(disabled)}. `
        + 'Fix: pass e.g. [\'urllib3\', \'botocore\'], [\'none\'] to turn all on, or leave the option out for the layer\'s default.');
    }
  }
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

  const environment: { [key: string]: string } = {
    [TracingContract.EXEC_WRAPPER_VARIABLE]: TracingContract.OTEL_EXEC_WRAPPER,
    [TracingContract.APPLICATION_SIGNALS_VARIABLE]: options.applicationSignals ? 'true' : 'false',
  };
  if (options.disabledInstrumentations !== undefined) {
    environment[TracingContract.DISABLED_INSTRUMENTATIONS_VARIABLE] = options.disabledInstrumentations.join(',');
  }
  if (options.applicationSignals) {
    ensureRolePolicy(fn, fn.role, APPLICATION_SIGNALS_ACCESS, 'managed-policy');
  }
  return { layers: [layer], environment };
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
