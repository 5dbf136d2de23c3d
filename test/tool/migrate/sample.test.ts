import * as fs from 'fs';
import * as path from 'path';
import { migrate, migrateJson, sites } from './helpers';
import { InstrumentationName } from '../../../lib/contract';
import { MigrationReport } from '../../../tool/migrate/types';
import { synthSample } from '../../sample/sample-app';
import { sharedWheelhouse, withSharedLayerCache } from '../../sample/shared-sample';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('the sample function\'s source (function/)', () => {
  test('lists its patch_all import and call, and aws-xray-sdk in its requirements.txt', async () => {
    const dir = (await migrateJson(path.join(ROOT, 'function'))).directory!;
    // The folder holds both sample handlers and their shared redaction module; only the X-Ray one uses the SDK.
    expect(dir.files).toEqual(['lambda_function.py', 'otel_function.py', 'redaction.py']);
    expect(sites(dir.uses)).toEqual(['lambda_function.py:12 import', 'lambda_function.py:20 patch_all']);
    expect(dir.removablePackages).toEqual([expect.objectContaining({ name: 'aws-xray-sdk', location: 'code', path: path.join(ROOT, 'function', 'requirements.txt') })]);
  });
});

describe('the sample stack\'s cloud assembly', () => {
  // Given the sample app synthesized offline, its layer built from a wheelhouse, or taken from the run's shared
  // layer cache when another test file built it already (this report reads the layer, not how it was built)
  let assemblyDir: string;
  let report: MigrationReport;
  const previousCache = process.env.CDK_TRACED_LAMBDA_CACHE_DIR;

  beforeAll(async () => {
    const wheelhouse = sharedWheelhouse();
    const { app } = withSharedLayerCache('sample', (cacheDir) => synthSample(wheelhouse, cacheDir));
    assemblyDir = app.synth().directory;
    report = await migrateJson('--app', assemblyDir);
  });

  afterAll(() => {
    if (previousCache === undefined) delete process.env.CDK_TRACED_LAMBDA_CACHE_DIR;
    else process.env.CDK_TRACED_LAMBDA_CACHE_DIR = previousCache;
    if (assemblyDir) fs.rmSync(assemblyDir, { recursive: true, force: true });
  });

  test('the function: X-Ray SDK instrumentation, one call site, aws-xray-sdk 2.15.0 in blank-python-lib', () => {
    expect(report.functions).toHaveLength(1);
    const [fn] = report.functions;
    expect(fn).toMatchObject({
      constructPath: 'BlankPython/Function/Resource',
      runtime: 'python3.14',
      handler: 'lambda_function.lambda_handler',
      instrumentation: InstrumentationName.XRAY_SDK,
      files: ['lambda_function.py', 'redaction.py'],
      callSites: 1,
      errors: [],
      notes: [],
    });
    expect(sites(fn.uses)).toEqual(['lambda_function.py:12 import', 'lambda_function.py:20 patch_all']);
    // requirements.txt is excluded from the code asset; the layer holds the installed package
    expect(fn.removablePackages).toEqual([expect.objectContaining({
      name: 'aws-xray-sdk', version: '2.15.0', location: 'layer BlankPython/BlankPythonLib/Resource',
    })]);
    expect(fs.existsSync(path.join(fn.removablePackages[0].path, 'aws_xray_sdk', '__init__.py'))).toBe(true);
    expect(fn.nextSteps).toEqual([
      'Set `instrumentation: Instrumentation.openTelemetry()` on the TracedFunction (it is Instrumentation.xraySdk()).',
      'Replace the X-Ray SDK call sites (1 in 1 file) by their OpenTelemetry replacements, listed with the uses, and remove the imports.',
      'Drop aws-xray-sdk from the requirements of layer BlankPython/BlankPythonLib/Resource (the layer stays for its other packages).',
    ]);
  });

  test('--check fails on the sample: it is the X-Ray SDK stack', async () => {
    const run = await migrate('--app', assemblyDir, '--check');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Total: 2 X-Ray SDK uses (1 call site) in 1 file, 1 package to drop, 0 files not parsed.');
  });
});
