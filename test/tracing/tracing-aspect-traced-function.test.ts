import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Instrumentation } from '../../lib/tracing/instrumentation';
import { TracedFunction } from '../../lib/tracing/traced-function';
import { XRayPermissions } from '../../lib/tracing/xray-permissions';
import { addTracingAspect, findings, newStack } from '../nag/helper';

function tracedFunction(stack: Stack, xrayPermissions: XRayPermissions) {
  return new TracedFunction(stack, 'Fn', {
    runtime: lambda.Runtime.PYTHON_3_13,
    handler: 'index.handler',
    code: lambda.Code.fromInline('def handler(e, c): pass'),
    instrumentation: Instrumentation.none(),
    xrayPermissions,
  });
}

describe('TracingAspect on a TracedFunction', () => {
  test('adds no second managed policy, whatever the aspect choice', () => {
    const { app, stack } = newStack();
    tracedFunction(stack, XRayPermissions.MANAGED_POLICY);
    addTracingAspect(stack);
    addTracingAspect(stack, { xrayPermissions: XRayPermissions.LEAST_PRIVILEGE });
    const template = Template.fromStack(stack);
    const [role] = Object.values(template.findResources('AWS::IAM::Role'));
    expect(role.Properties.ManagedPolicyArns.filter((a: unknown) => JSON.stringify(a).includes('AWSXRayDaemonWriteAccess'))).toHaveLength(1);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    expect(findings(app)).toEqual([]);
  });

  test('adds no second X-Ray statement to a LEAST_PRIVILEGE TracedFunction', () => {
    const { stack } = newStack();
    tracedFunction(stack, XRayPermissions.LEAST_PRIVILEGE);
    addTracingAspect(stack);
    const template = Template.fromStack(stack);
    const [role] = Object.values(template.findResources('AWS::IAM::Role'));
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).not.toContain('AWSXRayDaemonWriteAccess');
    const [policy] = Object.values(template.findResources('AWS::IAM::Policy'));
    const xray = policy.Properties.PolicyDocument.Statement.filter((s: any) => JSON.stringify(s.Action).includes('xray:'));
    expect(xray).toHaveLength(1);
  });
});
