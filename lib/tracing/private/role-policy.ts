import { Annotations, CfnResource, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Dependable, IConstruct } from 'constructs';
import { rawCfnProperties, renderResource } from '../../private/cfn';
import { asList, referencedLogicalId, StackIndex } from '../../private/stack-index';

/*
 * "A role gets a permission once, whatever already grants it": one implementation for the X-Ray write grant
 * (TracedFunction, TracingAspect), the TracedLambda-XRayWriteAccess nag rule, and any other AWS managed
 * policy a function's role must hold (e.g. Application Signals' CloudWatchLambdaApplicationSignalsExecutionRolePolicy):
 * describe it as a `RolePolicyRequirement` and call `ensureRolePolicy` (to grant) or `findRoleGrant` (to check).
 */

/** A permission a function's execution role must hold, and every form that counts as holding it. */
export interface RolePolicyRequirement {
  /**
   * Construct id prefix of what this library adds under the role, e.g. `TracedLambdaXRayWriteAccess`. A public
   * contract: it is part of the logical ids of the policies this library creates.
   */
  readonly constructId: string;
  /** For messages, e.g. `X-Ray write access`. */
  readonly description: string;
  /** The AWS managed policy that the `managed-policy` form attaches, e.g. `AWSXRayDaemonWriteAccess`. */
  readonly managedPolicyName: string;
  /** Other AWS managed policies that hold the permission too (their names, without `arn:...:policy/`). */
  readonly equivalentManagedPolicies: string[];
  /** Prefixes of customer managed policy names that hold it (e.g. what the Lambda console creates). */
  readonly equivalentPolicyPrefixes: string[];
  /**
   * Actions which, all allowed on `*` by the role's statements (wildcards count, a Deny wins), hold the
   * permission; the `statement` form adds exactly these. Empty: only the managed policies count, and the
   * `statement` form is not available.
   */
  readonly actions: string[];
  /** Warning id when the role cannot take the grant (imported, immutable, no role). */
  readonly notGrantedWarningId: string;
  /** Info id when the role already held the permission in another form than the one asked for. */
  readonly keptInfoId: string;
}

/** How the permission is granted: the AWS managed policy, or one statement with exactly the actions. */
export type GrantForm = 'managed-policy' | 'statement';

/** The construct id suffixes of the two forms (kept from XRayPermissions' member names: they are in logical ids). */
const FORM_SUFFIX: Record<GrantForm, string> = { 'managed-policy': 'MANAGED_POLICY', 'statement': 'LEAST_PRIVILEGE' };

/** A grant found on a role. */
export interface FoundGrant {
  /** The form it has. */
  readonly form: GrantForm;
  /** What it is, for messages: `the AWS managed policy AWSXrayFullAccess`, `a statement ... in 'Stack/Role/DefaultPolicy'`. */
  readonly what: string;
  /** For the managed-policy form: the policy's name. */
  readonly managedPolicyName?: string;
  /** Whether this library made it (TracedFunction or TracingAspect, earlier). */
  readonly byThisLibrary?: boolean;
}

/** The resolved sources of a role's permissions. */
export interface RolePolicySources {
  /** The role's resolved `ManagedPolicyArns`. */
  readonly managedPolicyArns: unknown[];
  /** Resolved policy documents that apply to the role, each with the path of the resource that holds it. */
  readonly documents: { readonly document: unknown; readonly path: string }[];
}

/** The outcome of looking for a grant: found, absent, or unknowable (a managed policy whose content is not in the stack). */
export type GrantLookup = { readonly status: 'granted'; readonly grant: FoundGrant } | { readonly status: 'missing' | 'unknown' };

/**
 * Whether `sources` hold `requirement`: an equivalent AWS managed policy, a customer managed policy with an
 * equivalent name prefix, or statements that together allow every action on `*` (no Deny covering one).
 * `unknownManagedPolicies` says whether a managed policy of unknown content is attached (then a miss is unknown).
 */
