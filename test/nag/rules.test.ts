import { CfnParameter, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagRuleCompliance } from 'cdk-nag';
import { check, newStack, pythonFunction } from './helper';
import { TracingContract } from '../../lib/contract';
import ActiveTracing from '../../lib/nag/rules/ActiveTracing';
import LayerArchitecture from '../../lib/nag/rules/LayerArchitecture';
import LayerRuntime from '../../lib/nag/rules/LayerRuntime';
import PassThroughTracing from '../../lib/nag/rules/PassThroughTracing';
import XRaySdkEndOfSupport from '../../lib/nag/rules/XRaySdkEndOfSupport';
import XRayWriteAccess from '../../lib/nag/rules/XRayWriteAccess';

const { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE } = NagRuleCompliance;

describe('ActiveTracing', () => {
  test('compliant: an L2 function with Tracing.ACTIVE', () => {
    const { app, stack } = newStack();
    const fn = pythonFunction(stack, 'Fn', { tracing: lambda.Tracing.ACTIVE });
    expect(check(app, ActiveTracing, fn)).toBe(COMPLIANT);
  });

  test('compliant: a raw AWS::Lambda::Function resource with a TracingConfig.Mode override', () => {
    const { app, stack } = newStack();
    const fn = new lambda.CfnFunction(stack, 'Fn', { role: 'arn:aws:iam::111111111111:role/r', code: { zipFile: 'x' }, handler: 'index.handler', runtime: 'python3.13' });
    fn.addPropertyOverride('TracingConfig.Mode', 'Active');
    expect(check(app, ActiveTracing, fn)).toBe(COMPLIANT);
  });

  test('non-compliant: no TracingConfig at all, or an explicit Disabled-like mode', () => {
    const { app, stack } = newStack();
    const none = pythonFunction(stack, 'None');
    const other = new lambda.CfnFunction(stack, 'Other', { role: 'arn:aws:iam::111111111111:role/r', code: { zipFile: 'x' }, handler: 'index.handler', runtime: 'python3.13' });
    other.addPropertyOverride('TracingConfig.Mode', 'Off');
    expect(check(app, ActiveTracing, none)).toBe(NON_COMPLIANT);
    expect(check(app, ActiveTracing, other)).toBe(NON_COMPLIANT);
  });

  test('not applicable: PassThrough (PassThroughTracing reports it), and a resource that is not a function', () => {
    const { app, stack } = newStack();
    const passThrough = pythonFunction(stack, 'PassThrough', { tracing: lambda.Tracing.PASS_THROUGH });
    expect(check(app, ActiveTracing, passThrough)).toBe(NOT_APPLICABLE);
    expect(check(app, ActiveTracing, new sns.Topic(stack, 'Topic'))).toBe(NOT_APPLICABLE);
  });
});

describe('PassThroughTracing', () => {
  test('compliant: Active', () => {
    const { app, stack } = newStack();
    expect(check(app, PassThroughTracing, pythonFunction(stack, 'Fn', { tracing: lambda.Tracing.ACTIVE }))).toBe(COMPLIANT);
  });

  test('non-compliant: PassThrough', () => {
    const { app, stack } = newStack();
    expect(check(app, PassThroughTracing, pythonFunction(stack, 'Fn', { tracing: lambda.Tracing.PASS_THROUGH }))).toBe(NON_COMPLIANT);
  });

  test('not applicable: no tracing mode (ActiveTracing reports it), and a resource that is not a function', () => {
    const { app, stack } = newStack();
    expect(check(app, PassThroughTracing, pythonFunction(stack, 'Fn'))).toBe(NOT_APPLICABLE);
    expect(check(app, PassThroughTracing, new sns.Topic(stack, 'Topic'))).toBe(NOT_APPLICABLE);
  });

  test('not applicable: another resource type with a PassThrough TracingConfig', () => {
    const { app, stack } = newStack();
    expect(check(app, PassThroughTracing, samFunction(stack, 'Sam', { TracingConfig: { Mode: 'PassThrough' } }))).toBe(NOT_APPLICABLE);
  });
});

