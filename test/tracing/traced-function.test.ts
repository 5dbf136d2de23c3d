import { App, Annotations as CoreAnnotations, CfnElement, Stack, StackProps } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { annotations, annotationIds } from './annotations';
import { AnnotationId, ErrorId, Instrumentation, PythonDependencyLayer, TracedFunction, TracedFunctionProps, TracingContract, XRayPermissions } from '../../lib';
import { formatRequirementName, parseRequirementName, requirementsInclude } from '../../lib/private/python-names';
import { OTEL_PYTHON_LAYER, POWERTOOLS_PYTHON_LAYER } from '../../lib/tracing/layer-data';
import { powertoolsLayerName } from '../../lib/tracing/private/layer-names';
import { expectErrorId } from '../helpers/errors';

const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];
const MANAGED_POLICY_ARN = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSXRayDaemonWriteAccess']],
};
const SDK_WARNING = AnnotationId.XRAY_SDK_NOT_IN_LAYERS;
const NOT_GRANTED = AnnotationId.XRAY_PERMISSIONS_NOT_GRANTED;
const KEPT = AnnotationId.XRAY_PERMISSIONS_KEPT;

function newStack(props: StackProps = {}): Stack {
  return new Stack(new App(), 'Stack', props);
}

/** Only `code`, `handler` and `runtime`, plus whatever the test adds. */
function tracedFunction(scope: Construct, props: Partial<TracedFunctionProps> = {}, id = 'Fn'): TracedFunction {
  return new TracedFunction(scope, id, {
    code: lambda.Code.fromAsset('test/fixtures/function'),
    handler: 'index.handler',
    runtime: lambda.Runtime.PYTHON_3_13,
    ...props,
  });
}

/**
 * A stand-in for a PythonDependencyLayer (whose constructor runs pip): a plain layer that carries the
 * same cross-library marker and the public surface TracedFunction reads.
 */
function fakeDependencyLayer(scope: Construct, id: string, options: {
  requirements?: string[];
  runtime?: lambda.Runtime;
  architecture?: lambda.Architecture;
} = {}): PythonDependencyLayer {
  const bucket = s3.Bucket.fromBucketName(scope, `${id}Bucket`, 'layer-bucket');
  const layer = new lambda.LayerVersion(scope, id, { code: lambda.Code.fromBucket(bucket, `${id}.zip`) });
  // Canonical names, as PythonDependencyLayer keeps them, through the library's one parser.
  const requirements = (options.requirements ?? []).map(r => formatRequirementName(parseRequirementName(r)!));
  Object.defineProperty(layer, Symbol.for('cdk-traced-lambda.PythonDependencyLayer'), { value: true });
  Object.assign(layer, {
    runtime: options.runtime ?? lambda.Runtime.PYTHON_3_13,
    architecture: options.architecture ?? lambda.Architecture.X86_64,
    requirements,
    hasRequirement: (name: string, extra?: string) => requirementsInclude(requirements, name, extra),
  });
  expect(PythonDependencyLayer.isPythonDependencyLayer(layer)).toBe(true);
  return layer as unknown as PythonDependencyLayer;
}

