import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { LAMBDA_FUNCTION, resolvedResource } from '../private/template';

/** The CloudFormation metadata key that TracedFunction sets to `xray-sdk`, `adot` or `none`. */
export const INSTRUMENTATION_METADATA_KEY = 'cdk-traced-lambda:instrumentation';

/**
 * Functions that this library instrumented with the AWS X-Ray SDK (metadata
 * `cdk-traced-lambda:instrumentation` = `xray-sdk`, or `powertools`, whose Tracer uses the SDK), which
 * reaches end of support on 2027-02-25.
 *
 * Not applicable to functions without that metadata (not built by this library).
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (node.cfnResourceType !== LAMBDA_FUNCTION) return NagRuleCompliance.NOT_APPLICABLE;
    const instrumentation = resolvedResource(node).Metadata?.[INSTRUMENTATION_METADATA_KEY];
    if (instrumentation === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    // Powertools' Tracer is built on the X-Ray SDK: its end of support applies too.
    return instrumentation === 'xray-sdk' || instrumentation === 'powertools' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: 'XRaySdkEndOfSupport' },
);
