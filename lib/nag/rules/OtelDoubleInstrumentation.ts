import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { layersShippingXRaySdk, otelWiring } from '../private/otel-wiring';
import { LAMBDA_FUNCTION } from '../private/template';

/**
 * A function instrumented with OpenTelemetry does not also carry the AWS X-Ray SDK in its own layers
 * (the public Powertools layer, or a PythonDependencyLayer that lists `aws-xray-sdk` or
 * `aws-lambda-powertools[tracer]`): two instrumentations record every call twice, and the SDK patches
 * the same libraries the OpenTelemetry instrumentations do.
 *
 * Not applicable to functions without an OpenTelemetry layer. Layers built otherwise cannot be inspected.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (node.cfnResourceType !== LAMBDA_FUNCTION) return NagRuleCompliance.NOT_APPLICABLE;
    const wiring = otelWiring(node);
    if (!wiring.otelLayer) return NagRuleCompliance.NOT_APPLICABLE;
    return layersShippingXRaySdk(node, wiring.layers).length > 0 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
