import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { XRayPermissions } from '../../xray-permissions';
import { allInStack, asList, findInStack, LAMBDA_FUNCTION, referencedLogicalId, resolvedProperties } from '../private/template';

/**
 * AWS managed policies that allow both `xray:PutTraceSegments` and `xray:PutTelemetryRecords`.
 * - `AWSXRayDaemonWriteAccess`: what the Lambda documentation and `XRayPermissions.MANAGED_POLICY` attach;
 * - `AWSXrayWriteOnlyAccess`: the older name of the same grant;
 * - `AWSXrayFullAccess`: `xray:*`.
 */
export const XRAY_WRITE_MANAGED_POLICIES = ['AWSXRayDaemonWriteAccess', 'AWSXrayWriteOnlyAccess', 'AWSXrayFullAccess'];

/**
 * The prefix of the customer managed policy that the Lambda console creates when you turn on active
 * tracing there (`service-role/AWSLambdaTracerAccessExecutionRole-<id>`); it allows exactly the two actions.
 */
export const CONSOLE_TRACER_POLICY_PREFIX = 'AWSLambdaTracerAccessExecutionRole-';

/**
 * A function's execution role, defined in the function's stack, allows `xray:PutTraceSegments` and
 * `xray:PutTelemetryRecords` on `*`: in the role's inline `Policies`, in an `AWS::IAM::Policy` or
 * `AWS::IAM::ManagedPolicy` of the stack attached to it, or through an AWS managed policy that includes
 * them (`XRAY_WRITE_MANAGED_POLICIES`). Wildcards such as `xray:*` and `xray:Put*` count; Deny statements win.
 *
 * Not applicable when the role is not in the stack (imported, an ARN string, a parameter), or when the role
 * lacks the actions but has a managed policy whose content cannot be known here.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (node.cfnResourceType !== LAMBDA_FUNCTION) return NagRuleCompliance.NOT_APPLICABLE;
    const roleId = referencedLogicalId(resolvedProperties(node).Role);
    const role = findInStack(node, roleId, 'AWS::IAM::Role');
    if (!role) return NagRuleCompliance.NOT_APPLICABLE;

    const roleProps = resolvedProperties(role);
    const documents: any[] = asList(roleProps.Policies).map(p => p?.PolicyDocument);
    let unknownManagedPolicy = false;
    for (const arn of asList(roleProps.ManagedPolicyArns)) {
      const policy = policyName(arn);
      if (policy && ((policy.awsManaged && XRAY_WRITE_MANAGED_POLICIES.includes(policy.name))
        || policy.name.startsWith(CONSOLE_TRACER_POLICY_PREFIX))) {
        return NagRuleCompliance.COMPLIANT;
      }
      if (policy?.awsManaged) continue;
      const inStack = findInStack(node, referencedLogicalId(arn), 'AWS::IAM::ManagedPolicy');
      if (inStack) documents.push(resolvedProperties(inStack).PolicyDocument);
      else unknownManagedPolicy = true;
    }
    for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
      for (const policy of allInStack(node, type)) {
        const props = resolvedProperties(policy);
        if (asList(props.Roles).some(r => referencedLogicalId(r) === roleId)) documents.push(props.PolicyDocument);
      }
    }
    if (allowsAll(documents, XRayPermissions.WRITE_ACTIONS)) return NagRuleCompliance.COMPLIANT;
    return unknownManagedPolicy ? NagRuleCompliance.NOT_APPLICABLE : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: 'XRayWriteAccess' },
);

/** The name of the policy a resolved managed policy ARN names, and whether AWS owns it. */
function policyName(arn: any): { name: string; awsManaged: boolean } | undefined {
  const text = typeof arn === 'string' ? arn : JSON.stringify(arn);
  const match = /:iam::([^:"]*):policy\/(?:[^"/]+\/)*([^"/]+)/.exec(text);
  return match ? { name: match[2], awsManaged: match[1] === 'aws' } : undefined;
}

/** Whether the documents together allow every action on `*`, and no Deny statement covers it. */
function allowsAll(documents: any[], actions: string[]): boolean {
  const statements = documents.flatMap(d => asList(d?.Statement));
  const covers = (s: any, action: string) => asList(s?.Action).some(p => typeof p === 'string' && wildcard(p).test(action));
  return actions.every(action =>
    statements.some(s => s?.Effect === 'Allow' && covers(s, action) && asList(s.Resource).includes('*'))
    && !statements.some(s => s?.Effect === 'Deny' && covers(s, action)));
}

function wildcard(pattern: string): RegExp {
  const body = pattern.split('').map(c => c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('');
  return new RegExp(`^${body}$`, 'i');
}