function logicalId(construct: Construct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

function dependsOn(fn: TracedFunction): string[] {
  const template = Template.fromStack(Stack.of(fn));
  return template.toJSON().Resources[logicalId(fn)].DependsOn ?? [];
}

function policyStatementsWithXRay(stack: Stack): unknown[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .filter((s: any) => JSON.stringify(s.Action).includes('xray:'));
}

describe('TracedFunction defaults', () => {
  test('code, handler and runtime alone give an actively traced function with the managed X-Ray policy', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const fn = tracedFunction(stack);

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.arrayWith([MANAGED_POLICY_ARN]),
    });
    expect(fn.tracing).toBe(lambda.Tracing.ACTIVE);
    expect(fn.xrayPermissions).toBe(XRayPermissions.MANAGED_POLICY);
    expect(fn.instrumentation.name).toBe('open-telemetry');
  });

  test('the managed policy is the only X-Ray grant: no inline X-Ray statement on the role', () => {
    const stack = newStack();
    tracedFunction(stack);

    expect(policyStatementsWithXRay(stack)).toEqual([]);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('the function depends on its role, which carries the managed policy', () => {
    const stack = newStack();
    const fn = tracedFunction(stack);

    expect(dependsOn(fn)).toContain(logicalId(fn.role as iam.Role));
  });

  test('records the instrumentation in the function resource metadata', () => {
    const stack = newStack();
    const fn = tracedFunction(stack, { instrumentation: Instrumentation.none() });

    const resource = Template.fromStack(stack).toJSON().Resources[logicalId(fn)];
    expect(resource.Metadata[TracingContract.INSTRUMENTATION_METADATA_KEY]).toBe('none');
  });

  test('isTracedFunction tells a TracedFunction from a plain function and non-objects', () => {
    const stack = newStack();
    const traced = tracedFunction(stack);
    const plain = new lambda.Function(stack, 'Plain', {
      code: lambda.Code.fromInline('x'), handler: 'index.handler', runtime: lambda.Runtime.PYTHON_3_13,
    });

    expect(TracedFunction.isTracedFunction(traced)).toBe(true);
    expect(TracedFunction.isTracedFunction(plain)).toBe(false);
    expect(TracedFunction.isTracedFunction(undefined)).toBe(false);
    expect(TracedFunction.isTracedFunction(null)).toBe(false);
  });
});

describe('tracing', () => {
  test('PASS_THROUGH is allowed and still grants X-Ray write access', () => {
    const stack = newStack();
    const fn = tracedFunction(stack, { tracing: lambda.Tracing.PASS_THROUGH });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'PassThrough' } });
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.arrayWith([MANAGED_POLICY_ARN]) });
    expect(fn.tracing).toBe(lambda.Tracing.PASS_THROUGH);
  });

  test('fails when tracing is DISABLED', () => {
    const stack = newStack();

    expectErrorId(() => tracedFunction(stack, { tracing: lambda.Tracing.DISABLED }), ErrorId.TRACING_DISABLED,
      /^Stack\/Fn: /, 'Tracing.DISABLED', 'Tracing.ACTIVE');
  });

  test('fails when aws-cdk-lib\'s adotInstrumentation prop is passed', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });

    expectErrorId(() => tracedFunction(stack, {
      adotInstrumentation: {
        layerVersion: lambda.AdotLayerVersion.fromPythonSdkLayerVersion(lambda.AdotLambdaLayerPythonSdkVersion.LATEST),
        execWrapper: lambda.AdotLambdaExecWrapper.INSTRUMENT_HANDLER,
      },
    }), ErrorId.ADOT_INSTRUMENTATION_PROP, /^Stack\/Fn: /, 'adotInstrumentation', 'Instrumentation.adot(', 'Instrumentation.openTelemetry()');
  });
});

