import { CfnResource, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { TracingContract } from '../contract';
import { withStackIndexes } from './private/template';
import ActiveTracing from './rules/ActiveTracing';
import ApplicationSignalsPolicy from './rules/ApplicationSignalsPolicy';
import LayerArchitecture from './rules/LayerArchitecture';
import LayerRuntime from './rules/LayerRuntime';
import OtelDoubleInstrumentation from './rules/OtelDoubleInstrumentation';
import OtelExecWrapper from './rules/OtelExecWrapper';
import PassThroughTracing from './rules/PassThroughTracing';
import XRaySdkEndOfSupport from './rules/XRaySdkEndOfSupport';
import XRayWriteAccess from './rules/XRayWriteAccess';

/** The pack's name: the prefix of every rule id. */
const PACK_NAME = 'TracedLambda';

/** One rule of the pack: the rule (its name is its file name and id suffix), its level and its texts. */
interface PackRule {
  readonly rule: (node: CfnResource) => NagRuleResult;
  readonly level: NagMessageLevel;
  readonly info: string;
  readonly explanation: string;
}

/** The rules, in the order they are applied. `ruleIds` is derived from this list. */
const RULES: PackRule[] = [
  {
    rule: ActiveTracing,
    level: NagMessageLevel.ERROR,
    info: 'The Lambda function is not traced (TracingConfig Mode is neither Active nor PassThrough).',
    explanation: 'Without tracing Lambda records no segment for the invocation, so the function is missing from X-Ray traces and the service map. '
      + 'Use TracedFunction, or add the TracingAspect: Aspects.of(app).add(new TracingAspect(), { priority: AspectPriority.MUTATING }).',
  },
  {
    rule: PassThroughTracing,
    level: NagMessageLevel.WARN,
    info: 'The Lambda function uses PassThrough tracing: its traces depend on the caller\'s sampling decision.',
    explanation: 'With PassThrough, Lambda records a segment only when the request arrives with a trace header that says it was sampled; '
      + 'invocations without one (schedules, most event sources) are not traced. Use Tracing.ACTIVE to trace every sampled invocation, '
      + 'or acknowledge this rule where the caller decides on purpose.',
  },
  {
    rule: XRayWriteAccess,
    level: NagMessageLevel.ERROR,
    info: 'The Lambda function\'s execution role does not allow xray:PutTraceSegments and xray:PutTelemetryRecords.',
    explanation: 'Lambda sends the function\'s traces with its execution role; without these actions the traces are dropped. '
      + 'Attach the AWS managed policy AWSXRayDaemonWriteAccess, or allow both actions on "*" (TracedFunction and the TracingAspect do this for roles the app defines).',
  },
  {
    rule: LayerArchitecture,
    level: NagMessageLevel.ERROR,
    info: 'The Lambda function uses a layer of this stack whose CompatibleArchitectures do not include the function\'s architecture.',
    explanation: 'A layer built for another instruction set (x86_64 or arm64) fails at import time, typically for native wheels such as the X-Ray SDK\'s dependencies. '
      + 'Build the layer for the function\'s architecture (x86_64 if the function sets none), or set the function\'s architecture to match.',
  },
  {
    rule: LayerRuntime,
    level: NagMessageLevel.ERROR,
    info: 'The Lambda function uses a layer of this stack whose CompatibleRuntimes do not include the function\'s runtime.',
    explanation: 'Lambda refuses to attach a layer to a function whose runtime the layer does not list, and a Python layer built for another minor version cannot load its compiled modules. '
      + 'Build the layer for the function\'s runtime, or add the runtime to the layer\'s compatibleRuntimes.',
  },
  {
    rule: XRaySdkEndOfSupport,
    level: NagMessageLevel.WARN,
    info: `The Lambda function is instrumented with the AWS X-Ray SDK (xraySdk() or powertools()). ${TracingContract.XRAY_SDK_END_OF_SUPPORT_NOTICE}`,
    explanation: 'After their end of support the X-Ray SDKs get no fixes or security updates (Powertools\' Tracer is built on them). Move to OpenTelemetry with AWS\'s '
      + 'AWSOpenTelemetryDistroPython layer: TracedFunction\'s default, Instrumentation.openTelemetry(). Traces still go to X-Ray.',
  },
  {
    rule: OtelExecWrapper,
    level: NagMessageLevel.ERROR,
    info: `The Lambda function has an OpenTelemetry layer without ${TracingContract.EXEC_WRAPPER_VARIABLE}=${TracingContract.OTEL_EXEC_WRAPPER}, or that wrapper without an OpenTelemetry layer.`,
    explanation: 'The layer instruments nothing unless Lambda starts the runtime through its wrapper script, and a wrapper whose script is missing fails every cold start. '
      + 'Use TracedFunction with Instrumentation.openTelemetry(), which sets both, or add the missing half.',
  },
  {
    rule: ApplicationSignalsPolicy,
    level: NagMessageLevel.ERROR,
    info: 'The Lambda function has CloudWatch Application Signals on, but its execution role lacks CloudWatchLambdaApplicationSignalsExecutionRolePolicy or equivalent permissions.',
    explanation: 'With Application Signals on (the AWSOpenTelemetryDistroPython layer\'s default), the layer writes spans to X-Ray and metrics to the /aws/application-signals/data log group; '
      + 'without xray:PutTraceSegments and logs:CreateLogStream/PutLogEvents there, that data is dropped. Attach the AWS managed policy '
      + `(Instrumentation.openTelemetry({ applicationSignals: true }) does), or set ${TracingContract.APPLICATION_SIGNALS_VARIABLE}=false.`,
  },
  {
    rule: OtelDoubleInstrumentation,
    level: NagMessageLevel.WARN,
    info: 'The Lambda function is instrumented with OpenTelemetry, and one of its own layers also ships the AWS X-Ray SDK (aws_xray_sdk).',
    explanation: 'Two instrumentations record every call twice and patch the same libraries. Remove aws-xray-sdk (or the Powertools Tracer) from the function\'s layers, '
      + 'or choose Instrumentation.xraySdk() or Instrumentation.powertools() instead of OpenTelemetry.',
  },
];

/**
 * cdk-nag rule pack that checks Lambda functions are traced with AWS X-Ray and can send their traces.
 *
 * Rule ids are `TracedLambda-<Name>` (see `ruleIds`). `PassThrough` tracing is allowed, as in TracedFunction and
 * the TracingAspect, and reported as a warning (`TracedLambda-PassThroughTracing`): traces then depend on the
 * caller's sampling decision. Register it like any cdk-nag 3 pack:
 * `Validations.of(app).addPlugins(new TracingChecks())`, and acknowledge a finding on a function's
 * CfnResource with `Validations.of(cfnFunction).acknowledge({ id: 'TracedLambda-ActiveTracing', reason: '...' })`.
 *
 * Each stack's roles, policies and layers are indexed once per `validateScope` run, so the run's time grows
 * linearly with the number of functions.
 */
export class TracingChecks extends NagPack {
  /** The name of this validation plugin. */
  public readonly name = PACK_NAME;

  /** The ids of the rules in this pack. */
  public readonly ruleIds?: string[] = RULES.map(r => `${PACK_NAME}-${r.rule.name}`);

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = PACK_NAME;
  }

  /**
   * Checks every resource under `scope`, with one index of roles, policies and layers per stack for the run.
   *
   * @param scope the construct tree to check
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return withStackIndexes(() => super.validateScope(scope));
  }

  protected checkResource(node: CfnResource): void {
    for (const { rule, level, info, explanation } of RULES) {
      this.applyRule({ rule, level, info, explanation, node });
    }
  }
}
