import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import ActiveTracing from './rules/active-tracing';
import LayerArchitecture from './rules/layer-architecture';
import LayerRuntime from './rules/layer-runtime';
import XRaySdkEndOfSupport from './rules/xray-sdk-end-of-support';
import XRayWriteAccess from './rules/xray-write-access';

/**
 * cdk-nag rule pack that checks Lambda functions are traced with AWS X-Ray and can send their traces.
 *
 * Rule ids are `TracedLambda-<Name>`. Register it like any cdk-nag 3 pack:
 * `Validations.of(app).addPlugins(new TracingChecks())`, and acknowledge a finding on a function's
 * CfnResource with `Validations.of(cfnFunction).acknowledge({ id: 'TracedLambda-ActiveTracing', reason: '...' })`.
 */
export class TracingChecks extends NagPack {
  /** The name of this validation plugin. */
  public readonly name = 'TracedLambda';

  /** The ids of the rules in this pack. */
  public readonly ruleIds?: string[] = [
    'TracedLambda-ActiveTracing',
    'TracedLambda-XRayWriteAccess',
    'TracedLambda-LayerArchitecture',
    'TracedLambda-LayerRuntime',
    'TracedLambda-XRaySdkEndOfSupport',
  ];

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'TracedLambda';
  }

  protected checkResource(node: CfnResource): void {
    this.applyRule({
      info: 'The Lambda function does not have active tracing (TracingConfig Mode Active).',
      explanation: 'Without active tracing Lambda records no segment for the invocation, so the function is missing from X-Ray traces and the service map. '
        + 'Use TracedFunction, or add the TracingAspect: Aspects.of(app).add(new TracingAspect(), { priority: AspectPriority.MUTATING }).',
      level: NagMessageLevel.ERROR,
      rule: ActiveTracing,
      node,
    });
    this.applyRule({
      info: 'The Lambda function\'s execution role does not allow xray:PutTraceSegments and xray:PutTelemetryRecords.',
      explanation: 'Lambda sends the function\'s traces with its execution role; without these actions the traces are dropped. '
        + 'Attach the AWS managed policy AWSXRayDaemonWriteAccess, or allow both actions on "*" (TracedFunction and the TracingAspect do this for roles the app defines).',
      level: NagMessageLevel.ERROR,
      rule: XRayWriteAccess,
      node,
    });
    this.applyRule({
      info: 'The Lambda function uses a layer of this stack whose CompatibleArchitectures do not include the function\'s architecture.',
      explanation: 'A layer built for another instruction set (x86_64 or arm64) fails at import time, typically for native wheels such as the X-Ray SDK\'s dependencies. '
        + 'Build the layer for the function\'s architecture (x86_64 if the function sets none), or set the function\'s architecture to match.',
      level: NagMessageLevel.ERROR,
      rule: LayerArchitecture,
      node,
    });
    this.applyRule({
      info: 'The Lambda function uses a layer of this stack whose CompatibleRuntimes do not include the function\'s runtime.',
      explanation: 'Lambda refuses to attach a layer to a function whose runtime the layer does not list, and a Python layer built for another minor version cannot load its compiled modules. '
        + 'Build the layer for the function\'s runtime, or add the runtime to the layer\'s compatibleRuntimes.',
      level: NagMessageLevel.ERROR,
      rule: LayerRuntime,
      node,
    });
    this.applyRule({
      info: 'The Lambda function is instrumented with the AWS X-Ray SDK, which reaches end of support on 2027-02-25.',
      explanation: 'After 2027-02-25 the X-Ray SDKs get no fixes or security updates. Move to OpenTelemetry with the AWS Distro for OpenTelemetry (ADOT) layer: '
        + 'TracedFunction\'s instrumentation: Instrumentation.adot(). Traces still go to X-Ray.',
      level: NagMessageLevel.WARN,
      rule: XRaySdkEndOfSupport,
      node,
    });
  }
}
