import { Aws, CfnParameter, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagRuleCompliance } from 'cdk-nag';
import { Construct } from 'constructs';
import { check, findings, newStack, pythonFunction } from './helper';
import { Instrumentation, InstrumentationName, PythonDependencyLayer, TracedFunction, TracedFunctionProps, TracingContract, TracingRuleId } from '../../lib';
import ApplicationSignalsPolicy from '../../lib/nag/rules/ApplicationSignalsPolicy';
import OtelDoubleInstrumentation from '../../lib/nag/rules/OtelDoubleInstrumentation';
import OtelExecWrapper from '../../lib/nag/rules/OtelExecWrapper';
import XRaySdkEndOfSupport from '../../lib/nag/rules/XRaySdkEndOfSupport';

const { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE } = NagRuleCompliance;

const DISTRO = 'arn:aws:lambda:eu-west-1:615299751070:layer:AWSOpenTelemetryDistroPython:26';
const POWERTOOLS = 'arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-x86_64:27';
const LEGACY_ADOT = 'arn:aws:lambda:eu-west-1:901920570463:layer:aws-otel-python-arm64-ver-1-32-0:2';
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

  test('aws-cdk-lib\'s legacy ADOT layer (by name) needs the wrapper too', () => {
    const { app, stack } = newStack();
    const wired = pythonFunction(stack, 'Wired', { layers: [layer(stack, 'L1', LEGACY_ADOT)], environment: WRAPPER });
    const unwired = pythonFunction(stack, 'Unwired', { layers: [layer(stack, 'L2', LEGACY_ADOT)] });
    expect(check(app, OtelExecWrapper, wired)).toBe(COMPLIANT);
    expect(check(app, OtelExecWrapper, unwired)).toBe(NON_COMPLIANT);
  });

  test('not applicable: a wrapper it cannot read (a token), and the wrapper with a layer ARN it cannot read', () => {
    const { app, stack } = newStack();
    const tokenWrapper = pythonFunction(stack, 'TokenWrapper', {
      layers: [layer(stack, 'L', DISTRO)],
      environment: { AWS_LAMBDA_EXEC_WRAPPER: new CfnParameter(stack, 'Wrapper').valueAsString },
    });
    const tokenLayer = pythonFunction(stack, 'TokenLayer', { environment: WRAPPER, layers: [layer(stack, 'Imported', Fn.importValue('LayerArn'))] });
    expect(check(app, OtelExecWrapper, tokenWrapper)).toBe(NOT_APPLICABLE);
    expect(check(app, OtelExecWrapper, tokenLayer)).toBe(NOT_APPLICABLE);
  });

  test('non-compliant: a function this library instrumented with OpenTelemetry or ADOT (its metadata) without the wrapper, even when no layer can be named', () => {
    const { app, stack } = newStack();
    const otel = instrumentedByMetadata(stack, 'Otel', InstrumentationName.OPEN_TELEMETRY);
    const adot = instrumentedByMetadata(stack, 'Adot', InstrumentationName.ADOT);
    expect(check(app, OtelExecWrapper, otel)).toBe(NON_COMPLIANT);
    expect(check(app, OtelExecWrapper, adot)).toBe(NON_COMPLIANT);
  });

  test('not applicable: the wrapper with a named non-OpenTelemetry layer and a layer of the stack', () => {
    const { app, stack } = newStack();
    const fn = pythonFunction(stack, 'Fn', { environment: WRAPPER, layers: [layer(stack, 'L', POWERTOOLS), dependencyLayer(stack, 'Deps', ['requests'])] });
    expect(check(app, OtelExecWrapper, fn)).toBe(NOT_APPLICABLE);
  });
});

