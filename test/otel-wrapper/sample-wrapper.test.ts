import * as fs from 'fs';
import { runWrapper, synthesizedFunction, WrapperRun } from './wrapper-harness';
import { wrapperRelease } from '../../lib/tracing/otel-wrapper-data';
import { releaseOfOpenTelemetryLayer } from '../../lib/tracing/private/otel-release';
import { synthSampleApp } from '../sample/sample-app';
import { sharedWheelhouse, withSharedLayerCache } from '../sample/shared-sample';

// Given the sample app as `cdk synth` makes it (offline, the run's shared layer cache), the OpenTelemetry
// stack's function environment run through the real otel-instrument of the release its layer version belongs to.
let sample: ReturnType<typeof synthSampleApp>;
let release: string;
let run: WrapperRun;

beforeAll(() => {
  const wheelhouse = sharedWheelhouse();
  sample = withSharedLayerCache('sample-app', (cacheDir) => synthSampleApp(wheelhouse, cacheDir));
  release = releaseOfOpenTelemetryLayer(sample.otel.function, {}).release!;
  const fn = synthesizedFunction(sample.otel, 'Function');
  run = runWrapper(release, fn.environment, fn.handler);
});

afterAll(() => {
  delete process.env.CDK_TRACED_LAMBDA_CACHE_DIR;
  if (sample) fs.rmSync(sample.app.outdir, { recursive: true, force: true });
});

// docs/opentelemetry.md, "The sample": the layer's wrapper instruments the handler and boto3 (botocore), the full
// SDK starts, Application Signals is off, and requests (which the sample does not use) stays off.
test('the sample\'s layer version has a release with a copy of its wrapper', () => {
  expect(wrapperRelease(release)).toBeDefined();
});

test('the wrapper runs the full SDK (opentelemetry-instrument) before the runtime', () => {
  expect(run.program).toBe('python3');
  expect(run.args[0]).toBe('/opt/python/bin/opentelemetry-instrument');
  expect(run.env.OTEL_AWS_LAMBDA_FAST_START ?? 'false').toBe('false');
});

test('the handler is wrapped: the runtime loads otel_wrapper, which instruments otel_function.lambda_handler', () => {
  expect(run.env._HANDLER).toBe('otel_wrapper.lambda_handler');
  expect(run.env.ORIG_HANDLER).toBe('otel_function.lambda_handler');
});

test('boto3 calls are instrumented (botocore is not disabled); requests and the rest of the default list are', () => {
  const disabled = run.env.OTEL_PYTHON_DISABLED_INSTRUMENTATIONS.split(',');
  expect(disabled).not.toContain('botocore');
  expect(disabled).toEqual([...wrapperRelease(release)!.disabledByDefault, 'aws-lambda']);
});

test('tracing only: Application Signals off, so the AWS distro is not selected', () => {
  expect(run.env.OTEL_AWS_APPLICATION_SIGNALS_ENABLED).toBe('false');
  expect(run.env.OTEL_PYTHON_DISTRO).toBeUndefined();
});
