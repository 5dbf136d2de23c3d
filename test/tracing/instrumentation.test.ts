import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { annotations, annotationIds } from './annotations';
import { AnnotationId, ErrorId, Instrumentation, InstrumentationName, TracedFunction, TracedFunctionProps, TracingContract } from '../../lib';
import { expectErrorId } from '../helpers/errors';

/** A region that aws-cdk-lib 2.276.0's region facts list without an ADOT Python layer. */
const REGION_WITHOUT_ADOT = 'mx-central-1';

function newStack(props: StackProps = {}): Stack {
  return new Stack(new App(), 'Stack', props);
}

function tracedFunction(scope: Construct, props: Partial<TracedFunctionProps> = {}, id = 'Fn'): TracedFunction {
  return new TracedFunction(scope, id, {
    code: lambda.Code.fromInline('def handler(event, context):\n    return None\n'),
    handler: 'index.handler',
    runtime: lambda.Runtime.PYTHON_3_13,
    ...props,
  });
}

function functionProperties(stack: Stack): any {
  const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  expect(functions).toHaveLength(1);
  return (functions[0] as any).Properties;
}

describe('Instrumentation factories', () => {
  // The factories run in the test, not in the table: what runs while jest collects the tests counts, for
  // per-test mutation coverage, towards no test.
  test.each([
    ['openTelemetry', () => Instrumentation.openTelemetry(), InstrumentationName.OPEN_TELEMETRY, true],
    ['powertools', () => Instrumentation.powertools(), InstrumentationName.POWERTOOLS, true],
    ['xraySdk', () => Instrumentation.xraySdk(), InstrumentationName.XRAY_SDK, true],
    ['adot', () => Instrumentation.adot(), InstrumentationName.ADOT, true],
    ['none', () => Instrumentation.none(), InstrumentationName.NONE, false],
  ])('%s has its metadata name and says whether it needs Python', (_factory, factory, name, python) => {
    const instrumentation = factory();
    expect(instrumentation.name).toBe(name);
    expect(instrumentation.toString()).toBe(name);
    expect(instrumentation.requiresPythonRuntime).toBe(python);
  });

  test('fails when adot() gets both a version and a layer', () => {
    const stack = newStack();
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Mine', 'arn:aws:lambda:us-east-1:123456789012:layer:otel:1');

    expectErrorId(() => Instrumentation.adot({ version: lambda.AdotLambdaLayerPythonSdkVersion.V1_29_0, layer }),
      ErrorId.INSTRUMENTATION_LAYER_CONFLICT, /^Instrumentation\.adot\(\): /, '`version`', '`layer`', "'Stack/Mine'");
  });
});

describe('Instrumentation.xraySdk()', () => {
  test('adds one info to the stack about the X-Ray SDK\'s end of support, naming the function and recommending openTelemetry()', () => {
    const stack = newStack();
    tracedFunction(stack, { instrumentation: Instrumentation.xraySdk() });

    expect(annotationIds(stack, 'info')).toEqual([`/Stack ${AnnotationId.XRAY_SDK_END_OF_SUPPORT}`]);
    const info = annotations(stack, 'info')[0].message;
    expect(info).toContain('2026-02-25');
    expect(info).not.toContain('2027-02-25');
    expect(info).toContain('Instrumentation.openTelemetry()');
    expect(info).toContain("'Stack/Fn' (Instrumentation.xraySdk())"); // the function, and what in it uses the SDK
  });

  test('one info per stack however many functions use the SDK: it names the first ten and counts the rest', () => {
    const app = new App();
    const many = new Stack(app, 'Many');
    const other = new Stack(app, 'Other');
    for (let i = 0; i < 12; i++) {
      tracedFunction(many, { instrumentation: Instrumentation.xraySdk() }, `Fn${i}`);
    }
    tracedFunction(many, { instrumentation: Instrumentation.none() }, 'Untraced');
    tracedFunction(other, { instrumentation: Instrumentation.xraySdk() }, 'Only');
    tracedFunction(other, { instrumentation: Instrumentation.openTelemetry() }, 'Otel');

    expect(annotationIds(many, 'info')).toEqual([`/Many ${AnnotationId.XRAY_SDK_END_OF_SUPPORT}`]);
    expect(annotationIds(other, 'info')).toEqual([`/Other ${AnnotationId.XRAY_SDK_END_OF_SUPPORT}`]);
    const manyInfo = annotations(many, 'info')[0].message;
    for (let i = 0; i < 10; i++) {
      expect(manyInfo).toContain(`'Many/Fn${i}'`);
    }
    expect(manyInfo).not.toContain("'Many/Fn10'");
    expect(manyInfo).toContain('12 functions');
    expect(manyInfo).toContain('and 2 more');
    expect(manyInfo).not.toContain('Untraced');
    const otherInfo = annotations(other, 'info')[0].message;
    expect(otherInfo).toContain("'Other/Only'");
    expect(otherInfo).not.toContain('Otel');
    // Synthesizing again adds no second info.
    app.synth({ force: true });
    expect(annotationIds(many, 'info')).toEqual([`/Many ${AnnotationId.XRAY_SDK_END_OF_SUPPORT}`]);
  });

  test('adds no layer and no environment variable', () => {
    const stack = newStack();
    tracedFunction(stack, { instrumentation: Instrumentation.xraySdk() });

    const props = functionProperties(stack);
    expect(props.Layers).toBeUndefined();
    expect(props.Environment).toBeUndefined();
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
  });
});

