import { App, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { annotationIds, annotations } from './annotations';
import { AnnotationId, ErrorId, TracingAccountSetup, TracingAccountSetupProps } from '../../lib';
import { expectErrorId } from '../helpers/errors';

const ENV = { account: '111122223333', region: 'eu-west-1' };

/** A stack for ENV (or environment-agnostic) holding one TracingAccountSetup. */
function synth(props?: TracingAccountSetupProps, env: 'agnostic' | typeof ENV = ENV) {
  const stack = new Stack(new App(), 'Observability', { env: env === 'agnostic' ? undefined : env });
  const setup = new TracingAccountSetup(stack, 'Tracing', props);
  return { stack, setup, template: Template.fromStack(stack) };
}

function logicalIdOf(stack: Stack, c: { node: { defaultChild?: unknown } } | undefined): string {
  const child = (c as any)?.node?.defaultChild ?? c;
  return stack.getLogicalId(child);
}

/** The resource policy's document as an object (`Fn::Join` parts with pseudo parameters become `${Name}`). */
function policyDocument(template: Template): any {
  const policies = Object.values(template.findResources('AWS::Logs::ResourcePolicy'));
  expect(policies).toHaveLength(1);
  const doc = policies[0].Properties.PolicyDocument;
  if (typeof doc === 'string') return JSON.parse(doc);
  const [sep, parts] = doc['Fn::Join'];
  return JSON.parse(parts.map((p: any) => (typeof p === 'string' ? p : `\${${p.Ref}}`)).join(sep));
}

describe('with every part (the defaults)', () => {
  test('creates the resource policy and Transaction Search indexing 1% of spans, and no discovery', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::Logs::ResourcePolicy', 1);
    template.hasResourceProperties('AWS::Logs::ResourcePolicy', { PolicyName: 'TransactionSearchAccess' });
    template.resourceCountIs('AWS::XRay::TransactionSearchConfig', 1);
    template.hasResourceProperties('AWS::XRay::TransactionSearchConfig', { IndexingPercentage: 1 });
    template.resourceCountIs('AWS::ApplicationSignals::Discovery', 0);
  });

  test('the Transaction Search configuration depends on the resource policy (created first)', () => {
    const { stack, setup, template } = synth();
    const configs = template.findResources('AWS::XRay::TransactionSearchConfig');
    const policyId = logicalIdOf(stack, setup.resourcePolicy);
    expect(Object.keys(template.findResources('AWS::Logs::ResourcePolicy'))).toEqual([policyId]);
    expect(Object.values(configs)[0].DependsOn).toEqual([policyId]);
  });

  test('the policy lets only X-Ray, for this account, put log events into aws/spans and /aws/application-signals/data', () => {
    const { template } = synth();
    expect(policyDocument(template)).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'TransactionSearchXRayAccess',
        Effect: 'Allow',
        Principal: { Service: 'xray.amazonaws.com' },
        Action: 'logs:PutLogEvents',
        Resource: [
          'arn:${AWS::Partition}:logs:eu-west-1:111122223333:log-group:aws/spans:*',
          'arn:${AWS::Partition}:logs:eu-west-1:111122223333:log-group:/aws/application-signals/data:*',
        ],
        Condition: {
          ArnLike: { 'aws:SourceArn': 'arn:${AWS::Partition}:xray:eu-west-1:111122223333:*' },
          StringEquals: { 'aws:SourceAccount': '111122223333' },
        },
      }],
    });
  });

  test('in an environment-agnostic stack the ARNs use the partition, region and account of the deployment', () => {
    const { template } = synth({}, 'agnostic');
    const statement = policyDocument(template).Statement[0];
    expect(statement.Resource).toEqual([
      'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:aws/spans:*',
      'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/application-signals/data:*',
    ]);
    expect(statement.Condition).toEqual({
      ArnLike: { 'aws:SourceArn': 'arn:${AWS::Partition}:xray:${AWS::Region}:${AWS::AccountId}:*' },
      StringEquals: { 'aws:SourceAccount': '${AWS::AccountId}' },
    });
  });

  test('takes another indexing percentage (0, a fraction and 100 are valid) and policy name', () => {
    for (const pct of [0, 2.5, 100]) {
      synth({ indexingPercentage: pct }).template.hasResourceProperties('AWS::XRay::TransactionSearchConfig', { IndexingPercentage: pct });
    }
    synth({ logResourcePolicyName: 'team/xray-spans' }).template
      .hasResourceProperties('AWS::Logs::ResourcePolicy', { PolicyName: 'team/xray-spans' });
  });

  test.each(['a', 'x'.repeat(255)])('a policy name of 1 or 255 characters is valid (%#)', (name) => {
    synth({ logResourcePolicyName: name }).template.hasResourceProperties('AWS::Logs::ResourcePolicy', { PolicyName: name });
  });

  test('passes an unresolved indexing percentage through for CloudFormation to check', () => {
    const stack = new Stack(new App(), 'S');
    const pct = Token.asNumber({ Ref: 'IndexingPercentage' });
    new TracingAccountSetup(stack, 'Tracing', { indexingPercentage: pct });
    Template.fromStack(stack).hasResourceProperties('AWS::XRay::TransactionSearchConfig', {
      IndexingPercentage: { Ref: 'IndexingPercentage' },
    });
  });
});

