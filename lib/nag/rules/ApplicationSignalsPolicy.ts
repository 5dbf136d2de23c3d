import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { applicationSignalsReading } from '../../tracing/private/otel-conflicts';
import { otelWiring } from '../private/otel-wiring';
import { LAMBDA_FUNCTION } from '../private/template';

/**
 * A function with CloudWatch Application Signals on (the AWSOpenTelemetryDistroPython layer with its
 * wrapper, and `OTEL_AWS_APPLICATION_SIGNALS_ENABLED` unset, empty or `true` in any case, as the layer reads it:
 * `applicationSignalsEnabled` in lib/tracing/otel-wrapper-data.ts; a value known only at deployment may be on) has an
 * execution role that may write it: the AWS managed policy `CloudWatchLambdaApplicationSignalsExecutionRolePolicy`,
 * or statements that allow `xray:PutTraceSegments` on `*` and `logs:CreateLogStream` and `logs:PutLogEvents`
 * on the `/aws/application-signals/data` log group (or `*`).
 *
 * Not applicable to functions without Application Signals, whose role is not in the stack, or whose role
 * lacks the permissions but has a managed policy whose content cannot be known here. The reading
 * (`applicationSignalsReading`) is the one TracedFunction's synth-time warning uses.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (node.cfnResourceType !== LAMBDA_FUNCTION) return NagRuleCompliance.NOT_APPLICABLE;
    const reading = applicationSignalsReading(node, otelWiring(node));
    return reading === 'granted' ? NagRuleCompliance.COMPLIANT
      : reading === 'missing' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
  },
  'name',
  { value: parse(__filename).name },
);
