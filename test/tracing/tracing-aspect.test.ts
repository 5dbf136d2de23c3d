import * as path from 'path';
import { CustomResourceProvider, CustomResourceProviderRuntime, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { annotations, annotationIds } from './annotations';
import { AnnotationId, ErrorId } from '../../lib/contract';
import { TracingAspect } from '../../lib/tracing/tracing-aspect';
import { XRayPermissions } from '../../lib/tracing/xray-permissions';
import { expectErrorId } from '../helpers/errors';
import { addTracingAspect, l1Function, newStack, pythonFunction } from '../nag/helper';

const XRAY_POLICY_ARN = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSXRayDaemonWriteAccess']],
};
const XRAY_STATEMENT = Match.objectLike({ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' });

function l1Role(scope: Construct, id: string) {
  return new iam.CfnRole(scope, id, {
    assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }] },
    managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
  });
}

function customResourceProvider(stack: Stack) {
  return CustomResourceProvider.getOrCreateProvider(stack, 'Custom::MyProvider', {
    codeDirectory: path.join(__dirname, '..', 'fixtures', 'tracing-aspect-provider'),
    runtime: CustomResourceProviderRuntime.NODEJS_22_X,
  });
}

const NOT_GRANTED = AnnotationId.XRAY_PERMISSIONS_NOT_GRANTED;

describe('TracingAspect on each kind of function', () => {
  test('an L2 lambda.Function gets Active tracing and the managed policy on its role', () => {
    const { stack } = newStack();
    pythonFunction(stack, 'Fn');
    addTracingAspect(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.arrayWith([XRAY_POLICY_ARN]) });
  });

  test('PassThrough and LEAST_PRIVILEGE: the mode and one inline statement', () => {
    const { stack } = newStack();
    pythonFunction(stack, 'Fn');
    addTracingAspect(stack, { tracing: lambda.Tracing.PASS_THROUGH, xrayPermissions: XRayPermissions.LEAST_PRIVILEGE });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'PassThrough' } });
    template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: [XRAY_STATEMENT] } });
  });

  test('a SingletonFunction is traced even when its function lives outside the aspect scope', () => {
    const { stack } = newStack();
    const scope = new Construct(stack, 'Scope');
    new lambda.SingletonFunction(scope, 'Singleton', {
      uuid: '0d1b4a4e-2a6f-4f6a-9f5e-7d1c2e3f4a5b',
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: 'index.handler',
      code: lambda.Code.fromInline('def handler(e, c): pass'),
    });
    addTracingAspect(scope);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.arrayWith([XRAY_POLICY_ARN]) });
  });

  test('an L1 CfnFunction with an L1 CfnRole: the policy ARN is appended to ManagedPolicyArns', () => {
    const { stack } = newStack();
    const role = l1Role(stack, 'Role');
    l1Function(stack, 'Fn', role.attrArn);
    addTracingAspect(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', XRAY_POLICY_ARN],
    });
  });

  test('an L1 CfnFunction with an L1 CfnRole and LEAST_PRIVILEGE: a policy attached to the role, which the function depends on', () => {
    const { stack } = newStack();
    const role = l1Role(stack, 'Role');
    l1Function(stack, 'Fn', role.attrArn);
    addTracingAspect(stack, { xrayPermissions: XRayPermissions.LEAST_PRIVILEGE });
    const template = Template.fromStack(stack);
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: stack.resolve(role.logicalId) }] } });
    expect(Object.keys(policies)).toHaveLength(1);
    template.hasResource('AWS::Lambda::Function', { DependsOn: Object.keys(policies) });
  });

  test('an L1 CfnFunction using an L2 role gets the grant on that L2 role', () => {
    const { stack } = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    l1Function(stack, 'Fn', role.roleArn);
    addTracingAspect(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: [XRAY_POLICY_ARN] });
  });

  test('a raw AWS::Lambda::Function from CustomResourceProvider: TracingConfig override and the policy on its raw role', () => {
    const { stack } = newStack();
    customResourceProvider(stack);
    addTracingAspect(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Sub': Match.stringLikeRegexp('AWSLambdaBasicExecutionRole') }, XRAY_POLICY_ARN],
    });
  });

  test('a container-image function is traced and its role granted', () => {
    const { stack } = newStack();
    new lambda.DockerImageFunction(stack, 'Image', {
      code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Repo', 'repo')),
    });
    addTracingAspect(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { PackageType: 'Image', TracingConfig: { Mode: 'Active' } });
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.arrayWith([XRAY_POLICY_ARN]) });
  });
});

