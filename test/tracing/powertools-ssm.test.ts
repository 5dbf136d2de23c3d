import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { annotationIds } from './annotations';
import { ErrorId, Instrumentation, TracedFunction, TracingContract } from '../../lib';
import { expectErrorId } from '../helpers/errors';

function fn(stack: Stack, options: Parameters<typeof Instrumentation.powertools>[0], architecture = lambda.Architecture.ARM_64): TracedFunction {
  return new TracedFunction(stack, 'Fn', {
    runtime: lambda.Runtime.PYTHON_3_13,
    architecture,
    handler: 'index.handler',
    code: lambda.Code.fromInline('x'),
    instrumentation: Instrumentation.powertools(options),
  });
}

describe('Instrumentation.powertools({ latestLayerFromSsm: true })', () => {
  test.each([
    ['us-east-1', lambda.Architecture.ARM_64, 'arm64'],
    [undefined, lambda.Architecture.X86_64, 'x86_64'],
  ])('region %s: the layer is Powertools\' public SSM parameter as a dynamic reference, and the metadata says so', (region, architecture, arch) => {
    const stack = new Stack(new App(), 'Stack', region ? { env: { region } } : {});
    fn(stack, { latestLayerFromSsm: true }, architecture);

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { Layers: [`{{resolve:ssm:/aws/service/powertools/python/${arch}/python3.13/latest}}`] });
    const resource = Object.values(template.findResources('AWS::Lambda::Function'))[0] as any;
    expect(resource.Metadata[TracingContract.LAYER_VERSION_SOURCE_METADATA_KEY]).toMatch(/^Powertools' public SSM parameter, resolved at each deploy/);
    expect(template.toJSON().Mappings).toBeUndefined();
    // The SSM layer is the Powertools layer: it brings the X-Ray SDK, so no missing-package warning.
    expect(annotationIds(stack, 'warning')).toEqual([]);
  });

  test('a region the pinned data does not list works too (the parameter is looked up where the layer is deployed)', () => {
    const stack = new Stack(new App(), 'Stack', { env: { region: 'mx-central-1' } });
    fn(stack, { latestLayerFromSsm: true });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Layers: ['{{resolve:ssm:/aws/service/powertools/python/arm64/python3.13/latest}}'] });
  });

  test.each([
    [{ latestLayerFromSsm: true, layerVersion: 27 }, 'layerVersion 27'],
    [{ latestLayerFromSsm: true, layer: lambda.LayerVersion.fromLayerVersionArn(new Stack(), 'L', 'arn:aws:lambda:us-east-1:123456789012:layer:x:1') }, 'layer'],
  ])('with a pinned version or a layer: an error naming both options', (options, named) => {
    expectErrorId(() => Instrumentation.powertools(options), ErrorId.POWERTOOLS_LAYER_OPTIONS_CONFLICT, /^Instrumentation\.powertools\(\): /, named, 'latestLayerFromSsm');
  });
});
