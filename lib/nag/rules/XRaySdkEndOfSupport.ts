import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { InstrumentationName, TracingContract } from '../../contract';
import { LAMBDA_FUNCTION, resolvedResource } from '../private/template';

/**
 * Functions that this library instrumented with the AWS X-Ray SDK (metadata
 * `TracingContract.INSTRUMENTATION_METADATA_KEY` = `InstrumentationName.XRAY_SDK`, or
 * `InstrumentationName.POWERTOOLS`, whose Tracer uses the SDK), which reaches end of support (`TracingContract.XRAY_SDK_END_OF_SUPPORT_NOTICE`).
 *
 * Not applicable to functions without that metadata (not built by this library).
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (node.cfnResourceType !== LAMBDA_FUNCTION) return NagRuleCompliance.NOT_APPLICABLE;
    const instrumentation = resolvedResource(node).metadata[TracingContract.INSTRUMENTATION_METADATA_KEY];
    if (instrumentation === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    // Powertools' Tracer is built on the X-Ray SDK: its end of support applies too.
    return instrumentation === InstrumentationName.XRAY_SDK || instrumentation === InstrumentationName.POWERTOOLS
      ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
