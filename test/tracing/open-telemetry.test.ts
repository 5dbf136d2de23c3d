import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { annotationIds, annotations } from './annotations';
import { functionProperties, stackIn, tracedFunction, variables } from './otel-helpers';
import { Instrumentation } from '../../lib';
import { AnnotationId, ErrorId } from '../../lib/contract';
import { expectErrorId } from '../helpers/errors';

// Values from AWS's ADOT documentation (lib/tracing/layer-data.ts), repeated here so that a data change is seen.
const US_EAST_1 = 'arn:aws:lambda:us-east-1:615299751070:layer:AWSOpenTelemetryDistroPython:29';
const EU_CENTRAL_2 = 'arn:aws:lambda:eu-central-2:156041407956:layer:AWSOpenTelemetryDistroPython:23';
const APPLICATION_SIGNALS_POLICY = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/CloudWatchLambdaApplicationSignalsExecutionRolePolicy']],
};
const XRAY_POLICY = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSXRayDaemonWriteAccess']] };

describe('Instrumentation.openTelemetry()', () => {
  test('is TracedFunction\'s default: the layer, the wrapper, Application Signals off, active tracing, one X-Ray grant', () => {
    // GIVEN
    const stack = stackIn('us-east-1');

    // WHEN
    const fn = tracedFunction(stack);

    // THEN
    expect(fn.instrumentation.name).toBe('open-telemetry');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Layers: [US_EAST_1],
      Environment: { Variables: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument', OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'false' } },
      TracingConfig: { Mode: 'Active' },
    });
    template.hasResource('AWS::Lambda::Function', { Metadata: { 'cdk-traced-lambda:instrumentation': 'open-telemetry' } });
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: [Match.anyValue(), XRAY_POLICY] });
    expect(JSON.stringify(template.findResources('AWS::IAM::Role'))).not.toContain('ApplicationSignals');
  });

  test.each([
    ['us-east-1', lambda.Architecture.X86_64, US_EAST_1],
    ['us-east-1', lambda.Architecture.ARM_64, US_EAST_1],
    ['eu-central-2', lambda.Architecture.X86_64, EU_CENTRAL_2],
    ['eu-central-2', lambda.Architecture.ARM_64, EU_CENTRAL_2],
    ['cn-north-1', lambda.Architecture.ARM_64, 'arn:aws-cn:lambda:cn-north-1:440179912924:layer:AWSOpenTelemetryDistroPython:14'],
  ])('in %s on %s the function gets the region\'s documented layer (one layer for both architectures)', (region, architecture, arn) => {
    const stack = stackIn(region);
    tracedFunction(stack, { instrumentation: Instrumentation.openTelemetry(), architecture });

    expect(functionProperties(stack).Layers).toEqual([arn]);
  });

  test('a region-agnostic stack gets a mapping and looks the layer up with Fn::FindInMap on AWS::Region', () => {
    const stack = stackIn();
    tracedFunction(stack, { instrumentation: Instrumentation.openTelemetry() });

    const template = Template.fromStack(stack).toJSON();
    expect(template.Mappings.TracedLambdaOpenTelemetryLayers['us-east-1']).toEqual({ account: '615299751070', version: '29' });
    expect(template.Mappings.TracedLambdaOpenTelemetryLayers['eu-central-2']).toEqual({ account: '156041407956', version: '23' });
    const find = (key: string) => ({ 'Fn::FindInMap': ['TracedLambdaOpenTelemetryLayers', { Ref: 'AWS::Region' }, key] });
    expect(functionProperties(stack).Layers).toEqual([{
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':', find('account'),
        ':layer:AWSOpenTelemetryDistroPython:', find('version')]],
    }]);
  });

  test('two functions in a region-agnostic stack share one mapping', () => {
    const stack = stackIn();
    tracedFunction(stack, {}, 'One');
    tracedFunction(stack, {}, 'Two');

    expect(Object.keys(Template.fromStack(stack).toJSON().Mappings)).toEqual(['TracedLambdaOpenTelemetryLayers']);
  });

  test('layerVersion pins the version, in a region and region-agnostic', () => {
    const inRegion = stackIn('eu-central-2');
    tracedFunction(inRegion, { instrumentation: Instrumentation.openTelemetry({ layerVersion: 7 }) });
    const agnostic = stackIn();
    tracedFunction(agnostic, { instrumentation: Instrumentation.openTelemetry({ layerVersion: 7 }) });

    expect(functionProperties(inRegion).Layers).toEqual(['arn:aws:lambda:eu-central-2:156041407956:layer:AWSOpenTelemetryDistroPython:7']);
    const join = functionProperties(agnostic).Layers[0]['Fn::Join'][1];
    expect(join[join.length - 1]).toBe(':layer:AWSOpenTelemetryDistroPython:7');
    expect(JSON.stringify(join)).not.toContain('"version"');
  });

  test('a layer the user passes replaces AWS\'s, in a region the data file does not list', () => {
    const stack = stackIn('us-gov-west-1');
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Mine', 'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:layer:otel:3');

    tracedFunction(stack, { instrumentation: Instrumentation.openTelemetry({ layer }) });

    expect(functionProperties(stack).Layers).toEqual(['arn:aws-us-gov:lambda:us-gov-west-1:123456789012:layer:otel:3']);
    expect(variables(stack).AWS_LAMBDA_EXEC_WRAPPER).toBe('/opt/otel-instrument');
  });

  test('fails when the stack\'s region has no documented layer, naming the region and the `layer` option', () => {
    const stack = stackIn('us-gov-west-1');

    expectErrorId(() => tracedFunction(stack, { instrumentation: Instrumentation.openTelemetry() }),
      ErrorId.INSTRUMENTATION_LAYER_NOT_FOUND, /^Stack\/Fn: /, 'region us-gov-west-1', 'Instrumentation.openTelemetry({ layer: ');
  });

  test.each([
    // python3.14 is supported: the layer's release workflow publishes it (test/tracing/runtimes.test.ts).
    [lambda.Runtime.PYTHON_3_9],
  ])('fails when the runtime is %s, which the layer does not support, naming the supported ones', (runtime) => {
    const stack = stackIn('us-east-1');

    expectErrorId(() => tracedFunction(stack, { runtime, instrumentation: Instrumentation.openTelemetry() }),
      ErrorId.INSTRUMENTATION_RUNTIME_UNSUPPORTED, /^Stack\/Fn: /, 'AWSOpenTelemetryDistroPython', 'python3.10, python3.11, python3.12, python3.13',
      `runs ${runtime.name}`, 'Instrumentation.openTelemetry({ layer })');
  });

  test('a runtime the layer does not support works with a layer the user passes', () => {
    const stack = stackIn('us-east-1');
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Mine', 'arn:aws:lambda:us-east-1:123456789012:layer:otel39:1');

    tracedFunction(stack, { runtime: lambda.Runtime.PYTHON_3_9, instrumentation: Instrumentation.openTelemetry({ layer }) });

    expect(functionProperties(stack).Runtime).toBe('python3.9');
    expect(functionProperties(stack).Layers).toEqual(['arn:aws:lambda:us-east-1:123456789012:layer:otel39:1']);
  });

  test('environment variables the user set win', () => {
    const stack = stackIn('us-east-1');
    tracedFunction(stack, {
      instrumentation: Instrumentation.openTelemetry({ instrumentations: { disable: ['urllib3'] } }),
      environment: { OTEL_PYTHON_DISABLED_INSTRUMENTATIONS: 'none', OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'false' },
    });

    expect(variables(stack)).toEqual({
      AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument', OTEL_PYTHON_DISABLED_INSTRUMENTATIONS: 'none', OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'false',
    });
  });

  test('fails when both layerVersion and layer are passed, or layerVersion is not a positive whole number', () => {
    const stack = stackIn('us-east-1');
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Mine', 'arn:aws:lambda:us-east-1:123456789012:layer:otel:1');

    expectErrorId(() => Instrumentation.openTelemetry({ layerVersion: 3, layer }),
      ErrorId.INSTRUMENTATION_LAYER_CONFLICT, /^Instrumentation\.openTelemetry\(\): /, 'layerVersion 3', "'Stack/Mine'");
    expectErrorId(() => Instrumentation.openTelemetry({ layerVersion: 0 }),
      ErrorId.INSTRUMENTATION_LAYER_VERSION_INVALID, /^Instrumentation\.openTelemetry\(\): /, 'layerVersion', 'received 0.');
    expectErrorId(() => Instrumentation.openTelemetry({ layerVersion: 2.5 }), ErrorId.INSTRUMENTATION_LAYER_VERSION_INVALID, 'received 2.5.');
  });

  test('adds no X-Ray SDK info and does not look for the X-Ray SDK in layers', () => {
    const stack = stackIn('us-east-1');
    tracedFunction(stack);

    // By id: neither the end-of-support info nor the SDK-not-in-layers warning.
    expect(annotationIds(stack, 'info').filter(a => a.endsWith(AnnotationId.XRAY_SDK_END_OF_SUPPORT))).toEqual([]);
    expect(annotationIds(stack, 'warning').filter(a => a.endsWith(AnnotationId.XRAY_SDK_NOT_IN_LAYERS))).toEqual([]);
  });
});