describe('skipping parts the account already has', () => {
  test('transactionSearch: false keeps the resource policy only', () => {
    const { setup, template } = synth({ transactionSearch: false });
    template.resourceCountIs('AWS::XRay::TransactionSearchConfig', 0);
    template.resourceCountIs('AWS::Logs::ResourcePolicy', 1);
    expect(setup.transactionSearchConfig).toBeUndefined();
  });

  test('logResourcePolicy: false creates Transaction Search with no dependency', () => {
    const { setup, template } = synth({ logResourcePolicy: false });
    template.resourceCountIs('AWS::Logs::ResourcePolicy', 0);
    const config = Object.values(template.findResources('AWS::XRay::TransactionSearchConfig'));
    expect(config).toHaveLength(1);
    expect(config[0].DependsOn).toBeUndefined();
    expect(setup.resourcePolicy).toBeUndefined();
  });

  test('applicationSignalsDiscovery: true adds the discovery resource beside the other two', () => {
    const { setup, template } = synth({ applicationSignalsDiscovery: true });
    template.resourceCountIs('AWS::ApplicationSignals::Discovery', 1);
    template.resourceCountIs('AWS::XRay::TransactionSearchConfig', 1);
    template.resourceCountIs('AWS::Logs::ResourcePolicy', 1);
    expect(setup.discovery).toBeDefined();
  });

  test('discovery alone, where the account already has Transaction Search', () => {
    const { template } = synth({ transactionSearch: false, logResourcePolicy: false, applicationSignalsDiscovery: true });
    expect(Object.values(template.toJSON().Resources).map((r: any) => r.Type)).toEqual(['AWS::ApplicationSignals::Discovery']);
  });

  test('two setups for different regions of one app are fine', () => {
    const app = new App();
    for (const region of ['eu-west-1', 'us-east-1']) {
      new TracingAccountSetup(new Stack(app, `Obs-${region}`, { env: { account: ENV.account, region } }), 'Tracing');
    }
    expect(() => app.synth()).not.toThrow();
  });
});

