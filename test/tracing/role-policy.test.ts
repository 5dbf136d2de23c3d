import { CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { annotations } from './annotations';
import { AnnotationId } from '../../lib/contract';
import { StackIndex } from '../../lib/private/stack-index';
import {
  ensureRolePolicy, findGrant, findRoleGrant, grantsOn, policyName, RolePolicyRequirement, RolePolicySources, wildcard,
} from '../../lib/tracing/private/role-policy';
import { XRAY_WRITE_ACCESS, xrayGrantForm, xrayGrantsOn } from '../../lib/tracing/private/xray-grant';
import { XRayPermissions } from '../../lib/tracing/xray-permissions';
import { l1Function, lambdaRole, newStack } from '../nag/helper';

// The one implementation of "a role gets a permission once, whatever already grants it" (role-policy.ts),
// read directly: what counts as a grant, what the lookup reports, where a grant goes for each kind of role,
// and what the annotations name. TracedFunction, the TracingAspect and the XRayWriteAccess rule are tested
// through it in xray-grant.test.ts and the nag tests.

const X = XRAY_WRITE_ACCESS;
const ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

/** A requirement unlike X-Ray's: two name prefixes, no equivalent AWS managed policy. */
const REPORTS: RolePolicyRequirement = {
  constructId: 'TestReports',
  description: 'report writing',
  managedPolicyName: 'TestReportsAccess',
  equivalentManagedPolicies: [],
  equivalentPolicyPrefixes: ['ReportsWriter-', 'LegacyReports-'],
  actions: ['reports:Write'],
  notGrantedWarningId: 'test:reports-not-granted',
  keptInfoId: 'test:reports-kept',
};

/** A requirement that only managed policies hold (no statement form). */
const MANAGED_ONLY: RolePolicyRequirement = { ...REPORTS, constructId: 'TestManagedOnly', actions: [] };

const allow = (Action: unknown, Resource: unknown = '*') => ({ Effect: 'Allow', Action, Resource });
const sources = (...documents: { document: unknown; path: string }[]): RolePolicySources => ({ managedPolicyArns: [], documents });
const managed = (...managedPolicyArns: unknown[]): RolePolicySources => ({ managedPolicyArns, documents: [] });

function l1Role(scope: Construct, id = 'L1Role', managedPolicyArns?: unknown): iam.CfnRole {
  return new iam.CfnRole(scope, id, { assumeRolePolicyDocument: { Statement: [] }, managedPolicyArns: managedPolicyArns as string[] });
}

/** The synthesized ManagedPolicyArns of an L2 role. */
function roleManagedPolicyArns(role: iam.Role): unknown {
  const stack = Stack.of(role);
  return Template.fromStack(stack).toJSON().Resources[stack.resolve((role.node.defaultChild as CfnResource).logicalId)].Properties.ManagedPolicyArns;
}

/** The annotations of `level` on the stack with `id`. */
function annotated(stack: Stack, level: 'warning' | 'info', id: string) {
  return annotations(stack, level).filter(a => a.id === id);
}

describe('policyName', () => {
  test('reads AWS and customer managed policy ARNs, with paths, as strings or as an Fn::Join', () => {
    expect(policyName('arn:aws:iam::aws:policy/AWSXrayFullAccess')).toEqual({ name: 'AWSXrayFullAccess', awsManaged: true });
    expect(policyName('arn:aws:iam::111111111111:policy/service-role/a/AWSLambdaTracerAccessExecutionRole-1'))
      .toEqual({ name: 'AWSLambdaTracerAccessExecutionRole-1', awsManaged: false });
    expect(policyName({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] }))
      .toEqual({ name: 'AWSLambdaBasicExecutionRole', awsManaged: true });
  });

  test('anything else names no policy', () => {
    expect(policyName(undefined)).toBeUndefined();
    expect(policyName({ Ref: 'Param' })).toBeUndefined();
    expect(policyName('arn:aws:iam::aws:role/AWSXrayFullAccess')).toBeUndefined();
  });
});

