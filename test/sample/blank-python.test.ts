import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { normalizeAssetHashes, synthSampleApp } from './sample-app';
import { sharedWheelhouse, withSharedLayerCache } from './shared-sample';
import { TracingChecks } from '../../lib';

// Given the sample app (both stacks, as bin/app.ts adds them), synthesized offline from a wheelhouse made of
// this machine's wheels. Nothing here checks how the layer was built, so the wheelhouse and the layer cache are
// the run's shared ones (the first synth of the sample builds the layers, later ones reuse them).
let sample: ReturnType<typeof synthSampleApp>;
let xray: Template;
let otel: Template;

beforeAll(() => {
  const wheelhouse = sharedWheelhouse();
  sample = withSharedLayerCache('sample-app', (cacheDir) => synthSampleApp(wheelhouse, cacheDir));
  xray = Template.fromStack(sample.xray);
  otel = Template.fromStack(sample.otel);
});

afterAll(() => {
  delete process.env.CDK_TRACED_LAMBDA_CACHE_DIR;
  if (sample) fs.rmSync(sample.app.outdir, { recursive: true, force: true });
});

/** The files of the asset behind a resource of `stack` (its `aws:asset:path` metadata), from the synthesized app. */
function assetFiles(app: App, stack: Stack, type: string, subdir = ''): string[] {
  const assembly = app.synth();
  const resources = assembly.getStackByName(stack.stackName).template.Resources as Record<string, any>;
  const resource = Object.values(resources).find((r) => r.Type === type);
  return fs.readdirSync(path.join(assembly.directory, resource.Metadata['aws:asset:path'], subdir));
}

describe.each([
  ['BlankPython (X-Ray SDK)', () => xray, 'BlankPythonLib', 'python3.14'],
  // The newest runtime AWS's OpenTelemetry layer supports.
  ['BlankPythonOtel (OpenTelemetry)', () => otel, 'BlankPythonOtelLib', 'python3.14'],
])('%s: what both stacks share', (_name, template, layerId, runtime) => {
  test('the function has active tracing, runs on the layer\'s runtime and architecture, and uses the layer', () => {
    template().resourceCountIs('AWS::Lambda::Function', 1);
    template().hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      Runtime: runtime,
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 10,
      Layers: Match.arrayWith([{ Ref: Match.stringLikeRegexp(`^${layerId}[0-9A-F]{8}$`) }]),
    });
    template().hasResourceProperties('AWS::Lambda::LayerVersion', { CompatibleRuntimes: [runtime], CompatibleArchitectures: ['arm64'] });
  });

  test('the role carries the AWS managed X-Ray policy and nothing else managed', () => {
    template().hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSXRayDaemonWriteAccess']],
      }],
    });
  });

  test('the role\'s statements are exactly: write to its own log group, and lambda:GetAccountSettings', () => {
    template().resourceCountIs('AWS::IAM::Policy', 1);
    template().hasResourceProperties('AWS::IAM::Policy', {
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
    expect(JSON.stringify(template().findResources('AWS::IAM::Policy'))).not.toMatch(/xray:/);
  });

  test('the function waits for its role\'s policies (no PutTraceSegments race on first deploy)', () => {
    const fn = Object.values(template().findResources('AWS::Lambda::Function'))[0];
    const policyIds = Object.keys(template().findResources('AWS::IAM::Policy'));
    const roleIds = Object.keys(template().findResources('AWS::IAM::Role'));
    expect(fn.DependsOn).toEqual(expect.arrayContaining([...policyIds, ...roleIds]));
  });

  test('logs are kept for a month and outputs name the function and its traces', () => {
    template().hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template().hasOutput('FunctionName', { Value: { Ref: Match.stringLikeRegexp('^Function') } });
    expect(JSON.stringify(template().toJSON().Outputs.TracesUrl)).toMatch(/#xray:traces/);
  });
});

describe('BlankPython (X-Ray SDK)', () => {
  test('runs lambda_function.py with the X-Ray SDK and no OpenTelemetry layer or wrapper', () => {
    xray.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'lambda_function.lambda_handler',
      Layers: [{ Ref: Match.stringLikeRegexp('^BlankPythonLib') }],
      Environment: Match.absent(),
    });
    xray.hasResource('AWS::Lambda::Function', { Metadata: Match.objectLike({ 'cdk-traced-lambda:instrumentation': 'xray-sdk' }) });
    xray.hasResourceProperties('AWS::Lambda::LayerVersion', { LayerName: 'blank-python-lib' });
  });

  test('the layer asset holds aws_xray_sdk and jsonpickle under python/, and not boto3 or botocore', () => {
    const python = assetFiles(sample.app, sample.xray, 'AWS::Lambda::LayerVersion', 'python');
    expect(python).toEqual(expect.arrayContaining(['aws_xray_sdk', 'jsonpickle', 'wrapt']));
    expect(python).not.toContain('botocore');
    expect(python).not.toContain('bin'); // jmespath's console script goes with jmespath
    expect(python).not.toContain('boto3');
    expect(python.filter((f) => f === '__pycache__' || f.endsWith('.pyc'))).toEqual([]);
  });

  test('the function asset is function/ with the shared redaction module, without requirements files or the OTel handler', () => {
    expect(assetFiles(sample.app, sample.xray, 'AWS::Lambda::Function').sort()).toEqual(['lambda_function.py', 'redaction.py']);
  });

  test('the synthesized sample stack matches the snapshot (asset hashes normalized)', () => {
    expect(normalizeAssetHashes(xray.toJSON())).toMatchSnapshot();
  });
});

