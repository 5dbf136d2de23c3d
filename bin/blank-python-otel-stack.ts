import * as path from 'path';
import { RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  acknowledgeSampleFindings, addSampleOutputs, FUNCTION_DIR, SAMPLE_ARCHITECTURE, SAMPLE_FUNCTION_SIZE,
  sampleCode, sampleRoleAndLogs,
} from './blank-python-common';
import { Instrumentation, PythonDependencyLayer, TracedFunction } from '../lib';

/**
 * The newest Python runtime that AWS's AWSOpenTelemetryDistroPython layer supports (python3.10 to python3.13,
 * lib/tracing/layer-data.ts): not the newest Lambda runtime the X-Ray sample uses, so the latest-runtime rules
 * are acknowledged with that reason.
 */
export const OTEL_SAMPLE_RUNTIME = lambda.Runtime.PYTHON_3_13;

/**
 * The blank-python sample with OpenTelemetry instead of the X-Ray SDK: the same function behaviour
 * (`function/otel_function.py`: GetAccountSettings at start-up and in the handler, the same redacted logs),
 * instrumented by the AWS Distro for OpenTelemetry layer (AWSOpenTelemetryDistroPython), plus one custom span
 * the code creates through `opentelemetry.trace`. Its own `blank-python-otel-lib` layer holds only jsonpickle:
 * no X-Ray SDK, and no OpenTelemetry API (the ADOT layer provides it at run time).
 */
export class BlankPythonOtelStack extends Stack {
  /** The traced function. */
  public readonly function: TracedFunction;
  /** The dependency layer built from function/requirements-otel.txt. */
  public readonly layer: PythonDependencyLayer;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.layer = new PythonDependencyLayer(this, 'BlankPythonOtelLib', {
      layerVersionName: 'blank-python-otel-lib',
      description: 'blank-python OpenTelemetry sample: jsonpickle',
      requirementsFile: path.join(FUNCTION_DIR, 'requirements-otel.txt'),
      runtime: OTEL_SAMPLE_RUNTIME,
      architecture: SAMPLE_ARCHITECTURE,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const { role, logGroup } = sampleRoleAndLogs(this, 'blank-python OpenTelemetry sample: logs, lambda:GetAccountSettings and X-Ray');

    this.function = new TracedFunction(this, 'Function', {
      description: 'blank-python sample: calls the Lambda API and returns the account usage, traced with OpenTelemetry',
      runtime: OTEL_SAMPLE_RUNTIME,
      architecture: SAMPLE_ARCHITECTURE,
      handler: 'otel_function.lambda_handler',
      code: sampleCode('lambda_function.py'),
      layers: [this.layer],
      // The default, written out: the AWSOpenTelemetryDistroPython layer for the stack's region (a mapping in
      // this region-agnostic stack), AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument, one X-Ray grant.
      instrumentation: Instrumentation.openTelemetry(),
      role,
      logGroup,
      ...SAMPLE_FUNCTION_SIZE,
    });

    acknowledgeSampleFindings(this.function, role);
    for (const ruleId of ['AwsSolutions-L1', 'Serverless-LambdaLatestVersion']) {
      Validations.of(this.function.node.defaultChild!).acknowledge({
        id: ruleId,
        reason: `AWS's AWSOpenTelemetryDistroPython layer supports python3.10 to python3.13, so this function runs ${OTEL_SAMPLE_RUNTIME.name}, `
          + 'the newest runtime the layer supports (source: lib/tracing/layer-data.ts).',
      });
    }
    addSampleOutputs(this, this.function);
  }
}