describe('wildcard', () => {
  test.each([
    ['xray:*', 'xray:PutTraceSegments', true],
    ['xray:*', 'xray:', true],
    ['xray:*', 'xrayy:PutTraceSegments', false],
    ['*', 'xray:PutTraceSegments', true],
    ['xray:Put?raceSegments', 'xray:PutTraceSegments', true],
    ['xray:Put?raceSegments', 'xray:PutraceSegments', false],
    ['XRAY:puttracesegments', 'xray:PutTraceSegments', true],
    ['xray:PutTraceSegments', 'xray:PutTraceSegments2', false],
    ['xray:PutTraceSegments', 'axray:PutTraceSegments', false],
    ['a.b', 'axb', false],
    ['a+(b)|[c]$^{1}\\', 'a+(b)|[c]$^{1}\\', true],
  ])('%s matches %s: %s', (pattern, action, matches) => {
    expect(wildcard(pattern).test(action)).toBe(matches);
  });

  test('one regular expression per pattern', () => {
    expect(wildcard('logs:Put*')).toBe(wildcard('logs:Put*'));
    expect(wildcard('logs:Put*')).not.toBe(wildcard('logs:Get*'));
  });
});

describe('findGrant', () => {
  test('the requirement\'s AWS managed policy and its equivalents, named in the grant', () => {
    for (const name of ['AWSXRayDaemonWriteAccess', 'AWSXrayWriteOnlyAccess', 'AWSXrayFullAccess']) {
      const lookup = findGrant(managed('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', `arn:aws:iam::aws:policy/${name}`), X);
      expect(lookup).toEqual({ status: 'granted', grant: { form: 'managed-policy', what: expect.stringContaining(name), managedPolicyName: name } });
    }
  });

  test('a customer managed policy counts by one of the name prefixes, an AWS managed one does not', () => {
    for (const name of ['ReportsWriter-1', 'LegacyReports-abc']) {
      expect(findGrant(managed(`arn:aws:iam::111111111111:policy/${name}`), REPORTS))
        .toEqual({ status: 'granted', grant: { form: 'managed-policy', what: expect.stringContaining(name), managedPolicyName: name } });
    }
    expect(findGrant(managed('arn:aws:iam::111111111111:policy/OtherPolicy'), REPORTS)).toEqual({ status: 'missing' });
    expect(findGrant(managed('arn:aws:iam::aws:policy/ReportsWriter-1'), REPORTS)).toEqual({ status: 'missing' });
    expect(findGrant(managed('arn:aws:iam::111111111111:policy/TestReportsAccess'), REPORTS)).toEqual({ status: 'missing' });
  });

  test('statements that together allow every action on "*", named with each path once', () => {
    const lookup = findGrant(sources(
      { document: { Statement: [allow('xray:PutTraceSegments'), allow(['s3:GetObject', 'xray:PutTelemetryRecords'], ['arn:aws:s3:::b', '*'])] }, path: 'Stack/A' },
      { document: { Statement: allow('xray:PutTelemetryRecords') }, path: 'Stack/B' },
    ), X);

    expect(lookup.status).toBe('granted');
    const grant = (lookup as { grant: { form: string; what: string; managedPolicyName?: string } }).grant;
    expect(grant.form).toBe('statement');
    expect(grant.managedPolicyName).toBeUndefined();
    expect(grant.what).toContain('xray:PutTraceSegments and xray:PutTelemetryRecords');
    expect(grant.what).toContain('\'Stack/A\'');
    expect(grant.what).not.toContain('Stack/B');
  });

  test('the statements of two documents', () => {
    const lookup = findGrant(sources(
      { document: { Statement: [allow('xray:PutTraceSegments')] }, path: 'Stack/A' },
      { document: { Statement: [allow('xray:PutTelemetryRecords')] }, path: 'Stack/B' },
    ), X);
    expect(lookup).toEqual({ status: 'granted', grant: { form: 'statement', what: expect.stringMatching(/'Stack\/A' and 'Stack\/B'/) } });
  });

  test('an Allow needs Effect: Allow exactly, all actions and the resource "*"; a Deny on one action wins', () => {
    const lookupOf = (...statements: unknown[]) => findGrant(sources({ document: { Statement: statements }, path: 'P' }), X).status;
    expect(lookupOf(allow('xray:*'))).toBe('granted');
    expect(lookupOf({ Action: 'xray:*', Resource: '*' })).toBe('missing');
    expect(lookupOf({ Effect: 'allow', Action: 'xray:*', Resource: '*' })).toBe('missing');
    expect(lookupOf(allow('xray:PutTraceSegments'))).toBe('missing');
    expect(lookupOf(allow('xray:*', 'arn:aws:xray:eu-west-1:111111111111:group/g'))).toBe('missing');
    expect(lookupOf(allow('xray:*'), { Effect: 'Deny', Action: 'xray:PutTelemetry*', Resource: 'arn:x' })).toBe('missing');
    expect(lookupOf(allow('xray:*'), { Effect: 'Deny', Action: 's3:*', Resource: '*' })).toBe('granted');
  });

  test('missing documents and statements, and actions that are not strings, are skipped', () => {
    const lookup = findGrant(sources(
      { document: undefined, path: 'Stack/None' },
      { document: { Statement: [null, { Effect: 'Allow', Action: [{ Ref: 'Action' }, 'xray:*'], Resource: '*' }] }, path: 'Stack/A' },
    ), X);
    expect(lookup.status).toBe('granted');
    expect(findGrant(sources({ document: { Statement: [allow({ Ref: 'Action' })] }, path: 'P' }), X).status).toBe('missing');
  });

  test('without actions only managed policies count', () => {
    expect(findGrant(sources({ document: { Statement: [allow('*')] }, path: 'P' }), MANAGED_ONLY)).toEqual({ status: 'missing' });
  });

  test('a miss is unknown when the caller says a managed policy of unknown content is attached', () => {
    expect(findGrant(managed(), X, true)).toEqual({ status: 'unknown' });
    expect(findGrant(managed(), X, false)).toEqual({ status: 'missing' });
    expect(findGrant(managed('arn:aws:iam::aws:policy/AWSXrayFullAccess'), X, true).status).toBe('granted');
  });
});

