import * as path from 'path';
import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  acknowledgeSampleFindings, addSampleOutputs, FUNCTION_DIR, SAMPLE_ARCHITECTURE, SAMPLE_FUNCTION_SIZE, SAMPLE_RUNTIME,
  sampleCode, sampleRoleAndLogs,
} from './blank-python-common';
import { Instrumentation, PythonDependencyLayer, TracedFunction } from '../lib';

/** The samples' runtime (blank-python-common.ts chooses it from the data for both samples). */
export const OTEL_SAMPLE_RUNTIME = SAMPLE_RUNTIME;

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
    addSampleOutputs(this, this.function);
  }
}