describe('XRayWriteAccess', () => {
  test('compliant: the AWS managed policy AWSXRayDaemonWriteAccess on the role', () => {
    const { app, stack } = newStack();
    const fn = pythonFunction(stack, 'Fn');
    fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AWSXRayDaemonWriteAccess'));
    expect(check(app, XRayWriteAccess, fn)).toBe(COMPLIANT);
  });

  test('compliant: the statement aws-cdk-lib adds to the DefaultPolicy for Tracing.ACTIVE', () => {
    const { app, stack } = newStack();
    const fn = pythonFunction(stack, 'Fn', { tracing: lambda.Tracing.ACTIVE });
    expect(check(app, XRayWriteAccess, fn)).toBe(COMPLIANT);
  });

  test.each([['xray:*'], ['xray:Put*'], ['XRay:PutT*']])('compliant: a wildcard %s in a customer managed policy of the stack', (action) => {
    const { app, stack } = newStack();
    const fn = pythonFunction(stack, 'Fn');
    fn.role!.addManagedPolicy(new iam.ManagedPolicy(stack, 'Policy', {
      statements: [new iam.PolicyStatement({ actions: [action], resources: ['*'] })],
    }));
    expect(check(app, XRayWriteAccess, fn)).toBe(COMPLIANT);
  });

  test('compliant: an inline policy on an L1 role', () => {
    const { app, stack } = newStack();
    const role = new iam.CfnRole(stack, 'Role', {
      assumeRolePolicyDocument: { Statement: [] },
      policies: [{ policyName: 'x', policyDocument: { Statement: [{ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' }] } }],
    });
    const fn = new lambda.CfnFunction(stack, 'Fn', { role: role.attrArn, code: { zipFile: 'x' }, handler: 'index.handler', runtime: 'python3.13' });
    expect(check(app, XRayWriteAccess, fn)).toBe(COMPLIANT);
  });

  test('non-compliant: only one of the two actions, a Deny, or a resource other than *', () => {
    const { app, stack } = newStack();
    const one = pythonFunction(stack, 'One');
    one.addToRolePolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments'], resources: ['*'] }));
    const denied = pythonFunction(stack, 'Denied');
    denied.addToRolePolicy(new iam.PolicyStatement({ actions: ['xray:*'], resources: ['*'] }));
    denied.addToRolePolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['xray:PutTelemetryRecords'], resources: ['*'] }));
    const scoped = pythonFunction(stack, 'Scoped');
    scoped.addToRolePolicy(new iam.PolicyStatement({ actions: ['xray:*'], resources: ['arn:aws:xray:eu-west-1:111111111111:group/x'] }));
    expect(check(app, XRayWriteAccess, one)).toBe(NON_COMPLIANT);
    expect(check(app, XRayWriteAccess, denied)).toBe(NON_COMPLIANT);
    expect(check(app, XRayWriteAccess, scoped)).toBe(NON_COMPLIANT);
  });

  test('non-compliant: a role with only AWSLambdaBasicExecutionRole', () => {
    const { app, stack } = newStack();
    expect(check(app, XRayWriteAccess, pythonFunction(stack, 'Fn'))).toBe(NON_COMPLIANT);
  });

  test('not applicable: an imported role, an ARN string, or a managed policy it cannot see', () => {
    const { app, stack } = newStack();
    const imported = pythonFunction(stack, 'Imported', { role: iam.Role.fromRoleArn(stack, 'R', 'arn:aws:iam::111111111111:role/r') });
    const fromString = new lambda.CfnFunction(stack, 'FromString', { role: Fn.importValue('RoleArn'), code: { zipFile: 'x' }, handler: 'index.handler', runtime: 'python3.13' });
    const opaque = pythonFunction(stack, 'Opaque');
    opaque.role!.addManagedPolicy(iam.ManagedPolicy.fromManagedPolicyArn(stack, 'P', Fn.importValue('PolicyArn')));
    const topic = new sns.Topic(stack, 'Topic');
    expect(check(app, XRayWriteAccess, imported)).toBe(NOT_APPLICABLE);
    expect(check(app, XRayWriteAccess, fromString)).toBe(NOT_APPLICABLE);
    expect(check(app, XRayWriteAccess, opaque)).toBe(NOT_APPLICABLE);
    expect(check(app, XRayWriteAccess, topic)).toBe(NOT_APPLICABLE);
  });

  test('not applicable: a SAM function whose role lacks the actions (not an AWS::Lambda::Function)', () => {
    const { app, stack } = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const plain = new lambda.CfnFunction(stack, 'Plain', { role: role.roleArn, code: { zipFile: 'x' }, handler: 'index.handler', runtime: 'python3.13' });
    const sam = samFunction(stack, 'Sam', { Runtime: 'python3.13', Role: role.roleArn });
    expect(check(app, XRayWriteAccess, plain)).toBe(NON_COMPLIANT);
    expect(check(app, XRayWriteAccess, sam)).toBe(NOT_APPLICABLE);
  });
});

function layer(stack: Stack, id: string, props: { architectures?: lambda.Architecture[]; runtimes?: lambda.Runtime[] } = {}) {
  return new lambda.LayerVersion(stack, id, {
    code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, `${id}Bucket`, 'layers'), `${id}.zip`),
    compatibleArchitectures: props.architectures,
    compatibleRuntimes: props.runtimes,
  });
}

