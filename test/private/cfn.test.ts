import { App, CfnResource, CustomResourceProvider, CustomResourceProviderRuntime, Lazy, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Instrumentation, TracedFunction } from '../../lib';
import { renderResource } from '../../lib/private/cfn';

// renderResource reads the properties the rules use from an L1's typed fields, one at a time, and renders
// everything else whole. Both must give what synthesis writes: every resource of an app with the forms the
// rules meet is compared, property by property, with the synthesized template.

const CODE = lambda.Code.fromInline('def handler(event, context):\n    return None\n');

/** The properties the nag rules and the grant logic read (the typed readers of lib/private/cfn.ts), and some they do not. */
const READ = ['Architectures', 'Environment', 'Layers', 'Role', 'Runtime', 'TracingConfig', 'ManagedPolicyArns', 'Policies',
  'PolicyDocument', 'Roles', 'CompatibleArchitectures', 'CompatibleRuntimes', 'Code', 'Handler', 'AssumeRolePolicyDocument',
  'PolicyName', 'Tags', 'Description'];

function buildApp(): { app: App; stacks: Stack[] } {
  const app = new App();
  const env = { account: '111111111111', region: 'eu-west-1' };
  const shared = new Stack(app, 'Shared', { env });
  const stack = new Stack(app, 'Main', { env });

  // A role of another stack (a cross-stack reference), with an inline policy and a managed policy of that stack.
  const sharedRole = new iam.Role(shared, 'SharedRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    inlinePolicies: { Xray: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['xray:*'], resources: ['*'] })] }) },
  });
  sharedRole.addManagedPolicy(new iam.ManagedPolicy(shared, 'Managed', {
    statements: [new iam.PolicyStatement({ actions: ['logs:PutLogEvents'], resources: ['*'] })],
    roles: [new iam.Role(shared, 'OtherRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') })],
  }));
  new lambda.Function(stack, 'CrossStack', { runtime: lambda.Runtime.PYTHON_3_12, handler: 'index.handler', code: CODE, role: sharedRole });

  // TracedFunctions: layers by ARN, environment variables, arm64, the managed policy and a statement grant.
  new TracedFunction(stack, 'Otel', {
    runtime: lambda.Runtime.PYTHON_3_13,
    handler: 'index.handler',
    code: CODE,
    architecture: lambda.Architecture.ARM_64,
    environment: { STAGE: 'test' },
  });
  new TracedFunction(stack, 'Powertools', {
    runtime: lambda.Runtime.PYTHON_3_12,
    handler: 'index.handler',
    code: CODE,
    instrumentation: Instrumentation.powertools(),
    tracing: lambda.Tracing.PASS_THROUGH,
  });

  // A layer of this stack with compatible runtimes and architectures, on a plain function with Tracing.ACTIVE.
  const layer = new lambda.LayerVersion(stack, 'Layer', {
    code: lambda.Code.fromAsset(`${__dirname}/../fixtures/tracing-aspect-provider`), compatibleRuntimes: [lambda.Runtime.PYTHON_3_13], compatibleArchitectures: [lambda.Architecture.X86_64],
  });
  const plain = new lambda.Function(stack, 'Plain', {
    runtime: lambda.Runtime.PYTHON_3_13,
    handler: 'index.handler',
    code: CODE,
    layers: [layer],
    tracing: lambda.Tracing.ACTIVE,
  });
  plain.addEnvironment('LATE', 'added after construction');
  Tags.of(plain).add('team', 'tracing');

  // L1s: typed fields given as tokens that resolve to camelCase structs, and a property override.
  const l1Role = new iam.CfnRole(stack, 'L1Role', {
    assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    policies: Lazy.any({ produce: () => [{ policyName: 'inline', policyDocument: { Statement: [{ Effect: 'Allow', Action: 'xray:Put*', Resource: '*' }] } }] }),
    managedPolicyArns: ['arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess'],
  });
  new lambda.CfnFunction(stack, 'L1Function', {
    code: { zipFile: 'x' },
    role: l1Role.attrArn,
    runtime: 'python3.13',
    handler: 'index.handler',
    tracingConfig: Lazy.any({ produce: () => ({ mode: 'PassThrough' }) }),
    environment: Lazy.any({ produce: () => ({ variables: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument' } }) }),
  });
  const overridden = new lambda.CfnFunction(stack, 'Overridden', {
    code: { zipFile: 'x' }, role: l1Role.attrArn, runtime: 'python3.13', handler: 'index.handler', tracingConfig: { mode: 'Active' },
  });
  overridden.addPropertyOverride('TracingConfig.Mode', 'PassThrough');
  overridden.addPropertyOverride('Layers', ['arn:aws:lambda:eu-west-1:111111111111:layer:x:1']);
  new iam.CfnPolicy(stack, 'L1Policy', {
    policyName: 'p', roles: [l1Role.ref], policyDocument: { Statement: [{ Effect: 'Deny', Action: 'xray:*', Resource: '*' }] },
  });

  // Raw CfnResources (no typed fields): aws-cdk-lib's custom resource provider makes its function and role so.
  CustomResourceProvider.getOrCreateProvider(stack, 'Custom::Thing', {
    codeDirectory: `${__dirname}/../fixtures/tracing-aspect-provider`, runtime: CustomResourceProviderRuntime.NODEJS_22_X,
  });
  app.synth();
  return { app, stacks: [shared, stack] };
}

describe('renderResource', () => {
  const { stacks } = buildApp();

  test('every property of every resource reads as the synthesized template has it', () => {
    const kinds = new Set<string>();
    for (const stack of stacks) {
      const template = Template.fromStack(stack).toJSON().Resources as Record<string, { Properties?: Record<string, unknown>; Metadata?: unknown }>;
      for (const resource of stack.node.findAll().filter(CfnResource.isCfnResource)) {
        const expected = template[stack.resolve(resource.logicalId)];
        const rendered = renderResource(resource);
        for (const key of READ) {
          expect({ key, path: resource.node.path, value: rendered.properties[key] })
            .toEqual({ key, path: resource.node.path, value: expected.Properties?.[key] });
          const has = expected.Properties?.[key] !== undefined;
          expect({ key, path: resource.node.path, has: key in rendered.properties }).toEqual({ key, path: resource.node.path, has });
          const own = Object.prototype.hasOwnProperty.call(rendered.properties, key);
          expect({ key, path: resource.node.path, own }).toEqual({ key, path: resource.node.path, own: has });
        }
        // Listing the keys renders the resource whole: the same object as the template's.
        expect(JSON.parse(JSON.stringify(rendered.properties))).toEqual(expected.Properties ?? {});
        expect(rendered.metadata).toEqual(expected.Metadata ?? {});
        kinds.add(`${resource.constructor.name} ${resource.cfnResourceType}`);
      }
    }
    // Every typed reader, and raw CfnResources of the types the rules read.
    expect([...kinds].sort()).toEqual(expect.arrayContaining([
      'CfnFunction AWS::Lambda::Function', 'CfnLayerVersion AWS::Lambda::LayerVersion', 'CfnManagedPolicy AWS::IAM::ManagedPolicy',
      'CfnPolicy AWS::IAM::Policy', 'CfnResource AWS::IAM::Role', 'CfnResource AWS::Lambda::Function', 'CfnRole AWS::IAM::Role',
    ]));
  });

  test('the cross-stack role and the override are read as synthesis writes them', () => {
    const main = stacks[1];
    const crossStack = (main.node.findChild('CrossStack').node.defaultChild as CfnResource);
    expect(renderResource(crossStack).properties.Role).toEqual({ 'Fn::ImportValue': expect.stringContaining('SharedRole') });
    const overridden = main.node.findChild('Overridden') as CfnResource;
    expect(renderResource(overridden).properties.TracingConfig).toEqual({ Mode: 'PassThrough' });
    expect(renderResource(overridden).properties.Layers).toEqual(['arn:aws:lambda:eu-west-1:111111111111:layer:x:1']);
  });

  test.each([
    ['Main', 'Plain/Resource', ['Architectures', 'Environment', 'Layers', 'Role', 'Runtime', 'TracingConfig']],
    ['Main', 'Plain/ServiceRole/Resource', ['ManagedPolicyArns', 'Policies']],
    ['Main', 'Plain/ServiceRole/DefaultPolicy/Resource', ['PolicyDocument', 'Roles']],
    ['Shared', 'Managed/Resource', ['PolicyDocument', 'Roles']],
    ['Main', 'Layer/Resource', ['CompatibleArchitectures', 'CompatibleRuntimes']],
  ])('%s/%s: the properties the rules read come from the typed fields, not a whole rendering', (stackName, path, keys) => {
    const stack = stacks.find(s => s.node.id === stackName)!;
    const resource = stack.node.findAll().find(c => c.node.path === `${stackName}/${path}`) as CfnResource;
    const whole = jest.spyOn(resource, '_toCloudFormation');
    const rendered = renderResource(resource);
    const values = keys.map(key => rendered.properties[key]);
    expect(values.some(v => v !== undefined)).toBe(true);
    expect(whole).not.toHaveBeenCalled();
    whole.mockRestore();
  });

  test('reading the rules\' properties of a typed L1 does not render the whole resource', () => {
    const fn = stacks[1].node.findChild('Plain').node.defaultChild as lambda.CfnFunction;
    const whole = jest.spyOn(fn, '_toCloudFormation');
    const resolve = jest.spyOn(stacks[1], 'resolve');
    const rendered = renderResource(fn);
    expect(rendered.properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(rendered.properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(resolve).toHaveBeenCalledTimes(1); // each property is resolved once, however often it is read
    resolve.mockRestore();
    // Symbol keys (what inspection and iteration ask for) are not properties and render nothing.
    expect((rendered.properties as any)[Symbol.iterator]).toBeUndefined();
    expect(Symbol.iterator in rendered.properties).toBe(false);
    expect(Object.getOwnPropertyDescriptor(rendered.properties, Symbol.iterator)).toBeUndefined();
    expect(rendered.properties.Environment).toEqual({ Variables: { LATE: 'added after construction' } });
    expect(rendered.metadata).toEqual(expect.any(Object));
    expect(whole).not.toHaveBeenCalled();
    expect(rendered.properties.Handler).toBe('index.handler');
    expect(whole).toHaveBeenCalledTimes(1);
    whole.mockRestore();
  });
});
