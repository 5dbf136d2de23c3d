import * as path from 'path';
import { RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  acknowledgeSampleFindings, addSampleOutputs, FUNCTION_DIR, SAMPLE_ARCHITECTURE, SAMPLE_FUNCTION_SIZE, SAMPLE_RUNTIME,
  sampleCode, sampleRoleAndLogs,
} from './blank-python-common';
import { Instrumentation, PythonDependencyLayer, TracedFunction, TracingRuleId } from '../lib';

export { FUNCTION_DIR } from './blank-python-common';

/**
 * AWS's "blank-python" sample as a CDK stack: a traced Python function that calls the Lambda API
 * (`GetAccountSettings`), with its dependencies (aws-xray-sdk, jsonpickle) in the `blank-python-lib` layer.
 * Instrumented with the AWS X-Ray SDK, as the original sample is.
 */
export class BlankPythonStack extends Stack {
  /** The traced function. */
  public readonly function: TracedFunction;
  /** The dependency layer built from function/requirements.txt. */
  public readonly layer: PythonDependencyLayer;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.layer = new PythonDependencyLayer(this, 'BlankPythonLib', {
      layerVersionName: 'blank-python-lib',
      description: 'blank-python sample: aws-xray-sdk and jsonpickle',
      requirementsFile: path.join(FUNCTION_DIR, 'requirements.txt'),
      runtime: SAMPLE_RUNTIME,
      architecture: SAMPLE_ARCHITECTURE,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const { role, logGroup } = sampleRoleAndLogs(this, 'blank-python sample: logs, lambda:GetAccountSettings and X-Ray');

    this.function = new TracedFunction(this, 'Function', {
      description: 'blank-python sample: calls the Lambda API and returns the account usage, traced with X-Ray',
      runtime: SAMPLE_RUNTIME,
      architecture: SAMPLE_ARCHITECTURE,
      handler: 'lambda_function.lambda_handler',
      code: sampleCode('otel_function.py'),
      layers: [this.layer],
      // This is the X-Ray SDK sample: chosen explicitly, as the default is Instrumentation.openTelemetry().
      instrumentation: Instrumentation.xraySdk(),
      role,
      logGroup,
      ...SAMPLE_FUNCTION_SIZE,
    });

    acknowledgeSampleFindings(this.function, role);
    Validations.of(this.function.node.defaultChild!).acknowledge({
      id: TracingRuleId.XRAY_SDK_END_OF_SUPPORT,
      reason: 'This sample reproduces AWS\'s blank-python sample, which is instrumented with the X-Ray SDK; '
        + 'BlankPythonOtelStack shows the same function with OpenTelemetry, which new functions should use (see the README).',
    });

    addSampleOutputs(this, this.function);
  }
}