export function findGrant(sources: RolePolicySources, requirement: RolePolicyRequirement, unknownManagedPolicies = false): GrantLookup {
  for (const arn of sources.managedPolicyArns) {
    const policy = policyName(arn);
    if (!policy) continue;
    if (policy.awsManaged && [requirement.managedPolicyName, ...requirement.equivalentManagedPolicies].includes(policy.name)) {
      return { status: 'granted', grant: { form: 'managed-policy', what: `the AWS managed policy ${policy.name}`, managedPolicyName: policy.name } };
    }
    if (!policy.awsManaged && requirement.equivalentPolicyPrefixes.some(p => policy.name.startsWith(p))) {
      return { status: 'granted', grant: { form: 'managed-policy', what: `the managed policy ${policy.name}`, managedPolicyName: policy.name } };
    }
  }
  if (requirement.actions.length > 0) {
    const statements = sources.documents.flatMap(d => asList((d.document as any)?.Statement).map(s => ({ s, path: d.path })));
    // (only called once `s?.Effect` matched: `s` is an object)
    const covers = (s: any, action: string) => asList(s.Action).some(p => typeof p === 'string' && wildcard(p).test(action));
    const allowing = requirement.actions.map(action => statements.find(({ s }) =>
      s?.Effect === 'Allow' && covers(s, action) && asList(s.Resource).includes('*')));
    const denied = requirement.actions.some(action => statements.some(({ s }) => s?.Effect === 'Deny' && covers(s, action)));
    if (!denied && allowing.every(found => found !== undefined)) {
      const paths = [...new Set(allowing.map(found => `'${found!.path}'`))].join(' and ');
      return { status: 'granted', grant: { form: 'statement', what: `a statement allowing ${requirement.actions.join(' and ')} in ${paths}` } };
    }
  }
  return { status: unknownManagedPolicies ? 'unknown' : 'missing' };
}

/**
 * Looks for `requirement` on the `AWS::IAM::Role` resource `role`, in every form CloudFormation will see: its
 * `ManagedPolicyArns` (AWS managed, or customer managed policies of the stack), its inline `Policies`, the
 * policies under it in the construct tree, and (with `index`) every `AWS::IAM::Policy`/`ManagedPolicy` of the
 * stack whose `Roles` reference it.
 */
export function findRoleGrant(role: CfnResource, requirement: RolePolicyRequirement, index?: StackIndex): GrantLookup {
  const render = (r: CfnResource) => index ? index.render(r) : renderResource(r);
  const props = render(role).properties;
  const documents = asList(props.Policies).map(p => ({ document: p?.PolicyDocument, path: role.node.path }));
  let unknown = false;
  for (const arn of asList(props.ManagedPolicyArns)) {
    const id = referencedLogicalId(arn);
    if (id === undefined) {
      const name = policyName(arn);
      if (!name || !name.awsManaged) unknown = true;
      continue;
    }
    const inStack = index?.find('AWS::IAM::ManagedPolicy', id);
    if (inStack) documents.push({ document: render(inStack).properties.PolicyDocument, path: inStack.node.path });
    else unknown = true;
  }
  const attached = new Set<CfnResource>(policiesUnder(role.node.scope ?? role, role));
  if (index) {
    for (const p of index.policiesAttachedTo(Stack.of(role).resolve(role.logicalId))) attached.add(p);
  }
  for (const policy of attached) {
    documents.push({ document: render(policy).properties.PolicyDocument, path: policy.node.path });
  }
  // A managed policy ARN of unknown content may still hide the grant: only the caller knows whether that matters.
  return findGrant({ managedPolicyArns: asList(props.ManagedPolicyArns), documents }, requirement, unknown);
}

/** Options for `ensureRolePolicy`. */
export interface EnsureOptions {
  /**
   * An index of the role's stack, to find policies defined elsewhere in the stack that attach to the role.
   * Without it only the role's own resource and the policies under it are looked at.
   */
  readonly index?: StackIndex;
  /** The role was just created for this function: nothing can have granted it yet, so do not look. */
  readonly freshRole?: boolean;
}

