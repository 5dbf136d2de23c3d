import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagRuleCompliance } from 'cdk-nag';
import { Construct } from 'constructs';
import { check, findings, newStack, pythonFunction } from './helper';
import { Instrumentation, PythonDependencyLayer, TracedFunction, TracedFunctionProps } from '../../lib';
import ApplicationSignalsPolicy from '../../lib/nag/rules/ApplicationSignalsPolicy';
import OtelDoubleInstrumentation from '../../lib/nag/rules/OtelDoubleInstrumentation';
import OtelExecWrapper from '../../lib/nag/rules/OtelExecWrapper';
import XRaySdkEndOfSupport from '../../lib/nag/rules/XRaySdkEndOfSupport';

const { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE } = NagRuleCompliance;

const DISTRO = 'arn:aws:lambda:eu-west-1:615299751070:layer:AWSOpenTelemetryDistroPython:26';
const POWERTOOLS = 'arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-x86_64:27';
const WRAPPER = { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument' };

function layer(scope: Construct, id: string, arn: string): lambda.ILayerVersion {
  return lambda.LayerVersion.fromLayerVersionArn(scope, id, arn);
}

function traced(scope: Construct, id: string, props: Partial<TracedFunctionProps> = {}): TracedFunction {
  return new TracedFunction(scope, id, {
    runtime: lambda.Runtime.PYTHON_3_13,
    handler: 'index.handler',
    code: lambda.Code.fromInline('def handler(event, context):\n    return event\n'),
    ...props,
  });
}

/** A stand-in for a PythonDependencyLayer of the stack (whose constructor runs pip) listing `requirements`. */
function dependencyLayer(scope: Construct, id: string, requirements: string[]): lambda.LayerVersion {
  const bucket = s3.Bucket.fromBucketName(scope, `${id}Bucket`, 'layer-bucket');
  const l = new lambda.LayerVersion(scope, id, { code: lambda.Code.fromBucket(bucket, `${id}.zip`) });
  Object.defineProperty(l, Symbol.for('cdk-traced-lambda.PythonDependencyLayer'), { value: true });
  Object.assign(l, {
    runtime: lambda.Runtime.PYTHON_3_13,
    architecture: lambda.Architecture.X86_64,
    requirements,
    hasRequirement: (name: string, extra?: string) => requirements.some(r => {
      const m = /^([^[]+)(?:\[(.*)\])?$/.exec(r)!;
      return m[1] === name && (extra === undefined || (m[2] ?? '').split(',').includes(extra));
    }),
  });
  expect(PythonDependencyLayer.isPythonDependencyLayer(l)).toBe(true);
  return l;
}

describe('OtelExecWrapper', () => {
  test('compliant: openTelemetry() (layer and wrapper), and a plain function with the distro layer and the wrapper', () => {
    const { app, stack } = newStack();
    const fn = traced(stack, 'Traced');
    const plain = pythonFunction(stack, 'Plain', { layers: [layer(stack, 'L', DISTRO)], environment: WRAPPER });
    expect(check(app, OtelExecWrapper, fn)).toBe(COMPLIANT);
    expect(check(app, OtelExecWrapper, plain)).toBe(COMPLIANT);
  });

  test('non-compliant: the layer without the wrapper, the layer with another wrapper, the wrapper without any layer', () => {
    const { app, stack } = newStack();
    const noWrapper = pythonFunction(stack, 'NoWrapper', { layers: [layer(stack, 'L1', DISTRO)] });
    const otherWrapper = traced(stack, 'Other', { environment: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/my-wrapper' } });
    const noLayer = pythonFunction(stack, 'NoLayer', { environment: WRAPPER });
    const wrongLayer = pythonFunction(stack, 'WrongLayer', { environment: WRAPPER, layers: [layer(stack, 'L2', POWERTOOLS)] });
    expect(check(app, OtelExecWrapper, noWrapper)).toBe(NON_COMPLIANT);
    expect(check(app, OtelExecWrapper, otherWrapper)).toBe(NON_COMPLIANT);
    expect(check(app, OtelExecWrapper, noLayer)).toBe(NON_COMPLIANT);
    expect(check(app, OtelExecWrapper, wrongLayer)).toBe(NON_COMPLIANT);
  });

  test('not applicable: neither, another wrapper alone, the wrapper with a layer of the stack, not a function', () => {
    const { app, stack } = newStack();
    const neither = pythonFunction(stack, 'Neither');
    const otherWrapper = pythonFunction(stack, 'Other', { environment: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/datadog_wrapper' } });
    const ownLayer = pythonFunction(stack, 'Own', { environment: WRAPPER, layers: [dependencyLayer(stack, 'Deps', ['requests'])] });
    expect(check(app, OtelExecWrapper, neither)).toBe(NOT_APPLICABLE);
    expect(check(app, OtelExecWrapper, otherWrapper)).toBe(NOT_APPLICABLE);
    expect(check(app, OtelExecWrapper, ownLayer)).toBe(NOT_APPLICABLE);
    expect(check(app, OtelExecWrapper, new sns.Topic(stack, 'Topic'))).toBe(NOT_APPLICABLE);
  });
});

describe('ApplicationSignalsPolicy', () => {
  test('compliant: applicationSignals: true, and a role with equivalent statements', () => {
    const { app, stack } = newStack();
    const fn = traced(stack, 'Traced', { instrumentation: Instrumentation.openTelemetry({ applicationSignals: true }) });
    const plain = pythonFunction(stack, 'Plain', { layers: [layer(stack, 'L', DISTRO)], environment: WRAPPER });
    plain.addToRolePolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments'], resources: ['*'] }));
    plain.addToRolePolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`arn:aws:logs:eu-west-1:${Stack.of(plain).account}:log-group:/aws/application-signals/data:*`],
    }));
    expect(check(app, ApplicationSignalsPolicy, fn)).toBe(COMPLIANT);
    expect(check(app, ApplicationSignalsPolicy, plain)).toBe(COMPLIANT);
  });

  test('non-compliant: the distro layer and wrapper with Application Signals left on (the layer\'s default) or set on by the user', () => {
    const { app, stack } = newStack();
    const plain = pythonFunction(stack, 'Plain', { layers: [layer(stack, 'L', DISTRO)], environment: WRAPPER });
    const userOn = traced(stack, 'UserOn', { environment: { OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'true' } });
    const xrayOnly = pythonFunction(stack, 'XRayOnly', { layers: [layer(stack, 'L2', DISTRO)], environment: WRAPPER, tracing: lambda.Tracing.ACTIVE });
    expect(check(app, ApplicationSignalsPolicy, plain)).toBe(NON_COMPLIANT);
    expect(check(app, ApplicationSignalsPolicy, userOn)).toBe(NON_COMPLIANT);
    expect(check(app, ApplicationSignalsPolicy, xrayOnly)).toBe(NON_COMPLIANT);
  });

  test('not applicable: Application Signals off, no distro layer, an imported role, a managed policy of unknown content', () => {
    const { app, stack } = newStack();
    const off = traced(stack, 'Off');
    const none = pythonFunction(stack, 'None');
    const imported = pythonFunction(stack, 'Imported', {
      layers: [layer(stack, 'L', DISTRO)],
      environment: WRAPPER,
      role: iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111111111111:role/r'),
    });
    const unknown = pythonFunction(stack, 'Unknown', { layers: [layer(stack, 'L2', DISTRO)], environment: WRAPPER });
    unknown.role!.addManagedPolicy(iam.ManagedPolicy.fromManagedPolicyArn(stack, 'Custom', 'arn:aws:iam::111111111111:policy/custom'));
    expect(check(app, ApplicationSignalsPolicy, off)).toBe(NOT_APPLICABLE);
    expect(check(app, ApplicationSignalsPolicy, none)).toBe(NOT_APPLICABLE);
    expect(check(app, ApplicationSignalsPolicy, imported)).toBe(NOT_APPLICABLE);
    expect(check(app, ApplicationSignalsPolicy, unknown)).toBe(NOT_APPLICABLE);
  });
});

describe('OtelDoubleInstrumentation', () => {
  test('compliant: OpenTelemetry with layers that do not ship the X-Ray SDK', () => {
    const { app, stack } = newStack();
    const fn = traced(stack, 'Traced', { layers: [dependencyLayer(stack, 'Deps', ['requests', 'aws-lambda-powertools'])] });
    expect(check(app, OtelDoubleInstrumentation, fn)).toBe(COMPLIANT);
  });

  test('non-compliant: a dependency layer with aws-xray-sdk or the Powertools tracer extra, or the public Powertools layer', () => {
    const { app, stack } = newStack();
    const sdk = traced(stack, 'Sdk', { layers: [dependencyLayer(stack, 'Deps1', ['aws-xray-sdk'])] });
    const tracer = traced(stack, 'Tracer', { layers: [dependencyLayer(stack, 'Deps2', ['aws-lambda-powertools[tracer]'])] });
    const public_ = pythonFunction(stack, 'Public', { layers: [layer(stack, 'L1', DISTRO), layer(stack, 'L2', POWERTOOLS)], environment: WRAPPER });
    expect(check(app, OtelDoubleInstrumentation, sdk)).toBe(NON_COMPLIANT);
    expect(check(app, OtelDoubleInstrumentation, tracer)).toBe(NON_COMPLIANT);
    expect(check(app, OtelDoubleInstrumentation, public_)).toBe(NON_COMPLIANT);
  });

  test('not applicable: the X-Ray SDK without OpenTelemetry, and a resource that is not a function', () => {
    const { app, stack } = newStack();
    const sdk = traced(stack, 'Sdk', { instrumentation: Instrumentation.xraySdk(), layers: [dependencyLayer(stack, 'Deps', ['aws-xray-sdk'])] });
    expect(check(app, OtelDoubleInstrumentation, sdk)).toBe(NOT_APPLICABLE);
    expect(check(app, OtelDoubleInstrumentation, new sns.Topic(stack, 'Topic'))).toBe(NOT_APPLICABLE);
  });
});

describe('XRaySdkEndOfSupport and powertools()', () => {
  test('non-compliant: Powertools\' Tracer uses the X-Ray SDK; compliant: openTelemetry()', () => {
    const { app, stack } = newStack();
    const powertools = traced(stack, 'Powertools', { instrumentation: Instrumentation.powertools() });
    const otel = traced(stack, 'Otel');
    expect(check(app, XRaySdkEndOfSupport, powertools)).toBe(NON_COMPLIANT);
    expect(check(app, XRaySdkEndOfSupport, otel)).toBe(COMPLIANT);
  });
});

describe('TracingChecks on real constructs', () => {
  test('each instrumentation gets exactly the OpenTelemetry findings it deserves', () => {
    // GIVEN one function per instrumentation, and two hand-wired mistakes
    const { app, stack } = newStack();
    traced(stack, 'Default');
    traced(stack, 'AppSignals', { instrumentation: Instrumentation.openTelemetry({ applicationSignals: true }) });
    traced(stack, 'Powertools', { instrumentation: Instrumentation.powertools() });
    traced(stack, 'Sdk', { instrumentation: Instrumentation.xraySdk(), layers: [dependencyLayer(stack, 'Deps', ['aws-xray-sdk'])] });
    traced(stack, 'Double', { layers: [dependencyLayer(stack, 'Deps2', ['aws-xray-sdk'])] });
    traced(stack, 'WrapperLost', { environment: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/other' } });
    pythonFunction(stack, 'HandWired', { layers: [layer(stack, 'L', DISTRO)], environment: WRAPPER, tracing: lambda.Tracing.ACTIVE });

    // WHEN
    const otel = findings(app).filter(f => /Otel|ApplicationSignals/.test(f.rule));

    // THEN
    expect(otel.map(f => `${f.rule} ${f.severity} ${f.path}`)).toEqual([
      'TracedLambda-ApplicationSignalsPolicy error Stack/HandWired/Resource',
      'TracedLambda-OtelDoubleInstrumentation warning Stack/Double/Resource',
      'TracedLambda-OtelExecWrapper error Stack/WrapperLost/Resource',
    ]);
  });
});