describe('X-Ray permissions', () => {
  test('LEAST_PRIVILEGE adds one inline statement with exactly the two write actions on *', () => {
    const stack = newStack();
    const fn = tracedFunction(stack, { xrayPermissions: XRayPermissions.LEAST_PRIVILEGE });

    expect(policyStatementsWithXRay(stack)).toEqual([
      { Effect: 'Allow', Action: XRAY_ACTIONS, Resource: '*' },
    ]);
    const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
    expect(JSON.stringify(roles)).not.toContain('AWSXRayDaemonWriteAccess');
    expect(fn.xrayPermissions).toBe(XRayPermissions.LEAST_PRIVILEGE);
  });

  test('LEAST_PRIVILEGE: the statement is in a policy of its own, which the function depends on', () => {
    const stack = newStack();
    const fn = tracedFunction(stack, { xrayPermissions: XRayPermissions.LEAST_PRIVILEGE });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));

    const xrayPolicy = fn.role!.node.findChild('TracedLambdaXRayWriteAccessLEAST_PRIVILEGE') as iam.Policy;
    const defaultPolicy = fn.role!.node.findChild('DefaultPolicy') as iam.Policy;
    expect(dependsOn(fn)).toEqual(expect.arrayContaining([
      logicalId(fn.role as iam.Role),
      logicalId(xrayPolicy),
    ]));
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    expect(JSON.stringify(policies[logicalId(xrayPolicy)])).toContain('xray:PutTraceSegments');
    expect(JSON.stringify(policies[logicalId(defaultPolicy)])).not.toContain('xray:');
  });

  test('a role passed in gets the grant once', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    tracedFunction(stack, { role, xrayPermissions: XRayPermissions.LEAST_PRIVILEGE });
    tracedFunction(stack, { role, xrayPermissions: XRayPermissions.LEAST_PRIVILEGE }, 'Fn2');

    expect(policyStatementsWithXRay(stack)).toHaveLength(1);
  });

  test('a role passed in that a policy elsewhere in the stack already grants X-Ray gets no second grant', () => {
    // GIVEN: the grant is not under the role, so only a look through the whole stack finds it
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const policy = new iam.Policy(stack, 'XRayElsewhere', {
      roles: [role],
      statements: [new iam.PolicyStatement({ actions: XRAY_ACTIONS, resources: ['*'] })],
    });

    // WHEN
    tracedFunction(stack, { role });

    // THEN
    expect(policyStatementsWithXRay(stack)).toEqual([{ Effect: 'Allow', Action: XRAY_ACTIONS, Resource: '*' }]);
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Role'))).not.toContain('AWSXRayDaemonWriteAccess');
    expect(annotationIds(stack, 'info')).toEqual([`/Stack/Fn ${KEPT}`]);
    expect(annotations(stack, 'info').find(a => a.id === KEPT)!.message).toContain(`'${policy.node.defaultChild!.node.path}'`);
  });

  test('a new role whose initialPolicy allows the X-Ray actions gets no second grant', () => {
    const stack = newStack();

    const fn = tracedFunction(stack, { initialPolicy: [new iam.PolicyStatement({ actions: XRAY_ACTIONS, resources: ['*'] })] });

    expect(policyStatementsWithXRay(stack)).toEqual([{ Effect: 'Allow', Action: XRAY_ACTIONS, Resource: '*' }]);
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Role'))).not.toContain('AWSXRayDaemonWriteAccess');
    expect(annotationIds(stack, 'info')).toEqual([`/Stack/Fn ${KEPT}`]);
    const defaultPolicy = fn.role!.node.findChild('DefaultPolicy').node.defaultChild!;
    expect(annotations(stack, 'info').find(a => a.id === KEPT)!.message).toContain(`'${defaultPolicy.node.path}'`);
  });

  test('an imported mutable role with the managed policy: no error, a warning naming the policy and the actions', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::123456789012:role/existing');

    tracedFunction(stack, { role });

    // (openTelemetry(), the default, needs no package in the function's layers: no SDK warning)
    expect(annotationIds(stack, 'warning')).toEqual([`/Stack/Fn ${NOT_GRANTED}`]);
    const warning = annotations(stack, 'warning').find(a => a.id === NOT_GRANTED)!;
    expect(warning.message).toContain('AWSXRayDaemonWriteAccess');
    expect(warning.message).toContain('xray:PutTraceSegments and xray:PutTelemetryRecords');
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('an imported immutable role with LEAST_PRIVILEGE: no error, a warning naming the actions', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::123456789012:role/existing', { mutable: false });

    tracedFunction(stack, { role, xrayPermissions: XRayPermissions.LEAST_PRIVILEGE });

    expect(annotationIds(stack, 'warning')).toContain(`/Stack/Fn ${NOT_GRANTED}`);
    const warning = annotations(stack, 'warning').find(a => a.id === NOT_GRANTED)!;
    expect(warning.message).toContain('arn:aws:iam::123456789012:role/existing');
    expect(warning.message).toContain('AWSXRayDaemonWriteAccess');
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('an imported mutable role with LEAST_PRIVILEGE gets a new policy that the function depends on', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::123456789012:role/existing');

    const fn = tracedFunction(stack, { role, xrayPermissions: XRayPermissions.LEAST_PRIVILEGE });

    expect(policyStatementsWithXRay(stack)).toEqual([{ Effect: 'Allow', Action: XRAY_ACTIONS, Resource: '*' }]);
    const policyId = Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0];
    expect(dependsOn(fn)).toContain(policyId);
    expect(annotationIds(stack, 'warning')).not.toContain(`/Stack/Fn ${NOT_GRANTED}`);
  });
});

