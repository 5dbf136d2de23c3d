import { Annotations, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { XRayPermissions } from '../xray-permissions';

/** What `grantXRayWrite` did. */
export enum XRayGrantOutcome {
  /** The role now carries the grant. */
  GRANTED = 'granted',
  /** The role already carried this grant from an earlier call (TracedFunction or TracingAspect). */
  ALREADY_GRANTED = 'already-granted',
  /** The role cannot be changed here; a warning on `scope` says what to attach. */
  WARNED = 'warned',
}

/** Warning id used on functions whose role could not take the X-Ray grant. */
export const XRAY_NOT_GRANTED_WARNING = 'cdk-traced-lambda:xrayPermissionsNotGranted';

const MARKER_PREFIX = 'TracedLambdaXRayWriteAccess';

/**
 * Grants X-Ray write access to a function's execution role, exactly once per role and choice.
 *
 * - an owned `iam.Role`: the AWS managed policy is attached, or one inline statement is added
 *   (to the role's DefaultPolicy, which the function already depends on);
 * - an imported role that is mutable and `LEAST_PRIVILEGE`: aws-cdk-lib attaches a new inline Policy;
 * - anything else (immutable or imported role with the managed policy, no role): nothing is changed and
 *   a warning on `scope` names the policy and the actions the user must attach.
 *
 * Idempotent: a marker construct under the role records each grant, so the TracingAspect and
 * TracedFunction never add the same grant twice.
 */
export function grantXRayWrite(scope: IConstruct, role: iam.IRole | undefined, permissions: XRayPermissions): XRayGrantOutcome {
  if (!role) {
    warnNotGranted(scope, 'it has no execution role that this app defines', permissions);
    return XRayGrantOutcome.WARNED;
  }
  const markerId = `${MARKER_PREFIX}${permissions.name}`;
  if (role.node.tryFindChild(markerId)) {
    return XRayGrantOutcome.ALREADY_GRANTED;
  }

  const owned = Resource.isOwnedResource(role);
  if (permissions === XRayPermissions.MANAGED_POLICY) {
    if (!owned) {
      warnNotGranted(scope, `its execution role ${describeRole(role)} is imported, and the managed policy cannot be attached to it from here`, permissions);
      return XRayGrantOutcome.WARNED;
    }
    role.addManagedPolicy(managedXRayPolicy());
  } else {
    const result = role.addToPrincipalPolicy(xrayWriteStatement());
    if (!result.statementAdded) {
      warnNotGranted(scope, `its execution role ${describeRole(role)} is imported as immutable`, permissions);
      return XRayGrantOutcome.WARNED;
    }
  }
  new Construct(role, markerId);
  return XRayGrantOutcome.GRANTED;
}

/** The AWS managed policy AWSXRayDaemonWriteAccess, with a partition-aware ARN. */
export function managedXRayPolicy(): iam.IManagedPolicy {
  return iam.ManagedPolicy.fromAwsManagedPolicyName(XRayPermissions.MANAGED_POLICY_NAME);
}

/** The least-privilege statement: the two write actions on `*` (they have no resource-level permissions). */
export function xrayWriteStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: [...XRayPermissions.WRITE_ACTIONS],
    resources: ['*'],
  });
}

/** The text that tells a user what to attach themselves. */
export function whatToAttach(permissions: XRayPermissions): string {
  const actions = XRayPermissions.WRITE_ACTIONS.join(' and ');
  return permissions === XRayPermissions.MANAGED_POLICY
    ? `attach the AWS managed policy ${XRayPermissions.MANAGED_POLICY_NAME} (arn:<partition>:iam::aws:policy/${XRayPermissions.MANAGED_POLICY_NAME}) to it, or allow ${actions} on "*"`
    : `allow ${actions} on "*" in one of its policies, or attach the AWS managed policy ${XRayPermissions.MANAGED_POLICY_NAME}`;
}

function warnNotGranted(scope: IConstruct, why: string, permissions: XRayPermissions) {
  Annotations.of(scope).addWarningV2(
    XRAY_NOT_GRANTED_WARNING,
    `${scope.node.path}: X-Ray write access was not granted because ${why}. `
    + `Lambda cannot send this function's traces until you ${whatToAttach(permissions)}.`,
  );
}

function describeRole(role: iam.IRole): string {
  const arn = role.roleArn;
  return Token.isUnresolved(arn) ? `'${role.node.path}'` : `'${Stack.of(role).resolve(arn)}'`;
}