describe('Instrumentation.none()', () => {
  test('active tracing only: no layer, no environment, no info annotation', () => {
    const stack = newStack();
    tracedFunction(stack, { instrumentation: Instrumentation.none() });

    const props = functionProperties(stack);
    expect(props.Layers).toBeUndefined();
    expect(props.Environment).toBeUndefined();
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect(annotations(stack, 'info')).toEqual([]);
  });
});

describe('Instrumentation.adot()', () => {
  test('adds an info on the function, naming it, about the legacy layer', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    tracedFunction(stack, { instrumentation: Instrumentation.adot() });

    expect(annotationIds(stack, 'info')).toEqual([`/Stack/Fn ${AnnotationId.ADOT_LEGACY_LAYER}`]);
    const info = annotations(stack, 'info').find(a => a.id === AnnotationId.ADOT_LEGACY_LAYER)!.message;
    expect(info).toMatch(/^Stack\/Fn: /);
    expect(info).toContain('Instrumentation.openTelemetry()');
  });

  test('adds aws-cdk-lib\'s latest ADOT Python layer for the architecture and the exec wrapper', () => {
    // GIVEN
    const stack = newStack({ env: { region: 'us-east-1' } });

    // WHEN
    tracedFunction(stack, { instrumentation: Instrumentation.adot() });

    // THEN
    const expected = lambda.AdotLambdaLayerPythonSdkVersion.LATEST.layerArn(stack, lambda.Architecture.X86_64);
    expect(expected).toMatch(/^arn:aws:lambda:us-east-1:\d+:layer:aws-otel-python-amd64-/);
    const props = functionProperties(stack);
    expect(props.Layers).toEqual([expected]);
    expect(props.Environment).toEqual({ Variables: { [TracingContract.EXEC_WRAPPER_VARIABLE]: TracingContract.OTEL_EXEC_WRAPPER } });
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
  });

  test('an arm64 function gets the arm64 layer', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    tracedFunction(stack, { instrumentation: Instrumentation.adot(), architecture: lambda.Architecture.ARM_64 });

    const props = functionProperties(stack);
    expect(props.Layers).toEqual([expect.stringMatching(/:layer:aws-otel-python-arm64-/)]);
  });

  test('a pinned version is used', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    tracedFunction(stack, { instrumentation: Instrumentation.adot({ version: lambda.AdotLambdaLayerPythonSdkVersion.V1_13_0 }) });

    const expected = lambda.AdotLambdaLayerPythonSdkVersion.V1_13_0.layerArn(stack, lambda.Architecture.X86_64);
    expect(expected).not.toEqual(lambda.AdotLambdaLayerPythonSdkVersion.LATEST.layerArn(stack, lambda.Architecture.X86_64));
    expect(functionProperties(stack).Layers).toEqual([expected]);
  });

  test('a layer the user passes replaces aws-cdk-lib\'s', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    const arn = 'arn:aws:lambda:us-east-1:615299751070:layer:AWSOpenTelemetryDistroPython:16';
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Distro', arn);

    tracedFunction(stack, { instrumentation: Instrumentation.adot({ layer }) });

    const props = functionProperties(stack);
    expect(props.Layers).toEqual([arn]);
    expect(props.Environment.Variables.AWS_LAMBDA_EXEC_WRAPPER).toBe('/opt/otel-instrument');
  });

  test('a user-set AWS_LAMBDA_EXEC_WRAPPER wins', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    tracedFunction(stack, {
      instrumentation: Instrumentation.adot(),
      environment: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/my-wrapper', OTHER: 'x' },
    });

    expect(functionProperties(stack).Environment).toEqual({
      Variables: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/my-wrapper', OTHER: 'x' },
    });
  });

  test('a region-agnostic stack looks the layer up per region', () => {
    const stack = newStack();
    tracedFunction(stack, { instrumentation: Instrumentation.adot() });

    const layers = JSON.stringify(functionProperties(stack).Layers);
    expect(layers).toContain('{"Ref":"AWS::Region"}');
    expect(layers).toContain(':layer:aws-otel-python-amd64-');
  });

  test('adds no inline X-Ray statement next to the managed policy', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    tracedFunction(stack, { instrumentation: Instrumentation.adot() });

    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('fails when the region has no ADOT layer, naming the function and the `layer` remedy', () => {
    const stack = newStack({ env: { region: REGION_WITHOUT_ADOT } });

    expectErrorId(() => tracedFunction(stack, { instrumentation: Instrumentation.adot() }),
      ErrorId.INSTRUMENTATION_LAYER_NOT_FOUND, /^Stack\/Fn: /, REGION_WITHOUT_ADOT, 'Instrumentation.adot({ layer: ');
  });

  test('a region without aws-cdk-lib\'s ADOT layer works with a layer the user passes', () => {
    const stack = newStack({ env: { region: REGION_WITHOUT_ADOT } });
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Distro',
      `arn:aws:lambda:${REGION_WITHOUT_ADOT}:123456789012:layer:AWSOpenTelemetryDistroPython:1`);

    tracedFunction(stack, { instrumentation: Instrumentation.adot({ layer }) });

    expect(functionProperties(stack).Layers).toEqual([expect.stringContaining(REGION_WITHOUT_ADOT)]);
  });
});
