import * as path from 'path';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { TracedFunction, TracedLambdaNag } from '../lib';
import { OTEL_PYTHON_LAYER } from '../lib/tracing/layer-data';
import { PYTHON_RUNTIMES } from '../lib/tracing/runtime-data';

/**
 * The sample functions' sources: `lambda_function.py` (X-Ray SDK) and `otel_function.py` (OpenTelemetry),
 * the `redaction.py` both import, and their layers' `requirements.txt` and `requirements-otel.txt`.
 */
export const FUNCTION_DIR = path.join(__dirname, '..', 'function');

/**
 * The one place the samples' runtime is chosen, from the library's data: the newest runtime in AWS Lambda's runtime
 * table (lib/tracing/runtime-data.ts: generally available, so not python3.15, a preview) that every instrumentation
 * of the samples supports: the X-Ray SDK (any Python 3) and AWS's AWSOpenTelemetryDistroPython layer (the runtimes
 * its release declares, lib/tracing/layer-data.ts). Today python3.14. On Graviton; each sample's layer is built for
 * exactly this pair, so the two always fit.
 */
export const SAMPLE_RUNTIME = sampleRuntime();

function sampleRuntime(): lambda.Runtime {
  const name = PYTHON_RUNTIMES.map(r => r.runtime).filter(r => OTEL_PYTHON_LAYER.runtimes.includes(r)).pop()!;
  return lambda.Runtime.ALL.find(r => r.name === name)!;
}
/** The sample functions' architecture. */
export const SAMPLE_ARCHITECTURE = lambda.Architecture.ARM_64;

/** What both sample functions share: size, timeout and the memory they need. */
export const SAMPLE_FUNCTION_SIZE = { memorySize: 256, timeout: Duration.seconds(10) };

/**
 * The code asset of one sample function: function/ without the other sample's handler and without the
 * requirements files (they go into the layers).
 *
 * @param otherHandlerFile the other sample's handler module, e.g. `otel_function.py`
 */
export function sampleCode(otherHandlerFile: string): lambda.Code {
  return lambda.Code.fromAsset(FUNCTION_DIR, {
    exclude: ['requirements*.txt', otherHandlerFile, '__pycache__', '*.pyc'],
  });
}

/**
 * A log group kept for a month and an explicit role holding exactly what the function needs: its own log
 * group and the one API the code calls (TracedFunction adds X-Ray write access). No AWSLambdaBasicExecutionRole.
 */
export function sampleRoleAndLogs(scope: Construct, roleDescription: string): { role: iam.Role; logGroup: logs.LogGroup } {
  const logGroup = new logs.LogGroup(scope, 'FunctionLogs', {
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new iam.Role(scope, 'FunctionRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: roleDescription,
  });
  logGroup.grantWrite(role);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'GetAccountSettings',
    actions: ['lambda:GetAccountSettings'],
    resources: ['*'],
  }));
  return { role, logGroup };
}

/** The nag findings every sample function has, each acknowledged with its reason. */
export function acknowledgeSampleFindings(fn: TracedFunction, role: iam.Role): void {
  // The findings TracedFunction itself creates (the AWS managed X-Ray policy).
  TracedLambdaNag.acknowledgeXrayFindings(fn);
  Validations.of(role.node.findChild('DefaultPolicy').node.defaultChild!).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'lambda:GetAccountSettings has no resource-level permissions: IAM only accepts "*" for it.',
  });
  for (const ruleId of ['AwsSolutions-L1', 'Serverless-LambdaLatestVersion']) {
    Validations.of(fn.node.defaultChild!).acknowledge({
      id: ruleId,
      reason: `${SAMPLE_RUNTIME.name} is the newest generally available Lambda runtime that every instrumentation of the samples supports `
        + '(chosen in bin/blank-python-common.ts from lib/tracing/runtime-data.ts and lib/tracing/layer-data.ts); newer ones, such as python3.15, are previews.',
    });
  }
  for (const ruleId of ['Serverless-LambdaDLQ', 'Serverless-LambdaAsyncFailureDestination']) {
    Validations.of(fn.node.defaultChild!).acknowledge({
      id: ruleId,
      reason: 'The sample is only invoked synchronously (console or CLI test invoke): errors go back to the caller, '
        + 'and no asynchronous event source exists whose failed events a dead-letter queue or destination would keep.',
    });
  }
}

/** Outputs `FunctionName` and `TracesUrl` (the function's traces in the CloudWatch console). */
export function addSampleOutputs(stack: Stack, fn: TracedFunction): void {
  new CfnOutput(stack, 'FunctionName', {
    description: 'The traced function; invoke it with: aws lambda invoke --function-name <name> out.json',
    value: fn.functionName,
  });
  new CfnOutput(stack, 'TracesUrl', {
    description: "The function's traces in the CloudWatch console (X-Ray traces)",
    value: `https://${stack.region}.console.aws.amazon.com/cloudwatch/home?region=${stack.region}`
      + `#xray:traces/query?~(query~(expression~'service(%22${fn.functionName}%22)'))`,
  });
}
