import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { asList } from '../../private/stack-index';
import { LAMBDA_FUNCTION, resolvedProperties, sameStackLayers, someLayerExcludes } from '../private/template';

/**
 * The layers of a function that its stack defines list the function's architecture (`x86_64` when the
 * function names none) in their `CompatibleArchitectures`.
 *
 * A layer without `CompatibleArchitectures` states no constraint. Not applicable to functions without
 * layers from their own stack (layers given by ARN cannot be inspected).
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (node.cfnResourceType !== LAMBDA_FUNCTION) return NagRuleCompliance.NOT_APPLICABLE;
    const props = resolvedProperties(node);
    const layers = sameStackLayers(node, props);
    if (layers.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const architecture = asList(props.Architectures)[0] ?? 'x86_64';
    if (typeof architecture !== 'string') return NagRuleCompliance.NOT_APPLICABLE;
    return someLayerExcludes(layers, 'CompatibleArchitectures', architecture) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
