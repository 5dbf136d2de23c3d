import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import ActiveTracing from './rules/active-tracing';
import ApplicationSignalsPolicy from './rules/ApplicationSignalsPolicy';
import LayerArchitecture from './rules/layer-architecture';
import LayerRuntime from './rules/layer-runtime';
import OtelDoubleInstrumentation from './rules/OtelDoubleInstrumentation';
import OtelExecWrapper from './rules/OtelExecWrapper';
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
    'TracedLambda-OtelExecWrapper',
    'TracedLambda-ApplicationSignalsPolicy',
    'TracedLambda-OtelDoubleInstrumentation',
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
      explanation: 'After 2027-02-25 the X-Ray SDKs get no fixes or security updates (Powertools\' Tracer is built on them). Move to OpenTelemetry with AWS\'s '
        + 'AWSOpenTelemetryDistroPython layer: TracedFunction\'s default, Instrumentation.openTelemetry(). Traces still go to X-Ray.',
      level: NagMessageLevel.WARN,
      rule: XRaySdkEndOfSupport,
      node,
    });
    this.applyRule({
      info: 'The Lambda function has an OpenTelemetry layer without AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument, or that wrapper without an OpenTelemetry layer.',
      explanation: 'The layer instruments nothing unless Lambda starts the runtime through its wrapper script, and a wrapper whose script is missing fails every cold start. '
        + 'Use TracedFunction with Instrumentation.openTelemetry(), which sets both, or add the missing half.',
      level: NagMessageLevel.ERROR,
      rule: OtelExecWrapper,
      node,
    });
    this.applyRule({
      info: 'The Lambda function has CloudWatch Application Signals on, but its execution role lacks CloudWatchLambdaApplicationSignalsExecutionRolePolicy or equivalent permissions.',
      explanation: 'With Application Signals on (the AWSOpenTelemetryDistroPython layer\'s default), the layer writes spans to X-Ray and metrics to the /aws/application-signals/data log group; '
        + 'without xray:PutTraceSegments and logs:CreateLogStream/PutLogEvents there, that data is dropped. Attach the AWS managed policy '
        + '(Instrumentation.openTelemetry({ applicationSignals: true }) does), or set OTEL_AWS_APPLICATION_SIGNALS_ENABLED=false.',
      level: NagMessageLevel.ERROR,
      rule: ApplicationSignalsPolicy,
      node,
    });
    this.applyRule({
      info: 'The Lambda function is instrumented with OpenTelemetry, and one of its own layers also ships the AWS X-Ray SDK (aws_xray_sdk).',
      explanation: 'Two instrumentations record every call twice and patch the same libraries. Remove aws-xray-sdk (or the Powertools Tracer) from the function\'s layers, '
        + 'or choose Instrumentation.xraySdk() or Instrumentation.powertools() instead of OpenTelemetry.',
      level: NagMessageLevel.WARN,
      rule: OtelDoubleInstrumentation,
      node,
    });
  }
}
