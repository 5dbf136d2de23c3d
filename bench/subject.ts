// The one module through which the benchmarks reach this library's API, and the parts of the
// benchmarks that follow the library's choices (the instrumentations compared, the cache verifier).
// When the library's API changes (a construct moves, an instrumentation is added or becomes the
// default), this is the file to edit; the scenarios import from here only.
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { Instrumentation } from '../lib';

export { Instrumentation, PythonDependencyLayer, TracedFunction, TracingChecks } from '../lib';

/**
 * A layer ARN for the OpenTelemetry stand-in below: aws-cdk-lib's own ADOT Python SDK layer
 * (`AdotLambdaLayerPythonSdkVersion.LATEST`, from aws-cdk-lib 2.276's region table) for us-east-1 and
 * x86_64, resolved in `scope` (a stack with that region). Not a guessed ARN: aws-cdk-lib computes it.
 */
export function otelStandInLayer(scope: Construct): lambda.ILayerVersion {
  const arn = lambda.AdotLambdaLayerPythonSdkVersion.LATEST.layerArn(scope, lambda.Architecture.X86_64);
  return lambda.LayerVersion.fromLayerVersionArn(scope, 'OtelStandInLayer', arn);
}

/** One instrumentation the overhead scenario compares with its hand-written equivalent. */
export interface InstrumentationCase {
  /** Short name, used in tables and on the command line (`bench/overhead-child.ts`). */
  readonly name: string;
  /** What the table says about it (e.g. that it is a stand-in). */
  readonly label: string;
  /**
   * The instrumentation TracedFunction gets, made once per stack (`scope`). Its hand-written
   * equivalent adds whatever layers and environment variables this instrumentation puts on a function,
   * read from a probe TracedFunction (see overhead-child.ts), so no list here can drift from the library.
   */
  readonly make: (scope: Construct) => Instrumentation;
}

/**
 * The instrumentations compared, in this order. `openTelemetry()` joins automatically once the
 * library has it (the tracing-core branch); until then `adot({ layer })` with a fixed layer ARN stands
 * in for it (the same shape: one layer by ARN plus `AWS_LAMBDA_EXEC_WRAPPER`). At merge, once
 * `Instrumentation.openTelemetry()` exists, delete the `adot-stand-in` entry.
 */
export function instrumentationCases(): InstrumentationCase[] {
  const cases: InstrumentationCase[] = [
    { name: 'none', label: '`Instrumentation.none()`', make: () => Instrumentation.none() },
    { name: 'xray-sdk', label: '`Instrumentation.xraySdk()`', make: () => Instrumentation.xraySdk() },
  ];
  const openTelemetry = (Instrumentation as unknown as { openTelemetry?: () => Instrumentation }).openTelemetry;
  if (typeof openTelemetry === 'function') {
    cases.push({ name: 'open-telemetry', label: '`Instrumentation.openTelemetry()`', make: () => openTelemetry.call(Instrumentation) });
  }
  cases.push({
    name: 'adot-stand-in',
    label: '`Instrumentation.adot({ layer })`, a fixed layer ARN (stand-in for `openTelemetry()`: one layer + `AWS_LAMBDA_EXEC_WRAPPER`)',
    make: scope => Instrumentation.adot({ layer: otelStandInLayer(scope) }),
  });
  return cases;
}
