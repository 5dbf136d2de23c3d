import { CfnResource } from 'aws-cdk-lib';
import { stackIndex } from './template';
import { asList, referencedLogicalId } from '../../private/stack-index';
import { policyName, wildcard } from '../../tracing/private/role-policy';

/** What a function's execution role holds, as far as its stack tells. */
export interface RolePolicies {
  /** Names of the AWS managed policies attached to it (`arn:<partition>:iam::aws:policy/<path/>Name`). */
  readonly awsManagedPolicies: string[];
  /** The policy documents of its inline policies, `AWS::IAM::Policy`s and the stack's `AWS::IAM::ManagedPolicy`s attached to it. */
  readonly documents: any[];
  /** It has a managed policy whose content cannot be known here (a customer managed policy of another stack or account). */
  readonly unknownManagedPolicy: boolean;
}

/** The policies of the execution role of a function resource, or undefined when the role is not in the function's stack. */
export function executionRolePolicies(fn: CfnResource): RolePolicies | undefined {
  const index = stackIndex(fn);
  const roleId = referencedLogicalId(index.render(fn).properties.Role);
  const role = index.find('AWS::IAM::Role', roleId);
  if (!role || roleId === undefined) return undefined;
  const roleProps = index.render(role).properties;
  const documents: any[] = asList(roleProps.Policies).map(p => p?.PolicyDocument);
  const awsManagedPolicies: string[] = [];
  let unknownManagedPolicy = false;
  for (const arn of asList(roleProps.ManagedPolicyArns)) {
    const policy = policyName(arn);
    if (policy?.awsManaged) {
      awsManagedPolicies.push(policy.name);
      continue;
    }
    const inStack = index.find('AWS::IAM::ManagedPolicy', referencedLogicalId(arn));
    if (inStack) documents.push(index.render(inStack).properties.PolicyDocument);
    else unknownManagedPolicy = true;
  }
  for (const policy of index.policiesAttachedTo(roleId)) {
    documents.push(index.render(policy).properties.PolicyDocument);
  }
  return { awsManagedPolicies, documents, unknownManagedPolicy };
}

/**
 * Whether the documents together allow every action on a resource that `coversResource` accepts,
 * and no Deny statement names the action. Action wildcards (`logs:*`, `logs:Put*`) count.
 */
export function allowsActions(documents: any[], actions: string[], coversResource: (resource: any) => boolean): boolean {
  const statements = documents.flatMap(d => asList(d?.Statement));
  const covers = (s: any, action: string) => asList(s?.Action).some(p => typeof p === 'string' && wildcard(p).test(action));
  return actions.every(action =>
    statements.some(s => s?.Effect === 'Allow' && covers(s, action) && asList(s.Resource).some(coversResource))
    && !statements.some(s => s?.Effect === 'Deny' && covers(s, action)));
}
