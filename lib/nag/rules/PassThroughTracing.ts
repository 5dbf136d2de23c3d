import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { LAMBDA_FUNCTION, tracingMode } from '../private/template';

/**
 * Lambda functions with `TracingConfig.Mode` `PassThrough` are traced only when their caller sampled the
 * request: TracedFunction and the TracingAspect allow it, and this rule reports it (as a warning) so that the
 * choice is visible. Not applicable to functions without that mode.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (node.cfnResourceType !== LAMBDA_FUNCTION) return NagRuleCompliance.NOT_APPLICABLE;
    const mode = tracingMode(node);
    if (mode === 'PassThrough') return NagRuleCompliance.NON_COMPLIANT;
    return mode === 'Active' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
  },
  'name',
  { value: parse(__filename).name },
);
