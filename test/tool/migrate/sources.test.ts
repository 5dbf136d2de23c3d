import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES, migrate, migrateJson, sites } from './helpers';
import { OpenTelemetryWrapper } from '../../../lib';
import { MIGRATE_USAGE } from '../../../tool/migrate/cli';
import { GUIDE_URL, POWERTOOLS_URL, REPLACEMENTS } from '../../../tool/migrate/replacements';

describe('a source directory with every X-Ray SDK construct, imported under aliases', () => {
  test('lists each use with its exact file, line and kind', async () => {
    // WHEN
    const report = await migrateJson(path.join(FIXTURES, 'every-use'));

    // THEN
    expect(report.input).toEqual({ kind: 'directory', path: path.join(FIXTURES, 'every-use') });
    expect(report.directory!.errors).toEqual([]);
    expect(report.directory!.files).toEqual(['app/__init__.py', 'app/powertools_handler.py', 'app/star.py', 'app/tracing.py', 'app/web.py', 'handler.py']);
    expect(sites(report.directory!.uses)).toEqual([
      // Powertools Tracer, imported under another name, and one shared from another module (relative import)
      'app/powertools_handler.py:2 import',
      'app/powertools_handler.py:6 powertools_tracer',
      'app/powertools_handler.py:9 powertools_capture_method',
      'app/powertools_handler.py:11 powertools_put_annotation',
      'app/powertools_handler.py:12 powertools_put_metadata',
      'app/powertools_handler.py:13 in_subsegment',
      'app/powertools_handler.py:13 powertools_provider',
      'app/powertools_handler.py:14 put_annotation',
      'app/powertools_handler.py:18 powertools_capture_lambda_handler',
      // from aws_xray_sdk.core import *
      'app/star.py:2 import',
      'app/star.py:4 patch_all',
      'app/star.py:5 put_annotation',
      'app/tracing.py:2 import',
      'app/tracing.py:3 import',
      'app/tracing.py:6 powertools_tracer',
      // Flask and Django middleware, Django's XRAY_RECORDER setting
      'app/web.py:2 import',
      'app/web.py:3 import',
      'app/web.py:7 middleware',
      'app/web.py:10 middleware',
      'app/web.py:13 configure',
      'app/web.py:15 sampling',
      // import aws_xray_sdk.core as x; from ... import patch, patch_all; from ... import xray_recorder as rec
      'handler.py:5 import',
      'handler.py:6 import',
      'handler.py:7 import',
      'handler.py:8 import',
      'handler.py:12 patch_all',
      'handler.py:13 patch',
      'handler.py:15 configure',
      'handler.py:17 sampling',
      'handler.py:18 sampling',
      'handler.py:19 plugins',
      'handler.py:23 capture',
      'handler.py:25 put_annotation',
      'handler.py:26 put_metadata',
      'handler.py:30 capture_async',
      'handler.py:32 in_subsegment',
      'handler.py:33 put_annotation',
      'handler.py:38 current_segment',
      'handler.py:39 put_metadata',
      'handler.py:40 put_annotation',
      'handler.py:40 current_subsegment',
      'handler.py:41 in_subsegment',
      'handler.py:42 put_annotation',
      'handler.py:43 begin_subsegment',
      'handler.py:44 put_metadata',
      'handler.py:45 end_subsegment',
      'handler.py:46 begin_segment',
      'handler.py:47 end_segment',
      // shared_recorder is the recorder, bound in app/tracing.py
      'handler.py:48 in_segment',
      'handler.py:53 capture',
    ]);
    expect(report.directory!.callSites).toBe(report.directory!.uses.filter((u) => u.kind !== 'import').length);
    expect(report.totals).toMatchObject({ uses: 50, callSites: 40, filesWithUses: 5, parseErrors: 0 });
  });

  test('keeps the expression as written, the source line and the patched libraries', async () => {
    const uses = (await migrateJson(path.join(FIXTURES, 'every-use'))).directory!.uses;
    const at = (file: string, line: number, kind: string) => uses.find((u) => u.file === file && u.line === line && u.kind === kind)!;

    expect(at('handler.py', 30, 'capture_async')).toMatchObject({ symbol: 'x.xray_recorder.capture_async', column: 2, text: '@x.xray_recorder.capture_async("notify")' });
    expect(at('handler.py', 40, 'put_annotation').symbol).toBe('rec.current_subsegment().put_annotation');
    expect(at('handler.py', 33, 'put_annotation').symbol).toBe('sub.put_annotation');
    expect(at('handler.py', 7, 'import').symbol).toBe('from aws_xray_sdk.core import xray_recorder as rec');
    expect(at('app/powertools_handler.py', 13, 'in_subsegment').symbol).toBe('tracer.provider.in_subsegment');
    const patch = at('handler.py', 13, 'patch');
    expect(patch.detail).toBe('botocore, requests');
    // What the layer loads comes from the wrapper data of the documented release (full mode): botocore on, requests off.
    expect(patch.replacement).toContain(`AWSOpenTelemetryDistroPython ${OpenTelemetryWrapper.releaseOfLayerVersion()}, full mode`);
    expect(patch.replacement).toContain('botocore (opentelemetry-instrumentation-botocore): the layer instruments it; '
      + 'requests (opentelemetry-instrumentation-requests): off by default in the layer: instrumentations: { enable: [\'requests\'] }');
    const patchAll = at('handler.py', 12, 'patch_all');
    expect(patchAll.replacement).toContain(`instruments ${OpenTelemetryWrapper.loadedInstrumentations().join(', ')};`);
    expect(patchAll.replacement).not.toMatch(/instruments [^;]*requests/);
  });

  test('gives each use the replacement from AWS\'s migration guide, with the section it comes from', async () => {
    const uses = (await migrateJson(path.join(FIXTURES, 'every-use'))).directory!.uses;
    const annotation = uses.find((u) => u.kind === 'put_annotation')!;
    expect(annotation.replacement).toMatch(/span\.set_attribute\(key, value\).*"aws\.xray\.annotations"/);
    expect(annotation.reference).toBe(`${GUIDE_URL}#manual-trace-creation-python`);
    expect(uses.find((u) => u.kind === 'middleware')!.reference).toBe(`${GUIDE_URL}#tracing-incoming-requests-python`);
    expect(uses.find((u) => u.kind === 'powertools_tracer')!.reference).toBe(POWERTOOLS_URL);
    for (const use of uses) {
      // patch_all() and patch([...]) are told against what the layer loads (the test above)
      if (use.kind !== 'patch' && use.kind !== 'patch_all') expect(use.replacement).toBe(REPLACEMENTS[use.kind].replacement);
      expect(use.reference).toBe(REPLACEMENTS[use.kind].reference);
    }
  });

  test('the text report lists file:line, kind and source line, then each kind\'s replacement once', async () => {
    const run = await migrate(path.join(FIXTURES, 'every-use'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {4}handler\.py:7 +import +from aws_xray_sdk\.core import xray_recorder as rec$/m);
    expect(run.stdout).toMatch(/^ {4}app\/web\.py:10 +middleware +"aws_xray_sdk\.ext\.django\.middleware\.XRayMiddleware",$/m);
    expect(run.stdout.match(/^ {4}put_annotation +span\.set_attribute/gm)).toHaveLength(1);
    expect(run.stdout).toContain('Total: 50 X-Ray SDK uses (40 call sites) in 5 files, 0 packages to drop, 0 files not parsed.');
  });
});

describe('AWS\'s original blank-python handler (our own equivalent)', () => {
  test('lists its two imports and patch_all, and aws-xray-sdk in its requirements', async () => {
    const report = await migrateJson(path.join(FIXTURES, 'blank-python'));
    const dir = report.directory!;
    expect(sites(dir.uses)).toEqual([
      'lambda_function.py:12 import',
      'lambda_function.py:13 import',
      'lambda_function.py:17 patch_all',
    ]);
    expect(dir.uses.map((u) => u.symbol)).toEqual([
      'from aws_xray_sdk.core import xray_recorder',
      'from aws_xray_sdk.core import patch_all',
      'patch_all',
    ]);
    expect(dir.callSites).toBe(1);
    expect(dir.removablePackages).toEqual([{
      name: 'aws-xray-sdk',
      location: 'code',
      path: path.join(FIXTURES, 'blank-python', 'requirements.txt'),
      note: 'listed in requirements.txt: remove the line',
    }]);
  });
});

describe('files Python cannot parse', () => {
  test('are reported one by one while the other files are still analyzed', async () => {
    const run = await migrate(path.join(FIXTURES, 'broken'), '--json');
    expect(run.code).toBe(0);
    const dir = JSON.parse(run.stdout).directory;
    expect(dir.errors).toEqual([{ file: 'legacy.py', line: 3, message: expect.stringMatching(/^SyntaxError: /) }]);
    expect(sites(dir.uses)).toEqual(['index.py:1 import', 'index.py:4 capture']);
  });

  test('a file nested too deeply for Python\'s parser is reported, not fatal', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-deep-'));
    try {
      fs.writeFileSync(path.join(dir, 'deep.py'), `from aws_xray_sdk.core import patch_all\nx = ${Array(200_000).fill('1').join(' + ')}\n`);
      fs.writeFileSync(path.join(dir, 'ok.py'), 'import aws_xray_sdk.core\n');
      const report = await migrateJson(dir);
      expect(report.directory!.errors).toEqual([{ file: 'deep.py', line: 0, message: expect.stringMatching(/^RecursionError: /) }]);
      expect(sites(report.directory!.uses)).toEqual(['ok.py:1 import']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a package vendored into the directory is third-party code: its files are skipped, the package listed', async () => {
    const dir = (await migrateJson(path.join(FIXTURES, 'vendored'))).directory!;
    expect(dir.files).toEqual(['index.py']);
    expect(sites(dir.uses)).toEqual(['index.py:2 import', 'index.py:6 put_annotation']);
    expect(dir.removablePackages).toEqual([expect.objectContaining({ name: 'aws-xray-sdk', version: '2.15.0', location: 'code' })]);
  });

  test('code that already uses OpenTelemetry has nothing to report', async () => {
    const report = await migrateJson(path.join(FIXTURES, 'otel-function'));
    expect(report.totals).toEqual({ uses: 0, callSites: 0, filesWithUses: 0, parseErrors: 0, removablePackages: 0 });
  });
});

describe('the interpreter that parses', () => {
  // Python 3.12 syntax (a type statement), which Python 3.11 cannot parse; pyenv's 3.11 and 3.12, where installed
  const pyenvRoot = path.join(os.homedir(), '.pyenv', 'versions');
  const pyenv = (minor: string) => (fs.existsSync(pyenvRoot) ? fs.readdirSync(pyenvRoot) : [])
    .filter((v) => v.startsWith(`${minor}.`)).map((v) => path.join(pyenvRoot, v, 'bin', `python${minor}`)).find((p) => fs.existsSync(p));
  const python311 = pyenv('3.11');
  const python312 = pyenv('3.12');
  const source = 'from aws_xray_sdk.core import xray_recorder\n\ntype Event = dict[str, object]\n\n\n@xray_recorder.capture("handler")\ndef handler(event: Event, context):\n    return event\n';

  (python311 && python312 ? test : test.skip)('--python chooses it: a newer syntax is an error for an older Python, and parses with its own', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-py312-'));
    try {
      fs.writeFileSync(path.join(dir, 'index.py'), source);
      const old = (await migrateJson(dir, '--python', python311!)).directory!;
      expect(old.errors).toEqual([{ file: 'index.py', line: 3, message: expect.stringMatching(/^SyntaxError: /) }]);
      const current = (await migrateJson(dir, '--python', python312!)).directory!;
      expect(current.errors).toEqual([]);
      expect(sites(current.uses)).toEqual(['index.py:1 import', 'index.py:6 capture']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('--help prints the usage and exits 0', async () => {
  const run = await migrate('--help');
  expect(run).toEqual({ code: 0, stdout: MIGRATE_USAGE, stderr: '' });
  expect(MIGRATE_USAGE).toMatch(/^ {2}--check {14}exit 1 while any X-Ray SDK use remains/m);
});