describe('TracingAspect is idempotent', () => {
  test('applied twice (even with the other permission choice), it adds each grant once', () => {
    const { stack } = newStack();
    pythonFunction(stack, 'Fn');
    l1Function(stack, 'L1', l1Role(stack, 'Role').attrArn);
    customResourceProvider(stack);
    addTracingAspect(stack);
    addTracingAspect(stack);
    addTracingAspect(stack, { xrayPermissions: XRayPermissions.LEAST_PRIVILEGE });
    const template = Template.fromStack(stack);
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    expect(roles).toHaveLength(3);
    for (const role of roles) {
      const xray = role.Properties.ManagedPolicyArns.filter((a: unknown) => JSON.stringify(a).includes('AWSXRayDaemonWriteAccess'));
      expect(xray).toHaveLength(1);
    }
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });
});

describe('TracingAspect warnings and exclusions', () => {
  test('an imported role: a warning names the function and what to attach', () => {
    const { stack } = newStack();
    pythonFunction(stack, 'Fn', { role: iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/legacy') });
    addTracingAspect(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    expect(annotationIds(stack, 'warning')).toEqual([`/Stack/Fn ${NOT_GRANTED}`]);
    expect(annotations(stack, 'warning')[0].message).toContain("'arn:aws:iam::111111111111:role/legacy'");
  });

  test('an L1 function whose role ARN comes from elsewhere: a warning with the reason', () => {
    const { stack } = newStack();
    l1Function(stack, 'Fn', 'arn:aws:iam::111111111111:role/elsewhere');
    addTracingAspect(stack);
    expect(annotationIds(stack, 'warning')).toEqual([`/Stack/Fn ${NOT_GRANTED}`]);
    expect(annotations(stack, 'warning')[0].message).toContain("'arn:aws:iam::111111111111:role/elsewhere'");
  });

  test('a function that set PassThrough itself keeps it, with a warning', () => {
    const { stack } = newStack();
    pythonFunction(stack, 'Fn', { tracing: lambda.Tracing.PASS_THROUGH });
    addTracingAspect(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'PassThrough' } });
    expect(annotationIds(stack, 'warning')).toEqual([`/Stack/Fn ${AnnotationId.TRACING_MODE_KEPT}`]);
  });

  test('excludePaths and excludeCdkInternalFunctions leave functions untouched, each with an info', () => {
    const { stack } = newStack();
    pythonFunction(new Construct(stack, 'Legacy'), 'Fn');
    new cr.AwsCustomResource(stack, 'Lookup', {
      onUpdate: { service: 'SSM', action: 'getParameter', parameters: { Name: 'p' }, physicalResourceId: cr.PhysicalResourceId.of('p') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    customResourceProvider(stack);
    addTracingAspect(stack, { excludePaths: ['Stack/Legacy'], excludeCdkInternalFunctions: true });
    const template = Template.fromStack(stack);
    expect(template.findResources('AWS::Lambda::Function', { Properties: { TracingConfig: Match.anyValue() } })).toEqual({});
    const excluded = AnnotationId.TRACING_ASPECT_EXCLUDED;
    expect(annotationIds(stack, 'info')).toEqual([
      `/Stack/AWS679f53fac002430cb0da5b7982bd2287 ${excluded}`,
      `/Stack/Custom::MyProviderCustomResourceProvider/Handler ${excluded}`,
      `/Stack/Legacy/Fn ${excluded}`,
    ]);
    expect(annotationIds(stack, 'warning')).toEqual([]);
  });

  test('fails when tracing is Tracing.DISABLED', () => {
    expectErrorId(() => new TracingAspect({ tracing: lambda.Tracing.DISABLED }), ErrorId.TRACING_DISABLED, /^TracingAspect: /, 'Tracing.DISABLED', 'excludePaths');
  });
});
