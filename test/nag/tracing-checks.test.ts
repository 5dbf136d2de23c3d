import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { NagRuleCompliance } from 'cdk-nag';
import { addTracingAspect, findings, newStack, pythonFunction } from './helper';
import { Instrumentation, TracedFunction, TracingChecks, TracingRuleId } from '../../lib';
import XRayWriteAccess from '../../lib/nag/rules/XRayWriteAccess';
import { StackIndex } from '../../lib/private/stack-index';

/**
 * The test app: two L2 Python functions (one with an imported role), a BucketDeployment (whose function
 * aws-cdk-lib creates), a raw CfnFunction with its own CfnRole, and a Node.js function.
 */
function testApp(): { app: App; raw: lambda.CfnFunction } {
  const { app, stack } = newStack();
  pythonFunction(stack, 'Orders');
  pythonFunction(stack, 'Legacy', { role: iam.Role.fromRoleArn(stack, 'LegacyRole', 'arn:aws:iam::111111111111:role/legacy') });
  new s3deploy.BucketDeployment(stack, 'Site', {
    destinationBucket: new s3.Bucket(stack, 'Bucket'),
    sources: [s3deploy.Source.data('index.html', '<h1>hello</h1>')],
  });
  const role = new iam.CfnRole(stack, 'RawRole', {
    assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }] },
  });
  const raw = new lambda.CfnFunction(stack, 'Raw', {
    role: role.attrArn, code: { zipFile: 'def handler(e, c): pass' }, handler: 'index.handler', runtime: 'python3.13',
  });
  new lambda.Function(stack, 'Node', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({});'),
  });
  return { app, raw };
}

const BUCKET_DEPLOYMENT = 'Stack/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C/Resource';

describe('TracingChecks on the test app', () => {
  test('without the TracingAspect, it reports each untraced function', () => {
    const { app } = testApp();
    expect(findings(app)).toEqual([
      // Every function lacks active tracing, the one aws-cdk-lib made included.
      { rule: 'TracedLambda-ActiveTracing', severity: 'error', path: BUCKET_DEPLOYMENT },
      { rule: 'TracedLambda-ActiveTracing', severity: 'error', path: 'Stack/Legacy/Resource' },
      { rule: 'TracedLambda-ActiveTracing', severity: 'error', path: 'Stack/Node/Resource' },
      { rule: 'TracedLambda-ActiveTracing', severity: 'error', path: 'Stack/Orders/Resource' },
      { rule: 'TracedLambda-ActiveTracing', severity: 'error', path: 'Stack/Raw' },
      // Every role the app defines lacks X-Ray write access; the imported role of Legacy is N/A.
      { rule: 'TracedLambda-XRayWriteAccess', severity: 'error', path: BUCKET_DEPLOYMENT },
      { rule: 'TracedLambda-XRayWriteAccess', severity: 'error', path: 'Stack/Node/Resource' },
      { rule: 'TracedLambda-XRayWriteAccess', severity: 'error', path: 'Stack/Orders/Resource' },
      { rule: 'TracedLambda-XRayWriteAccess', severity: 'error', path: 'Stack/Raw' },
    ]);
  });

  test('with the TracingAspect, it reports nothing', () => {
    const { app } = testApp();
    addTracingAspect(app);
    expect(findings(app)).toEqual([]);
  });

  test('with excludeCdkInternalFunctions, it reports only the BucketDeployment function the aspect left out', () => {
    const { app } = testApp();
    addTracingAspect(app, { excludeCdkInternalFunctions: true });
    expect(findings(app)).toEqual([
      { rule: 'TracedLambda-ActiveTracing', severity: 'error', path: BUCKET_DEPLOYMENT },
      { rule: 'TracedLambda-XRayWriteAccess', severity: 'error', path: BUCKET_DEPLOYMENT },
    ]);
  });

  test('an acknowledged finding is not reported', () => {
    const { app, raw } = testApp();
    Validations.of(raw).acknowledge(
      { id: 'TracedLambda-ActiveTracing', reason: 'Raw is a health check; its traces are noise.' },
      { id: 'TracedLambda-XRayWriteAccess', reason: 'Not traced, so it sends no segments.' },
    );
    expect(findings(app).filter(f => f.path === 'Stack/Raw')).toEqual([]);
  });
});

