import { Annotations, Resource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';

/** What `attachAwsManagedPolicyOnce` did. */
export enum ManagedPolicyOutcome {
  /** The policy is now attached to the role. */
  ATTACHED = 'attached',
  /** The role already had it: from an earlier call, or attached by the user. */
  ALREADY_ATTACHED = 'already-attached',
  /** The role cannot be changed here; a warning on `scope` says what to attach. */
  WARNED = 'warned',
}

const MARKER_PREFIX = 'TracedLambdaManagedPolicy';

/**
 * Attaches the AWS managed policy `policyName` to a function's execution role, once per role: two
 * functions sharing a role get one attachment, and a role that already lists the policy keeps one copy.
 * A role this app does not own (imported), or no role, gets nothing and a warning
 * `warningId` on `scope` names the policy to attach.
 *
 * Kept apart from the X-Ray grant on purpose (same rule, different policy); the two can share one
 * "grant once per role" mechanism.
 */
export function attachAwsManagedPolicyOnce(scope: IConstruct, role: iam.IRole | undefined, policyName: string, warningId: string, needed: string): ManagedPolicyOutcome {
  const warn = (why: string) => {
    Annotations.of(scope).addWarningV2(warningId, `${scope.node.path}: the AWS managed policy ${policyName} was not attached because ${why}. `
      + `${needed} needs it: attach arn:<partition>:iam::aws:policy/${policyName} to the role yourself.`);
    return ManagedPolicyOutcome.WARNED;
  };
  if (!role) {
    return warn('the function has no execution role that this app defines');
  }
  const markerId = `${MARKER_PREFIX}${policyName}`;
  if (role.node.tryFindChild(markerId)) {
    return ManagedPolicyOutcome.ALREADY_ATTACHED;
  }
  if (!Resource.isOwnedResource(role)) {
    return warn(`the execution role '${role.node.path}' is imported`);
  }
  new Construct(role, markerId);
  // A role that already lists the policy (the user attached it) keeps one copy: iam.Role renders its
  // ManagedPolicyArns as a set of unique ARNs.
  role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(policyName));
  return ManagedPolicyOutcome.ATTACHED;
}