describe('bad input', () => {
  test.each([
    [-1, '-1'], [100.5, '100.5'], [Number.NaN, 'NaN'], [Number.POSITIVE_INFINITY, 'Infinity'],
  ])('fails when indexingPercentage is %p', (pct, shown) => {
    expectErrorId(() => synth({ indexingPercentage: pct }), ErrorId.INDEXING_PERCENTAGE_INVALID,
      /^Observability\/Tracing: /, 'indexingPercentage', `received ${shown}.`);
  });

  test('fails when indexingPercentage is not a number (from an untyped caller)', () => {
    expectErrorId(() => synth({ indexingPercentage: '10' as unknown as number }), ErrorId.INDEXING_PERCENTAGE_INVALID,
      /^Observability\/Tracing: /, 'indexingPercentage', 'received "10"');
  });

  test('fails when indexingPercentage is given with transactionSearch: false', () => {
    expectErrorId(() => synth({ transactionSearch: false, indexingPercentage: 5 }), ErrorId.ACCOUNT_SETUP_OPTION_UNUSED,
      /^Observability\/Tracing: /, 'indexingPercentage (received 5)', 'transactionSearch is false');
  });

  test('fails when logResourcePolicyName is given with logResourcePolicy: false', () => {
    expectErrorId(() => synth({ logResourcePolicy: false, logResourcePolicyName: 'x' }), ErrorId.ACCOUNT_SETUP_OPTION_UNUSED,
      /^Observability\/Tracing: /, "logResourcePolicyName (received 'x')", 'logResourcePolicy is false');
  });

  test.each(['', 'a:b', 'a*', '/lead', 'trail/', 'dou//ble', 'x'.repeat(256)])('fails when logResourcePolicyName is %p', (name) => {
    expectErrorId(() => synth({ logResourcePolicyName: name }), ErrorId.LOG_RESOURCE_POLICY_NAME_INVALID,
      /^Observability\/Tracing: /, 'logResourcePolicyName', `received ${JSON.stringify(name)}`);
  });

  test('a long invalid policy name is rejected quickly (no regular-expression backtracking)', () => {
    const started = Date.now();
    expectErrorId(() => synth({ logResourcePolicyName: `${'a'.repeat(250)}:` }), ErrorId.LOG_RESOURCE_POLICY_NAME_INVALID);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('fails when every part is turned off', () => {
    expectErrorId(() => synth({ transactionSearch: false, logResourcePolicy: false }), ErrorId.ACCOUNT_SETUP_EMPTY,
      /^Observability\/Tracing: /, 'transactionSearch: false', 'logResourcePolicy: false', 'applicationSignalsDiscovery');
  });

  test('fails when two setups target the same account and region', () => {
    const app = new App();
    new TracingAccountSetup(new Stack(app, 'A', { env: ENV }), 'Tracing');
    new TracingAccountSetup(new Stack(app, 'B', { env: ENV }), 'Tracing');
    expectErrorId(() => app.synth(), ErrorId.ACCOUNT_SETUP_DUPLICATE, /^A\/Tracing: /,
      "the CloudWatch Logs resource policy 'TransactionSearchAccess', Transaction Search", 'account 111122223333 in eu-west-1', 'B/Tracing');
  });

  test('two setups for the same account and region are fine when they create different parts', () => {
    const app = new App();
    new TracingAccountSetup(new Stack(app, 'A', { env: ENV }), 'Tracing');
    new TracingAccountSetup(new Stack(app, 'B', { env: ENV }), 'Tracing', {
      transactionSearch: false, logResourcePolicyName: 'OtherTeamSpans', applicationSignalsDiscovery: true,
    });
    expect(() => app.synth()).not.toThrow();
  });

  test('fails when a second setup in the same account and region also enables Application Signals discovery', () => {
    const app = new App();
    new TracingAccountSetup(new Stack(app, 'A', { env: ENV }), 'Tracing', { applicationSignalsDiscovery: true });
    new TracingAccountSetup(new Stack(app, 'B', { env: ENV }), 'Tracing', {
      transactionSearch: false, logResourcePolicy: false, applicationSignalsDiscovery: true,
    });
    const error = expectErrorId(() => app.synth(), ErrorId.ACCOUNT_SETUP_DUPLICATE, /^A\/Tracing: /,
      'Application Signals discovery', 'account 111122223333 in eu-west-1', 'B/Tracing');
    // Only the part both create is named.
    expect(error.message).not.toContain('Transaction Search');
  });
});

describe('two setups whose account or region is not fixed', () => {
  /** Two stacks A and B of one app, each with a TracingAccountSetup, synthesized. */
  function twoSetups(envA?: { account?: string; region?: string }, envB?: { account?: string; region?: string }, propsB?: TracingAccountSetupProps) {
    const app = new App();
    const a = new Stack(app, 'A', { env: envA });
    const b = new Stack(app, 'B', { env: envB });
    new TracingAccountSetup(a, 'Tracing');
    new TracingAccountSetup(b, 'Tracing', propsB);
    app.synth();
    return { app, a, b };
  }

  const mayConflict = (stack: Stack) => annotations(stack, 'warning').filter(w => w.id === AnnotationId.ACCOUNT_SETUP_MAY_CONFLICT);

  test.each([
    ['both environment-agnostic', undefined, undefined],
    ['one fixed, one not', ENV, undefined],
    ['the same account, one region not fixed', { account: ENV.account }, ENV],
    ['the same region, one account not fixed', { region: ENV.region }, ENV],
  ])('warn by id that both may deploy to the same account and region (%s), on the later one, naming the other', (_name, envA, envB) => {
    const { a, b } = twoSetups(envA, envB);

    expect(annotationIds(b, 'warning')).toEqual([`/B/Tracing ${AnnotationId.ACCOUNT_SETUP_MAY_CONFLICT}`]);
    const [warning] = mayConflict(b);
    for (const named of ['A/Tracing', "the CloudWatch Logs resource policy 'TransactionSearchAccess', Transaction Search", 'not fixed']) {
      expect(warning.message).toContain(named);
    }
    expect(mayConflict(a)).toEqual([]);
  });

  test.each([
    ['different fixed accounts and regions', ENV, { account: '444455556666', region: 'us-east-1' }],
    ['different fixed regions, accounts not fixed', { region: 'eu-west-1' }, { region: 'us-east-1' }],
    ['different fixed accounts, regions not fixed', { account: ENV.account }, { account: '444455556666' }],
  ])('do not warn when a fixed account or region differs (%s)', (_name, envA, envB) => {
    const { a, b } = twoSetups(envA, envB);

    expect([...mayConflict(a), ...mayConflict(b)]).toEqual([]);
  });

  test('the warning names each stack with the account and region it fixes, and which of them are not fixed', () => {
    const { b } = twoSetups({ account: ENV.account }, ENV);

    const [warning] = mayConflict(b);
    const stacks = warning.message.match(/stack '[^']+' \([^)]*\)/g);
    expect(stacks).toHaveLength(2);
    const [later, earlier] = stacks!;
    for (const named of ["'B'", `account ${ENV.account}`, `region ${ENV.region}`]) expect(later).toContain(named);
    for (const named of ["'A'", `account ${ENV.account}`, 'region not fixed']) expect(earlier).toContain(named);
    expect(earlier).not.toContain('account not fixed');
  });

  test('do not warn when the two create different parts', () => {
    const { a, b } = twoSetups(undefined, undefined, { transactionSearch: false, logResourcePolicy: false, applicationSignalsDiscovery: true });

    expect([...mayConflict(a), ...mayConflict(b)]).toEqual([]);
  });

  test('warn once, however often the app is synthesized', () => {
    const { app, b } = twoSetups();

    app.synth({ force: true });

    expect(mayConflict(b)).toHaveLength(1);
  });
});