describe('findRoleGrant', () => {
  test('the DefaultPolicy of an L2 role is seen without an index', () => {
    const { stack } = newStack();
    const role = lambdaRole(stack, 'Role');
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ACTIONS, resources: ['*'] }));

    const lookup = findRoleGrant(role.node.defaultChild as CfnResource, X);
    expect(lookup).toEqual({ status: 'granted', grant: { form: 'statement', what: expect.stringContaining('\'Stack/Role/DefaultPolicy/Resource\'') } });
  });

  test('a managed policy under the role but attached to another role is not a grant of this one', () => {
    const { stack } = newStack();
    const role = lambdaRole(stack, 'Role');
    const other = lambdaRole(stack, 'Other');
    new iam.ManagedPolicy(role, 'ForOther', { roles: [other], statements: [new iam.PolicyStatement({ actions: ['xray:*'], resources: ['*'] })] });

    expect(findRoleGrant(role.node.defaultChild as CfnResource, X, StackIndex.build(stack)).status).toBe('missing');
    expect(findRoleGrant(role.node.defaultChild as CfnResource, X).status).toBe('missing');
  });

  test('a policy under a CfnRole\'s parent that is not its L2 role is not looked at without an index', () => {
    const { stack } = newStack();
    const group = new Construct(stack, 'Group');
    const role = l1Role(group);
    new iam.CfnPolicy(group, 'Policy', { policyName: 'p', roles: [role.ref], policyDocument: { Statement: [allow('xray:*')] } });

    expect(findRoleGrant(role, X).status).toBe('missing');
    expect(findRoleGrant(role, X, StackIndex.build(stack)).status).toBe('granted');
  });

  test('inline Policies of the role, skipping entries without a document', () => {
    const { stack } = newStack();
    const role = new CfnResource(stack, 'Raw', {
      type: 'AWS::IAM::Role',
      properties: { Policies: [null, { PolicyName: 'p', PolicyDocument: { Statement: [allow('xray:*')] } }] },
    });

    expect(findRoleGrant(role, X)).toEqual({ status: 'granted', grant: { form: 'statement', what: expect.stringContaining('\'Stack/Raw\'') } });
  });

  test('a customer managed policy of the stack is read with an index, and unknown without one', () => {
    const { stack } = newStack();
    const policy = new iam.ManagedPolicy(stack, 'Custom', { statements: [new iam.PolicyStatement({ actions: ['xray:Put*'], resources: ['*'] })] });
    const role = l1Role(stack, 'L1Role', [policy.managedPolicyArn]);

    expect(findRoleGrant(role, X)).toEqual({ status: 'unknown' });
    expect(findRoleGrant(role, X, StackIndex.build(stack)))
      .toEqual({ status: 'granted', grant: { form: 'statement', what: expect.stringContaining('\'Stack/Custom/Resource\'') } });
  });

  test('an ARN from a parameter, or a customer managed policy outside the stack, makes a miss unknown; AWS managed ones do not', () => {
    const { stack } = newStack();
    const param = new CfnParameter(stack, 'PolicyArn');
    const index = () => StackIndex.build(stack);

    expect(findRoleGrant(l1Role(stack, 'ByParameter', [param.valueAsString]), X, index())).toEqual({ status: 'unknown' });
    expect(findRoleGrant(l1Role(stack, 'Outside', ['arn:aws:iam::111111111111:policy/Mine']), X, index())).toEqual({ status: 'unknown' });
    expect(findRoleGrant(l1Role(stack, 'AwsManaged', ['arn:aws:iam::aws:policy/ReadOnlyAccess']), X, index())).toEqual({ status: 'missing' });
  });
});

