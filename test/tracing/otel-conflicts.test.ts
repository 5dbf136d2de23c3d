import { App, CfnParameter, CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { annotationIds, annotations } from './annotations';
import { stackIn, tracedFunction } from './otel-helpers';
import { Instrumentation, TracedFunction, XRayPermissions } from '../../lib';
import { AnnotationId, TracingRuleId } from '../../lib/contract';
import { otelWiring } from '../../lib/nag/private/otel-wiring';
import ApplicationSignalsPolicy from '../../lib/nag/rules/ApplicationSignalsPolicy';
import OtelExecWrapper from '../../lib/nag/rules/OtelExecWrapper';
import { applicationSignalsReading } from '../../lib/tracing/private/otel-conflicts';
import { findings } from '../nag/helper';

const OTEL = 'arn:aws:lambda:us-east-1:615299751070:layer:AWSOpenTelemetryDistroPython:29';

function warnings(stack: ReturnType<typeof stackIn>): string[] {
  return annotationIds(stack, 'warning');
}

/** What a nag rule says about the function (the same reading as the warnings). */
function rule(fn: TracedFunction, check: (node: CfnResource) => NagRuleCompliance): NagRuleCompliance {
  return check(fn.node.defaultChild as CfnResource);
}

describe('AWS_LAMBDA_EXEC_WRAPPER against the layers, at synth', () => {
  test('openTelemetry() with the user\'s own wrapper: a warning naming the variable and its value; the rule agrees', () => {
    const stack = stackIn('us-east-1');
    const fn = tracedFunction(stack, { environment: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/mine' } });

    expect(warnings(stack)).toEqual([`/Stack/Fn ${AnnotationId.OTEL_EXEC_WRAPPER_REPLACED}`]);
    const warning = annotations(stack, 'warning')[0].message;
    expect(warning).toContain('"/opt/mine"');
    expect(warning).toContain('/opt/otel-instrument');
    expect(rule(fn, OtelExecWrapper)).toBe(NagRuleCompliance.NON_COMPLIANT);
  });

  test('a wrapper set after construction (addEnvironment) is seen too', () => {
    const stack = stackIn('us-east-1');
    const fn = tracedFunction(stack, { instrumentation: Instrumentation.adot({ layer: lambda.LayerVersion.fromLayerVersionArn(stack, 'L', OTEL) }) });
    fn.addEnvironment('AWS_LAMBDA_EXEC_WRAPPER', '/opt/other');

    expect(warnings(stack)).toEqual([`/Stack/Fn ${AnnotationId.OTEL_EXEC_WRAPPER_REPLACED}`]);
  });

  test.each([
    ['xraySdk()', () => Instrumentation.xraySdk()],
    ['none()', () => Instrumentation.none()],
  ])('%s with AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument and no layer: a warning; the rule agrees', (_name, instrumentation) => {
    const stack = stackIn('us-east-1');
    const fn = tracedFunction(stack, { instrumentation: instrumentation(), environment: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument' } });

    expect(warnings(stack).filter(w => w.includes('otelExecWrapper'))).toEqual([`/Stack/Fn ${AnnotationId.OTEL_EXEC_WRAPPER_WITHOUT_LAYER}`]);
    const warning = annotations(stack, 'warning').find(a => a.id === AnnotationId.OTEL_EXEC_WRAPPER_WITHOUT_LAYER)!.message;
    expect(warning).toMatch(/^Stack\/Fn: /);
    expect(warning).toContain('AWS_LAMBDA_EXEC_WRAPPER is /opt/otel-instrument');
    expect(rule(fn, OtelExecWrapper)).toBe(NagRuleCompliance.NON_COMPLIANT);
  });

  test('the OpenTelemetry layer without AWS_LAMBDA_EXEC_WRAPPER: a warning naming the variable and no value; the rule agrees', () => {
    const stack = stackIn('us-east-1');
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'L', OTEL);
    const fn = tracedFunction(stack, { instrumentation: Instrumentation.none(), layers: [layer] });

    expect(warnings(stack)).toEqual([`/Stack/Fn ${AnnotationId.OTEL_EXEC_WRAPPER_REPLACED}`]);
    const warning = annotations(stack, 'warning')[0].message;
    expect(warning).toMatch(/^Stack\/Fn: /);
    expect(warning).toContain('AWS_LAMBDA_EXEC_WRAPPER');
    expect(warning).not.toContain('undefined');
    expect(rule(fn, OtelExecWrapper)).toBe(NagRuleCompliance.NON_COMPLIANT);
  });

  test.each([
    ['xraySdk() with a wrapper of the user\'s own', () => Instrumentation.xraySdk(), { AWS_LAMBDA_EXEC_WRAPPER: '/opt/mine' }, []],
    ['none() with the OTel wrapper and the OTel layer by ARN', () => Instrumentation.none(), { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument' }, [OTEL]],
    ['openTelemetry() as it comes', () => Instrumentation.openTelemetry(), {}, []],
  ])('%s: no warning', (_name, instrumentation, environment, arns) => {
    const stack = stackIn('us-east-1');
    const layers = arns.map((arn, i) => lambda.LayerVersion.fromLayerVersionArn(stack, `L${i}`, arn));
    const fn = tracedFunction(stack, { instrumentation: instrumentation(), environment, layers });

    expect(warnings(stack).filter(w => /otelExecWrapper/.test(w))).toEqual([]);
    expect(rule(fn, OtelExecWrapper)).not.toBe(NagRuleCompliance.NON_COMPLIANT);
  });

  test('the OTel wrapper beside a layer of the stack (which cannot be named): no warning; the rule agrees', () => {
    const stack = stackIn('us-east-1');
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'layer-bucket');
    const layer = new lambda.LayerVersion(stack, 'Own', { code: lambda.Code.fromBucket(bucket, 'own.zip') });
    const environment = { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument' };
    const fn = tracedFunction(stack, { instrumentation: Instrumentation.none(), environment, layers: [layer] });

    expect(warnings(stack)).toEqual([]);
    expect(rule(fn, OtelExecWrapper)).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });

  test('a wrapper value that is a token cannot be read: no warning', () => {
    const stack = stackIn('us-east-1');
    const other = tracedFunction(stack, {}, 'Other');
    tracedFunction(stack, { environment: { AWS_LAMBDA_EXEC_WRAPPER: other.functionArn } });

    expect(warnings(stack)).toEqual([]);
  });
});

describe('OTEL_AWS_APPLICATION_SIGNALS_ENABLED=true from the user', () => {
  test('without applicationSignals and without the policy: a warning by id (nothing granted); the rule agrees', () => {
    const stack = stackIn('us-east-1');
    const fn = tracedFunction(stack, { environment: { OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'true' } });

    expect(warnings(stack)).toEqual([`/Stack/Fn ${AnnotationId.APPLICATION_SIGNALS_VARIABLE_WITHOUT_POLICY}`]);
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('ApplicationSignalsExecutionRolePolicy');
    expect(rule(fn, ApplicationSignalsPolicy)).toBe(NagRuleCompliance.NON_COMPLIANT);
  });

  test.each(['TRUE', 'true'])('%s with the policy on the role: no warning', (value) => {
    const stack = stackIn('us-east-1');
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchLambdaApplicationSignalsExecutionRolePolicy')],
    });
    const fn = tracedFunction(stack, { role, environment: { OTEL_AWS_APPLICATION_SIGNALS_ENABLED: value } });

    expect(warnings(stack)).toEqual([]);
    expect(rule(fn, ApplicationSignalsPolicy)).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('with applicationSignals: true the policy is granted and nothing is said', () => {
    const stack = stackIn('us-east-1');
    tracedFunction(stack, {
      instrumentation: Instrumentation.openTelemetry({ applicationSignals: true }),
      environment: { OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'true' },
    });

    expect(warnings(stack)).toEqual([]);
  });

  test('the variable left to the instrumentation (false): no warning', () => {
    const stack = stackIn('us-east-1');
    tracedFunction(stack);

    expect(warnings(stack)).toEqual([]);
  });
});

describe('OTEL_AWS_APPLICATION_SIGNALS_ENABLED from the user, each value: the synth warning and TracedLambda-ApplicationSignalsPolicy agree', () => {
  // On: unset or empty (the wrapper exports `true`) and `true` in any case (the distro's `.lower() == "true"`);
  // every other value is off. Checked against the wrapper itself in test/otel-wrapper/application-signals.test.ts.
  const cases: Array<[string, string | undefined, boolean]> = [
    ['True', 'True', true],
    ['TRUE', 'TRUE', true],
    ['true', 'true', true],
    ['empty', '', true],
    ['removed', undefined, true],
    ['yes', 'yes', false],
    ['1', '1', false],
    ['0', '0', false],
    ['false', 'false', false],
    ['FALSE', 'FALSE', false],
    ['a space before true', ' true', false],
  ];

  /** openTelemetry() without applicationSignals (it writes 'false') and the user's `value`; undefined: the variable removed by an override. */
  function withValue(stack: ReturnType<typeof stackIn>, value: string | undefined, role?: iam.IRole): TracedFunction {
    const fn = tracedFunction(stack, { role, environment: value === undefined ? {} : { OTEL_AWS_APPLICATION_SIGNALS_ENABLED: value } });
    if (value === undefined) {
      (fn.node.defaultChild as CfnResource).addPropertyDeletionOverride('Environment.Variables.OTEL_AWS_APPLICATION_SIGNALS_ENABLED');
    }
    return fn;
  }

  test.each(cases)('%s, no policy on the role', (_name, value, on) => {
    // GIVEN
    const stack = stackIn('us-east-1');
    const fn = withValue(stack, value);

    // WHEN the stack synthesizes and the pack runs
    const rules = findings(stack.node.root as App).map(f => `${f.rule} ${f.path}`);

    // THEN the warning, the rule and the pack say the same
    expect(warnings(stack)).toEqual(on ? [`/Stack/Fn ${AnnotationId.APPLICATION_SIGNALS_VARIABLE_WITHOUT_POLICY}`] : []);
    if (on) {
      // The warning names the function and the variable, and the user's value as set (none when removed).
      const { message } = annotations(stack, 'warning')[0];
      expect(message).toMatch(/^Stack\/Fn: /);
      expect(message).toContain('OTEL_AWS_APPLICATION_SIGNALS_ENABLED');
      if (value) expect(message).toContain(`'${value}'`);
      if (value === undefined) expect(message).not.toContain('undefined');
    }
    expect(rule(fn, ApplicationSignalsPolicy)).toBe(on ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.NOT_APPLICABLE);
    expect(rules.includes(`${TracingRuleId.APPLICATION_SIGNALS_POLICY} Stack/Fn/Resource`)).toBe(on);
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('ApplicationSignalsExecutionRolePolicy');
  });

  test.each(cases.filter(([, , on]) => on))('%s with the policy on the role: no warning, compliant', (_name, value) => {
    const stack = stackIn('us-east-1');
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchLambdaApplicationSignalsExecutionRolePolicy')],
    });
    const fn = withValue(stack, value, role);

    expect(warnings(stack)).toEqual([]);
    expect(rule(fn, ApplicationSignalsPolicy)).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('a value known only at deployment: the rule fails it (it may be on), the synth warning cannot name it and stays silent', () => {
    const stack = stackIn('us-east-1');
    const fn = tracedFunction(stack, { environment: { OTEL_AWS_APPLICATION_SIGNALS_ENABLED: new CfnParameter(stack, 'Signals').valueAsString } });

    expect(warnings(stack)).toEqual([]);
    expect(rule(fn, ApplicationSignalsPolicy)).toBe(NagRuleCompliance.NON_COMPLIANT);
  });
});

describe('applicationSignalsReading (the reading the warning and TracedLambda-ApplicationSignalsPolicy share)', () => {
  const reading = (fn: TracedFunction) => {
    const cfn = fn.node.defaultChild as CfnResource;
    return applicationSignalsReading(cfn, otelWiring(cfn));
  };
  const ON = { OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'true' };

  test('granted, missing, and not-applicable when off, when the role is not in the stack, and when a managed policy of unknown content may grant it', () => {
    const stack = stackIn('us-east-1');
    const granted = tracedFunction(stack, { instrumentation: Instrumentation.openTelemetry({ applicationSignals: true }) }, 'Granted');
    const missing = tracedFunction(stack, { environment: ON }, 'Missing');
    const off = tracedFunction(stack, {}, 'Off');
    const imported = tracedFunction(stack, { environment: ON, role: iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::123456789012:role/existing') }, 'ImportedRole');
    const unknown = tracedFunction(stack, { environment: ON }, 'Unknown');
    unknown.role!.addManagedPolicy(iam.ManagedPolicy.fromManagedPolicyArn(stack, 'Custom', 'arn:aws:iam::123456789012:policy/custom'));

    expect([granted, missing, off, imported, unknown].map(reading)).toEqual(['granted', 'missing', 'not-applicable', 'not-applicable', 'not-applicable']);
  });
});

describe('a role that cannot take the grants', () => {
  test.each([XRayPermissions.MANAGED_POLICY, XRayPermissions.LEAST_PRIVILEGE])(
    'role.withoutPolicyUpdates() (%s): one warning per missing permission, each naming the role; nothing is changed', (xrayPermissions) => {
      const stack = stackIn('us-east-1');
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      const instrumentation = Instrumentation.openTelemetry({ applicationSignals: true });
      tracedFunction(stack, { role: role.withoutPolicyUpdates(), xrayPermissions, instrumentation });

      expect(warnings(stack)).toEqual([
        `/Stack/Fn ${AnnotationId.APPLICATION_SIGNALS_POLICY_NOT_ATTACHED}`,
        `/Stack/Fn ${AnnotationId.XRAY_PERMISSIONS_NOT_GRANTED}`,
      ]);
      for (const w of annotations(stack, 'warning')) {
        expect(w.message).toContain('withoutPolicyUpdates()');
      }
      const messages = annotations(stack, 'warning').map(w => w.message).join('\n');
      expect(messages).toContain('CloudWatchLambdaApplicationSignalsExecutionRolePolicy');
      expect(messages).toContain('AWSXRayDaemonWriteAccess');
      const template = Template.fromStack(stack);
      expect(template.findResources('AWS::IAM::Policy')).toEqual({});
      expect(Object.values(template.findResources('AWS::IAM::Role'))[0].Properties.ManagedPolicyArns).toBeUndefined();
    });

  test('the role itself (not the view) still gets both grants', () => {
    const stack = stackIn('us-east-1');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    tracedFunction(stack, { role, instrumentation: Instrumentation.openTelemetry({ applicationSignals: true }) });

    expect(warnings(stack)).toEqual([]);
    expect(JSON.stringify(Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0].Properties.ManagedPolicyArns))
      .toMatch(/AWSXRayDaemonWriteAccess.*CloudWatchLambdaApplicationSignalsExecutionRolePolicy/);
  });

  test('an immutable imported role names its ARN and each permission', () => {
    const stack = stackIn('us-east-1');
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::123456789012:role/existing', { mutable: false });
    tracedFunction(stack, {
      role, xrayPermissions: XRayPermissions.LEAST_PRIVILEGE, instrumentation: Instrumentation.openTelemetry({ applicationSignals: true }),
    });

    expect(warnings(stack)).toEqual([
      `/Stack/Fn ${AnnotationId.APPLICATION_SIGNALS_POLICY_NOT_ATTACHED}`,
      `/Stack/Fn ${AnnotationId.XRAY_PERMISSIONS_NOT_GRANTED}`,
    ]);
    for (const w of annotations(stack, 'warning')) {
      expect(w.message).toContain('arn:aws:iam::123456789012:role/existing');
    }
  });
});
