import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { makeWheelhouse, normalizeAssetHashes, synthSample } from './sample-app';
import { TracingChecks } from '../../lib';

// Given the sample app, synthesized offline from a wheelhouse made of this machine's wheels
let wheelhouse: string;
let cacheDir: string;
let sample: ReturnType<typeof synthSample>;
let template: Template;

beforeAll(() => {
  wheelhouse = makeWheelhouse();
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sample-cache-'));
  sample = synthSample(wheelhouse, cacheDir);
  template = Template.fromStack(sample.stack);
});

afterAll(() => {
  delete process.env.CDK_TRACED_LAMBDA_CACHE_DIR;
  for (const dir of [wheelhouse, cacheDir, sample.app.outdir]) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the function has active tracing, runs on the layer\'s runtime and architecture, and uses the layer', () => {
  template.resourceCountIs('AWS::Lambda::Function', 1);
  template.hasResourceProperties('AWS::Lambda::Function', {
    TracingConfig: { Mode: 'Active' },
    Runtime: 'python3.15',
    Architectures: ['arm64'],
    Handler: 'lambda_function.lambda_handler',
    MemorySize: 256,
    Timeout: 10,
    Layers: [{ Ref: Match.stringLikeRegexp('^BlankPythonLib') }],
  });
  template.hasResourceProperties('AWS::Lambda::LayerVersion', {
    LayerName: 'blank-python-lib',
    CompatibleRuntimes: ['python3.15'],
    CompatibleArchitectures: ['arm64'],
  });
});

test('the role carries the AWS managed X-Ray policy and nothing else managed', () => {
  template.hasResourceProperties('AWS::IAM::Role', {
    ManagedPolicyArns: [{
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSXRayDaemonWriteAccess']],
    }],
  });
});

test('the role\'s statements are exactly: write to its own log group, and lambda:GetAccountSettings', () => {
  template.resourceCountIs('AWS::IAM::Policy', 1);
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: [
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FunctionLogs'), 'Arn'] },
        },
        { Sid: 'GetAccountSettings', Effect: 'Allow', Action: 'lambda:GetAccountSettings', Resource: '*' },
      ],
    },
  });
  // Exactly one X-Ray grant: the managed policy, never also aws-cdk-lib's inline xray statement.
  expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toMatch(/xray:/);
});

test('the function waits for its role\'s policies (no PutTraceSegments race on first deploy)', () => {
  const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
  const policyIds = Object.keys(template.findResources('AWS::IAM::Policy'));
  const roleIds = Object.keys(template.findResources('AWS::IAM::Role'));
  expect(fn.DependsOn).toEqual(expect.arrayContaining([...policyIds, ...roleIds]));
});

test('logs are kept for a month and outputs name the function and its traces', () => {
  template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  template.hasOutput('FunctionName', { Value: { Ref: Match.stringLikeRegexp('^Function') } });
  template.hasOutput('TracesUrl', {
    Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^https://')])] },
  });
  expect(JSON.stringify(template.toJSON().Outputs.TracesUrl)).toMatch(/#xray:traces/);
});

test('the nag packs report nothing that is not acknowledged', () => {
  for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks(), new TracingChecks()]) {
    const report = pack.validateScope(sample.app);
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  }
});

test('synthesis leaves no warnings or errors', () => {
  Annotations.fromStack(sample.stack).hasNoWarning('*', Match.anyValue());
  Annotations.fromStack(sample.stack).hasNoError('*', Match.anyValue());
});

test('the layer asset holds aws_xray_sdk and jsonpickle under python/, and not boto3 or botocore', () => {
  const assembly = sample.app.synth();
  const stackArtifact = assembly.getStackByName(sample.stack.stackName);
  const layer = Object.values(stackArtifact.template.Resources as Record<string, any>)
    .find((r) => r.Type === 'AWS::Lambda::LayerVersion');
  const assetDir = path.join(assembly.directory, layer.Metadata['aws:asset:path']);
  const python = fs.readdirSync(path.join(assetDir, 'python'));
  expect(python).toEqual(expect.arrayContaining(['aws_xray_sdk', 'jsonpickle', 'wrapt']));
  expect(python).not.toContain('botocore');
  expect(python).not.toContain('bin'); // jmespath's console script goes with jmespath
  expect(python).not.toContain('boto3');
  expect(python.filter((f) => f === '__pycache__' || f.endsWith('.pyc'))).toEqual([]);
});

test('the function asset is function/ with the shared redaction module, without requirements files or the OTel handler', () => {
  const assembly = sample.app.synth();
  const stackArtifact = assembly.getStackByName(sample.stack.stackName);
  const fn = Object.values(stackArtifact.template.Resources as Record<string, any>)
    .find((r) => r.Type === 'AWS::Lambda::Function');
  const files = fs.readdirSync(path.join(assembly.directory, fn.Metadata['aws:asset:path']));
  expect(files.sort()).toEqual(['lambda_function.py', 'redaction.py']);
});

test('the synthesized sample stack matches the snapshot (asset hashes normalized)', () => {
  expect(normalizeAssetHashes(template.toJSON())).toMatchSnapshot();
});