describe('runtime', () => {
  // Each instrumentation is created in the test, not in the table: what runs while jest collects the tests
  // counts, for per-test mutation coverage, towards no test.
  test.each([
    ['openTelemetry (the default)', () => undefined, 'open-telemetry'],
    ['xraySdk', () => Instrumentation.xraySdk(), 'xray-sdk'],
    ['adot', () => Instrumentation.adot(), 'adot'],
    ['powertools', () => Instrumentation.powertools(), 'powertools'],
  ])('fails when %s is used with a non-Python runtime', (_name, instrumentation, name) => {
    const stack = newStack({ env: { region: 'us-east-1' } });

    expectErrorId(() => tracedFunction(stack, { runtime: lambda.Runtime.NODEJS_22_X, instrumentation: instrumentation() }),
      ErrorId.INSTRUMENTATION_NEEDS_PYTHON, /^Stack\/Fn: /, `'${name}'`, 'nodejs22.x', 'Instrumentation.none()');
  });

  test('Instrumentation.none() works with a non-Python runtime', () => {
    const stack = newStack();

    tracedFunction(stack, { runtime: lambda.Runtime.NODEJS_20_X, instrumentation: Instrumentation.none() });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs20.x',
      TracingConfig: { Mode: 'Active' },
      Layers: Match.absent(),
    });
  });
});

describe('dependency layers', () => {
  test('a layer built for the function\'s runtime and architecture is attached', () => {
    const stack = newStack();
    const layer = fakeDependencyLayer(stack, 'Deps', { requirements: ['aws-xray-sdk'] });

    tracedFunction(stack, { layers: [layer], instrumentation: Instrumentation.xraySdk() });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Layers: [{ Ref: logicalId(layer) }],
    });
  });

  test('fails when a layer in props.layers was built for another Python version', () => {
    const stack = newStack();
    const layer = fakeDependencyLayer(stack, 'Deps', { runtime: lambda.Runtime.PYTHON_3_12 });

    expectErrorId(() => tracedFunction(stack, { layers: [layer] }),
      ErrorId.DEPENDENCY_LAYER_MISMATCH, /^Stack\/Fn: /, "'Stack/Deps'", 'python3.12 on x86_64', 'python3.13 on x86_64',
      /Fix: [^\n]*python3\.13/); // the fix names the runtime to build the layer with: the function's
  });

  test('fails when a layer added later was built for another architecture', () => {
    const stack = newStack();
    const fn = tracedFunction(stack, { architecture: lambda.Architecture.ARM_64 });
    const layer = fakeDependencyLayer(stack, 'Deps');

    expectErrorId(() => fn.addLayers(layer),
      ErrorId.DEPENDENCY_LAYER_MISMATCH, /^Stack\/Fn: /, "'Stack/Deps'", 'python3.13 on x86_64', 'python3.13 on arm64',
      /Fix: [^\n]*arm64/); // the fix names the architecture to build the layer for: the function's
  });

  // Lambda's limit of 5 layers is aws-cdk-lib's to enforce (lambda.Function.addLayers, `MaxLayersExceeded`): its
  // error is not this library's, so these two only check that TracedFunction keeps the limit and counts the
  // instrumentation's layer.
  test('the ADOT layer counts towards aws-cdk-lib\'s limit of 5 layers', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    const layers = [1, 2, 3, 4, 5].map(i => fakeDependencyLayer(stack, `Deps${i}`));

    expect(() => tracedFunction(stack, { layers, instrumentation: Instrumentation.adot() })).toThrow();
  });

  test('four layers and the ADOT layer are fine', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    const layers = [1, 2, 3, 4].map(i => fakeDependencyLayer(stack, `Deps${i}`));

    tracedFunction(stack, { layers, instrumentation: Instrumentation.adot() });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Layers: Match.arrayWith([Match.stringLikeRegexp('aws-otel-python')]),
    });
  });

  test('addLayers keeps aws-cdk-lib\'s limit of 5 layers', () => {
    const stack = newStack();
    const fn = tracedFunction(stack, {
      layers: [1, 2, 3, 4, 5].map(i => fakeDependencyLayer(stack, `Deps${i}`)),
      instrumentation: Instrumentation.xraySdk(),
    });

    expect(() => fn.addLayers(fakeDependencyLayer(stack, 'Deps6'))).toThrow();
    expect(fn._pythonDependencyLayers()).toHaveLength(5);
  });
});

