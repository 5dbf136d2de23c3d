import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { stackIn, tracedFunction } from './otel-helpers';
import { Instrumentation } from '../../lib';
import { AnnotationId } from '../../lib/contract';

describe('Instrumentation.adot() (legacy)', () => {
  test('adds an info, by id, that points to openTelemetry()', () => {
    const stack = stackIn('us-east-1');
    tracedFunction(stack, { instrumentation: Instrumentation.adot() });

    Annotations.fromStack(stack).hasInfo('/Stack/Fn', Match.stringLikeRegexp(
      `legacy ADOT layer with an embedded collector.*Instrumentation.openTelemetry\\(\\).*${AnnotationId.ADOT_LEGACY_LAYER}`));
  });

  test('openTelemetry() does not get that info', () => {
    const stack = stackIn('us-east-1');
    tracedFunction(stack, { instrumentation: Instrumentation.openTelemetry() });

    Annotations.fromStack(stack).hasNoInfo('*', Match.stringLikeRegexp(AnnotationId.ADOT_LEGACY_LAYER));
  });
});