/**
 * Makes sure `role` holds `requirement`, exactly once per role whatever already grants it:
 *
 * - a grant this library made earlier (any form) or any existing grant (`findRoleGrant`) stands; if its form
 *   differs from `form`, an info (`requirement.keptInfoId`) on `scope` says so;
 * - otherwise an owned L2 role gets the managed policy, or the statement in a policy of its own under the role
 *   (which the function depends on); an L1/raw `AWS::IAM::Role` gets the ARN appended to `ManagedPolicyArns`,
 *   or an `AWS::IAM::Policy` beside it that `dependent` depends on; a mutable imported role gets the statement
 *   through aws-cdk-lib;
 * - anything else (no role, immutable or imported role for the managed policy, a token `ManagedPolicyArns`):
 *   nothing changes and a warning (`requirement.notGrantedWarningId`) on `scope` names what to attach.
 *
 * @param scope where annotations go (the function)
 * @param role the function's execution role: an `iam.IRole`, an `AWS::IAM::Role` CfnResource, or undefined
 * @param dependent for an L1 role with the `statement` form, the resource that must depend on the new policy
 */
export function ensureRolePolicy(scope: IConstruct, executionRole: iam.IRole | CfnResource | undefined, requirement: RolePolicyRequirement,
  form: GrantForm, dependent?: CfnResource, options: EnsureOptions = {}): void {
  if (!executionRole) {
    warnNotGranted(scope, requirement, form, 'it has no execution role that this app defines');
    return;
  }
  const role = CfnResource.isCfnResource(executionRole) ? executionRole : wrappedRole(executionRole);
  const existing = grantByThisLibrary(role, requirement) ?? (options.freshRole ? undefined : existingGrant(role, requirement, options.index));
  if (existing) {
    const same = existing.form === form
      && (form === 'statement' || existing.byThisLibrary === true || existing.managedPolicyName === requirement.managedPolicyName);
    if (!same) {
      Annotations.of(scope).addInfoV2(requirement.keptInfoId,
        `${scope.node.path}: the execution role ${describeRole(role)} already has ${requirement.description} from ${existing.what}, `
        + `so the ${FORM_SUFFIX[form]} grant asked for here was not added: a role gets one grant, and the first one stands. `
        + 'Give this function a role of its own to choose differently.');
    }
    return;
  }
  if (CfnResource.isCfnResource(role)) {
    grantToCfnRole(scope, role, requirement, form, dependent);
  } else {
    grantToRole(scope, role, requirement, form);
  }
}

/**
 * The L2 role that `role` wraps as its default child, if any: an `iam.LazyRole` creates its `iam.Role` on first
 * use, such as reading `roleArn` (which any other role just returns). Granting to the wrapper would treat it as
 * imported, as it has no `AWS::IAM::Role` of its own.
 */
function wrappedRole(role: iam.IRole): iam.IRole {
  void role.roleArn;
  const inner = role.node.defaultChild;
  return iam.Role.isRole(inner) ? wrappedRole(inner) : role;
}

/**
 * The grant this library made on `role` earlier, if any: its marker on the role object (`Symbol.for`, so it
 * works across copies of this library), or the grant's own policy under the role (statement form).
 */
function grantByThisLibrary(role: IConstruct, requirement: RolePolicyRequirement): FoundGrant | undefined {
  const marks = (role as { [MARKS]?: Set<string> })[MARKS];
  for (const form of Object.keys(FORM_SUFFIX) as GrantForm[]) {
    const markerId = `${requirement.constructId}${FORM_SUFFIX[form]}`;
    if (marks?.has(markerId) || role.node.tryFindChild(markerId)) {
      return { form, what: `the ${FORM_SUFFIX[form]} grant this library added earlier`, byThisLibrary: true };
    }
  }
  return undefined;
}

function existingGrant(role: iam.IRole | CfnResource, requirement: RolePolicyRequirement, index?: StackIndex): FoundGrant | undefined {
  const resource = CfnResource.isCfnResource(role) ? role : role.node.defaultChild;
  if (CfnResource.isCfnResource(resource) && resource.cfnResourceType === 'AWS::IAM::Role') {
    const lookup = findRoleGrant(resource, requirement, index);
    return lookup.status === 'granted' ? lookup.grant : undefined;
  }
  // An imported role: only the policies this app attaches to it (under the imported role) can be seen.
  const documents = policiesUnder(role, undefined).map(p => ({ document: renderResource(p).properties.PolicyDocument, path: p.node.path }));
  const lookup = findGrant({ managedPolicyArns: [], documents }, requirement);
  return lookup.status === 'granted' ? lookup.grant : undefined;
}

