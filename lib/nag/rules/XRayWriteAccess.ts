import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { referencedLogicalId } from '../../private/stack-index';
import { findRoleGrant } from '../../tracing/private/role-policy';
import { XRAY_WRITE_ACCESS } from '../../tracing/private/xray-grant';
import { LAMBDA_FUNCTION, resolvedProperties, stackIndex } from '../private/template';

/**
 * A function's execution role, defined in the function's stack, has X-Ray write access in any form that
 * TracedFunction and the TracingAspect recognize (one implementation, `findRoleGrant`): the AWS managed
 * policies AWSXRayDaemonWriteAccess, AWSXrayWriteOnlyAccess or AWSXrayFullAccess, the console's
 * AWSLambdaTracerAccessExecutionRole-* policy, or statements allowing `xray:PutTraceSegments` and
 * `xray:PutTelemetryRecords` on `*` in the role's inline `Policies`, an `AWS::IAM::Policy` or an
 * `AWS::IAM::ManagedPolicy` of the stack (wildcards such as `xray:*` count; a Deny wins).
 *
 * Not applicable when the role is not in the stack (imported, an ARN string, a parameter), or when the role
 * lacks the actions but has a managed policy whose content cannot be known here.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (node.cfnResourceType !== LAMBDA_FUNCTION) return NagRuleCompliance.NOT_APPLICABLE;
    const index = stackIndex(node);
    const role = index.find('AWS::IAM::Role', referencedLogicalId(resolvedProperties(node).Role));
    if (!role) return NagRuleCompliance.NOT_APPLICABLE;
    const lookup = findRoleGrant(role, XRAY_WRITE_ACCESS, index);
    if (lookup.status === 'granted') return NagRuleCompliance.COMPLIANT;
    return lookup.status === 'unknown' ? NagRuleCompliance.NOT_APPLICABLE : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
