import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { annotationIds, annotations } from './annotations';
import { AnnotationId, ErrorId, Instrumentation, TracedFunction } from '../../lib';
import { checkRuntimeNotBlocked, newestSupportedRuntime, runtimeLifecycle, today, warnAboutRuntime } from '../../lib/tracing/private/runtimes';
import { PYTHON_RUNTIMES, PYTHON_RUNTIMES_SOURCE } from '../../lib/tracing/runtime-data';
import { expectErrorId } from '../helpers/errors';

function at(day: string): void {
  jest.spyOn(Date, 'now').mockReturnValue(Date.parse(`${day}T12:00:00Z`));
}

afterEach(() => jest.restoreAllMocks());

function fn(runtime: lambda.Runtime, instrumentation: Instrumentation = Instrumentation.none()): { stack: Stack; fn: TracedFunction } {
  const stack = new Stack(new App(), 'Stack', { env: { region: 'us-east-1' } });
  const f = new TracedFunction(stack, 'Fn', { runtime, handler: 'index.handler', code: lambda.Code.fromInline('x'), instrumentation });
  return { stack, fn: f };
}


describe('runtime lifecycle (AWS Lambda runtimes, cited in lib/tracing/runtime-data.ts)', () => {
  test('the table is ordered and each row is deprecated before creation, and creation before update, is blocked', () => {
    for (const row of PYTHON_RUNTIMES) {
      expect(row.deprecated <= row.blockCreate && row.blockCreate <= row.blockUpdate).toBe(true);
    }
    expect(runtimeLifecycle('python3.10')).toEqual({ runtime: 'python3.10', deprecated: '2026-10-31', blockCreate: '2027-02-01', blockUpdate: '2027-03-03' });
    expect(newestSupportedRuntime('2026-12-03')).toBe('python3.14');
    expect(newestSupportedRuntime('2026-12-03', ['python3.12', 'python3.13', 'python3.15'])).toBe('python3.13');
    expect(newestSupportedRuntime('2029-06-29')).toBe('python3.14');
    expect(newestSupportedRuntime('2029-06-30')).toBeUndefined();
    expect(newestSupportedRuntime('2026-12-03', ['python3.10'])).toBeUndefined();
  });

  test('a deprecated runtime (python3.10 on 2026-12-03) warns by id naming the dates and the successor', () => {
    at('2026-12-03');
    const { stack } = fn(lambda.Runtime.PYTHON_3_10);

    expect(annotationIds(stack, 'warning')).toEqual([`/Stack/Fn ${AnnotationId.RUNTIME_DEPRECATED}`]);
    const message = annotations(stack, 'warning')[0].message;
    for (const named of ['python3.10', '2026-10-31', '2027-02-01', '2027-03-03', 'python3.14']) expect(message).toContain(named);
  });

  test('on its deprecation date itself: the warning', () => {
    at('2026-10-31');
    const { stack } = fn(lambda.Runtime.PYTHON_3_10);

    expect(annotationIds(stack, 'warning')).toEqual([`/Stack/Fn ${AnnotationId.RUNTIME_DEPRECATED}`]);
  });

  test('the same runtime before its deprecation date: no warning', () => {
    at('2026-10-30');
    const { stack } = fn(lambda.Runtime.PYTHON_3_10);

    expect(annotationIds(stack, 'warning')).toEqual([]);
  });

  test('a runtime AWS blocks creating functions with is an error naming the date and the fix', () => {
    at('2026-12-03');

    expectErrorId(() => fn(lambda.Runtime.PYTHON_3_7), ErrorId.RUNTIME_BLOCKED, /^Stack\/Fn: /, 'python3.7', '2024-01-09', 'PYTHON_3_14');
  });

  test('python3.10 becomes an error on its block-create date', () => {
    at('2027-02-01');

    expectErrorId(() => fn(lambda.Runtime.PYTHON_3_10), ErrorId.RUNTIME_BLOCKED, 'python3.10', '2027-02-01', '2027-03-03');
  });

  test('a runtime AWS does not list (python3.15, a preview) warns by id', () => {
    at('2026-12-03');
    const { stack } = fn(lambda.Runtime.PYTHON_3_15);

    expect(annotationIds(stack, 'warning')).toEqual([`/Stack/Fn ${AnnotationId.RUNTIME_NOT_GENERALLY_AVAILABLE}`]);
  });

  test('the preview warning names the function, the runtime and the newest supported runtime', () => {
    at('2026-12-03');
    const { stack } = fn(lambda.Runtime.PYTHON_3_15);

    const [warning] = annotations(stack, 'warning');
    for (const named of ['Stack/Fn', 'python3.15', 'python3.14']) expect(warning.message).toContain(named);
  });

  test('only a runtime name that starts with python is judged (a custom name that contains it is not)', () => {
    at('2026-12-03');
    const stack = new Stack(new App(), 'Stack');
    warnAboutRuntime(new Construct(stack, 'Custom'), 'mypython3.99');
    warnAboutRuntime(new Construct(stack, 'Python'), 'python3.99');

    expect(annotationIds(stack, 'warning')).toEqual([`/Stack/Python ${AnnotationId.RUNTIME_NOT_GENERALLY_AVAILABLE}`]);
  });

  test('today is the UTC day of Date.now()', () => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-12-03T23:59:59Z'));
    expect(today()).toBe('2026-12-03');
  });

  test('after every listed runtime is deprecated, the advice names no runtime constant but the data\'s day and an upgrade', () => {
    const last = PYTHON_RUNTIMES[PYTHON_RUNTIMES.length - 1];
    at(last.blockCreate);
    const error = expectErrorId(() => checkRuntimeNotBlocked('Stack/Fn', last.runtime), ErrorId.RUNTIME_BLOCKED, last.runtime, last.blockCreate,
      PYTHON_RUNTIMES_SOURCE.readOn);
    expect(error.message).not.toMatch(/lambda\.Runtime\./);

    const stack = new Stack(new App(), 'Stack');
    warnAboutRuntime(new Construct(stack, 'Fn'), last.runtime);
    const [warning] = annotations(stack, 'warning');
    expect(warning.id).toBe(AnnotationId.RUNTIME_DEPRECATED);
    expect(warning.message).toContain(PYTHON_RUNTIMES_SOURCE.readOn);
  });

  test('non-Python runtimes are not judged by this table', () => {
    at('2026-12-03');
    const { stack } = fn(lambda.Runtime.NODEJS_22_X);

    expect(annotationIds(stack, 'warning')).toEqual([]);
  });

  test('python3.14 with openTelemetry() synthesizes: the layer\'s release declares it', () => {
    at('2026-12-03');
    const { stack } = fn(lambda.Runtime.PYTHON_3_14, Instrumentation.openTelemetry());

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'python3.14', Layers: ['arn:aws:lambda:us-east-1:615299751070:layer:AWSOpenTelemetryDistroPython:29'],
    });
    expect(annotationIds(stack, 'warning')).toEqual([]);
  });

  test('python3.14 with powertools() synthesizes', () => {
    at('2026-12-03');
    const { stack } = fn(lambda.Runtime.PYTHON_3_14, Instrumentation.powertools());

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Layers: ['arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python314-x86_64:27'],
    });
  });
});
