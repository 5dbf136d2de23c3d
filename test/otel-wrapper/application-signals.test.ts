import { spawnSync } from 'child_process';
import { CfnResource } from 'aws-cdk-lib';
import { runWrapper, synthesizedFunction, WrapperRun } from './wrapper-harness';
import { TracingContract } from '../../lib';
import { applicationSignalsEnabled, OTEL_WRAPPER_RELEASES } from '../../lib/tracing/otel-wrapper-data';
import * as releases from '../../lib/tracing/private/otel-release';
import { stackIn, tracedFunction } from '../tracing/otel-helpers';

/*
 * OTEL_AWS_APPLICATION_SIGNALS_ENABLED as the layer reads it: the real `otel-instrument` of each release runs first
 * (fixtures), then the distro reads what it exported. `applicationSignalsEnabled` must give the distro's answer.
 */

const VARIABLE = TracingContract.APPLICATION_SIGNALS_VARIABLE;

/**
 * The distro's `_is_application_signals_enabled()`, verbatim (the `applicationSignalsRule` source of each release),
 * run by Python on the environment the wrapper handed over, so Python's `lower()` decides, not ours.
 */
const DISTRO_RULE = 'os.environ.get(APPLICATION_SIGNALS_ENABLED_CONFIG, os.environ.get(DEPRECATED_APP_SIGNALS_ENABLED_CONFIG, "false")).lower() == "true"';

function distroReadsOn(run: WrapperRun): boolean {
  const program = `import os, sys
APPLICATION_SIGNALS_ENABLED_CONFIG = "OTEL_AWS_APPLICATION_SIGNALS_ENABLED"
DEPRECATED_APP_SIGNALS_ENABLED_CONFIG = "OTEL_AWS_APP_SIGNALS_ENABLED"
sys.stdout.write(str(${DISTRO_RULE}))`;
  const result = spawnSync('python3', ['-I', '-S', '-c', program], { env: { ...run.env, PATH: process.env.PATH }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return result.stdout === 'True';
}

/** A TracedFunction (openTelemetry(), which writes 'false') with the user's `value` (undefined: the variable removed), run by the real wrapper. */
function wrapperWith(release: string, value: string | undefined, fastStart = false): WrapperRun {
  jest.spyOn(releases, 'releaseOfOpenTelemetryLayer').mockReturnValue({ release, layer: `a ${release} layer`, why: 'the test says so' });
  const stack = stackIn('us-east-1');
  const fn = tracedFunction(stack, { environment: value === undefined ? {} : { [VARIABLE]: value } });
  if (value === undefined) (fn.node.defaultChild as CfnResource).addPropertyDeletionOverride(`Environment.Variables.${VARIABLE}`);
  const synthesized = synthesizedFunction(stack);
  expect(synthesized.environment[VARIABLE]).toBe(value);
  return runWrapper(release, { ...synthesized.environment, ...(fastStart ? { OTEL_AWS_LAMBDA_FAST_START: 'true' } : {}) }, synthesized.handler);
}

afterEach(() => jest.restoreAllMocks());

/** The user's value, what the wrapper exports, whether it selects the AWS distro and configurator, and the answer. */
const CASES: Array<[string, string | undefined, string, boolean, boolean]> = [
  ['removed', undefined, 'true', true, true],
  ['empty', '', 'true', true, true],
  ['true', 'true', 'true', true, true],
  ['True', 'True', 'True', false, true],
  ['TRUE', 'TRUE', 'TRUE', false, true],
  ['yes', 'yes', 'yes', false, false],
  ['1', '1', '1', false, false],
  ['0', '0', '0', false, false],
  ['false', 'false', 'false', false, false],
  ['FALSE', 'FALSE', 'FALSE', false, false],
];

describe.each(OTEL_WRAPPER_RELEASES.map(r => [r.release]))('otel-instrument %s', (release) => {
  test.each(CASES)('%s: the wrapper exports and selects as the doc comment says; applicationSignalsEnabled is the distro\'s answer',
    (_name, value, exported, selectsAws, on) => {
      const run = wrapperWith(release, value);

      // The wrapper: fills an empty value with true, keeps any other, selects the AWS distro only for exactly `true`.
      expect(run.env[VARIABLE]).toBe(exported);
      expect(run.env.OTEL_PYTHON_DISTRO).toBe(selectsAws ? 'aws_distro' : undefined);
      expect(run.env.OTEL_PYTHON_CONFIGURATOR).toBe(selectsAws ? 'aws_configurator' : undefined);
      // The distro, on what the wrapper exported, and our reading of the user's value.
      expect(distroReadsOn(run)).toBe(on);
      expect(applicationSignalsEnabled(value)).toBe(on);
    });

  test('the deprecated OTEL_AWS_APP_SIGNALS_ENABLED never decides: the wrapper always exports the new variable', () => {
    const run = runWrapper(release, { AWS_LAMBDA_EXEC_WRAPPER: TracingContract.OTEL_EXEC_WRAPPER, OTEL_AWS_APP_SIGNALS_ENABLED: 'false' }, 'index.handler');

    expect(run.env[VARIABLE]).toBe('true');
    expect(distroReadsOn(run)).toBe(true);
    expect(applicationSignalsEnabled(undefined)).toBe(true);
  });

  test('the data cites the distro\'s rule at the wrapper\'s own tag and commit', () => {
    const data = OTEL_WRAPPER_RELEASES.find(r => r.release === release)!;

    expect(data.applicationSignalsRule).toEqual(expect.objectContaining({
      repository: data.wrapper.repository,
      path: 'aws-opentelemetry-distro/src/amazon/opentelemetry/distro/aws_opentelemetry_configurator.py',
      tag: release,
      commit: data.wrapper.commit,
    }));
  });
});

test('v0.19.0 fast start: True reaches the lite SDK as written (it reads the variable with the same lower() == "true")', () => {
  const run = wrapperWith('v0.19.0', 'True', true);

  expect(run.program).toBe('runtime');
  expect(run.env[VARIABLE]).toBe('True');
  expect(distroReadsOn(run)).toBe(true);
  expect(applicationSignalsEnabled('True')).toBe(true);
});
