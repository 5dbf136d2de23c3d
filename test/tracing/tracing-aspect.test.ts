import * as path from 'path';
import { App, CfnResource, CustomResourceProvider, CustomResourceProviderRuntime, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { annotations, annotationIds } from './annotations';
import { AnnotationId, ErrorId } from '../../lib/contract';
import { StackIndex } from '../../lib/private/stack-index';
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
    const infos = annotations(stack, 'info');
    expect(infos.find(a => a.path === '/Stack/Legacy/Fn')?.message).toContain("'Stack/Legacy'");
    expect(infos.find(a => a.path === '/Stack/AWS679f53fac002430cb0da5b7982bd2287')?.message).toContain('Stack/AWS679f53fac002430cb0da5b7982bd2287');
    expect(annotationIds(stack, 'warning')).toEqual([]);
  });

  test('excludePaths matches a whole path or whole path segments, with or without a trailing slash', () => {
    const { stack } = newStack();
    for (const id of ['Legacy', 'LegacyTwo', 'Slash', 'Exact', 'ExactOther']) pythonFunction(new Construct(stack, id), 'Fn');
    pythonFunction(stack, 'Alone');
    pythonFunction(stack, 'AloneToo');
    addTracingAspect(stack, { excludePaths: ['Stack/Legacy', 'Stack/Slash/', 'Stack/Exact/Fn', 'Stack/Alone'] });

    const traced = (fnPath: string) => {
      const fn = stack.node.findChild(fnPath.split('/')[0]);
      const cfn = (fn instanceof lambda.Function ? fn : fn.node.findChild('Fn') as lambda.Function).node.defaultChild as lambda.CfnFunction;
      return cfn.tracingConfig !== undefined;
    };
    Template.fromStack(stack);
    expect(['Legacy/Fn', 'LegacyTwo/Fn', 'Slash/Fn', 'Exact/Fn', 'ExactOther/Fn', 'Alone', 'AloneToo'].filter(traced))
      .toEqual(['LegacyTwo/Fn', 'ExactOther/Fn', 'AloneToo']);
    const infos = annotations(stack, 'info').filter(a => a.id === AnnotationId.TRACING_ASPECT_EXCLUDED);
    expect(infos.map(a => [a.path, /'([^']*)'/.exec(a.message)?.[1]]).sort()).toEqual([
      ['/Stack/Alone', 'Stack/Alone'],
      ['/Stack/Exact/Fn', 'Stack/Exact/Fn'],
      ['/Stack/Legacy/Fn', 'Stack/Legacy'],
      ['/Stack/Slash/Fn', 'Stack/Slash/'],
    ]);
  });

  test('a mode the function set itself is kept on every kind of function; only PassThrough under Active is warned about', () => {
    const { stack } = newStack();
    pythonFunction(stack, 'L2Active', { tracing: lambda.Tracing.ACTIVE });
    const l1 = l1Function(stack, 'L1PassThrough', l1Role(stack, 'Role').attrArn);
    l1.tracingConfig = { mode: 'PassThrough' };
    new CfnResource(stack, 'RawPassThrough', {
      type: 'AWS::Lambda::Function',
      properties: { Role: l1Role(stack, 'RawRole').attrArn, Handler: 'index.handler', Runtime: 'python3.13', Code: { ZipFile: 'x' }, TracingConfig: { Mode: 'PassThrough' } },
    });
    addTracingAspect(stack);

    const modes = Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
      .map(([id, r]) => [id.replace(/[0-9A-F]{8}$/, ''), r.Properties.TracingConfig?.Mode]).sort();
    expect(modes).toEqual([['L1PassThrough', 'PassThrough'], ['L2Active', 'Active'], ['RawPassThrough', 'PassThrough']]);
    const kept = annotations(stack, 'warning').filter(a => a.id === AnnotationId.TRACING_MODE_KEPT);
    expect(kept.map(a => a.path).sort()).toEqual(['/Stack/L1PassThrough', '/Stack/RawPassThrough']);
    expect(kept.find(a => a.path === '/Stack/L1PassThrough')?.message).toContain('Stack/L1PassThrough');
  });

  test('a PassThrough aspect keeps a function\'s own Active mode without a warning', () => {
    const { stack } = newStack();
    pythonFunction(stack, 'Fn', { tracing: lambda.Tracing.ACTIVE });
    const l1 = l1Function(stack, 'L1', l1Role(stack, 'Role').attrArn);
    l1.tracingConfig = { mode: 'Active' };
    addTracingAspect(stack, { tracing: lambda.Tracing.PASS_THROUGH });

    const modes = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map(r => r.Properties.TracingConfig?.Mode);
    expect(modes).toEqual(['Active', 'Active']);
    expect(annotationIds(stack, 'warning')).toEqual([]);
  });

  test('a raw function without a Role: the warning says it has none', () => {
    const { stack } = newStack();
    new CfnResource(stack, 'Raw', { type: 'AWS::Lambda::Function', properties: { Handler: 'index.handler' } });
    addTracingAspect(stack);
    const warnings = annotations(stack, 'warning').filter(a => a.id === NOT_GRANTED);
    expect(warnings.map(a => a.path)).toEqual(['/Stack/Raw']);
    expect(warnings[0].message).toContain('(none)');
  });
});

