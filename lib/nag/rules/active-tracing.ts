import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { LAMBDA_FUNCTION, resolvedProperties } from '../private/template';

/**
 * Lambda functions have active tracing: `TracingConfig.Mode` is `Active`.
 *
 * Looks at typed `CfnFunction`s and raw `AWS::Lambda::Function` resources alike (aws-cdk-lib's
 * `CustomResourceProvider` makes the latter).
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (node.cfnResourceType !== LAMBDA_FUNCTION) return NagRuleCompliance.NOT_APPLICABLE;
    const mode = resolvedProperties(node).TracingConfig?.Mode;
    return mode === 'Active' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: 'ActiveTracing' },
);
