import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { functionProperties, stackIn, tracedFunction } from './otel-helpers';
import { Instrumentation } from '../../lib';

// Every instrumentation, in two regions, on both architectures: the layer it adds (by name), the wrapper,
// active tracing and the metadata. The per-instrumentation files test the details.
const CASES: [string, () => Instrumentation, RegExp | undefined, boolean][] = [
  ['open-telemetry', () => Instrumentation.openTelemetry(), /:layer:AWSOpenTelemetryDistroPython:\d+$/, true],
  ['powertools', () => Instrumentation.powertools(), /:layer:AWSLambdaPowertoolsPythonV3-python313-(x86_64|arm64):\d+$/, false],
  ['xray-sdk', () => Instrumentation.xraySdk(), undefined, false],
  ['adot', () => Instrumentation.adot(), /:layer:aws-otel-python-(amd64|arm64)-ver-/, true],
  ['none', () => Instrumentation.none(), undefined, false],
];
const REGIONS = ['us-east-1', 'eu-west-1'];
const ARCHITECTURES = [lambda.Architecture.X86_64, lambda.Architecture.ARM_64];

describe.each(CASES)('%s', (name, instrumentation, layerPattern, wrapper) => {
  test.each(REGIONS.flatMap(region => ARCHITECTURES.map(architecture => [region, architecture] as const)))(
    'in %s on %s', (region, architecture) => {
      const stack = stackIn(region);
      tracedFunction(stack, { instrumentation: instrumentation(), architecture });

      const props = functionProperties(stack);
      expect(props.TracingConfig).toEqual({ Mode: 'Active' });
      Template.fromStack(stack).hasResource('AWS::Lambda::Function', { Metadata: { 'cdk-traced-lambda:instrumentation': name } });
      if (layerPattern) {
        expect(props.Layers).toHaveLength(1);
        expect(props.Layers[0]).toMatch(layerPattern);
        expect(props.Layers[0]).toContain(`:${region}:`);
        if (name === 'powertools' || name === 'adot') {
          expect(props.Layers[0]).toContain(architecture === lambda.Architecture.ARM_64 ? 'arm64' : (name === 'adot' ? 'amd64' : 'x86_64'));
        }
      } else {
        expect(props.Layers).toBeUndefined();
      }
      expect(props.Environment?.Variables?.AWS_LAMBDA_EXEC_WRAPPER).toBe(wrapper ? '/opt/otel-instrument' : undefined);
    });
});
