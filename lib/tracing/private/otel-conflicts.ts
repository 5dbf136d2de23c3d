import { Annotations, CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { APPLICATION_SIGNALS_ACCESS } from './application-signals';
import { wildcard } from './role-policy';
import { AnnotationId, TracingContract } from '../../contract';
import { OtelWiring, otelWiring, UNKNOWN } from '../../nag/private/otel-wiring';
import { allowsActions, executionRolePolicies } from '../../nag/private/role-policies';
import { renderResource } from '../../private/cfn';
import { shown } from '../../private/untrusted-text';
import { applicationSignalsEnabled } from '../otel-wrapper-data';

/*
 * One reading of a function's OpenTelemetry wiring for two consumers: the TracingChecks rules
 * (TracedLambda-OtelExecWrapper, TracedLambda-ApplicationSignalsPolicy) and the warnings TracedFunction adds at
 * synthesis whether or not the app runs the pack. Each reading takes the wiring (`otelWiring`) and answers.
 */

/** How a function's `AWS_LAMBDA_EXEC_WRAPPER` and its layers fit together. */
export type ExecWrapperReading =
  /** An OpenTelemetry layer with its wrapper. */
  | 'fits'
  /** An OpenTelemetry layer, and the variable unset or naming another wrapper: the layer instruments nothing. */
  | 'layer-without-wrapper'
  /** `/opt/otel-instrument` without an OpenTelemetry layer: the script is missing and every cold start fails. */
  | 'wrapper-without-layer'
  /** Neither, another wrapper without an OpenTelemetry layer, or values that cannot be read (tokens, layers of the stack). */
  | 'not-applicable';

/** Reads the exec wrapper against the layers. */
export function execWrapperReading(wiring: OtelWiring): ExecWrapperReading {
  if (wiring.wrapper === UNKNOWN) return 'not-applicable';
  const otelWrapper = wiring.wrapper === TracingContract.OTEL_EXEC_WRAPPER;
  if (wiring.otelLayer) {
    return otelWrapper ? 'fits' : 'layer-without-wrapper';
  }
  if (!otelWrapper) return 'not-applicable';
  // The wrapper without a layer we can name: wrong for certain only when every layer is known.
  return wiring.unknownLayers ? 'not-applicable' : 'wrapper-without-layer';
}

/** Whether Application Signals is on and the execution role may write it. */
export type ApplicationSignalsReading = 'granted' | 'missing' | 'not-applicable';

/** The AWS managed policy that Application Signals on Lambda needs, and those that include it (the grant's own list). */
const APPLICATION_SIGNALS_MANAGED_POLICIES = [APPLICATION_SIGNALS_ACCESS.managedPolicyName, ...APPLICATION_SIGNALS_ACCESS.equivalentManagedPolicies];

/** The log group the layer writes Application Signals data to. */
const APPLICATION_SIGNALS_LOG_GROUP = 'arn:aws:logs:us-east-1:111111111111:log-group:/aws/application-signals/data:log-stream:x';

/**
 * Application Signals is on (the AWSOpenTelemetryDistroPython layer with its wrapper, and
 * `OTEL_AWS_APPLICATION_SIGNALS_ENABLED` unset, empty or `true` in any case, as `applicationSignalsEnabled` reads
 * the layer; a value known only at deployment may be on) and the role holds the managed
 * policy (or AdministratorAccess), or statements allowing `xray:PutTraceSegments` on `*` and
 * `logs:CreateLogStream`/`logs:PutLogEvents` on the Application Signals log group. Not applicable when it is off,
 * the role is not in the stack, or a managed policy of unknown content may hold it.
 */
export function applicationSignalsReading(node: CfnResource, wiring: OtelWiring): ApplicationSignalsReading {
  const enabled = wiring.applicationSignals === UNKNOWN || applicationSignalsEnabled(wiring.applicationSignals);
  if (!wiring.distroLayer || wiring.wrapper !== TracingContract.OTEL_EXEC_WRAPPER || !enabled) return 'not-applicable';
  const role = executionRolePolicies(node);
  if (!role) return 'not-applicable';
  if (role.awsManagedPolicies.some(p => APPLICATION_SIGNALS_MANAGED_POLICIES.includes(p))) return 'granted';
  const equivalent = allowsActions(role.documents, ['xray:PutTraceSegments'], r => r === '*')
    && allowsActions(role.documents, ['logs:CreateLogStream', 'logs:PutLogEvents'], coversLogGroup);
  if (equivalent) return 'granted';
  return role.unknownManagedPolicy ? 'not-applicable' : 'missing';
}

/** A resource that covers the Application Signals log group: `*`, a matching wildcard ARN, or a joined ARN naming it. */
function coversLogGroup(resource: any): boolean {
  if (typeof resource === 'string') return resource.includes('/aws/application-signals/data') || wildcard(resource).test(APPLICATION_SIGNALS_LOG_GROUP);
  return JSON.stringify(resource).includes('/aws/application-signals/data');
}

/**
 * At synthesis: warns when the function's exec wrapper and layers do not fit (`execWrapperReading`), whatever
 * its instrumentation. Reads the function's own resource only.
 */
export function reportExecWrapperConflict(fn: IConstruct): void {
  const cfn = fn.node.defaultChild;
  if (!CfnResource.isCfnResource(cfn)) return;
  const wiring = otelWiring(cfn, renderResource(cfn));
  const reading = execWrapperReading(wiring);
  const variable = TracingContract.EXEC_WRAPPER_VARIABLE;
  if (reading === 'layer-without-wrapper') {
    const value = wiring.wrapper === undefined ? 'is not set' : `is ${JSON.stringify(wiring.wrapper)}`;
    Annotations.of(fn).addWarningV2(AnnotationId.OTEL_EXEC_WRAPPER_REPLACED,
      `${fn.node.path}: the function has an OpenTelemetry layer, but ${variable} ${value}, so the layer's wrapper never runs and `
      + `the layer instruments nothing. Fix: remove ${variable} from the function's environment (the instrumentation sets `
      + `${TracingContract.OTEL_EXEC_WRAPPER}), or have your wrapper exec ${TracingContract.OTEL_EXEC_WRAPPER} "$@" and acknowledge this warning.`);
  } else if (reading === 'wrapper-without-layer') {
    Annotations.of(fn).addWarningV2(AnnotationId.OTEL_EXEC_WRAPPER_WITHOUT_LAYER,
      `${fn.node.path}: ${variable} is ${TracingContract.OTEL_EXEC_WRAPPER}, but the function has no OpenTelemetry layer that provides it, `
      + 'so every cold start fails. Fix: use instrumentation: Instrumentation.openTelemetry() (it adds the layer and the variable), '
      + `or remove ${variable} from the environment.`);
  }
}

/**
 * At synthesis, for `openTelemetry()` without `applicationSignals`: the user's `OTEL_AWS_APPLICATION_SIGNALS_ENABLED`
 * (their value wins over the instrumentation's `false`) turns Application Signals on (`true` in any case, empty or
 * removed: `applicationSignalsEnabled`), and the role lacks the access. Warns rather than granting: an environment
 * variable does not widen a role. Reads as TracedLambda-ApplicationSignalsPolicy does (`applicationSignalsReading`),
 * except for a value known only at deployment, which the rule fails and this leaves unsaid.
 */
export function reportApplicationSignalsVariable(fn: IConstruct): void {
  const cfn = fn.node.defaultChild;
  if (!CfnResource.isCfnResource(cfn)) return;
  const wiring = otelWiring(cfn, renderResource(cfn));
  const value = wiring.applicationSignals;
  if (value === UNKNOWN) return;
  if (applicationSignalsReading(cfn, wiring) !== 'missing') return;
  const variable = TracingContract.APPLICATION_SIGNALS_VARIABLE;
  const setting = value === undefined ? `has no ${variable} (unset, the layer turns Application Signals on)`
    : `sets ${variable} to ${shown(value)}, which the layer reads as on`;
  Annotations.of(fn).addWarningV2(AnnotationId.APPLICATION_SIGNALS_VARIABLE_WITHOUT_POLICY,
    `${fn.node.path}: the environment ${setting}, but the execution role has no `
    + 'CloudWatch Application Signals access (the AWS managed policy CloudWatchLambdaApplicationSignalsExecutionRolePolicy), '
    + 'so the layer\'s Application Signals export is denied. Fix: Instrumentation.openTelemetry({ applicationSignals: true }) '
    + `(sets the variable and attaches the policy once per role) instead of the variable, attach the policy yourself, or set ${variable} to false.`);
}