/** An L1 function: its properties reach the template as given, tokens included. */
function l1Function(stack: Stack, id: string, props: Partial<lambda.CfnFunctionProps>) {
  return new lambda.CfnFunction(stack, id, {
    role: 'arn:aws:iam::111111111111:role/r',
    code: { zipFile: 'x' },
    handler: 'index.handler',
    runtime: 'python3.13',
    ...props,
  });
}

function l1Layer(stack: Stack, id: string, props: Partial<lambda.CfnLayerVersionProps>) {
  return new lambda.CfnLayerVersion(stack, id, { content: { s3Bucket: 'layers', s3Key: `${id}.zip` }, ...props }).ref;
}

/** A SAM function before the transform: not an AWS::Lambda::Function, whatever its properties. */
function samFunction(stack: Stack, id: string, properties: Record<string, unknown>) {
  return new CfnResource(stack, id, { type: 'AWS::Serverless::Function', properties: { Handler: 'index.handler', CodeUri: 's3://code/fn.zip', ...properties } });
}

function importedLayer(stack: Stack) {
  return lambda.LayerVersion.fromLayerVersionArn(stack, 'ImportedLayer', 'arn:aws:lambda:eu-west-1:111111111111:layer:x:1');
}

describe('LayerArchitecture', () => {
  test('compliant: an arm64 layer on an arm64 function, an x86_64 layer on a function without architecture, and a layer that states no architecture', () => {
    const { app, stack } = newStack();
    const arm = pythonFunction(stack, 'Arm', { architecture: lambda.Architecture.ARM_64, layers: [layer(stack, 'L', { architectures: [lambda.Architecture.ARM_64] })] });
    const x86 = pythonFunction(stack, 'X86', { layers: [layer(stack, 'X', { architectures: [lambda.Architecture.X86_64] })] });
    const open = pythonFunction(stack, 'Open', { layers: [layer(stack, 'Any')] });
    expect(check(app, LayerArchitecture, arm)).toBe(COMPLIANT);
    expect(check(app, LayerArchitecture, x86)).toBe(COMPLIANT);
    expect(check(app, LayerArchitecture, open)).toBe(COMPLIANT);
  });

  test('compliant: a layer whose architectures are not all literal values (it cannot tell)', () => {
    const { app, stack } = newStack();
    const parameter = new CfnParameter(stack, 'LayerArch');
    const fn = l1Function(stack, 'Fn', { architectures: ['arm64'], layers: [l1Layer(stack, 'L', { compatibleArchitectures: ['x86_64', parameter.valueAsString] })] });
    expect(check(app, LayerArchitecture, fn)).toBe(COMPLIANT);
  });

  test('non-compliant: an arm64-only layer on a function without architecture (x86_64)', () => {
    const { app, stack } = newStack();
    const fn = pythonFunction(stack, 'Fn', { layers: [layer(stack, 'L', { architectures: [lambda.Architecture.ARM_64] })] });
    expect(check(app, LayerArchitecture, fn)).toBe(NON_COMPLIANT);
  });

  test('non-compliant: one x86_64-only layer among layers that fit an arm64 function', () => {
    const { app, stack } = newStack();
    const fn = pythonFunction(stack, 'Fn', {
      architecture: lambda.Architecture.ARM_64,
      layers: [
        layer(stack, 'Any'),
        layer(stack, 'Arm', { architectures: [lambda.Architecture.ARM_64] }),
        layer(stack, 'X86', { architectures: [lambda.Architecture.X86_64] }),
      ],
    });
    expect(check(app, LayerArchitecture, fn)).toBe(NON_COMPLIANT);
  });

  test('not applicable: a layer imported by ARN, no layers, not a function', () => {
    const { app, stack } = newStack();
    const imported = pythonFunction(stack, 'Imported', { architecture: lambda.Architecture.ARM_64, layers: [importedLayer(stack)] });
    const none = pythonFunction(stack, 'None');
    const notAFunction = layer(stack, 'L');
    expect(check(app, LayerArchitecture, imported)).toBe(NOT_APPLICABLE);
    expect(check(app, LayerArchitecture, none)).toBe(NOT_APPLICABLE);
    expect(check(app, LayerArchitecture, notAFunction)).toBe(NOT_APPLICABLE);
  });

  test('not applicable: an architecture that is not a literal value, and another resource type with the same properties', () => {
    const { app, stack } = newStack();
    const armLayer = layer(stack, 'L', { architectures: [lambda.Architecture.ARM_64] });
    const fromParameter = l1Function(stack, 'Fn', { architectures: [new CfnParameter(stack, 'Arch').valueAsString], layers: [armLayer.layerVersionArn] });
    const sam = samFunction(stack, 'Sam', { Runtime: 'python3.13', Layers: [armLayer.layerVersionArn] });
    expect(check(app, LayerArchitecture, fromParameter)).toBe(NOT_APPLICABLE);
    expect(check(app, LayerArchitecture, sam)).toBe(NOT_APPLICABLE);
  });
});

