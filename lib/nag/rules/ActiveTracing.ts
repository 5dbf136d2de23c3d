import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { LAMBDA_FUNCTION, tracingMode } from '../private/template';

/**
 * Lambda functions are traced: `TracingConfig.Mode` is `Active`.
 *
 * `PassThrough` is not applicable here: the PassThroughTracing rule reports it, as a warning. Looks at typed
 * `CfnFunction`s and raw `AWS::Lambda::Function` resources alike (aws-cdk-lib's `CustomResourceProvider`
 * makes the latter).
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (node.cfnResourceType !== LAMBDA_FUNCTION) return NagRuleCompliance.NOT_APPLICABLE;
    const mode = tracingMode(node);
    if (mode === 'PassThrough') return NagRuleCompliance.NOT_APPLICABLE;
    return mode === 'Active' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