describe('Instrumentation.openTelemetry({ applicationSignals: true })', () => {
  test('turns Application Signals on and attaches the managed policy next to the X-Ray one', () => {
    const stack = stackIn('eu-central-2');
    tracedFunction(stack, { instrumentation: Instrumentation.openTelemetry({ applicationSignals: true }) });

    expect(variables(stack).OTEL_AWS_APPLICATION_SIGNALS_ENABLED).toBe('true');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.arrayWith([XRAY_POLICY, APPLICATION_SIGNALS_POLICY]),
    });
  });

  test('two functions sharing a role: the policy is attached once', () => {
    const stack = stackIn('us-east-1');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    tracedFunction(stack, { role, instrumentation: Instrumentation.openTelemetry({ applicationSignals: true }) }, 'One');
    tracedFunction(stack, { role, instrumentation: Instrumentation.openTelemetry({ applicationSignals: true }) }, 'Two');

    const roles = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role')) as any[];
    expect(roles).toHaveLength(1);
    const arns = roles[0].Properties.ManagedPolicyArns.map((a: unknown) => JSON.stringify(a));
    expect(arns.filter((a: string) => a.includes('CloudWatchLambdaApplicationSignalsExecutionRolePolicy'))).toHaveLength(1);
    expect(arns.filter((a: string) => a.includes('AWSXRayDaemonWriteAccess'))).toHaveLength(1);
  });

  test('a role the user already gave the policy keeps one copy', () => {
    const stack = stackIn('us-east-1');
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchLambdaApplicationSignalsExecutionRolePolicy')],
    });
    tracedFunction(stack, { role, instrumentation: Instrumentation.openTelemetry({ applicationSignals: true }) });

    const role0 = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0] as any;
    expect(JSON.stringify(role0.Properties.ManagedPolicyArns).match(/ApplicationSignalsExecutionRolePolicy/g)).toHaveLength(1);
  });

  test('an imported role: nothing attached, a warning by id naming the policy', () => {
    const stack = stackIn('us-east-1');
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::123456789012:role/existing');

    tracedFunction(stack, { role, instrumentation: Instrumentation.openTelemetry({ applicationSignals: true }) });

    expect(annotationIds(stack, 'warning')).toEqual([
      `/Stack/Fn ${AnnotationId.APPLICATION_SIGNALS_POLICY_NOT_ATTACHED}`,
      `/Stack/Fn ${AnnotationId.XRAY_PERMISSIONS_NOT_GRANTED}`,
    ]);
    const warning = annotations(stack, 'warning').find(a => a.id === AnnotationId.APPLICATION_SIGNALS_POLICY_NOT_ATTACHED)!;
    expect(warning.message).toContain('CloudWatchLambdaApplicationSignalsExecutionRolePolicy');
    expect(Template.fromStack(stack).findResources('AWS::IAM::Policy')).toEqual({});
  });

  test('applicationSignals off attaches nothing and warns nothing', () => {
    const stack = stackIn('us-east-1');
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::123456789012:role/existing');
    tracedFunction(stack, { role, instrumentation: Instrumentation.openTelemetry() });

    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(AnnotationId.APPLICATION_SIGNALS_POLICY_NOT_ATTACHED));
  });
});