describe('LayerRuntime', () => {
  test('compliant: a layer that lists the function runtime', () => {
    const { app, stack } = newStack();
    const fn = pythonFunction(stack, 'Fn', { layers: [layer(stack, 'L', { runtimes: [lambda.Runtime.PYTHON_3_12, lambda.Runtime.PYTHON_3_13] })] });
    expect(check(app, LayerRuntime, fn)).toBe(COMPLIANT);
  });

  // lambda.Function already throws for this; an L1 CfnFunction (or an escape hatch) does not.
  test('non-compliant: a python3.12 layer on a python3.13 L1 function', () => {
    const { app, stack } = newStack();
    const fn = new lambda.CfnFunction(stack, 'Fn', {
      role: 'arn:aws:iam::111111111111:role/r',
      code: { zipFile: 'x' },
      handler: 'index.handler',
      runtime: 'python3.13',
      layers: [layer(stack, 'L', { runtimes: [lambda.Runtime.PYTHON_3_12] }).layerVersionArn],
    });
    expect(check(app, LayerRuntime, fn)).toBe(NON_COMPLIANT);
  });

  test('not applicable: a layer imported by ARN, and a container image function (no runtime)', () => {
    const { app, stack } = newStack();
    const imported = pythonFunction(stack, 'Imported', { layers: [importedLayer(stack)] });
    const image = new lambda.DockerImageFunction(stack, 'Image', {
      code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Repo', 'repo')),
    });
    expect(check(app, LayerRuntime, imported)).toBe(NOT_APPLICABLE);
    expect(check(app, LayerRuntime, image)).toBe(NOT_APPLICABLE);
  });

  test('not applicable: no layers, a runtime that is not a literal value, and another resource type with the same properties', () => {
    const { app, stack } = newStack();
    const oldLayer = layer(stack, 'L', { runtimes: [lambda.Runtime.PYTHON_3_12] });
    const none = pythonFunction(stack, 'None');
    const fromParameter = l1Function(stack, 'Fn', { runtime: new CfnParameter(stack, 'Runtime').valueAsString, layers: [oldLayer.layerVersionArn] });
    const sam = samFunction(stack, 'Sam', { Runtime: 'python3.13', Layers: [oldLayer.layerVersionArn] });
    expect(check(app, LayerRuntime, none)).toBe(NOT_APPLICABLE);
    expect(check(app, LayerRuntime, fromParameter)).toBe(NOT_APPLICABLE);
    expect(check(app, LayerRuntime, sam)).toBe(NOT_APPLICABLE);
  });
});

describe('XRaySdkEndOfSupport', () => {
  const instrumented = (stack: Stack, id: string, instrumentation: string) => {
    const fn = pythonFunction(stack, id);
    (fn.node.defaultChild as lambda.CfnFunction).addMetadata(TracingContract.INSTRUMENTATION_METADATA_KEY, instrumentation);
    return fn;
  };

  test('compliant: instrumentation adot or none', () => {
    const { app, stack } = newStack();
    const adot = instrumented(stack, 'Adot', 'adot');
    const none = instrumented(stack, 'None', 'none');
    expect(check(app, XRaySdkEndOfSupport, adot)).toBe(COMPLIANT);
    expect(check(app, XRaySdkEndOfSupport, none)).toBe(COMPLIANT);
  });

  test('non-compliant: instrumentation xray-sdk', () => {
    const { app, stack } = newStack();
    expect(check(app, XRaySdkEndOfSupport, instrumented(stack, 'Sdk', 'xray-sdk'))).toBe(NON_COMPLIANT);
  });

  test('not applicable: a function this library did not build', () => {
    const { app, stack } = newStack();
    expect(check(app, XRaySdkEndOfSupport, pythonFunction(stack, 'Plain'))).toBe(NOT_APPLICABLE);
  });

  test('not applicable: another resource type with the instrumentation metadata', () => {
    const { app, stack } = newStack();
    const sam = samFunction(stack, 'Sam', { Runtime: 'python3.13' });
    sam.addMetadata(TracingContract.INSTRUMENTATION_METADATA_KEY, 'xray-sdk');
    expect(check(app, XRaySdkEndOfSupport, sam)).toBe(NOT_APPLICABLE);
  });
});
