import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { execWrapperReading } from '../../tracing/private/otel-conflicts';
import { otelWiring } from '../private/otel-wiring';
import { LAMBDA_FUNCTION } from '../private/template';

/**
 * An OpenTelemetry layer (AWSOpenTelemetryDistroPython or the legacy ADOT layer) comes with
 * `AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument`, and that wrapper comes with such a layer: one without
 * the other either instruments nothing or fails every cold start (the wrapper script is missing).
 *
 * Not applicable to functions with neither, with another wrapper and no OpenTelemetry layer, or whose
 * wrapper value or layers cannot be read here (tokens, layers defined in the stack). The reading
 * (`execWrapperReading`) is the one TracedFunction's synth-time warnings use.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (node.cfnResourceType !== LAMBDA_FUNCTION) return NagRuleCompliance.NOT_APPLICABLE;
    const reading = execWrapperReading(otelWiring(node));
    return reading === 'fits' ? NagRuleCompliance.COMPLIANT
      : reading === 'not-applicable' ? NagRuleCompliance.NOT_APPLICABLE : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