describe('AWS_LAMBDA_EXEC_WRAPPER against the layers', () => {
  test('whatever the instrumentation, a function that gets the OpenTelemetry layer without its wrapper is warned at synthesis', () => {
    // GIVEN: no instrumentation, and the layer added after construction
    const stack = newStack({ env: { region: 'us-east-1' } });
    const fn = tracedFunction(stack, { instrumentation: Instrumentation.none() });

    // WHEN
    fn.addLayers(lambda.LayerVersion.fromLayerVersionArn(stack, 'Otel', OTEL_PYTHON_LAYER.arns['us-east-1']));

    // THEN
    expect(annotationIds(stack, 'warning')).toEqual([`/Stack/Fn ${AnnotationId.OTEL_EXEC_WRAPPER_REPLACED}`]);
    expect(annotations(stack, 'warning').find(a => a.id === AnnotationId.OTEL_EXEC_WRAPPER_REPLACED)!.message).toContain(TracingContract.EXEC_WRAPPER_VARIABLE);
  });

  test('the wrapper without the layer is warned too', () => {
    const stack = newStack();
    tracedFunction(stack, {
      instrumentation: Instrumentation.none(),
      environment: { [TracingContract.EXEC_WRAPPER_VARIABLE]: TracingContract.OTEL_EXEC_WRAPPER },
    });

    expect(annotationIds(stack, 'warning')).toEqual([`/Stack/Fn ${AnnotationId.OTEL_EXEC_WRAPPER_WITHOUT_LAYER}`]);
  });
});

describe('currentVersion', () => {
  function versionLogicalId(props: Partial<TracedFunctionProps>): string {
    const stack = newStack({ env: { region: 'us-east-1' } });
    const fn = tracedFunction(stack, { ...props, code: lambda.Code.fromInline('def handler(e, c): pass') });
    fn.currentVersion; // creates the AWS::Lambda::Version
    const versions = Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::Version'));
    expect(versions).toHaveLength(1);
    return versions[0];
  }

  test('the same configuration keeps the version logical id', () => {
    expect(versionLogicalId({})).toEqual(versionLogicalId({}));
  });

  test('changing tracing gives a new version logical id', () => {
    expect(versionLogicalId({ tracing: lambda.Tracing.PASS_THROUGH })).not.toEqual(versionLogicalId({}));
  });

  test.each([
    ['none', Instrumentation.none()],
    ['adot', Instrumentation.adot()],
  ])('changing the instrumentation from xraySdk to %s gives a new version logical id', (_name, instrumentation) => {
    expect(versionLogicalId({ instrumentation })).not.toEqual(versionLogicalId({ instrumentation: Instrumentation.xraySdk() }));
  });
});

