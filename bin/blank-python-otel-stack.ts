import * as path from 'path';
import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  acknowledgeSampleFindings, addSampleOutputs, FUNCTION_DIR, SAMPLE_ARCHITECTURE, SAMPLE_FUNCTION_SIZE, SAMPLE_RUNTIME,
  sampleCode, sampleRoleAndLogs,
} from './blank-python-common';
import { Instrumentation, PythonDependencyLayer, TracedFunction } from '../lib';

/**
 * An AWSOpenTelemetryDistroPython layer version, the stand-in until `Instrumentation.openTelemetry()` is merged.
 * Source: the release notes of aws-observability/aws-otel-python-instrumentation, "AWS OpenTelemetry Lambda Layer
 * for Python version 0.8.0-1fae89f" (https://github.com/aws-observability/aws-otel-python-instrumentation/releases/tag/lambda-v0.8.0-1fae89f,
 * read through https://newreleases.io/project/github/aws-observability/aws-otel-python-instrumentation/release/lambda-v0.8.0-1fae89f
 * on 2026-11-27), row eu-central-1. Valid in eu-central-1 only.
 */
const STAND_IN_OTEL_LAYER_ARN = 'arn:aws:lambda:eu-central-1:615299751070:layer:AWSOpenTelemetryDistroPython:11';

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
      runtime: SAMPLE_RUNTIME,
      architecture: SAMPLE_ARCHITECTURE,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const { role, logGroup } = sampleRoleAndLogs(this, 'blank-python OpenTelemetry sample: logs, lambda:GetAccountSettings and X-Ray');

    this.function = new TracedFunction(this, 'Function', {
      description: 'blank-python sample: calls the Lambda API and returns the account usage, traced with OpenTelemetry',
      runtime: SAMPLE_RUNTIME,
      architecture: SAMPLE_ARCHITECTURE,
      handler: 'otel_function.lambda_handler',
      code: sampleCode('lambda_function.py'),
      layers: [this.layer],
      // MERGE: Instrumentation.openTelemetry()
      // The line above replaces the stand-in below once the instrumentation branch is merged: it picks the
      // AWSOpenTelemetryDistroPython layer for the stack's region (a mapping in this region-agnostic stack).
      // Until then the stand-in sets the same layer (one region's version) and AWS_LAMBDA_EXEC_WRAPPER.
      instrumentation: Instrumentation.adot({
        layer: lambda.LayerVersion.fromLayerVersionArn(this, 'OtelLayer', STAND_IN_OTEL_LAYER_ARN),
      }),
      role,
      logGroup,
      ...SAMPLE_FUNCTION_SIZE,
    });

    acknowledgeSampleFindings(this.function, role);
    addSampleOutputs(this, this.function);
  }
}
