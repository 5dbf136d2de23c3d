import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { annotations } from './annotations';
import { functionProperties, stackIn, tracedFunction, variables } from './otel-helpers';
import { Instrumentation } from '../../lib';
import { AnnotationId, ErrorId, TracingRuleId } from '../../lib/contract';
import { POWERTOOLS_PYTHON_LAYER } from '../../lib/tracing/layer-data';
import { noteXRaySdkUse } from '../../lib/tracing/private/xray-sdk-notice';
import { expectErrorId } from '../helpers/errors';

const SDK_NOT_IN_LAYERS = 'cdk-traced-lambda:xraySdkNotInLayers';

describe('Instrumentation.powertools()', () => {
  test.each([
    ['us-east-1', lambda.Runtime.PYTHON_3_13, lambda.Architecture.X86_64,
      'arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-x86_64:27'],
    ['eu-west-1', lambda.Runtime.PYTHON_3_12, lambda.Architecture.ARM_64,
      'arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-arm64:27'],
    ['ap-southeast-2', lambda.Runtime.PYTHON_3_14, lambda.Architecture.ARM_64,
      'arn:aws:lambda:ap-southeast-2:017000801446:layer:AWSLambdaPowertoolsPythonV3-python314-arm64:27'],
    ['ap-southeast-2', lambda.Runtime.PYTHON_3_10, lambda.Architecture.X86_64,
      'arn:aws:lambda:ap-southeast-2:017000801446:layer:AWSLambdaPowertoolsPythonV3-python310-x86_64:27'],
  ])('in %s, %s on %s: the public layer for that Python version and architecture', (region, runtime, architecture, arn) => {
    const stack = stackIn(region);
    tracedFunction(stack, { runtime, architecture, instrumentation: Instrumentation.powertools() });

    const props = functionProperties(stack);
    expect(props.Layers).toEqual([arn]);
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    Template.fromStack(stack).hasResource('AWS::Lambda::Function', { Metadata: { 'cdk-traced-lambda:instrumentation': 'powertools' } });
  });

  test('POWERTOOLS_SERVICE_NAME defaults to the construct id; the Tracer settings are only set when given', () => {
    const stack = stackIn('us-east-1');
    tracedFunction(stack, { instrumentation: Instrumentation.powertools() }, 'Orders');

    expect(variables(stack)).toEqual({ POWERTOOLS_SERVICE_NAME: 'Orders' });
  });

  test('serviceName, captureResponse and captureError set their variables', () => {
    const stack = stackIn('us-east-1');
    tracedFunction(stack, { instrumentation: Instrumentation.powertools({ serviceName: 'orders', captureResponse: false, captureError: true }) });

    expect(variables(stack)).toEqual({
      POWERTOOLS_SERVICE_NAME: 'orders', POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false', POWERTOOLS_TRACER_CAPTURE_ERROR: 'true',
    });
  });

  test('a user-set POWERTOOLS_SERVICE_NAME wins', () => {
    const stack = stackIn('us-east-1');
    tracedFunction(stack, { instrumentation: Instrumentation.powertools({ serviceName: 'ignored' }), environment: { POWERTOOLS_SERVICE_NAME: 'mine' } });

    expect(variables(stack).POWERTOOLS_SERVICE_NAME).toBe('mine');
  });

  test('a region-agnostic stack looks the publishing account up in a mapping of the documented regions', () => {
    const stack = stackIn();
    tracedFunction(stack, { architecture: lambda.Architecture.ARM_64, instrumentation: Instrumentation.powertools() });

    const mapping = Template.fromStack(stack).toJSON().Mappings.TracedLambdaPowertoolsLayers;
    expect(mapping['eu-west-1']).toEqual({ account: '017000801446' });
    expect(Object.keys(mapping)).toHaveLength(29);
    expect(functionProperties(stack).Layers).toEqual([{
      'Fn::Join': ['', ['arn:aws:lambda:', { Ref: 'AWS::Region' }, ':',
        { 'Fn::FindInMap': ['TracedLambdaPowertoolsLayers', { Ref: 'AWS::Region' }, 'account'] },
        ':layer:AWSLambdaPowertoolsPythonV3-python313-arm64:27']],
    }]);
  });

  test('layerVersion pins the version', () => {
    const stack = stackIn('us-east-1');
    tracedFunction(stack, { instrumentation: Instrumentation.powertools({ layerVersion: 12 }) });

    expect(functionProperties(stack).Layers).toEqual(['arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-x86_64:12']);
  });

  test.each([
    ['cn-north-1', 'aws-cn partition'],
    ['us-gov-west-1', 'aws-us-gov partition'],
    ['ap-southeast-7', 'https://docs.powertools.aws.dev/'],
  ])('fails in %s, saying why and pointing to `layer`', (region, why) => {
    const stack = stackIn(region);

    expectErrorId(() => tracedFunction(stack, { instrumentation: Instrumentation.powertools() }),
      ErrorId.INSTRUMENTATION_LAYER_NOT_FOUND, /^Stack\/Fn: /, `region ${region}`, why, 'Instrumentation.powertools({ layer: ');
  });

  test('another partition works with a layer the user passes', () => {
    const stack = stackIn('cn-north-1');
    const arn = 'arn:aws-cn:lambda:cn-north-1:498634801083:layer:AWSLambdaPowertoolsPythonV3-python313-x86_64:27';
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Powertools', arn);

    tracedFunction(stack, { instrumentation: Instrumentation.powertools({ layer }) });

    expect(functionProperties(stack).Layers).toEqual([arn]);
  });

  test('fails when the runtime has no Powertools layer, naming the ones that do', () => {
    const stack = stackIn('us-east-1');

    expectErrorId(() => tracedFunction(stack, { runtime: lambda.Runtime.PYTHON_3_9, instrumentation: Instrumentation.powertools() }),
      ErrorId.INSTRUMENTATION_RUNTIME_UNSUPPORTED, /^Stack\/Fn: /, 'python3.10, python3.11, python3.12, python3.13, python3.14', 'runs python3.9');
  });

  test('fails when options contradict each other or are empty', () => {
    const stack = stackIn('us-east-1');
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Mine', 'arn:aws:lambda:us-east-1:123456789012:layer:pt:1');

    expectErrorId(() => Instrumentation.powertools({ layerVersion: 3, layer }),
      ErrorId.INSTRUMENTATION_LAYER_CONFLICT, /^Instrumentation\.powertools\(\): /, 'layerVersion 3', "'Stack/Mine'");
    expectErrorId(() => Instrumentation.powertools({ layerVersion: -1 }),
      ErrorId.INSTRUMENTATION_LAYER_VERSION_INVALID, /^Instrumentation\.powertools\(\): /, 'layerVersion', 'received -1.');
    expectErrorId(() => Instrumentation.powertools({ serviceName: ' ' }),
      ErrorId.POWERTOOLS_SERVICE_NAME_EMPTY, /^Instrumentation\.powertools\(\): /, 'serviceName', 'received " "');
  });

  test('latestLayerFromSsm with a pinned version or a layer: an error naming the other option', () => {
    const stack = stackIn('us-east-1');
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Mine', 'arn:aws:lambda:us-east-1:123456789012:layer:pt:1');

    expectErrorId(() => Instrumentation.powertools({ latestLayerFromSsm: true, layerVersion: 5 }),
      ErrorId.POWERTOOLS_LAYER_OPTIONS_CONFLICT, /^Instrumentation\.powertools\(\): /, 'layerVersion 5');
    const withLayer = expectErrorId(() => Instrumentation.powertools({ latestLayerFromSsm: true, layer }),
      ErrorId.POWERTOOLS_LAYER_OPTIONS_CONFLICT, "'Stack/Mine'");
    expect(withLayer.message).not.toContain('layerVersion undefined');
  });

  test.each([0, 1.5, Number.NaN])('layerVersion %d is not a version; the fix names the documented one', (layerVersion) => {
    expectErrorId(() => Instrumentation.powertools({ layerVersion }),
      ErrorId.INSTRUMENTATION_LAYER_VERSION_INVALID, `received ${layerVersion}.`, `layerVersion: ${POWERTOOLS_PYTHON_LAYER.version}`);
  });

  test('adds the X-Ray SDK end-of-support info (the Tracer uses the SDK), by id', () => {
    const stack = stackIn('us-east-1');
    tracedFunction(stack, { instrumentation: Instrumentation.powertools() });

    Annotations.fromStack(stack).hasInfo('/Stack', Match.stringLikeRegexp(`'Stack/Fn' \\(Instrumentation.powertools\\(\\).*maintenance mode since 2026-02-25.*${AnnotationId.XRAY_SDK_END_OF_SUPPORT}`));
  });

  test('does not warn that the X-Ray SDK is missing: the Powertools layer brings it', () => {
    const stack = stackIn('us-east-1');
    tracedFunction(stack, { instrumentation: Instrumentation.powertools() });

    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(SDK_NOT_IN_LAYERS));
  });
});