describe('Instrumentation.xraySdk() and the function\'s layers', () => {
  test('warns when the function has no PythonDependencyLayer, saying how to fix or silence it', () => {
    const stack = newStack();
    tracedFunction(stack, { instrumentation: Instrumentation.xraySdk() });

    expect(annotationIds(stack, 'warning')).toEqual([`/Stack/Fn ${SDK_WARNING}`]);
    const warning = annotations(stack, 'warning')[0].message;
    expect(warning).toMatch(/^Stack\/Fn: /);
    for (const requirement of ['aws-xray-sdk', 'aws-lambda-powertools[tracer]', 'aws-lambda-powertools[all]', `acknowledgeWarning('${SDK_WARNING}')`]) {
      expect(warning).toContain(requirement);
    }
    // ... the requirements as a list, each one apart, not run together
    expect(warning).toContain(TracingContract.XRAY_SDK_REQUIREMENTS.join(', '));
  });

  test('warns when no PythonDependencyLayer lists the SDK (powertools without the tracer extra does not count)', () => {
    const stack = newStack();
    tracedFunction(stack, { instrumentation: Instrumentation.xraySdk(), layers: [fakeDependencyLayer(stack, 'Deps', { requirements: ['requests', 'aws-lambda-powertools'] })] });

    expect(annotationIds(stack, 'warning')).toEqual([`/Stack/Fn ${SDK_WARNING}`]);
    expect(annotations(stack, 'warning').find(a => a.id === SDK_WARNING)!.message).toContain("'Stack/Deps'");
  });

  test('the warning names every PythonDependencyLayer of the function, as a list', () => {
    const stack = newStack();
    const layers = [fakeDependencyLayer(stack, 'DepsA', { requirements: ['requests'] }), fakeDependencyLayer(stack, 'DepsB')];
    tracedFunction(stack, { instrumentation: Instrumentation.xraySdk(), layers });

    expect(annotationIds(stack, 'warning')).toEqual([`/Stack/Fn ${SDK_WARNING}`]);
    expect(annotations(stack, 'warning').find(a => a.id === SDK_WARNING)!.message).toContain("'Stack/DepsA', 'Stack/DepsB'");
  });

  test('the public Powertools layer counts: it brings the X-Ray SDK', () => {
    // GIVEN: the layer's ARN as Powertools publishes it, built from the library's data
    const stack = newStack({ env: { region: 'us-east-1' } });
    const p = POWERTOOLS_PYTHON_LAYER;
    const arn = `arn:${p.partition}:lambda:us-east-1:${p.account}:layer:${powertoolsLayerName('python3.13', 'x86_64')}:${p.version}`;

    // WHEN
    tracedFunction(stack, { instrumentation: Instrumentation.xraySdk(), layers: [lambda.LayerVersion.fromLayerVersionArn(stack, 'Powertools', arn)] });

    // THEN
    expect(annotationIds(stack, 'warning')).toEqual([]);
  });

  test('warns when the function\'s only layer is neither a PythonDependencyLayer nor the Powertools layer', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    const other = lambda.LayerVersion.fromLayerVersionArn(stack, 'Other', 'arn:aws:lambda:us-east-1:123456789012:layer:my-tools:3');

    tracedFunction(stack, { instrumentation: Instrumentation.xraySdk(), layers: [other] });

    expect(annotationIds(stack, 'warning')).toEqual([`/Stack/Fn ${SDK_WARNING}`]);
  });

  test.each([
    ['aws-xray-sdk'],
    ['AWS_XRay.SDK'],
    ['aws-lambda-powertools[tracer]'],
    ['Aws_Lambda_Powertools[Tracer,validation]'],
    ['aws-lambda-powertools[all]'],
  ])('does not warn when a layer lists %s', (requirement) => {
    const stack = newStack();
    tracedFunction(stack, { instrumentation: Instrumentation.xraySdk(), layers: [fakeDependencyLayer(stack, 'Deps', { requirements: ['requests', requirement] })] });

    expect(annotationIds(stack, 'warning')).toEqual([]);
  });

  test('a layer added with addLayers after construction counts', () => {
    const stack = newStack();
    const fn = tracedFunction(stack, { instrumentation: Instrumentation.xraySdk() });
    fn.addLayers(fakeDependencyLayer(stack, 'Deps', { requirements: ['aws-xray-sdk'] }));

    expect(annotationIds(stack, 'warning')).toEqual([]);
  });

  test('acknowledging the warning silences it', () => {
    const stack = newStack();
    const fn = tracedFunction(stack, { instrumentation: Instrumentation.xraySdk() });
    CoreAnnotations.of(fn).acknowledgeWarning(SDK_WARNING, 'the code asset bundles aws-xray-sdk');

    expect(annotationIds(stack, 'warning')).toEqual([]);
  });

  test('adot and none do not look for the X-Ray SDK', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    tracedFunction(stack, { instrumentation: Instrumentation.adot() }, 'Adot');
    tracedFunction(stack, { instrumentation: Instrumentation.none() }, 'None');

    expect(annotationIds(stack, 'warning')).toEqual([]);
  });
});