describe('TracingChecks rules', () => {
  test('ruleIds is exactly the rules the pack applies, and each rule file is named by its id', () => {
    // GIVEN a pack whose applyRule records what it applies
    const pack = new TracingChecks();
    const applied = new Set<string>();
    const original = (pack as any).applyRule.bind(pack);
    (pack as any).applyRule = (params: any) => {
      applied.add(`TracedLambda-${params.ruleSuffixOverride ?? params.rule.name}`);
      return original(params);
    };
    const { app, stack } = newStack();
    pythonFunction(stack, 'Fn');

    // WHEN
    app.synth();
    pack.validateScope(app);

    // THEN
    expect([...applied].sort()).toEqual([...pack.ruleIds!].sort());
    const files = fs.readdirSync(path.join(__dirname, '..', '..', 'lib', 'nag', 'rules')).map(f => `TracedLambda-${path.parse(f).name}`);
    expect(files.sort()).toEqual([...pack.ruleIds!].sort());
  });

  test('TracingRuleId names exactly the pack\'s rules', () => {
    const ids = Object.values(TracingRuleId as unknown as Record<string, string>).filter(v => typeof v === 'string');

    expect(ids.sort()).toEqual([...new TracingChecks().ruleIds!].sort());
  });

  test('PassThrough is a warning (TracedLambda-PassThroughTracing), not an ActiveTracing error', () => {
    const { app, stack } = newStack();
    pythonFunction(stack, 'Fn', { tracing: lambda.Tracing.PASS_THROUGH });
    expect(findings(app)).toEqual([{ rule: 'TracedLambda-PassThroughTracing', severity: 'warning', path: 'Stack/Fn/Resource' }]);
  });

  test('on a real TracedFunction with the X-Ray SDK, XRaySdkEndOfSupport fires, and nothing else', () => {
    const { app, stack } = newStack();
    new TracedFunction(stack, 'Fn', {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: 'index.handler',
      code: lambda.Code.fromInline('def handler(e, c): pass'),
      instrumentation: Instrumentation.xraySdk(),
    });
    expect(findings(app)).toEqual([{ rule: 'TracedLambda-XRaySdkEndOfSupport', severity: 'warning', path: 'Stack/Fn/Resource' }]);
  });

  test('a second validateScope run sees changes made since the first (the per-run index is not kept)', () => {
    const { app, stack } = newStack();
    const fn = pythonFunction(stack, 'Fn', { tracing: lambda.Tracing.ACTIVE });
    const pack = new TracingChecks();
    expect(pack.validateScope(app).violations).toEqual([]);
    fn.role!.addToPrincipalPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['xray:*'], resources: ['*'] }));
    expect(pack.validateScope(app).violations.map(v => v.ruleName)).toEqual(['TracedLambda-XRayWriteAccess']);
  });

  test('a rule called on its own after a run sees changes made since (the run\'s indexes are dropped when it ends)', () => {
    const { app, stack } = newStack();
    const fn = pythonFunction(stack, 'Fn', { tracing: lambda.Tracing.ACTIVE });
    app.synth();
    expect(new TracingChecks().validateScope(app).violations).toEqual([]);
    fn.role!.addToPrincipalPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['xray:*'], resources: ['*'] }));
    expect(XRayWriteAccess(fn.node.defaultChild as CfnResource)).toBe(NagRuleCompliance.NON_COMPLIANT);
  });

  test('one run indexes each stack once, however many functions and rules look at it', () => {
    const app = new App();
    for (const name of ['One', 'Two']) {
      const stack = new Stack(app, name, { env: { account: '111111111111', region: 'eu-west-1' } });
      pythonFunction(stack, 'A', { tracing: lambda.Tracing.ACTIVE });
      pythonFunction(stack, 'B', { layers: [lambda.LayerVersion.fromLayerVersionArn(stack, 'L', 'arn:aws:lambda:eu-west-1:111111111111:layer:x:1')] });
    }
    app.synth();
    const build = jest.spyOn(StackIndex, 'build');
    try {
      new TracingChecks().validateScope(app);
      expect(build.mock.calls.map(([stack]) => stack.node.path).sort()).toEqual(['One', 'Two']);
    } finally {
      build.mockRestore();
    }
  });
});