/** A plain function with a layer it cannot name, marked the way this library marks the functions it instruments. */
function instrumentedByMetadata(stack: Stack, id: string, instrumentation: string): lambda.Function {
  const fn = pythonFunction(stack, id, { layers: [layer(stack, `${id}Layer`, Fn.importValue(`${id}LayerArn`))] });
  (fn.node.defaultChild as lambda.CfnFunction).addMetadata(TracingContract.INSTRUMENTATION_METADATA_KEY, instrumentation);
  return fn;
}

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

  test('not applicable: OTEL_AWS_APPLICATION_SIGNALS_ENABLED=False (any case), and aws-cdk-lib\'s legacy ADOT layer (no Application Signals)', () => {
    const { app, stack } = newStack();
    const off = pythonFunction(stack, 'Off', { layers: [layer(stack, 'L1', DISTRO)], environment: { ...WRAPPER, OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'False' } });
    const legacy = pythonFunction(stack, 'Legacy', { layers: [layer(stack, 'L2', LEGACY_ADOT)], environment: WRAPPER });
    expect(check(app, ApplicationSignalsPolicy, off)).toBe(NOT_APPLICABLE);
    expect(check(app, ApplicationSignalsPolicy, legacy)).toBe(NOT_APPLICABLE);
  });

  test('the pack on hand-wired distro functions: on for unset, empty and true in any case, off for every other value', () => {
    // GIVEN the distro layer and its wrapper, no Application Signals access, and each value of the variable
    const { app, stack } = newStack();
    const values: Array<[string, string | undefined]> = [
      ['Unset', undefined], ['Empty', ''], ['Lower', 'true'], ['Title', 'True'], ['Upper', 'TRUE'],
      ['Yes', 'yes'], ['One', '1'], ['Zero', '0'], ['Off', 'false'], ['OffUpper', 'FALSE'], ['OffTitle', 'False'],
    ];
    values.forEach(([id, value], i) => pythonFunction(stack, id, {
      layers: [layer(stack, `L${i}`, DISTRO)],
      environment: value === undefined ? WRAPPER : { ...WRAPPER, [TracingContract.APPLICATION_SIGNALS_VARIABLE]: value },
    }));

    // WHEN
    const failed = findings(app).filter(f => f.rule === TracingRuleId.APPLICATION_SIGNALS_POLICY).map(f => f.path);

    // THEN
    expect(failed).toEqual(['Empty', 'Lower', 'Title', 'Unset', 'Upper'].map(id => `Stack/${id}/Resource`));
  });

  test('compliant: AdministratorAccess, and statements on a wildcard or joined ARN of the Application Signals log group', () => {
    const { app, stack } = newStack();
    const admin = pythonFunction(stack, 'Admin', { layers: [layer(stack, 'L1', DISTRO)], environment: WRAPPER });
    admin.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));
    const wildcard = appSignalsFunction(stack, 'Wildcard', 'arn:aws:logs:*:*:log-group:/aws/application-signals/*');
    const joined = appSignalsFunction(stack, 'Joined', Fn.join('', ['arn:', Aws.PARTITION, ':logs:', Aws.REGION, ':', Aws.ACCOUNT_ID, ':log-group:/aws/application-signals/data:*']));
    expect(check(app, ApplicationSignalsPolicy, admin)).toBe(COMPLIANT);
    expect(check(app, ApplicationSignalsPolicy, wildcard)).toBe(COMPLIANT);
    expect(check(app, ApplicationSignalsPolicy, joined)).toBe(COMPLIANT);
  });

  test('non-compliant: the log statements on another log group, or the trace statement denied, or Application Signals from a token', () => {
    const { app, stack } = newStack();
    const otherGroup = appSignalsFunction(stack, 'OtherGroup', 'arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/other:*');
    const otherJoined = appSignalsFunction(stack, 'OtherJoined', Fn.join('', ['arn:', Aws.PARTITION, ':logs:', Aws.REGION, ':', Aws.ACCOUNT_ID, ':log-group:/aws/lambda/other:*']));
    const denied = appSignalsFunction(stack, 'Denied', '*');
    denied.addToRolePolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['xray:Put*'], resources: ['*'] }));
    const token = pythonFunction(stack, 'Token', {
      layers: [layer(stack, 'L', DISTRO)],
      environment: { ...WRAPPER, OTEL_AWS_APPLICATION_SIGNALS_ENABLED: new CfnParameter(stack, 'Signals').valueAsString },
    });
    expect(check(app, ApplicationSignalsPolicy, otherGroup)).toBe(NON_COMPLIANT);
    expect(check(app, ApplicationSignalsPolicy, otherJoined)).toBe(NON_COMPLIANT);
    expect(check(app, ApplicationSignalsPolicy, denied)).toBe(NON_COMPLIANT);
    expect(check(app, ApplicationSignalsPolicy, token)).toBe(NON_COMPLIANT);
  });

  test('non-compliant: the trace statement on a resource other than *, the distro next to another layer, the OpenTelemetry metadata with an unnamed layer', () => {
    const { app, stack } = newStack();
    const traceResource = appSignalsFunction(stack, 'TraceResource', '*', 'arn:aws:xray:eu-west-1:111111111111:group/g');
    const twoLayers = pythonFunction(stack, 'TwoLayers', { layers: [layer(stack, 'L1', POWERTOOLS), layer(stack, 'L2', DISTRO)], environment: WRAPPER });
    const metadata = instrumentedByMetadata(stack, 'Metadata', InstrumentationName.OPEN_TELEMETRY);
    metadata.addEnvironment('AWS_LAMBDA_EXEC_WRAPPER', '/opt/otel-instrument');
    expect(check(app, ApplicationSignalsPolicy, traceResource)).toBe(NON_COMPLIANT);
    expect(check(app, ApplicationSignalsPolicy, twoLayers)).toBe(NON_COMPLIANT);
    expect(check(app, ApplicationSignalsPolicy, metadata)).toBe(NON_COMPLIANT);
  });

  test('compliant: the equivalent statements in a customer managed policy of the stack', () => {
    const { app, stack } = newStack();
    const fn = pythonFunction(stack, 'Fn', { layers: [layer(stack, 'L', DISTRO)], environment: WRAPPER });
    fn.role!.addManagedPolicy(new iam.ManagedPolicy(stack, 'Signals', {
      statements: [
        new iam.PolicyStatement({ actions: ['xray:PutTraceSegments'], resources: ['*'] }),
        new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: ['*'] }),
      ],
    }));
    expect(check(app, ApplicationSignalsPolicy, fn)).toBe(COMPLIANT);
  });

  test('not applicable: the distro layer without the wrapper (OtelExecWrapper reports it)', () => {
    const { app, stack } = newStack();
    expect(check(app, ApplicationSignalsPolicy, pythonFunction(stack, 'Fn', { layers: [layer(stack, 'L', DISTRO)] }))).toBe(NOT_APPLICABLE);
  });
});