function grantToRole(scope: IConstruct, role: iam.IRole, requirement: RolePolicyRequirement, form: GrantForm): void {
  const markerId = `${requirement.constructId}${FORM_SUFFIX[form]}`;
  if (isImmutableView(role)) {
    // `role.withoutPolicyUpdates()`: aws-cdk-lib drops every grant to it without a word.
    warnNotGranted(scope, requirement, form, `its execution role ${describeRole(role)} was passed as withoutPolicyUpdates(), which drops every policy change`);
    return;
  }
  const owned = Resource.isOwnedResource(role);
  if (form === 'managed-policy') {
    if (!owned) {
      warnNotGranted(scope, requirement, form, `its execution role ${describeRole(role)} is imported, and the managed policy cannot be attached to it from here`);
      return;
    }
    role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(requirement.managedPolicyName));
    recordGrant(role.node.defaultChild as CfnResource, requirement, form);
    markGranted(role, markerId);
  } else if (owned) {
    // A policy of its own (not the role's DefaultPolicy), so that acknowledging its `Resource::*`
    // (TracedLambdaNag) can never hide another statement's wildcard. It sits under the role, so the
    // function, which depends on its role, depends on it too. Its id is the marker.
    const policy = new iam.Policy(role, markerId, { statements: [statement(requirement)] });
    role.attachInlinePolicy(policy);
    recordGrant(policy.node.defaultChild as CfnResource, requirement, form);
  } else {
    const result = role.addToPrincipalPolicy(statement(requirement));
    // An immutable role (`fromRoleArn(..., { mutable: false })`, or a role of another account) reports
    // `statementAdded: true` but adds the statement nowhere: it has no policy to depend on.
    const addedToAPolicy = result.policyDependable !== undefined && Dependable.of(result.policyDependable).dependencyRoots.length > 0;
    if (!result.statementAdded || !addedToAPolicy) {
      warnNotGranted(scope, requirement, form, `its execution role ${describeRole(role)} is imported as immutable`);
      return;
    }
    markGranted(role, markerId);
  }
}

/**
 * Whether `role` is an immutable view of a role defined elsewhere (`withoutPolicyUpdates()`): it reports the
 * other role's resource as its default child, which a role of its own holds as a direct child.
 */
function isImmutableView(role: iam.IRole): boolean {
  const child = role.node.defaultChild;
  return child !== undefined && child.node.scope !== role;
}

function grantToCfnRole(scope: IConstruct, role: CfnResource, requirement: RolePolicyRequirement, form: GrantForm, dependent?: CfnResource): void {
  const markerId = `${requirement.constructId}${FORM_SUFFIX[form]}`;
  if (form === 'managed-policy') {
    const arn = iam.ManagedPolicy.fromAwsManagedPolicyName(requirement.managedPolicyName).managedPolicyArn;
    // A raw CfnResource keeps its properties as given; read them to append rather than replace.
    const existing: unknown = role instanceof iam.CfnRole ? role.managedPolicyArns ?? [] : rawCfnProperties(role).ManagedPolicyArns ?? [];
    if (!Array.isArray(existing) || Token.isUnresolved(existing)) {
      warnNotGranted(scope, requirement, form, `the ManagedPolicyArns of its execution role '${role.node.path}' is a token that cannot be extended`);
      return;
    }
    if (role instanceof iam.CfnRole) {
      role.managedPolicyArns = [...existing, arn];
    } else {
      role.addPropertyOverride('ManagedPolicyArns', [...existing, arn]);
    }
    recordGrant(role, requirement, form);
  } else {
    const policy = new iam.CfnPolicy(role.node.scope ?? Stack.of(role), `${role.node.id}${requirement.constructId}`, {
      policyName: requirement.constructId,
      roles: [role.ref],
      policyDocument: new iam.PolicyDocument({ statements: [statement(requirement)] }),
    });
    dependent?.addResourceDependency(policy);
    recordGrant(policy, requirement, form);
  }
  markGranted(role, markerId);
}

function statement(requirement: RolePolicyRequirement): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: [...requirement.actions], resources: ['*'] });
}

