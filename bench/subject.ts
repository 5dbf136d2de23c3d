// The one module through which the benchmarks reach this library's API, and the parts of the
// benchmarks that follow the library's choices (the instrumentations compared, the cache verifier).
// When the library's API changes (a construct moves, an instrumentation is added or becomes the
// default), this is the file to edit; the scenarios import from here only.
import * as fs from 'fs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { Instrumentation } from '../lib';
import { Manifest, takeManifest, verifyAgainstManifest, VerifyStats } from './cache-verify-fallback';

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

/**
 * Layer cache verification (issue 14.4). Until the layer branch's cache-manifest verifier is merged,
 * the library does not verify cache hits, and the benchmark measures the stand-in in
 * cache-verify-fallback.ts (sha256 of every file against a manifest), added in front of the app.
 *
 * At merge: set `LIBRARY_VERIFIES_CACHE = true`, put the library's switch for turning verification
 * off into `VERIFICATION_OFF_ENV` (or leave it empty and the "without" variant will not differ), and
 * make `verifyCacheEntry` call the library's verifier for one entry directory.
 */
export const LIBRARY_VERIFIES_CACHE = false;

/** Environment variables that turn the library's own verification off (only read when LIBRARY_VERIFIES_CACHE). */
export const VERIFICATION_OFF_ENV: { [key: string]: string } = {};

/**
 * Makes cache entry `dir` verifiable (untimed). Fallback: takes its manifest into `manifestFile`.
 * With the library's verifier: write the entry's manifest the way the library does after a build.
 */
export function prepareVerification(dir: string, manifestFile: string): void {
  fs.writeFileSync(manifestFile, JSON.stringify(takeManifest(dir)));
}

/** Verifies cache entry `dir` (timed); throws if it does not match. Switch to the library's verifier at merge. */
export function verifyCacheEntry(dir: string, manifestFile: string): VerifyStats {
  return verifyAgainstManifest(dir, JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest);
}
