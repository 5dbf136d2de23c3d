import * as path from 'path';
import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Instrumentation, PythonDependencyLayer, TracedFunction, TracedLambdaNag } from '../lib';

/** The sample function's sources: `lambda_function.py` and the layer's `requirements.txt`. */
export const FUNCTION_DIR = path.join(__dirname, '..', 'function');

/**
 * AWS's "blank-python" sample as a CDK stack: a traced Python function that calls the Lambda API
 * (`GetAccountSettings`), with its dependencies (aws-xray-sdk, jsonpickle) in the `blank-python-lib` layer.
 */
export class BlankPythonStack extends Stack {
  /** The traced function. */
  public readonly function: TracedFunction;
  /** The dependency layer built from function/requirements.txt. */
  public readonly layer: PythonDependencyLayer;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // The newest Python runtime (the AwsSolutions-L1 / Serverless-LambdaLatestVersion rules ask for it)
    // on Graviton; the layer is built for exactly this pair, so the two always fit.
    const runtime = lambda.Runtime.PYTHON_3_15;
    const architecture = lambda.Architecture.ARM_64;

    this.layer = new PythonDependencyLayer(this, 'BlankPythonLib', {
      layerVersionName: 'blank-python-lib',
      description: 'blank-python sample: aws-xray-sdk and jsonpickle',
      requirementsFile: path.join(FUNCTION_DIR, 'requirements.txt'),
      runtime,
      architecture,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const logGroup = new logs.LogGroup(this, 'FunctionLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // An explicit role, so it holds exactly what the function needs: its own log group, the one API the
    // code calls, and (added by TracedFunction) X-Ray write access. No AWSLambdaBasicExecutionRole.
    const role = new iam.Role(this, 'FunctionRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'blank-python sample: logs, lambda:GetAccountSettings and X-Ray',
    });
    logGroup.grantWrite(role);
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'GetAccountSettings',
      actions: ['lambda:GetAccountSettings'],
      resources: ['*'],
    }));

    this.function = new TracedFunction(this, 'Function', {
      description: 'blank-python sample: calls the Lambda API and returns the account usage, traced with X-Ray',
      runtime,
      architecture,
      handler: 'lambda_function.lambda_handler',
      code: lambda.Code.fromAsset(FUNCTION_DIR, {
        exclude: ['requirements.txt', '__pycache__', '*.pyc'],
      }),
      layers: [this.layer],
      // This is the X-Ray SDK sample: chosen explicitly, as the default is Instrumentation.openTelemetry().
      instrumentation: Instrumentation.xraySdk(),
      role,
      logGroup,
      memorySize: 256,
      timeout: Duration.seconds(10),
    });

    // The findings TracedFunction itself creates (the AWS managed X-Ray policy), each with its reason.
    TracedLambdaNag.acknowledgeXRayFindings(this.function);
    Validations.of(role.node.findChild('DefaultPolicy').node.defaultChild!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'lambda:GetAccountSettings has no resource-level permissions: IAM only accepts "*" for it.',
    });
    Validations.of(this.function.node.defaultChild!).acknowledge({
      id: 'TracedLambda-XRaySdkEndOfSupport',
      reason: 'This sample reproduces AWS\'s blank-python sample, which is instrumented with the X-Ray SDK; '
        + 'new functions should use Instrumentation.adot() (see the README).',
    });
    for (const ruleId of ['Serverless-LambdaDLQ', 'Serverless-LambdaAsyncFailureDestination']) {
      Validations.of(this.function.node.defaultChild!).acknowledge({
        id: ruleId,
        reason: 'The sample is only invoked synchronously (console or CLI test invoke): errors go back to the caller, '
          + 'and no asynchronous event source exists whose failed events a dead-letter queue or destination would keep.',
      });
    }

    new CfnOutput(this, 'FunctionName', {
      description: 'The traced function; invoke it with: aws lambda invoke --function-name <name> out.json',
      value: this.function.functionName,
    });
    new CfnOutput(this, 'TracesUrl', {
      description: "The function's traces in the CloudWatch console (X-Ray traces)",
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}`
        + `#xray:traces/query?~(query~(expression~'service(%22${this.function.functionName}%22)'))`,
    });
  }
}
