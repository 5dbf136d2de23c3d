import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FIXTURES, migrate, migrateJson, sites } from './helpers';
import { Instrumentation, OpenTelemetryWrapper, TracedFunction } from '../../../lib';
import { REPLACEMENTS } from '../../../tool/migrate/replacements';
import { FunctionMigration, MigrationReport } from '../../../tool/migrate/types';

// Given an app whose functions use the OpenTelemetry layer in different releases and modes, and one still on the X-Ray SDK
let outdir: string;
let report: MigrationReport;
const DOCUMENTED_RELEASE = OpenTelemetryWrapper.releaseOfLayerVersion()!;
const NEWEST_RELEASE = OpenTelemetryWrapper.releases().slice(-1)[0];

beforeAll(async () => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-story-'));
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
  const regional = new Stack(app, 'Regional', { env: { region: 'us-east-1' } });
  const python = lambda.Runtime.PYTHON_3_12;
  const code = lambda.Code.fromAsset(path.join(FIXTURES, 'through-attributes'));
  new TracedFunction(regional, 'FastStart', {
    code,
    handler: 'handler.lambda_handler',
    runtime: python,
    instrumentation: Instrumentation.openTelemetry({ fastStart: true, layerVersion: 999, instrumentations: { disable: ['urllib3'] } }),
  });
  new TracedFunction(regional, 'Requests', {
    code,
    handler: 'handler.lambda_handler',
    runtime: python,
    instrumentation: Instrumentation.openTelemetry({ instrumentations: { enable: ['requests'] } }),
  });
  const agnostic = new Stack(app, 'Agnostic');
  new TracedFunction(agnostic, 'XRay', {
    code: lambda.Code.fromAsset(path.join(FIXTURES, 'blank-python')),
    handler: 'lambda_function.lambda_handler',
    runtime: python,
    instrumentation: Instrumentation.xraySdk(),
  });
  app.synth();
  report = await migrateJson('--app', outdir);
});

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

function fn(prefix: string): FunctionMigration {
  return report.functions.find((f) => f.constructPath.startsWith(prefix))!;
}

test('a fast start function: the lite SDK\'s list minus its own variable; a bare layerVersion read as the newest release', () => {
  expect(fn('Regional/FastStart/').openTelemetryLayer).toEqual({ release: NEWEST_RELEASE, releaseKnown: false, fastStart: true, loaded: ['botocore', 'requests'] });
});

test('a function that enables requests: the documented release (read from its layer ARN), full mode, requests loaded', () => {
  const layer = fn('Regional/Requests/').openTelemetryLayer;
  expect(layer).toMatchObject({ release: DOCUMENTED_RELEASE, releaseKnown: true, fastStart: false });
  expect(layer.loaded).toEqual(expect.arrayContaining(['botocore', 'requests', 'urllib3']));
});

test('an X-Ray SDK function is told what openTelemetry() as it comes instruments: requests stays off', () => {
  const xray = fn('Agnostic/XRay/');
  expect(xray.openTelemetryLayer).toEqual({
    release: DOCUMENTED_RELEASE, releaseKnown: true, fastStart: false, loaded: OpenTelemetryWrapper.loadedInstrumentations(),
  });
  expect(xray.openTelemetryLayer.loaded).not.toContain('requests');
  const patchAll = xray.uses.find((u) => u.kind === 'patch_all')!;
  expect(patchAll.replacement).toContain(`instruments ${xray.openTelemetryLayer.loaded.join(', ')};`);
});

test('trace entities reached through other objects: a context, self.<attr>, another module\'s names', () => {
  expect(sites(fn('Regional/FastStart/').uses)).toEqual([
    'handler.py:2 import',
    'handler.py:3 import',
    'handler.py:12 begin_segment', // self.recorder.begin_segment
    'handler.py:13 trace_entity', // self.ctx.set_trace_entity
    'handler.py:14 trace_entity', // self.ctx.get_trace_entity
    'handler.py:17 other', // LambdaContext()
    'handler.py:18 trace_entity', // ctx.put_subsegment
    'handler.py:19 trace_entity', // xray_recorder.context.clear_trace_entities
    'handler.py:20 begin_segment', // tracing.recorder.begin_segment
    'handler.py:21 trace_entity', // tracing.context.set_trace_entity
    'handler.py:22 trace_entity', // xray_recorder.set_trace_entity
    'handler.py:25 capture',
    'handler.py:30 capture',
    'tracing.py:1 import',
  ]);
  expect(fn('Regional/FastStart/').uses.find((u) => u.kind === 'trace_entity')!.replacement).toBe(REPLACEMENTS.trace_entity.replacement);
});

test('@xray_recorder.capture on the handler gets the advice of Powertools\' capture_lambda_handler; on another function, a span', () => {
  const uses = fn('Regional/FastStart/').uses;
  const onHandler = uses.find((u) => u.line === 25)!;
  const onHelper = uses.find((u) => u.line === 30)!;
  expect(onHandler.decorates).toBe('lambda_handler');
  expect(onHandler.replacement).toBe(REPLACEMENTS.powertools_capture_lambda_handler.replacement);
  expect(onHelper.decorates).toBe('helper');
  expect(onHelper.replacement).toBe(REPLACEMENTS.capture.replacement);
  expect(REPLACEMENTS.capture.replacement).toContain(REPLACEMENTS.powertools_capture_lambda_handler.replacement);
});

test('an OpenTelemetry function that still uses the X-Ray SDK: the same trace, recorded twice (as local trace shows)', () => {
  const steps = fn('Regional/FastStart/').nextSteps;
  expect(steps[0]).toContain('same trace');
  expect(steps[0]).not.toMatch(/separate/);
});

test('the text report names what the layer instruments per function', async () => {
  const run = await migrate('--app', outdir, '--function', 'FastStart');
  expect(run.stdout).toContain(`  the OpenTelemetry layer instruments: botocore, requests (AWSOpenTelemetryDistroPython release unknown, read as ${NEWEST_RELEASE}, fast start)`);
});