describe('BlankPythonOtel (OpenTelemetry)', () => {
  test('runs otel_function.py behind the OpenTelemetry wrapper, with the AWSOpenTelemetryDistroPython layer after its own', () => {
    otel.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'otel_function.lambda_handler',
      Environment: { Variables: Match.objectLike({ AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument' }) },
    });
    const fn = Object.values(otel.findResources('AWS::Lambda::Function'))[0];
    const layers: unknown[] = fn.Properties.Layers;
    expect(layers).toHaveLength(2);
    expect(layers[0]).toEqual({ Ref: expect.stringMatching(/^BlankPythonOtelLib/) });
    // A literal ARN, or (region-agnostic, with Instrumentation.openTelemetry()) a mapping of them: all AWSOpenTelemetryDistroPython.
    const arns = layerArnsOf(layers[1], otel.toJSON().Mappings ?? {});
    expect(arns.length).toBeGreaterThan(0);
    for (const arn of arns) expect(arn).toMatch(/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:AWSOpenTelemetryDistroPython:\d+$/);
  });

  test('its own layer holds jsonpickle only: no X-Ray SDK, no OpenTelemetry, nothing the runtime provides', () => {
    otel.hasResourceProperties('AWS::Lambda::LayerVersion', { LayerName: 'blank-python-otel-lib' });
    const python = assetFiles(sample.app, sample.otel, 'AWS::Lambda::LayerVersion', 'python');
    expect(python).toContain('jsonpickle');
    expect(python.filter((f) => /^(aws_xray_sdk|opentelemetry|wrapt|boto3|botocore)([-_.]|$)/.test(f))).toEqual([]);
  });

  test('the function asset is function/ with the shared redaction module, without requirements files or the X-Ray handler', () => {
    expect(assetFiles(sample.app, sample.otel, 'AWS::Lambda::Function').sort()).toEqual(['otel_function.py', 'redaction.py']);
  });

  test('the synthesized OpenTelemetry sample stack matches the snapshot (asset hashes normalized)', () => {
    expect(normalizeAssetHashes(otel.toJSON())).toMatchSnapshot();
  });
});

/**
 * The layer ARNs a `Layers` entry stands for: the string itself, or, for an `Fn::Join` of `Ref`s and
 * `Fn::FindInMap`s keyed by `AWS::Region`, the ARN it resolves to in every region of the mapping.
 */
function layerArnsOf(entry: unknown, mappings: Record<string, Record<string, Record<string, string | number>>>): string[] {
  if (typeof entry === 'string') return [entry];
  const join = (entry as any)?.['Fn::Join'];
  if (!join || join[0] !== '') throw new Error(`unexpected layer entry ${JSON.stringify(entry)}`);
  const parts: unknown[] = join[1];
  const mapNames = new Set(parts.map((p: any) => p?.['Fn::FindInMap']?.[0]).filter((n) => n !== undefined));
  expect(mapNames.size).toBe(1);
  const [mapName] = [...mapNames] as string[];
  return Object.entries(mappings[mapName]).map(([region, row]) => parts.map((p: any) => {
    if (typeof p === 'string') return p;
    if (p?.Ref === 'AWS::Partition') return 'aws';
    if (p?.Ref === 'AWS::Region') return region;
    if (p?.['Fn::FindInMap']) return String(row[p['Fn::FindInMap'][2]]);
    throw new Error(`unexpected part ${JSON.stringify(p)}`);
  }).join(''));
}

describe('the whole sample app', () => {
  test('the nag packs report nothing that is not acknowledged', () => {
    for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks(), new TracingChecks()]) {
      const report = pack.validateScope(sample.app);
      expect(report.violations).toEqual([]);
      expect(report.success).toBe(true);
    }
  });

  test('synthesis leaves no warnings or errors', () => {
    for (const stack of [sample.xray, sample.otel]) {
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
      Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    }
  });
});
