import { Annotations, CfnResource, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, Dependable, IConstruct } from 'constructs';
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
 * - an owned `iam.Role`: the AWS managed policy is attached, or one inline statement is added in an
 *   `AWS::IAM::Policy` of its own under the role (which the function already depends on);
 * - an imported role that is mutable and `LEAST_PRIVILEGE`: aws-cdk-lib attaches a new inline Policy;
 * - anything else (immutable or imported role with the managed policy, no role): nothing is changed and
 *   a warning on `scope` names the policy and the actions the user must attach.
 *
 * Idempotent: a marker construct under the role records each grant, so the TracingAspect and
 * TracedFunction never add the same grant twice.
 */
export function grantXRayWrite(scope: IConstruct, role: iam.IRole | undefined, permissions: XRayPermissions): XRayGrantOutcome {
  if (!role) {
    warnXRayNotGranted(scope, 'it has no execution role that this app defines', permissions);
    return XRayGrantOutcome.WARNED;
  }
  const markerId = `${MARKER_PREFIX}${permissions.name}`;
  if (role.node.tryFindChild(markerId)) {
    return XRayGrantOutcome.ALREADY_GRANTED;
  }

  const owned = Resource.isOwnedResource(role);
  if (permissions === XRayPermissions.MANAGED_POLICY) {
    if (!owned) {
      warnXRayNotGranted(scope, `its execution role ${describeRole(role)} is imported, and the managed policy cannot be attached to it from here`, permissions);
      return XRayGrantOutcome.WARNED;
    }
    role.addManagedPolicy(managedXRayPolicy());
    recordXRayGrant(role.node.defaultChild as CfnResource, XRayPermissions.MANAGED_POLICY);
  } else if (owned) {
    // A policy of its own (not the role's DefaultPolicy), so that acknowledging its `Resource::*`
    // (TracedLambdaNag) can never hide another statement's wildcard. It sits under the role, so the
    // function, which depends on its role, depends on it too.
    const policy = new iam.Policy(role, markerId, { statements: [xrayWriteStatement()] });
    role.attachInlinePolicy(policy);
    recordXRayGrant(policy.node.defaultChild as CfnResource, XRayPermissions.LEAST_PRIVILEGE);
    return XRayGrantOutcome.GRANTED;
  } else {
    const result = role.addToPrincipalPolicy(xrayWriteStatement());
    // An immutable role (`fromRoleArn(..., { mutable: false })`, or a role of another account) reports
    // `statementAdded: true` but adds the statement nowhere: it has no policy to depend on.
    const addedToAPolicy = result.policyDependable !== undefined
      && Dependable.of(result.policyDependable).dependencyRoots.length > 0;
    if (!result.statementAdded || !addedToAPolicy) {
      warnXRayNotGranted(scope, `its execution role ${describeRole(role)} is imported as immutable`, permissions);
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

/** Adds the warning that X-Ray write access was not granted to `scope`'s role, and why. */
export function warnXRayNotGranted(scope: IConstruct, why: string, permissions: XRayPermissions) {
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

/** Whether `role` already carries an X-Ray grant from this library, whichever `XRayPermissions` it used. */
export function hasXRayGrant(role: IConstruct): boolean {
  return role.node.children.some(c => c.node.id.startsWith(MARKER_PREFIX));
}

/**
 * Grants X-Ray write access to an L1 or raw `AWS::IAM::Role` of the same stack as `fn`, once per role.
 *
 * Used for functions that have no L2 role (L1 `CfnFunction`s, aws-cdk-lib's `CustomResourceProvider`):
 * - `MANAGED_POLICY`: the policy ARN is appended to the role's `ManagedPolicyArns`;
 * - `LEAST_PRIVILEGE`: a new `AWS::IAM::Policy` beside the role holds the statement, and `fn` depends on it.
 *
 * A role already granted by this library (either choice) is left alone. If the role's `ManagedPolicyArns`
 * is a token that cannot be extended, nothing is changed and a warning on `fn` says what to attach.
 */
export function grantXRayWriteToCfnRole(fn: CfnResource, role: CfnResource, permissions: XRayPermissions): XRayGrantOutcome {
  if (hasXRayGrant(role)) {
    return XRayGrantOutcome.ALREADY_GRANTED;
  }
  const markerId = `${MARKER_PREFIX}${permissions.name}`;
  if (permissions === XRayPermissions.MANAGED_POLICY) {
    const arn = managedXRayPolicy().managedPolicyArn;
    // A raw CfnResource keeps its properties as given; read them to append rather than replace.
    const existing: unknown = role instanceof iam.CfnRole
      ? role.managedPolicyArns ?? []
      : (role as unknown as { _cfnProperties?: { ManagedPolicyArns?: unknown } })._cfnProperties?.ManagedPolicyArns ?? [];
    if (!Array.isArray(existing) || Token.isUnresolved(existing)) {
      warnXRayNotGranted(fn, `the ManagedPolicyArns of its execution role '${role.node.path}' is a token that cannot be extended`, permissions);
      return XRayGrantOutcome.WARNED;
    }
    if (role instanceof iam.CfnRole) {
      role.managedPolicyArns = [...existing, arn];
    } else {
      role.addPropertyOverride('ManagedPolicyArns', [...existing, arn]);
    }
    recordXRayGrant(role, XRayPermissions.MANAGED_POLICY);
    new Construct(role, markerId);
  } else {
    new Construct(role, markerId);
    const scope = role.node.scope ?? Stack.of(role);
    const policy = new iam.CfnPolicy(scope, `${role.node.id}${MARKER_PREFIX}`, {
      policyName: `${MARKER_PREFIX}`,
      roles: [role.ref],
      policyDocument: new iam.PolicyDocument({ statements: [xrayWriteStatement()] }),
    });
    fn.addResourceDependency(policy);
    recordXRayGrant(policy, XRayPermissions.LEAST_PRIVILEGE);
  }
  return XRayGrantOutcome.GRANTED;
}


const XRAY_GRANTS = Symbol.for('cdk-traced-lambda.xrayGrants');

/** Records on `resource` (the role or policy that now holds it) that this library made an X-Ray grant. */
function recordXRayGrant(resource: CfnResource, permissions: XRayPermissions): void {
  const holder = resource as unknown as { [XRAY_GRANTS]?: XRayPermissions[] };
  holder[XRAY_GRANTS] = [...(holder[XRAY_GRANTS] ?? []), permissions];
}

/** The X-Ray grants this library made on `resource` (an `AWS::IAM::Role` or `AWS::IAM::Policy`). */
export function xrayGrantsOn(resource: CfnResource): XRayPermissions[] {
  return (resource as unknown as { [XRAY_GRANTS]?: XRayPermissions[] })[XRAY_GRANTS] ?? [];
}