/** A hand-wired distro function whose role allows the trace segments on `traceResource` and the log writes on `logResource`. */
function appSignalsFunction(stack: Stack, id: string, logResource: string, traceResource = '*'): lambda.Function {
  const fn = pythonFunction(stack, id, { layers: [layer(stack, `${id}Layer`, DISTRO)], environment: WRAPPER });
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments'], resources: [traceResource] }));
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logResource] }));
  return fn;
}


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

  test('non-compliant: the Powertools all extra; the legacy ADOT layer with a layer that ships the X-Ray SDK', () => {
    const { app, stack } = newStack();
    const all = traced(stack, 'All', { layers: [dependencyLayer(stack, 'Deps1', ['aws-lambda-powertools[all]'])] });
    const legacy = pythonFunction(stack, 'Legacy', { layers: [layer(stack, 'L1', LEGACY_ADOT), layer(stack, 'L2', POWERTOOLS)], environment: WRAPPER });
    expect(check(app, OtelDoubleInstrumentation, all)).toBe(NON_COMPLIANT);
    expect(check(app, OtelDoubleInstrumentation, legacy)).toBe(NON_COMPLIANT);
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

test('the OpenTelemetry rules judge only AWS::Lambda::Function resources, not another type with the same properties', () => {
  const { app, stack } = newStack();
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const sam = new CfnResource(stack, 'Sam', {
    type: 'AWS::Serverless::Function',
    properties: { Handler: 'index.handler', CodeUri: 's3://code/fn.zip', Role: role.roleArn, Layers: [DISTRO, POWERTOOLS], Environment: { Variables: WRAPPER } },
  });
  expect(check(app, OtelExecWrapper, sam)).toBe(NOT_APPLICABLE);
  expect(check(app, ApplicationSignalsPolicy, sam)).toBe(NOT_APPLICABLE);
  expect(check(app, OtelDoubleInstrumentation, sam)).toBe(NOT_APPLICABLE);
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
