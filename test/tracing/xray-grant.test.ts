import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { annotationIds } from './annotations';
import { AnnotationId, Instrumentation, TracedFunction, XRayPermissions } from '../../lib';
import { addTracingAspect, findings, lambdaRole, newStack, pythonFunction } from '../nag/helper';

// One X-Ray write grant per role, whatever grants it: TracedFunction, the TracingAspect, aws-cdk-lib's
// `tracing: ACTIVE` statement, AWS managed X-Ray policies, or any statement allowing both write actions.

const KEPT = AnnotationId.XRAY_PERMISSIONS_KEPT;

function tracedFunction(scope: Construct, id: string, props: { role?: iam.IRole; xrayPermissions?: XRayPermissions } = {}): TracedFunction {
  return new TracedFunction(scope, id, {
    runtime: lambda.Runtime.PYTHON_3_13,
    handler: 'index.handler',
    code: lambda.Code.fromInline('def handler(e, c): pass'),
    instrumentation: Instrumentation.none(),
    ...props,
  });
}

/** Every X-Ray grant in the template: managed X-Ray policy ARNs on roles, and statements naming xray: actions. */
function xrayGrants(stack: Stack): { managed: string[]; statements: string[] } {
  const template = Template.fromStack(stack);
  const managed = Object.entries(template.findResources('AWS::IAM::Role')).flatMap(([id, role]: [string, any]) =>
    (role.Properties.ManagedPolicyArns ?? []).map((a: unknown) => JSON.stringify(a)).filter((a: string) => /AWSXRay|AWSXray/.test(a)).map(() => id));
  const statements = Object.entries(template.findResources('AWS::IAM::Policy')).flatMap(([id, policy]: [string, any]) =>
    policy.Properties.PolicyDocument.Statement.filter((s: any) => JSON.stringify(s.Action).includes('xray:')).map(() => id));
  return { managed, statements };
}

function logicalId(construct: Construct): string {
  return Stack.of(construct).resolve((construct.node.defaultChild as CfnElement).logicalId);
}

describe('the TracingAspect on a lambda.Function with tracing: ACTIVE', () => {
  test('keeps aws-cdk-lib\'s inline statement and adds no managed policy; an info says why', () => {
    // GIVEN
    const { app, stack } = newStack();
    pythonFunction(stack, 'Fn', { tracing: lambda.Tracing.ACTIVE });

    // WHEN
    addTracingAspect(stack);

    // THEN
    expect(xrayGrants(stack)).toEqual({ managed: [], statements: [expect.stringMatching(/^FnServiceRoleDefaultPolicy/)] });
    expect(annotationIds(stack, 'info')).toEqual([`/Stack/Fn ${KEPT}`]);
    expect(findings(app)).toEqual([]);
  });

  test('with LEAST_PRIVILEGE, the statement is the same kind of grant: nothing added, no info', () => {
    const { stack } = newStack();
    pythonFunction(stack, 'Fn', { tracing: lambda.Tracing.ACTIVE });
    addTracingAspect(stack, { xrayPermissions: XRayPermissions.LEAST_PRIVILEGE });

    expect(xrayGrants(stack)).toEqual({ managed: [], statements: [expect.stringMatching(/^FnServiceRoleDefaultPolicy/)] });
    expect(annotationIds(stack, 'info')).toEqual([]);
  });
});

