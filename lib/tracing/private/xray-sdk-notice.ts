import { Annotations, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { noteAtSynthesis } from './at-synthesis';
import { AnnotationId } from '../../contract';

/**
 * Why functions whose tracing goes through the AWS X-Ray SDK are told about it: the one statement of the SDK's status.
 *
 * Sources, read 2026-12-03: aws/aws-xray-sdk-python README.md at a975ccbe (2026-02-24): "The AWS X-Ray SDKs will enter
 * maintenance mode on February 25, 2026 ... will only receive critical bug fixes and security updates"; its commit
 * 8561487d (2025-11-25) removed the section "End-of-Support on February 25, 2027", and AWS's timeline page it links
 * (https://docs.aws.amazon.com/xray/latest/devguide/xray-daemon-eos.html) is the reference it keeps. Older statements
 * of a 2027-02-25 end of support (the same README before that commit, Powertools issue #7382) are superseded: no
 * current source gives an end-of-support date, so this says none.
 */
export const XRAY_SDK_END_OF_SUPPORT_NOTICE = 'the AWS X-Ray SDKs are in maintenance mode since 2026-02-25 (critical bug fixes and security updates only, no new features; '
  + 'AWS\'s current sources give no end-of-support date); '
  + 'consider Instrumentation.openTelemetry() (AWS Distro for OpenTelemetry), which sends traces to X-Ray too.';

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
 * The TracingChecks rule `TracedLambda-XRaySdkEndOfSupport` reports each function.
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
    + `${users.slice(0, MAX_NAMED).join(', ')}${more}. ${capitalize(XRAY_SDK_END_OF_SUPPORT_NOTICE)} `
    + 'The TracingChecks rule TracedLambda-XRaySdkEndOfSupport reports each function.';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
