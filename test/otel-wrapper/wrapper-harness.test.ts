import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, runWrapper, synthesizedFunction, WrapperRun } from './wrapper-harness';
import { Instrumentation, OpenTelemetryInstrumentationOptions } from '../../lib';
import { OTEL_WRAPPER_RELEASES, wrapperRelease } from '../../lib/tracing/otel-wrapper-data';
import * as releases from '../../lib/tracing/private/otel-release';
import { stackIn, tracedFunction } from '../tracing/otel-helpers';

/** What the layer's wrapper exports for a function made with `options`, run by the real script of `release`. */
function wrapperFor(release: string, options: OpenTelemetryInstrumentationOptions = {}, environment: Record<string, string> = {}): WrapperRun {
  jest.spyOn(releases, 'releaseOfOpenTelemetryLayer').mockReturnValue({ release, layer: `a ${release} layer`, why: 'the test says so' });
  const stack = stackIn('us-east-1');
  tracedFunction(stack, { instrumentation: Instrumentation.openTelemetry(options), environment });
  const fn = synthesizedFunction(stack);
  return runWrapper(release, fn.environment, fn.handler);
}

function disabled(run: WrapperRun): string[] {
  return run.env.OTEL_PYTHON_DISABLED_INSTRUMENTATIONS.split(',');
}

afterEach(() => jest.restoreAllMocks());

test('the fixtures are the copies fixtures/README.md cites (sha256), one per release the data describes', () => {
  const readme = fs.readFileSync(path.join(FIXTURES, 'README.md'), 'utf8');
  for (const release of OTEL_WRAPPER_RELEASES) {
    const script = fs.readFileSync(path.join(FIXTURES, release.release, 'otel-instrument'));
    const row = readme.split('\n').find(line => line.startsWith(`| \`${release.release}/otel-instrument\``));
    expect(row).toContain(release.wrapper.commit);
    expect(row).toContain(createHash('sha256').update(script).digest('hex'));
  }
});

describe.each(OTEL_WRAPPER_RELEASES.map(r => [r.release]))('otel-instrument %s', (release) => {
  const data = wrapperRelease(release)!;

  test('openTelemetry() as it comes: the data\'s default list plus aws-lambda, tracing only, the handler wrapped, the full SDK', () => {
    const run = wrapperFor(release);

    expect(run.program).toBe('python3');
    expect(run.args).toEqual(['/opt/python/bin/opentelemetry-instrument', '<tmp>/bootstrap']);
    expect(disabled(run)).toEqual([...data.disabledByDefault, data.alwaysDisabled]);
    expect(run.env.OTEL_AWS_APPLICATION_SIGNALS_ENABLED).toBe('false');
    expect(run.env.OTEL_PYTHON_DISTRO).toBeUndefined();
    expect(run.env._HANDLER).toBe('otel_wrapper.lambda_handler');
    expect(run.env.ORIG_HANDLER).toBe('index.handler');
    expect(run.env.OTEL_AWS_LAMBDA_FAST_START).toBe(data.fastStartEnabled ? 'false' : undefined);
    for (const on of data.onByDefault) expect(disabled(run)).not.toContain(on);
  });

  test('disable: [\'botocore\'] turns botocore off and leaves requests and django off', () => {
    const list = disabled(wrapperFor(release, { instrumentations: { disable: ['botocore'] } }));

    expect(list).toEqual(expect.arrayContaining(['botocore', 'requests', 'django', 'flask', 'aws-lambda']));
    expect(list).toHaveLength(data.disabledByDefault.length + 2);
  });

  test('enable: [\'requests\'] turns requests on and nothing else', () => {
    const list = disabled(wrapperFor(release, { instrumentations: { enable: ['requests'] } }));

    expect(list).not.toContain('requests');
    expect(list).toEqual([...data.disabledByDefault.filter(n => n !== 'requests'), 'aws-lambda']);
  });

  test('enable: [\'all\'] leaves only aws-lambda disabled (the layer\'s wrapper instruments the handler itself)', () => {
    expect(disabled(wrapperFor(release, { instrumentations: { enable: ['all'] } }))).toEqual(['none', 'aws-lambda']);
  });

  test('applicationSignals: true turns the AWS distro and configurator on', () => {
    const run = wrapperFor(release, { applicationSignals: true });

    expect(run.env.OTEL_AWS_APPLICATION_SIGNALS_ENABLED).toBe('true');
    expect(run.env.OTEL_PYTHON_DISTRO).toBe('aws_distro');
    expect(run.env.OTEL_PYTHON_CONFIGURATOR).toBe('aws_configurator');
  });

  test('the user\'s OTEL_PYTHON_DISABLED_INSTRUMENTATIONS replaces the default list (why `instrumentations` writes it whole)', () => {
    const run = wrapperFor(release, {}, { OTEL_PYTHON_DISABLED_INSTRUMENTATIONS: 'botocore' });

    expect(disabled(run)).toEqual(['botocore', 'aws-lambda']);
  });
});

describe('fast start', () => {
  test('v0.19.0: the runtime starts directly (no opentelemetry-instrument), the disabled list is left to the lite SDK', () => {
    const run = wrapperFor('v0.19.0', { fastStart: true });

    expect(run.program).toBe('runtime');
    expect(run.args).toEqual([]);
    expect(run.env.OTEL_AWS_LAMBDA_FAST_START).toBe('true');
    expect(run.env.OTEL_PYTHON_DISABLED_INSTRUMENTATIONS).toBeUndefined();
    expect(run.env._HANDLER).toBe('otel_wrapper.lambda_handler');
    expect(run.env.ORIG_HANDLER).toBe('index.handler');
  });

  test('v0.19.0: disable reaches the lite SDK as written', () => {
    const run = wrapperFor('v0.19.0', { fastStart: true, instrumentations: { disable: ['requests'] } });

    expect(run.env.OTEL_PYTHON_DISABLED_INSTRUMENTATIONS).toBe('requests');
  });

  test('v0.18.0 ignores the variable and starts the full SDK: why fastStart on v0.18.0 is an error', () => {
    const run = runWrapper('v0.18.0', { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument', OTEL_AWS_LAMBDA_FAST_START: 'true' }, 'index.handler');

    expect(run.program).toBe('python3');
    expect(run.args[0]).toBe('/opt/python/bin/opentelemetry-instrument');
  });
});