describe('a role shared by functions with different choices', () => {
  test('the first grant stands; the second function gets an info, not a second grant', () => {
    const { stack } = newStack();
    const role = lambdaRole(stack, 'SharedRole');
    tracedFunction(stack, 'First', { role, xrayPermissions: XRayPermissions.MANAGED_POLICY });
    tracedFunction(stack, 'Second', { role, xrayPermissions: XRayPermissions.LEAST_PRIVILEGE });

    expect(xrayGrants(stack)).toEqual({ managed: [logicalId(role)], statements: [] });
    expect(annotationIds(stack, 'info')).toEqual([`/Stack/Second ${KEPT}`]);
  });

  test('the other way round: the least-privilege policy stands and no managed policy is attached', () => {
    const { stack } = newStack();
    const role = lambdaRole(stack, 'SharedRole');
    tracedFunction(stack, 'First', { role, xrayPermissions: XRayPermissions.LEAST_PRIVILEGE });
    tracedFunction(stack, 'Second', { role, xrayPermissions: XRayPermissions.MANAGED_POLICY });

    expect(xrayGrants(stack)).toEqual({ managed: [], statements: [expect.stringMatching(/^SharedRoleTracedLambdaXRayWriteAccessLEASTPRIVILEGE/)] });
    expect(annotationIds(stack, 'info')).toEqual([`/Stack/Second ${KEPT}`]);
  });

  test('a TracedFunction and a TracingAspect with the other choice: one grant, one info on the function', () => {
    const { stack } = newStack();
    tracedFunction(stack, 'Fn', { xrayPermissions: XRayPermissions.LEAST_PRIVILEGE });
    addTracingAspect(stack, { xrayPermissions: XRayPermissions.MANAGED_POLICY });

    expect(xrayGrants(stack).managed).toEqual([]);
    expect(xrayGrants(stack).statements).toHaveLength(1);
    expect(annotationIds(stack, 'info')).toEqual([`/Stack/Fn ${KEPT}`]);
  });
});

describe('one grant, however many functions or aspects', () => {
  test('50 functions on one role: one managed policy, no statement, no info', () => {
    const { stack } = newStack();
    const role = lambdaRole(stack, 'SharedRole');
    for (let i = 0; i < 25; i++) tracedFunction(stack, `Traced${i}`, { role });
    for (let i = 0; i < 25; i++) pythonFunction(stack, `Plain${i}`, { role });
    addTracingAspect(stack);

    expect(xrayGrants(stack)).toEqual({ managed: [logicalId(role)], statements: [] });
    expect(annotationIds(stack, 'info')).toEqual([]);
  });

  test('the Aspect applied twice on plain functions: one grant per role', () => {
    const { stack } = newStack();
    const fns = [pythonFunction(stack, 'A'), pythonFunction(stack, 'B')];
    addTracingAspect(stack);
    addTracingAspect(stack);

    expect(xrayGrants(stack)).toEqual({ managed: fns.map(f => logicalId(f.role as iam.Role)).sort(), statements: [] });
    expect(annotationIds(stack, 'info')).toEqual([]);
  });
});

