import { App, AspectPriority, Aspects, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Instrumentation, TracedFunction, TracedLambdaNag, TracingAspect, XRayPermissions } from '../../lib';
import { XRAY_WRITE_ACCESS } from '../../lib/tracing/private/xray-grant';

/** AwsSolutions' IAM4/IAM5 findings after synthesis, as `rule path` lines. */
function iamFindings(app: App): string[] {
  app.synth();
  return new AwsSolutionsChecks().validateScope(app).violations
    .filter(v => /IAM[45]/.test(v.ruleName))
    .flatMap(v => v.violatingResources.map(r => `${v.ruleName} ${r.constructPath}`))
    .sort();
}

function tracedFunction(stack: Stack, xrayPermissions: XRayPermissions): TracedFunction {
  return new TracedFunction(stack, 'Fn', {
    runtime: lambda.Runtime.PYTHON_3_13,
    handler: 'index.handler',
    code: lambda.Code.fromInline('def handler(event, context):\n  return 1\n'),
    instrumentation: Instrumentation.none(),
    xrayPermissions,
  });
}

const XRAY_IAM4 = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSXRayDaemonWriteAccess] Stack/Fn/ServiceRole/Resource';
const BASIC_IAM4 = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole] Stack/Fn/ServiceRole/Resource';

describe('TracedLambdaNag.acknowledgeXrayFindings', () => {
  test('without it, AwsSolutions flags the managed X-Ray policy (IAM4)', () => {
    const app = new App();
    tracedFunction(new Stack(app, 'Stack'), XRayPermissions.MANAGED_POLICY);

    expect(iamFindings(app)).toEqual([XRAY_IAM4, BASIC_IAM4].sort());
  });

  test('acknowledges the managed X-Ray policy, with its reason, and not the role\'s other managed policy', () => {
    const app = new App();
    const fn = tracedFunction(new Stack(app, 'Stack'), XRayPermissions.MANAGED_POLICY);

    TracedLambdaNag.acknowledgeXrayFindings(app);

    expect(iamFindings(app)).toEqual([BASIC_IAM4]);
    const metadata = JSON.stringify(fn.role!.node.defaultChild!.node.metadata.map(m => m.data));
    expect(metadata).toContain(TracedLambdaNag.MANAGED_POLICY_REASON);
  });

  test('LEAST_PRIVILEGE: acknowledges Resource::* on the X-Ray policy only, never another statement\'s wildcard', () => {
    const app = new App();
    const fn = tracedFunction(new Stack(app, 'Stack'), XRayPermissions.LEAST_PRIVILEGE);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));

    expect(iamFindings(app)).toEqual([
      BASIC_IAM4,
      'AwsSolutions-IAM5[Resource::*] Stack/Fn/ServiceRole/DefaultPolicy/Resource',
      'AwsSolutions-IAM5[Resource::*] Stack/Fn/ServiceRole/TracedLambdaXRayWriteAccessLEAST_PRIVILEGE/Resource',
    ].sort());
    TracedLambdaNag.acknowledgeXrayFindings(fn);

    expect(iamFindings(app)).toEqual([
      BASIC_IAM4,
      'AwsSolutions-IAM5[Resource::*] Stack/Fn/ServiceRole/DefaultPolicy/Resource',
    ].sort());
  });

  test('acknowledges grants a TracingAspect adds during synthesis', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    new lambda.Function(stack, 'Plain', {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: 'index.handler',
      code: lambda.Code.fromInline('def handler(event, context):\n  return 1\n'),
    });
    Aspects.of(app).add(new TracingAspect(), { priority: AspectPriority.MUTATING });
    TracedLambdaNag.acknowledgeXrayFindings(app);

    expect(iamFindings(app)).toEqual([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole] Stack/Plain/ServiceRole/Resource',
    ]);
  });
});

test('called on the function, it also acknowledges the grant on a role that was passed in from elsewhere', () => {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const role = new iam.Role(stack, 'SharedRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const fn = new TracedFunction(stack, 'Fn', {
    runtime: lambda.Runtime.PYTHON_3_13,
    handler: 'index.handler',
    code: lambda.Code.fromInline('def handler(event, context):\n  return 1\n'),
    instrumentation: Instrumentation.none(),
    role,
  });

  TracedLambdaNag.acknowledgeXrayFindings(fn);

  expect(iamFindings(app)).toEqual([]);
});

/** The acknowledgements recorded on `resource`, as `id reason` lines. */
function acknowledgements(resource: { node: { metadata: Array<{ type: string; data: any }> } }): string[] {
  return resource.node.metadata
    .filter(m => m.type === 'aws:cdk:acknowledged-rules')
    .flatMap(m => Object.entries(m.data as Record<string, string>).map(([id, reason]) => `${id.replace(/^Annotation::/, '')} ${reason}`));
}