describe('Instrumentation.xraySdk() with the public Powertools layer', () => {
  test('the Powertools layer counts as providing the X-Ray SDK', () => {
    const stack = stackIn('us-east-1');
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Powertools',
      'arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-x86_64:27');

    tracedFunction(stack, { instrumentation: Instrumentation.xraySdk(), layers: [layer] });

    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(SDK_NOT_IN_LAYERS));
  });

  test('another public layer does not', () => {
    const stack = stackIn('us-east-1');
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Other', 'arn:aws:lambda:us-east-1:123456789012:layer:requests:1');

    tracedFunction(stack, { instrumentation: Instrumentation.xraySdk(), layers: [layer] });

    Annotations.fromStack(stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp(SDK_NOT_IN_LAYERS));
  });
});

describe('the X-Ray SDK end-of-support notice: one info per stack', () => {
  /** The notice of a stack whose functions `0..n-1` use the SDK. */
  function notice(n: number): string[] {
    const stack = stackIn('us-east-1');
    for (let i = 0; i < n; i++) noteXRaySdkUse(new Construct(stack, `F${i}`), 'how');
    Template.fromStack(stack);
    return annotations(stack, 'info').filter(a => a.id === AnnotationId.XRAY_SDK_END_OF_SUPPORT).map(a => a.message);
  }

  test('one function: counted as one, named, with the rule that reports each function', () => {
    const [message] = notice(1);
    expect(message).toContain("'Stack/F0' (how)");
    expect(message).toMatch(/\b1 function\b/);
    expect(message).toContain(TracingRuleId.XRAY_SDK_END_OF_SUPPORT);
  });

  test('ten functions are all named; the eleventh is counted, not named', () => {
    const [ten] = notice(10);
    expect(ten).toContain("'Stack/F9' (how)");
    expect(ten).toMatch(/\b10 functions\b/);
    expect(ten).not.toMatch(/and \d+ more/);

    const [eleven] = notice(11);
    expect(eleven).toContain("'Stack/F9' (how)");
    expect(eleven).not.toContain("'Stack/F10'");
    expect(/and (\d+) more/.exec(eleven)?.[1]).toBe('1');
    expect(eleven).toMatch(/\b11 functions\b/);
  });
});