describe('ensureRolePolicy', () => {
  test('no role: nothing is added, a warning names the managed policy (there are no actions to allow)', () => {
    const { stack } = newStack();
    const fn = new Construct(stack, 'Fn');

    ensureRolePolicy(fn, undefined, MANAGED_ONLY, 'managed-policy');

    const [warning, ...more] = annotated(stack, 'warning', MANAGED_ONLY.notGrantedWarningId);
    expect(more).toEqual([]);
    expect(warning.path).toBe('/Stack/Fn');
    expect(warning.message).toContain('Stack/Fn');
    expect(warning.message).toContain('TestReportsAccess');
    expect(warning.message).not.toMatch(/allow/);
    expect(Template.fromStack(stack).toJSON().Resources ?? {}).toEqual({});
  });

  test('each form\'s warning names both fixes: the actions and the managed policy', () => {
    const { stack } = newStack();
    ensureRolePolicy(new Construct(stack, 'A'), undefined, REPORTS, 'managed-policy');
    ensureRolePolicy(new Construct(stack, 'B'), undefined, REPORTS, 'statement');

    const messages = annotated(stack, 'warning', REPORTS.notGrantedWarningId).map(a => a.message);
    expect(messages).toHaveLength(2);
    for (const message of messages) {
      expect(message).toContain('reports:Write');
      expect(message).toContain('arn:<partition>:iam::aws:policy/TestReportsAccess');
      expect(message).toContain('report writing');
    }
    // the fix for the form asked for comes first
    const [managedForm, statementForm] = messages;
    expect(managedForm.indexOf('TestReportsAccess')).toBeLessThan(managedForm.indexOf('reports:Write'));
    expect(statementForm.indexOf('reports:Write')).toBeLessThan(statementForm.indexOf('TestReportsAccess'));
  });

  test('an owned L2 role: the managed policy once, recorded on the role, however often it is asked for', () => {
    const { stack } = newStack();
    const role = lambdaRole(stack, 'Role');
    for (const id of ['A', 'B', 'C']) ensureRolePolicy(new Construct(stack, id), role, X, 'managed-policy', undefined, { freshRole: true });

    expect(roleManagedPolicyArns(role)).toEqual([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSXRayDaemonWriteAccess']] }]);
    expect(grantsOn(role.node.defaultChild as CfnResource)).toEqual([{ constructId: 'TracedLambdaXRayWriteAccess', form: 'managed-policy' }]);
    expect(xrayGrantsOn(role.node.defaultChild as CfnResource)).toEqual([XRayPermissions.MANAGED_POLICY]);
    expect(annotations(stack, 'info')).toEqual([]);
  });

  test('an owned L2 role: the statement once, in a policy of its own under the role, recorded on that policy', () => {
    const { stack } = newStack();
    const role = lambdaRole(stack, 'Role');
    for (const id of ['A', 'B']) ensureRolePolicy(new Construct(stack, id), role, X, 'statement', undefined, { freshRole: true });

    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    expect(Object.keys(policies)).toEqual([expect.stringMatching(/^RoleTracedLambdaXRayWriteAccessLEASTPRIVILEGE/)]);
    expect(Object.values(policies)[0].Properties.PolicyDocument.Statement).toEqual([{ Effect: 'Allow', Action: ACTIONS, Resource: '*' }]);
    const policy = role.node.findChild('TracedLambdaXRayWriteAccessLEAST_PRIVILEGE').node.defaultChild as CfnResource;
    expect(grantsOn(policy)).toEqual([{ constructId: 'TracedLambdaXRayWriteAccess', form: 'statement' }]);
    expect(xrayGrantsOn(policy)).toEqual([XRayPermissions.LEAST_PRIVILEGE]);
    expect(grantsOn(role.node.defaultChild as CfnResource)).toEqual([]);
  });

  test('two requirements on one role are two grants, both recorded; X-Ray\'s are told apart', () => {
    const { stack } = newStack();
    const role = lambdaRole(stack, 'Role');
    ensureRolePolicy(role, role, X, 'managed-policy');
    ensureRolePolicy(role, role, MANAGED_ONLY, 'managed-policy');

    const cfnRole = role.node.defaultChild as CfnResource;
    expect(grantsOn(cfnRole)).toEqual([
      { constructId: 'TracedLambdaXRayWriteAccess', form: 'managed-policy' },
      { constructId: 'TestManagedOnly', form: 'managed-policy' },
    ]);
    expect(xrayGrantsOn(cfnRole)).toEqual([XRayPermissions.MANAGED_POLICY]);
    expect(grantsOn(new iam.CfnPolicy(stack, 'Unrelated', { policyName: 'u', policyDocument: {} }))).toEqual([]);
  });

  test('another form asked for later: the first grant stands and the info names the role and that grant', () => {
    const { stack } = newStack();
    const role = lambdaRole(stack, 'Role');
    ensureRolePolicy(new Construct(stack, 'First'), role, X, 'statement', undefined, { freshRole: true });
    ensureRolePolicy(new Construct(stack, 'Second'), role, X, 'managed-policy', undefined, { freshRole: true });

    expect(roleManagedPolicyArns(role)).toBeUndefined();
    const [info, ...more] = annotated(stack, 'info', AnnotationId.XRAY_PERMISSIONS_KEPT);
    expect(more).toEqual([]);
    expect(info.path).toBe('/Stack/Second');
    expect(info.message).toContain('Stack/Second');
    expect(info.message).toContain('\'Stack/Role\'');
    expect(info.message).toContain('X-Ray write access');
    expect(info.message).toContain('the LEAST_PRIVILEGE grant');
    expect(info.message).toContain('MANAGED_POLICY');
  });

  test('the managed policy first, then the statement: one grant, the info names the earlier grant', () => {
    const { stack } = newStack();
    const role = lambdaRole(stack, 'Role');
    ensureRolePolicy(new Construct(stack, 'First'), role, X, 'managed-policy', undefined, { freshRole: true });
    ensureRolePolicy(new Construct(stack, 'Second'), role, X, 'statement', undefined, { freshRole: true });

    expect(Template.fromStack(stack).findResources('AWS::IAM::Policy')).toEqual({});
    const [info] = annotated(stack, 'info', AnnotationId.XRAY_PERMISSIONS_KEPT);
    expect(info.message).toContain('the MANAGED_POLICY grant');
    expect(info.message).toContain('LEAST_PRIVILEGE');
  });

  test('an equivalent managed policy found on the role: kept, and the info names it', () => {
    const { stack } = newStack();
    const role = lambdaRole(stack, 'Role', { managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AWSXrayWriteOnlyAccess')] });
    ensureRolePolicy(new Construct(stack, 'Fn'), role, X, 'managed-policy');

    expect(grantsOn(role.node.defaultChild as CfnResource)).toEqual([]);
    const [info] = annotated(stack, 'info', AnnotationId.XRAY_PERMISSIONS_KEPT);
    expect(info.message).toContain('AWSXrayWriteOnlyAccess');
  });

  test('a fresh role is not looked at: only this library\'s own grants count', () => {
    const { stack } = newStack();
    const role = lambdaRole(stack, 'Role', { managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AWSXrayWriteOnlyAccess')] });
    ensureRolePolicy(new Construct(stack, 'Fn'), role, X, 'managed-policy', undefined, { freshRole: true });

    expect(grantsOn(role.node.defaultChild as CfnResource)).toEqual([{ constructId: 'TracedLambdaXRayWriteAccess', form: 'managed-policy' }]);
  });

  test.each([
    ['managed-policy' as const, 'used by a function', true],
    ['statement' as const, 'used by a function', true],
    ['managed-policy' as const, 'not used yet', false],
  ])('an iam.LazyRole (%s, %s) is an owned role: the grant goes to the role it wraps, with no warning', (form, _name, used) => {
    const { stack } = newStack();
    const role = new iam.LazyRole(stack, 'Lazy', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    if (used) l1Function(stack, 'Fn', role.roleArn);
    ensureRolePolicy(new Construct(stack, 'A'), role, X, form);
    ensureRolePolicy(new Construct(stack, 'B'), role, X, form);

    const template = Template.fromStack(stack);
    const [cfnRole] = Object.values(template.findResources('AWS::IAM::Role'));
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    if (form === 'managed-policy') {
      expect(cfnRole.Properties.ManagedPolicyArns).toEqual([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSXRayDaemonWriteAccess']] }]);
      expect(policies).toEqual([]);
    } else {
      expect(cfnRole.Properties.ManagedPolicyArns).toBeUndefined();
      expect(policies.map(p => p.Properties.PolicyDocument.Statement)).toEqual([[{ Effect: 'Allow', Action: ACTIONS, Resource: '*' }]]);
    }
    expect(annotations(stack, 'warning')).toEqual([]);
    expect(annotations(stack, 'info')).toEqual([]);
  });

  test('an imported role with a concrete ARN is named by its ARN', () => {
    const { stack } = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::123456789012:role/existing');
    ensureRolePolicy(new Construct(stack, 'Fn'), role, X, 'managed-policy');

    const [warning] = annotated(stack, 'warning', AnnotationId.XRAY_PERMISSIONS_NOT_GRANTED);
    expect(warning.message).toContain('\'arn:aws:iam::123456789012:role/existing\'');
  });

  test('a mutable imported role of the stack\'s account with the statement form: the statement goes to its DefaultPolicy, once', () => {
    const { stack } = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/existing');
    ensureRolePolicy(new Construct(stack, 'A'), role, X, 'statement');
    ensureRolePolicy(new Construct(stack, 'B'), role, X, 'statement');
    ensureRolePolicy(new Construct(stack, 'C'), role, X, 'managed-policy');

    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    expect(Object.keys(policies)).toEqual([expect.stringMatching(/^ImportedPolicy/)]);
    expect(Object.values(policies)[0].Properties).toEqual(expect.objectContaining({
      PolicyDocument: expect.objectContaining({ Statement: [{ Effect: 'Allow', Action: ACTIONS, Resource: '*' }] }),
      Roles: ['existing'],
    }));
    expect(annotated(stack, 'warning', AnnotationId.XRAY_PERMISSIONS_NOT_GRANTED)).toEqual([]);
    expect(annotated(stack, 'info', AnnotationId.XRAY_PERMISSIONS_KEPT).map(a => a.path)).toEqual(['/Stack/C']);
  });

  test('a statement this app already added to an imported role counts; the info names its policy', () => {
    const { stack } = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/existing');
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['xray:Put*'], resources: ['*'] }));
    ensureRolePolicy(new Construct(stack, 'A'), role, X, 'statement');
    ensureRolePolicy(new Construct(stack, 'B'), role, X, 'managed-policy');

    const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policies.map(p => p.Properties.PolicyDocument.Statement)).toEqual([[{ Effect: 'Allow', Action: 'xray:Put*', Resource: '*' }]]);
    const infos = annotated(stack, 'info', AnnotationId.XRAY_PERMISSIONS_KEPT);
    expect(infos.map(a => a.path)).toEqual(['/Stack/B']);
    expect(infos[0].message).toContain('\'Stack/Imported/Policy/Resource\'');
  });

  test('a role that says it added the statement but has no policy to hold it: a warning', () => {
    const { stack } = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/existing');
    jest.spyOn(role, 'addToPrincipalPolicy').mockReturnValue({ statementAdded: true });
    ensureRolePolicy(new Construct(stack, 'Fn'), role, X, 'statement');

    expect(annotated(stack, 'warning', AnnotationId.XRAY_PERMISSIONS_NOT_GRANTED).map(a => a.path)).toEqual(['/Stack/Fn']);
  });

  test('a role of another account is immutable: a warning, and nothing added', () => {
    const { stack } = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::123456789012:role/existing');
    ensureRolePolicy(new Construct(stack, 'Fn'), role, X, 'statement');

    expect(annotated(stack, 'warning', AnnotationId.XRAY_PERMISSIONS_NOT_GRANTED).map(a => a.path)).toEqual(['/Stack/Fn']);
    expect(Template.fromStack(stack).findResources('AWS::IAM::Policy')).toEqual({});
  });

  test.each(['managed-policy', 'statement'] as const)('role.withoutPolicyUpdates() (%s): a warning, and neither the view nor the role it shows gets a grant', (form) => {
    const { stack } = newStack();
    const owner = lambdaRole(stack, 'Owner');
    ensureRolePolicy(new Construct(stack, 'Fn'), owner.withoutPolicyUpdates(), X, form);

    expect(annotated(stack, 'warning', AnnotationId.XRAY_PERMISSIONS_NOT_GRANTED).map(a => a.path)).toEqual(['/Stack/Fn']);
    expect(JSON.stringify(roleManagedPolicyArns(owner) ?? [])).not.toContain('AWSXRayDaemonWriteAccess');
    expect(Template.fromStack(stack).findResources('AWS::IAM::Policy')).toEqual({});
    expect(xrayGrantsOn(owner.node.defaultChild as CfnResource)).toEqual([]);
  });

  test('the role behind a withoutPolicyUpdates() view can still be granted directly', () => {
    const { stack } = newStack();
    const owner = lambdaRole(stack, 'Owner');
    owner.withoutPolicyUpdates();
    ensureRolePolicy(new Construct(stack, 'Fn'), owner, X, 'managed-policy');

    expect(JSON.stringify(roleManagedPolicyArns(owner))).toContain('AWSXRayDaemonWriteAccess');
    expect(annotated(stack, 'warning', AnnotationId.XRAY_PERMISSIONS_NOT_GRANTED)).toEqual([]);
  });

  test('an imported role whose ARN is a token is named by its path', () => {
    const { stack } = newStack();
    const arn = new CfnParameter(stack, 'RoleArn').valueAsString;
    const role = iam.Role.fromRoleArn(stack, 'Imported', arn, { mutable: false });
    ensureRolePolicy(new Construct(stack, 'Fn'), role, X, 'statement');

    const [warning] = annotated(stack, 'warning', AnnotationId.XRAY_PERMISSIONS_NOT_GRANTED);
    expect(warning.message).toContain('\'Stack/Imported\'');
    expect(Template.fromStack(stack).findResources('AWS::IAM::Policy')).toEqual({});
  });
});

describe('ensureRolePolicy on an L1 AWS::IAM::Role', () => {
  test('the managed policy is appended to a CfnRole\'s ManagedPolicyArns once', () => {
    const { stack } = newStack();
    const role = l1Role(stack, 'L1Role', ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
    for (const id of ['A', 'B']) ensureRolePolicy(new Construct(stack, id), role, X, 'managed-policy');

    expect(Template.fromStack(stack).toJSON().Resources.L1Role.Properties.ManagedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSXRayDaemonWriteAccess']] },
    ]);
    expect(grantsOn(role)).toEqual([{ constructId: 'TracedLambdaXRayWriteAccess', form: 'managed-policy' }]);
  });

  test('a CfnRole or raw role without ManagedPolicyArns gets exactly the one ARN; the CfnRole\'s own field shows it', () => {
    const { stack } = newStack();
    const role = l1Role(stack, 'L1Role');
    const raw = new CfnResource(stack, 'Raw', { type: 'AWS::IAM::Role', properties: { AssumeRolePolicyDocument: {} } });
    ensureRolePolicy(new Construct(stack, 'Fn'), role, X, 'managed-policy');
    ensureRolePolicy(new Construct(stack, 'Fn2'), raw, X, 'managed-policy');

    const arn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSXRayDaemonWriteAccess']] };
    const resources = Template.fromStack(stack).toJSON().Resources;
    expect(resources.L1Role.Properties.ManagedPolicyArns).toEqual([arn]);
    expect(resources.Raw.Properties.ManagedPolicyArns).toEqual([arn]);
    // what later readers of the typed L1 (another aspect, the nag pack's readers) see
    expect(stack.resolve(role.managedPolicyArns)).toEqual([arn]);
  });

  test('an equivalent managed policy on a CfnRole: kept, and the info names the role by its path', () => {
    const { stack } = newStack();
    const role = l1Role(stack, 'L1Role', ['arn:aws:iam::aws:policy/AWSXrayFullAccess']);
    ensureRolePolicy(new Construct(stack, 'Fn'), role, X, 'managed-policy');

    expect(Template.fromStack(stack).toJSON().Resources.L1Role.Properties.ManagedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AWSXrayFullAccess']);
    const [info] = annotated(stack, 'info', AnnotationId.XRAY_PERMISSIONS_KEPT);
    expect(info.message).toContain('\'Stack/L1Role\'');
    expect(info.message).toContain('AWSXrayFullAccess');
  });

  test('a raw CfnResource role keeps its ManagedPolicyArns and gets the ARN appended', () => {
    const { stack } = newStack();
    const role = new CfnResource(stack, 'Raw', {
      type: 'AWS::IAM::Role',
      properties: { AssumeRolePolicyDocument: {}, ManagedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
    });
    ensureRolePolicy(new Construct(stack, 'Fn'), role, X, 'managed-policy');
    ensureRolePolicy(new Construct(stack, 'Fn2'), role, X, 'managed-policy');

    expect(Template.fromStack(stack).toJSON().Resources.Raw.Properties.ManagedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSXRayDaemonWriteAccess']] },
    ]);
  });

  test('ManagedPolicyArns that is a token cannot be extended: a warning names the role', () => {
    const { stack } = newStack();
    const arns = new CfnParameter(stack, 'Arns', { type: 'CommaDelimitedList' }).valueAsList;
    const role = l1Role(stack, 'L1Role', arns);
    ensureRolePolicy(new Construct(stack, 'Fn'), role, X, 'managed-policy');

    const [warning] = annotated(stack, 'warning', AnnotationId.XRAY_PERMISSIONS_NOT_GRANTED);
    expect(warning.message).toContain('\'Stack/L1Role\'');
    expect(Template.fromStack(stack).toJSON().Resources.L1Role.Properties.ManagedPolicyArns).toEqual({ Ref: 'Arns' });
    expect(grantsOn(role)).toEqual([]);
  });

  test('the statement form: one AWS::IAM::Policy beside the role, attached to it, that the dependent waits for', () => {
    const { stack } = newStack();
    const group = new Construct(stack, 'Group');
    const role = l1Role(group, 'L1Role');
    const fn = l1Function(stack, 'Fn', role.attrArn);
    ensureRolePolicy(fn, role, X, 'statement', fn);
    ensureRolePolicy(fn, role, X, 'statement', fn);

    const policy = group.node.findChild('L1RoleTracedLambdaXRayWriteAccess') as iam.CfnPolicy;
    const policyId = stack.resolve(policy.logicalId);
    const template = Template.fromStack(stack).toJSON();
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Policy'))).toEqual([policyId]);
    expect(template.Resources[policyId].Properties).toEqual({
      PolicyName: 'TracedLambdaXRayWriteAccess',
      Roles: [{ Ref: stack.resolve(role.logicalId) }],
      PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ACTIONS, Resource: '*' }] },
    });
    expect(template.Resources.Fn.DependsOn).toEqual([policyId]);
    expect(grantsOn(policy)).toEqual([{ constructId: 'TracedLambdaXRayWriteAccess', form: 'statement' }]);
    expect(grantsOn(role)).toEqual([]);
  });

  test('the statement form without a dependent', () => {
    const { stack } = newStack();
    const role = l1Role(stack, 'L1Role');
    ensureRolePolicy(new Construct(stack, 'Fn'), role, X, 'statement');

    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 1);
  });
});

describe('xrayGrantForm', () => {
  test('LEAST_PRIVILEGE is the statement, MANAGED_POLICY the managed policy', () => {
    expect(xrayGrantForm(XRayPermissions.LEAST_PRIVILEGE)).toBe('statement');
    expect(xrayGrantForm(XRayPermissions.MANAGED_POLICY)).toBe('managed-policy');
  });
});
