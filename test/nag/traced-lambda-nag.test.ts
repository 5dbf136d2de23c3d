import { App, AspectPriority, Aspects, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Instrumentation, TracedFunction, TracedLambdaNag, TracingAspect, XRayPermissions } from '../../lib';

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

  test('matches the literal-partition ARN that stacks with a known region render', () => {
    const app = new App({ context: { '@aws-cdk/core:enablePartitionLiterals': true } });
    tracedFunction(new Stack(app, 'Stack', { env: { region: 'eu-west-1', account: '111111111111' } }), XRayPermissions.MANAGED_POLICY);
    TracedLambdaNag.acknowledgeXrayFindings(app);

    expect(iamFindings(app).filter(f => f.includes('AWSXRayDaemonWriteAccess'))).toEqual([]);
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