describe('existing grants in any form are recognized', () => {
  test.each([
    ['AWSXRayDaemonWriteAccess', false],
    ['AWSXrayWriteOnlyAccess', true],
    ['AWSXrayFullAccess', true],
  ])('the AWS managed policy %s: no second grant', (policy, info) => {
    const { stack } = newStack();
    const role = lambdaRole(stack, 'SharedRole', { managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(policy)] });
    tracedFunction(stack, 'Fn', { role });

    expect(xrayGrants(stack)).toEqual({ managed: [logicalId(role)], statements: [] });
    expect(annotationIds(stack, 'info')).toEqual(info ? [`/Stack/Fn ${KEPT}`] : []);
  });

  test('the console\'s AWSLambdaTracerAccessExecutionRole-* customer managed policy: no second grant', () => {
    const { stack } = newStack();
    const role = lambdaRole(stack, 'SharedRole', {
      managedPolicies: [iam.ManagedPolicy.fromManagedPolicyArn(stack, 'Console',
        'arn:aws:iam::111111111111:policy/service-role/AWSLambdaTracerAccessExecutionRole-0123')],
    });
    tracedFunction(stack, 'Fn', { role });

    expect(Template.fromStack(stack).toJSON().Resources[logicalId(role)].Properties.ManagedPolicyArns).toHaveLength(1);
    expect(annotationIds(stack, 'info')).toEqual([`/Stack/Fn ${KEPT}`]);
  });

  test.each([
    ['xray:*', ['xray:*']],
    ['both actions', ['xray:PutTraceSegments', 'xray:PutTelemetryRecords']],
  ])('a policy elsewhere in the stack allowing %s on the passed-in role: no second grant', (_name, actions) => {
    const { stack } = newStack();
    const role = lambdaRole(stack, 'SharedRole');
    new iam.Policy(stack, 'Elsewhere', { roles: [role], statements: [new iam.PolicyStatement({ actions, resources: ['*'] })] });
    tracedFunction(stack, 'Fn', { role, xrayPermissions: XRayPermissions.LEAST_PRIVILEGE });

    expect(xrayGrants(stack)).toEqual({ managed: [], statements: [expect.stringMatching(/^Elsewhere/)] });
    expect(annotationIds(stack, 'info')).toEqual([]);
  });

  test('a customer managed policy of the stack allowing xray:Put*: no second grant', () => {
    const { stack } = newStack();
    const policy = new iam.ManagedPolicy(stack, 'Custom', { statements: [new iam.PolicyStatement({ actions: ['xray:Put*'], resources: ['*'] })] });
    const role = lambdaRole(stack, 'SharedRole', { managedPolicies: [policy] });
    tracedFunction(stack, 'Fn', { role });

    expect(xrayGrants(stack).managed).toEqual([]);
    expect(annotationIds(stack, 'info')).toEqual([`/Stack/Fn ${KEPT}`]);
  });

  test('an inline policy of the role (initialPolicy of a new role) with both actions: no second grant', () => {
    const { stack } = newStack();
    new TracedFunction(stack, 'Fn', {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: 'index.handler',
      code: lambda.Code.fromInline('def handler(e, c): pass'),
      instrumentation: Instrumentation.none(),
      initialPolicy: [new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] })],
    });

    expect(xrayGrants(stack)).toEqual({ managed: [], statements: [expect.stringMatching(/^FnServiceRoleDefaultPolicy/)] });
  });

  test.each([
    ['only one of the two actions', [new iam.PolicyStatement({ actions: ['xray:PutTraceSegments'], resources: ['*'] })]],
    ['a resource other than *', [new iam.PolicyStatement({ actions: ['xray:*'], resources: ['arn:aws:xray:eu-west-1:111111111111:group/x'] })]],
    ['an Allow with a Deny on one action', [
      new iam.PolicyStatement({ actions: ['xray:*'], resources: ['*'] }),
      new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['xray:PutTelemetryRecords'], resources: ['*'] }),
    ]],
  ])('not a grant: %s (the managed policy is added)', (_name, statements) => {
    const { stack } = newStack();
    const role = lambdaRole(stack, 'SharedRole');
    new iam.Policy(stack, 'Elsewhere', { roles: [role], statements });
    tracedFunction(stack, 'Fn', { role });

    expect(xrayGrants(stack).managed).toEqual([logicalId(role)]);
  });
});

describe('roles that wrap a role', () => {
  test.each([XRayPermissions.MANAGED_POLICY, XRayPermissions.LEAST_PRIVILEGE])('a TracedFunction with an iam.LazyRole and %s: one grant, no warning, nag clean', (xrayPermissions) => {
    const { app, stack } = newStack();
    const role = new iam.LazyRole(stack, 'Lazy', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    tracedFunction(stack, 'Fn', { role, xrayPermissions });
    addTracingAspect(stack, { xrayPermissions });

    const grants = xrayGrants(stack);
    expect(grants.managed.length + grants.statements.length).toBe(1);
    expect(annotationIds(stack, 'warning')).toEqual([]);
    expect(findings(app)).toEqual([]);
  });
});

describe('logical ids of the grants are a contract', () => {
  test('they are those of the release before XRayPermissions became an enum (checked against main 7f2619c)', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    tracedFunction(stack, 'Fn', { xrayPermissions: XRayPermissions.LEAST_PRIVILEGE });
    const role = new iam.CfnRole(stack, 'L1Role', { assumeRolePolicyDocument: { Statement: [] } });
    new lambda.CfnFunction(stack, 'L1Fn', { role: role.attrArn, code: { zipFile: 'x' }, handler: 'index.handler', runtime: 'python3.13' });
    addTracingAspect(stack, { xrayPermissions: XRayPermissions.LEAST_PRIVILEGE });

    expect(Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Policy')).sort()).toEqual([
      'FnServiceRoleTracedLambdaXRayWriteAccessLEASTPRIVILEGE2DE1954E',
      'L1RoleTracedLambdaXRayWriteAccess',
    ]);
  });
});