describe('TracingAspect reads the whole stack once', () => {
  test('a policy defined elsewhere in the stack that grants X-Ray to the role counts, for L2 and L1 functions', () => {
    const { stack } = newStack();
    const fn = pythonFunction(stack, 'Fn');
    new iam.Policy(stack, 'ElsewhereL2', {
      roles: [fn.role!],
      statements: [new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] })],
    });
    const role = l1Role(stack, 'Role');
    l1Function(stack, 'L1', role.attrArn);
    new iam.CfnPolicy(stack, 'ElsewhereL1', {
      policyName: 'xray',
      roles: [role.ref],
      policyDocument: { Statement: [{ Effect: 'Allow', Action: 'xray:*', Resource: '*' }] },
    });
    addTracingAspect(stack);

    const template = Template.fromStack(stack);
    expect(JSON.stringify(template.findResources('AWS::IAM::Role'))).not.toContain('AWSXRayDaemonWriteAccess');
    template.resourceCountIs('AWS::IAM::Policy', 2);
    const kept = annotations(stack, 'info').filter(a => a.id === AnnotationId.XRAY_PERMISSIONS_KEPT);
    expect(kept.map(a => a.path).sort()).toEqual(['/Stack/Fn', '/Stack/L1']);
  });

  test('one StackIndex per stack, however many functions', () => {
    const build = jest.spyOn(StackIndex, 'build');
    try {
      const app = new App();
      for (const name of ['A', 'B']) {
        const stack = new Stack(app, name);
        pythonFunction(stack, 'Fn1');
        pythonFunction(stack, 'Fn2');
        l1Function(stack, 'L1', l1Role(stack, 'Role').attrArn);
      }
      addTracingAspect(app);
      app.synth();
      expect(build.mock.calls.map(([stack]) => stack.stackName)).toEqual(['A', 'B']);
    } finally {
      build.mockRestore();
    }
  });

  test('an L1 function whose CfnRole sits under an L2 role without being its resource: the grant goes to that CfnRole', () => {
    const { stack } = newStack();
    const l2 = new iam.Role(stack, 'L2', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const inner = l1Role(l2, 'Inner');
    l1Function(stack, 'L1', inner.attrArn);
    addTracingAspect(stack);

    const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
    const arns = (id: string) => JSON.stringify(roles[stack.resolve((stack.node.findChild('L2').node.findChild(id) as CfnResource).logicalId)].Properties.ManagedPolicyArns);
    expect(arns('Inner')).toContain('AWSXRayDaemonWriteAccess');
    expect(arns('Resource') ?? '').not.toContain('AWSXRayDaemonWriteAccess');
  });

  test('fails when tracing is Tracing.DISABLED', () => {
    expectErrorId(() => new TracingAspect({ tracing: lambda.Tracing.DISABLED }), ErrorId.TRACING_DISABLED, /^TracingAspect: /, 'Tracing.DISABLED', 'excludePaths');
  });
});
