import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { LAMBDA_FUNCTION, resolvedProperties, sameStackLayers, someLayerExcludes } from '../private/template';

/**
 * The layers of a function that its stack defines list the function's runtime in their `CompatibleRuntimes`.
 *
 * A layer without `CompatibleRuntimes` states no constraint. Not applicable to functions without a
 * runtime (container images) or without layers from their own stack (layers given by ARN cannot be inspected).
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (node.cfnResourceType !== LAMBDA_FUNCTION) return NagRuleCompliance.NOT_APPLICABLE;
    const props = resolvedProperties(node);
    const runtime = props.Runtime;
    if (typeof runtime !== 'string') return NagRuleCompliance.NOT_APPLICABLE;
    const layers = sameStackLayers(node, props);
    if (layers.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    return someLayerExcludes(layers, 'CompatibleRuntimes', runtime) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
