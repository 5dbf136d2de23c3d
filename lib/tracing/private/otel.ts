import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { otelLayerArn } from './layer-arns';
import { ensureRolePolicy, RolePolicyRequirement } from './role-policy';
import { AnnotationId, TracingContract } from '../../contract';
import type { InstrumentationConfig } from '../instrumentation';
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

/** The environment variables the layer reads. */
export const APPLICATION_SIGNALS_VARIABLE = 'OTEL_AWS_APPLICATION_SIGNALS_ENABLED';
export const DISABLED_INSTRUMENTATIONS_VARIABLE = 'OTEL_PYTHON_DISABLED_INSTRUMENTATIONS';

const INSTRUMENTATION_NAME = /^[A-Za-z0-9_.-]+$/;

/** Checks the options before any construct exists; throws naming the option, the value and the fix. */
export function checkOpenTelemetryOptions(options: OpenTelemetryInstrumentationOptions): void {
  if (options.layerVersion !== undefined && options.layer !== undefined) {
    throw new Error('Instrumentation.openTelemetry(): pass either `layerVersion` (a version of AWS\'s layer) or `layer` (your own layer), not both. '
      + `Received layerVersion ${options.layerVersion} and layer '${options.layer.node.path}'; remove one of them.`);
  }
  if (options.layerVersion !== undefined && !(Number.isInteger(options.layerVersion) && options.layerVersion > 0)) {
    throw new Error(`Instrumentation.openTelemetry(): layerVersion must be a positive whole number, but received ${options.layerVersion}. `
      + 'Pass the number at the end of the layer version ARN, e.g. layerVersion: 29.');
  }
  const disabled = options.disabledInstrumentations;
  if (disabled !== undefined) {
    const bad = disabled.filter(name => !INSTRUMENTATION_NAME.test(name));
    if (disabled.length === 0 || bad.length > 0) {
      throw new Error(`Instrumentation.openTelemetry(): disabledInstrumentations must list instrumentation names (letters, digits, '_', '.', '-'), but received ${JSON.stringify(disabled)}. `
        + 'Pass e.g. [\'urllib3\', \'botocore\'], [\'none\'] to turn all on, or leave the option out for the layer\'s default.');
    }
  }
}

/** What `Instrumentation.openTelemetry()` adds to `fn`. */
export function bindOpenTelemetry(fn: lambda.IFunction, options: OpenTelemetryInstrumentationOptions): InstrumentationConfig {
  const runtime = fn instanceof lambda.Function ? fn.runtime.name : undefined;
  if (options.layer === undefined && runtime !== undefined && !OTEL_PYTHON_LAYER.runtimes.includes(runtime)) {
    throw new Error(`${fn.node.path}: AWS's ${OTEL_PYTHON_LAYER.layerName} layer supports ${OTEL_PYTHON_LAYER.runtimes.join(', ')}, but the function runs ${runtime}. `
      + `Use one of those runtimes, or pass a layer built for ${runtime}: Instrumentation.openTelemetry({ layer }).`);
  }
  const layer = options.layer ?? defaultLayer(fn, options.layerVersion);

  const environment: { [key: string]: string } = {
    [TracingContract.EXEC_WRAPPER_VARIABLE]: TracingContract.OTEL_EXEC_WRAPPER,
    [APPLICATION_SIGNALS_VARIABLE]: options.applicationSignals ? 'true' : 'false',
  };
  if (options.disabledInstrumentations !== undefined) {
    environment[DISABLED_INSTRUMENTATIONS_VARIABLE] = options.disabledInstrumentations.join(',');
  }
  if (options.applicationSignals) {
    ensureRolePolicy(fn, fn.role, APPLICATION_SIGNALS_ACCESS, 'managed-policy');
  }
  return { layers: [layer], environment };
}

function defaultLayer(fn: lambda.IFunction, version: number | undefined): lambda.ILayerVersion {
  const lookup = otelLayerArn(fn, version);
  if ('missing' in lookup) {
    throw new Error(`${fn.node.path}: Instrumentation.openTelemetry() has no layer for this function: ${lookup.missing}. `
      + 'Pass the layer yourself: Instrumentation.openTelemetry({ layer: lambda.LayerVersion.fromLayerVersionArn(this, \'Otel\', \'<ARN of an AWSOpenTelemetryDistroPython layer>\') }), '
      + 'or deploy the stack to a region that has it.');
  }
  return lambda.LayerVersion.fromLayerVersionArn(fn as unknown as Construct, 'OpenTelemetryLayer', lookup.arn);
}
