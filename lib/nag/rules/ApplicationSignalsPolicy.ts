import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { TracingContract } from '../../contract';
import { APPLICATION_SIGNALS_ACCESS } from '../../tracing/private/otel';
import { wildcard } from '../../tracing/private/role-policy';
import { otelWiring } from '../private/otel-wiring';
import { allowsActions, executionRolePolicies } from '../private/role-policies';
import { LAMBDA_FUNCTION } from '../private/template';

/** The AWS managed policy that Application Signals on Lambda needs, and those that include it (the grant's own list). */
export const APPLICATION_SIGNALS_MANAGED_POLICIES = [
  APPLICATION_SIGNALS_ACCESS.managedPolicyName, ...APPLICATION_SIGNALS_ACCESS.equivalentManagedPolicies,
];

/** The log group the layer writes Application Signals data to. */
const APPLICATION_SIGNALS_LOG_GROUP = 'arn:aws:logs:us-east-1:111111111111:log-group:/aws/application-signals/data:log-stream:x';

/**
 * A function with CloudWatch Application Signals on (the AWSOpenTelemetryDistroPython layer with its
 * wrapper, and `OTEL_AWS_APPLICATION_SIGNALS_ENABLED` not `false`: the layer's default is on) has an
 * execution role that may write it: the AWS managed policy `CloudWatchLambdaApplicationSignalsExecutionRolePolicy`,
 * or statements that allow `xray:PutTraceSegments` on `*` and `logs:CreateLogStream` and `logs:PutLogEvents`
 * on the `/aws/application-signals/data` log group (or `*`).
 *
 * Not applicable to functions without Application Signals, whose role is not in the stack, or whose role
 * lacks the permissions but has a managed policy whose content cannot be known here.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (node.cfnResourceType !== LAMBDA_FUNCTION) return NagRuleCompliance.NOT_APPLICABLE;
    const wiring = otelWiring(node);
    const enabled = typeof wiring.applicationSignals !== 'string' || wiring.applicationSignals.toLowerCase() !== 'false';
    if (!wiring.distroLayer || wiring.wrapper !== TracingContract.OTEL_EXEC_WRAPPER || !enabled) return NagRuleCompliance.NOT_APPLICABLE;
    const role = executionRolePolicies(node);
    if (!role) return NagRuleCompliance.NOT_APPLICABLE;
    if (role.awsManagedPolicies.some(p => APPLICATION_SIGNALS_MANAGED_POLICIES.includes(p))) return NagRuleCompliance.COMPLIANT;
    const equivalent = allowsActions(role.documents, ['xray:PutTraceSegments'], r => r === '*')
      && allowsActions(role.documents, ['logs:CreateLogStream', 'logs:PutLogEvents'], coversLogGroup);
    if (equivalent) return NagRuleCompliance.COMPLIANT;
    return role.unknownManagedPolicy ? NagRuleCompliance.NOT_APPLICABLE : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);

/** A resource that covers the Application Signals log group: `*`, a matching wildcard ARN, or a joined ARN naming it. */
function coversLogGroup(resource: any): boolean {
  if (typeof resource === 'string') return resource.includes('/aws/application-signals/data') || wildcard(resource).test(APPLICATION_SIGNALS_LOG_GROUP);
  return JSON.stringify(resource).includes('/aws/application-signals/data');
}
