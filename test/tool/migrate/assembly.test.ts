import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { expectUsageError, FIXTURES, migrate, migrateJson, sites } from './helpers';
import { Instrumentation, TracedFunction } from '../../../lib';
import { InstrumentationName, TracingContract } from '../../../lib/contract';
import { ToolErrorId } from '../../../tool/common/errors';
import { FunctionMigration, MigrationReport } from '../../../tool/migrate/types';

// Given an app with Python functions of every kind (synthesized the way `cdk synth` does: asset metadata on)
let outdir: string;
let report: MigrationReport;
const python = lambda.Runtime.PYTHON_3_12;

function fixture(name: string): lambda.Code {
  return lambda.Code.fromAsset(path.join(FIXTURES, name));
}

function markInstrumentation(target: lambda.Function, name: string): void {
  (target.node.defaultChild as lambda.CfnFunction).addMetadata(TracingContract.INSTRUMENTATION_METADATA_KEY, name);
}

beforeAll(async () => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-app-'));
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'MigrateTest');
  const layer = new lambda.LayerVersion(stack, 'XRayLayer', { code: fixture('xray-layer') });
  new TracedFunction(stack, 'XRayFunction', {
    code: fixture('blank-python'),
    handler: 'lambda_function.lambda_handler',
    runtime: python,
    layers: [layer],
    instrumentation: Instrumentation.xraySdk(),
  });
  const otel = new lambda.Function(stack, 'OtelFunction', {
    code: fixture('otel-function'),
    handler: 'index.handler',
    runtime: python,
    layers: [lambda.LayerVersion.fromLayerVersionArn(stack, 'Imported', 'arn:aws:lambda:us-east-1:123456789012:layer:otel:1')],
  });
  markInstrumentation(otel, InstrumentationName.OPEN_TELEMETRY);
  markInstrumentation(new lambda.Function(stack, 'VendoredFunction', { code: fixture('vendored'), handler: 'index.handler', runtime: python }),
    InstrumentationName.POWERTOOLS);
  new lambda.Function(stack, 'InlineFunction', {
    code: lambda.Code.fromInline('from aws_xray_sdk.core import patch_all\npatch_all()\n\ndef handler(event, context):\n    return 1\n'),
    handler: 'index.handler',
    runtime: python,
  });
  new lambda.Function(stack, 'NodeFunction', { code: lambda.Code.fromInline('exports.handler = async () => 1;'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
  app.synth();
  report = await migrateJson('--app', outdir);
});

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

function fn(id: string): FunctionMigration {
  const found = report.functions.find((f) => f.constructPath.startsWith(`MigrateTest/${id}/`));
  if (!found) throw new Error(`no ${id} in ${report.functions.map((f) => f.constructPath).join(', ')}`);
  return found;
}

test('reports every Python function of the assembly, and no other', () => {
  expect(report.input).toEqual({ kind: 'assembly', path: outdir });
  expect(report.functions.map((f) => f.constructPath)).toEqual([
    'MigrateTest/XRayFunction/Resource',
    'MigrateTest/OtelFunction/Resource',
    'MigrateTest/VendoredFunction/Resource',
    'MigrateTest/InlineFunction/Resource',
  ]);
});

test('an X-Ray SDK function: its uses, the aws-xray-sdk of its layer, and the switch to openTelemetry()', () => {
  const xray = fn('XRayFunction');
  expect(xray.instrumentation).toBe(InstrumentationName.XRAY_SDK);
  expect(sites(xray.uses)).toEqual(['lambda_function.py:12 import', 'lambda_function.py:13 import', 'lambda_function.py:17 patch_all']);
  expect(xray.callSites).toBe(1);
  // the layer's aws_xray_sdk (found by its dist-info) and the code asset's requirements.txt
  expect(xray.removablePackages).toEqual([
    expect.objectContaining({ name: 'aws-xray-sdk', location: 'code', note: 'listed in requirements.txt: remove the line' }),
    expect.objectContaining({ name: 'aws-xray-sdk', version: '2.15.0', location: 'layer MigrateTest/XRayLayer/Resource' }),
  ]);
  expect(xray.removablePackages[1].path).toMatch(/asset\.[0-9a-f]{64}[/\\]python$/);
  expect(xray.nextSteps[0]).toBe('Set `instrumentation: Instrumentation.openTelemetry()` on the TracedFunction (it is Instrumentation.xraySdk()).');
  expect(xray.nextSteps).toContain('Replace the X-Ray SDK call sites (1 in 1 file) by their OpenTelemetry replacements, listed with the uses, and remove the imports.');
  expect(xray.nextSteps).toContain('Drop aws-xray-sdk from the requirements of layer MigrateTest/XRayLayer/Resource (the layer stays for its other packages).');
});

test('an OpenTelemetry function has nothing to migrate; a layer that is not an asset is noted', () => {
  const otel = fn('OtelFunction');
  expect(otel.instrumentation).toBe(InstrumentationName.OPEN_TELEMETRY);
  expect(otel.uses).toEqual([]);
  expect(otel.removablePackages).toEqual([]);
  expect(otel.nextSteps).toEqual(['Nothing to migrate: no X-Ray SDK use and no X-Ray SDK package.']);
  expect(otel.notes).toEqual([expect.stringMatching(/^Layer 1 .*arn:aws:lambda:us-east-1:123456789012:layer:otel:1.*not inspected\.$/)]);
});

test('a function bundling aws-xray-sdk in its code; inline code analyzed as index.py', () => {
  const vendored = fn('VendoredFunction');
  expect(vendored.instrumentation).toBe(InstrumentationName.POWERTOOLS);
  expect(sites(vendored.uses)).toEqual(['index.py:2 import', 'index.py:6 put_annotation']);
  expect(vendored.removablePackages).toEqual([expect.objectContaining({ name: 'aws-xray-sdk', version: '2.15.0', location: 'code' })]);
  expect(vendored.nextSteps).toContain('Stop bundling aws-xray-sdk with the function code.');

  const inline = fn('InlineFunction');
  expect(inline.instrumentation).toBeNull();
  expect(inline.codeDir).toBe('(inline code)');
  expect(sites(inline.uses)).toEqual(['index.py:1 import', 'index.py:2 patch_all']);
  expect(inline.nextSteps[0]).toBe('Use a TracedFunction with `instrumentation: Instrumentation.openTelemetry()` (this function is not a TracedFunction).');
});

test('--function keeps the functions whose path or logical id contains the text', async () => {
  const only = await migrateJson('--app', outdir, '--function', 'xrayfunction');
  expect(only.functions.map((f) => f.logicalId)).toEqual([expect.stringMatching(/^XRayFunction/)]);
  expect(only.totals).toMatchObject({ uses: 3, callSites: 1, removablePackages: 2 });
});

test('the text report shows instrumentation, uses, packages and numbered next steps per function', async () => {
  const run = await migrate('--app', outdir, '--function', 'XRayFunction');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('MigrateTest/XRayFunction/Resource  (python3.12, lambda_function.lambda_handler)\n  instrumentation: xray-sdk\n');
  expect(run.stdout).toMatch(/^ {4}lambda_function\.py:17 +patch_all +patch_all\(\)$/m);
  expect(run.stdout).toMatch(/^ {4}aws-xray-sdk 2\.15\.0 in layer MigrateTest\/XRayLayer\/Resource \(.*python\)$/m);
  expect(run.stdout).toMatch(/^ {4}1\. Set `instrumentation: Instrumentation\.openTelemetry\(\)`/m);
});

test('--function that matches no Python function exits 2, naming the app\'s functions', async () => {
  // (The other usage errors, which need no app: errors.test.ts.)
  const run = await migrate('--app', outdir, '--function', 'nope');
  expectUsageError(run, ToolErrorId.FUNCTION_NOT_SELECTED, '"nope"', 'MigrateTest/XRayFunction/Resource', 'MigrateTest/OtelFunction/Resource',
    'MigrateTest/VendoredFunction/Resource', 'MigrateTest/InlineFunction/Resource');
});
