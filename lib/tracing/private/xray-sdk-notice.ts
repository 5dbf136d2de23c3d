import { Annotations, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { noteAtSynthesis } from './at-synthesis';
import { AnnotationId, TracingContract, TracingRuleId } from '../../contract';

/** The most function paths the notice names; the rest are counted. */
const MAX_NAMED = 10;

/** The functions of each stack that use the X-Ray SDK, as `path (how)`, in the order they were built. */
const USERS = new WeakMap<Stack, string[]>();

/**
 * Records that `fn` traces through the AWS X-Ray SDK (`how`: "Instrumentation.xraySdk()", "Powertools' Tracer").
 *
 * The stack gets one info (`AnnotationId.XRAY_SDK_END_OF_SUPPORT`) at synthesis naming its functions, not one
 * per function: aws-cdk-lib captures a stack trace for every annotation, which made the annotation about half
 * of what a `TracedFunction` costs over the hand-written equivalent (bench/README.md, profile finding 5).
 * The TracingChecks rule `TracingRuleId.XRAY_SDK_END_OF_SUPPORT` reports each function.
 *
 * @param fn the function
 * @param how what in it uses the SDK
 */
export function noteXRaySdkUse(fn: IConstruct, how: string): void {
  const stack = Stack.of(fn);
  let users = USERS.get(stack);
  if (!users) {
    const named: string[] = users = [];
    USERS.set(stack, named);
    noteAtSynthesis(stack, () => Annotations.of(stack).addInfoV2(AnnotationId.XRAY_SDK_END_OF_SUPPORT, describe(stack, named)));
  }
  users.push(`'${fn.node.path}' (${how})`);
}

function describe(stack: Stack, users: string[]): string {
  const more = users.length > MAX_NAMED ? ` and ${users.length - MAX_NAMED} more` : '';
  const count = users.length === 1 ? '1 function' : `${users.length} functions`;
  return `${stack.node.path}: ${count} of this stack trace through the AWS X-Ray SDK for Python: `
    + `${users.slice(0, MAX_NAMED).join(', ')}${more}. ${TracingContract.XRAY_SDK_END_OF_SUPPORT_NOTICE} `
    + 'Consider Instrumentation.openTelemetry() (AWS Distro for OpenTelemetry), which sends traces to X-Ray too. '
    + `The TracingChecks rule ${TracingRuleId.XRAY_SDK_END_OF_SUPPORT} reports each function.`;
}