describe('the IAM4 finding id, as cdk-nag 3\'s AwsSolutions pack names it', () => {
  // aws-cdk-lib 2.276.0 writes AWS managed policy ARNs with the AWS::Partition reference in every stack; should it
  // ever render a literal partition, these fail (the finding id would change).
  const arn = 'arn:<AWS::Partition>:iam::aws:policy/AWSXRayDaemonWriteAccess';
  test.each([
    ['a region-agnostic stack', {}, undefined],
    ['partition literals on, known region', { '@aws-cdk/core:enablePartitionLiterals': true }, 'eu-west-1'],
    ['partition literals on, a China region', { '@aws-cdk/core:enablePartitionLiterals': true }, 'cn-north-1'],
  ])('%s: cdk-nag reports it, and it is acknowledged exactly', (_name, context, region) => {
    const finding = `AwsSolutions-IAM4[Policy::${arn}] Stack/Fn/ServiceRole/Resource`;
    const env = region ? { region, account: '111111111111' } : undefined;
    const bare = new App({ context });
    tracedFunction(new Stack(bare, 'Stack', { env }), XRayPermissions.MANAGED_POLICY);
    const app = new App({ context });
    const fn = tracedFunction(new Stack(app, 'Stack', { env }), XRayPermissions.MANAGED_POLICY);

    TracedLambdaNag.acknowledgeXrayFindings(app);

    expect(iamFindings(bare)).toContain(finding);
    const left = iamFindings(app);
    expect(left).not.toContain(finding);
    expect(left).toHaveLength(1); // the role's AWSLambdaBasicExecutionRole, which is not this library's
    expect(acknowledgements(fn.role!.node.defaultChild!)).toEqual([`AwsSolutions-IAM4[Policy::${arn}] ${TracedLambdaNag.MANAGED_POLICY_REASON}`]);
  });

  test('an L1 role of a raw CfnFunction, granted by the TracingAspect: only this library\'s policy is acknowledged', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const role = new iam.CfnRole(stack, 'Role', {
      assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      managedPolicyArns: [Fn.sub('arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess')],
    });
    new lambda.CfnFunction(stack, 'Raw', {
      runtime: 'python3.13', handler: 'index.handler', role: role.attrArn, code: { zipFile: 'def handler(e, c):\n  return 1\n' },
    });
    Aspects.of(app).add(new TracingAspect(), { priority: AspectPriority.MUTATING });
    TracedLambdaNag.acknowledgeXrayFindings(app);

    expect(iamFindings(app)).toEqual(['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/ReadOnlyAccess] Stack/Role']);
    expect(acknowledgements(role)).toEqual([
      `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSXRayDaemonWriteAccess] ${TracedLambdaNag.MANAGED_POLICY_REASON}`,
    ]);
  });
});

describe('what is not acknowledged', () => {
  test('the same managed policy, attached by the user (not by this library), keeps its finding', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AWSXRayDaemonWriteAccess')],
    });
    new TracedFunction(stack, 'Fn', {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: 'index.handler',
      code: lambda.Code.fromInline('def handler(event, context):\n  return 1\n'),
      instrumentation: Instrumentation.none(),
      role,
    });

    TracedLambdaNag.acknowledgeXrayFindings(app);

    expect(iamFindings(app)).toEqual(['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSXRayDaemonWriteAccess] Stack/Role/Resource']);
    expect(acknowledgements(role.node.defaultChild as iam.CfnRole)).toEqual([]);
  });

  test('a scope without this library\'s grants: nothing is acknowledged anywhere', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const fn = tracedFunction(stack, XRayPermissions.MANAGED_POLICY);
    const other = new Stack(app, 'Other');
    const otherRole = new iam.Role(other, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    TracedLambdaNag.acknowledgeXrayFindings(other);
    app.synth();

    expect(acknowledgements(fn.role!.node.defaultChild!)).toEqual([]);
    expect(acknowledgements(otherRole.node.defaultChild as iam.CfnRole)).toEqual([]);
  });
});

test('acknowledging twice, and again at synthesis, records each acknowledgement once', () => {
  const app = new App();
  const fn = tracedFunction(new Stack(app, 'Stack'), XRayPermissions.LEAST_PRIVILEGE);
  const managed = tracedFunction(new Stack(app, 'Managed'), XRayPermissions.MANAGED_POLICY);

  TracedLambdaNag.acknowledgeXrayFindings(app);
  TracedLambdaNag.acknowledgeXrayFindings(app);
  TracedLambdaNag.acknowledgeXrayFindings(fn);
  app.synth();

  const policy = fn.role!.node.findChild('TracedLambdaXRayWriteAccessLEAST_PRIVILEGE').node.defaultChild!;
  expect(acknowledgements(policy)).toEqual([`AwsSolutions-IAM5[Resource::*] ${TracedLambdaNag.WILDCARD_RESOURCE_REASON}`]);
  expect(acknowledgements(managed.role!.node.defaultChild!)).toHaveLength(1);
});

test('each recorded reason names what it justifies: the managed policy, or the two X-Ray actions, and who added it', () => {
  expect(TracedLambdaNag.MANAGED_POLICY_REASON).toContain(XRAY_WRITE_ACCESS.managedPolicyName);
  for (const action of XRAY_WRITE_ACCESS.actions) {
    expect(TracedLambdaNag.WILDCARD_RESOURCE_REASON).toContain(action);
  }
  for (const reason of [TracedLambdaNag.MANAGED_POLICY_REASON, TracedLambdaNag.WILDCARD_RESOURCE_REASON]) {
    expect(reason).toMatch(/Added by cdk-traced-lambda\.$/);
  }
});