/** Adds the warning that `requirement` was not granted to `scope`'s role, why, and what to attach. */
export function warnNotGranted(scope: IConstruct, requirement: RolePolicyRequirement, form: GrantForm, why: string): void {
  const managed = `the AWS managed policy ${requirement.managedPolicyName} (arn:<partition>:iam::aws:policy/${requirement.managedPolicyName})`;
  const actions = requirement.actions.join(' and ');
  const fix = requirement.actions.length === 0 ? `attach ${managed} to it`
    : form === 'managed-policy' ? `attach ${managed} to it, or allow ${actions} on "*"`
      : `allow ${actions} on "*" in one of its policies, or attach ${managed}`;
  Annotations.of(scope).addWarningV2(requirement.notGrantedWarningId,
    `${scope.node.path}: ${requirement.description} was not granted because ${why}. This function cannot use it until you ${fix}.`);
}

function describeRole(role: IConstruct): string {
  const arn = CfnResource.isCfnResource(role) ? undefined : (role as iam.IRole).roleArn;
  return arn === undefined || Token.isUnresolved(arn) ? `'${role.node.path}'` : `'${arn}'`;
}

/** The `AWS::IAM::Policy` resources in `scope`'s subtree (for a CfnRole: its L2 parent's, which holds the DefaultPolicy). */
function policiesUnder(scope: IConstruct, role: CfnResource | undefined): CfnResource[] {
  if (role && role.node.scope && role.node.scope.node.defaultChild !== role) return [];
  return scope.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::IAM::Policy');
}

/**
 * The name of the policy a resolved managed policy ARN names, and whether AWS owns it. The ARN is read as
 * JSON, so a string and an `Fn::Join` of one (`arn:${AWS::Partition}:iam::aws:policy/...`) read alike: a
 * policy name (`[\w+=,.@-]+`) has no character that JSON escapes, and the quotes end the match. (`undefined`
 * reads as `undefined`, which names no policy.)
 */
export function policyName(arn: unknown): { name: string; awsManaged: boolean } | undefined {
  const match = /:iam::([^:"]*):policy\/(?:[^"/]+\/)*([^"/]+)/.exec(String(JSON.stringify(arn)));
  return match ? { name: match[2], awsManaged: match[1] === 'aws' } : undefined;
}

/** An IAM wildcard pattern (`*`, `?`) as a case-insensitive regular expression. */
export function wildcard(pattern: string): RegExp {
  let regexp = WILDCARDS.get(pattern);
  if (!regexp) {
    regexp = wildcardRegExp(pattern);
    WILDCARDS.set(pattern, regexp);
  }
  return regexp;
}

/** The patterns seen so far: a pack run meets the same few actions (`xray:*`, `logs:PutLogEvents`) for every role. */
const WILDCARDS = new Map<string, RegExp>();

function wildcardRegExp(pattern: string): RegExp {
  const body = pattern.split('').map(c => c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * The grants this library made on a role, by marker id, kept on the role object. (A child construct per
 * grant did the same at the cost of one more construct per function for every later tree walk.)
 */
const MARKS = Symbol.for('cdk-traced-lambda.rolePolicyMarks');

function markGranted(role: IConstruct, markerId: string): void {
  const holder = role as { [MARKS]?: Set<string> };
  (holder[MARKS] ??= new Set()).add(markerId);
}

const GRANTS = Symbol.for('cdk-traced-lambda.rolePolicyGrants');

/** A grant this library made, recorded on the resource that holds it. */
export interface RecordedGrant {
  /** The requirement's construct id prefix. */
  readonly constructId: string;
  /** The form granted. */
  readonly form: GrantForm;
}

function recordGrant(resource: CfnResource, requirement: RolePolicyRequirement, form: GrantForm): void {
  const holder = resource as unknown as { [GRANTS]?: RecordedGrant[] };
  holder[GRANTS] = [...(holder[GRANTS] ?? []), { constructId: requirement.constructId, form }];
}

/** The grants this library made on `resource` (an `AWS::IAM::Role` or `AWS::IAM::Policy`). */
export function grantsOn(resource: CfnResource): RecordedGrant[] {
  return (resource as unknown as { [GRANTS]?: RecordedGrant[] })[GRANTS] ?? [];
}
