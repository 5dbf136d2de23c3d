import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildLayerData, parseOtelArns, parsePowertoolsInstall, parseReleaseWorkflow, renderLayerData, UpstreamFormatError } from '../../scripts/layer-data/parse';
import { snapshotFromManifest } from '../../scripts/update-layer-data';

/**
 * The refresh (`npm run update-layer-data`) on real copies of the upstream files (test/fixtures/upstream/, each
 * citing its repository, path and commit): today's copies reproduce the committed data byte for byte, and the
 * copies of an older commit (aws-otel.github.io 5bfd9b7, ADOT Python v0.14.1) reproduce that older table exactly.
 */
const UPSTREAM = path.join(__dirname, '..', 'fixtures', 'upstream');
const ROOT = path.join(__dirname, '..', '..');

/** The python tab's `"region": "arn"` lines of a lambdaLayerArns.js, read line by line (not by the parser under test). */
function pythonLinesOf(file: string): Record<string, string> {
  const lines = fs.readFileSync(file, 'utf-8').split('\n');
  const start = lines.findIndex(l => /^\s*python: \{$/.test(l));
  const end = lines.findIndex((l, i) => i > start && /^\s*\},?$/.test(l) && /^\s{4}\}/.test(l));
  return Object.fromEntries(lines.slice(start, end).map(l => /^\s*"([^"]+)": "([^"]+)",?$/.exec(l)).filter(m => m !== null).map(m => [m![1], m![2]]));
}

describe('update-layer-data on real upstream copies', () => {
  test('today\'s copies reproduce lib/tracing/layer-data.generated.ts exactly', () => {
    const text = renderLayerData(buildLayerData(snapshotFromManifest(path.join(UPSTREAM, 'current.sources.json'))));

    expect(text).toBe(fs.readFileSync(path.join(ROOT, 'lib', 'tracing', 'layer-data.generated.ts'), 'utf-8'));
  });

  test('the copies of an older commit reproduce the older table exactly (v0.14.1: 34 regions, python3.10 to python3.13)', () => {
    const data = buildLayerData(snapshotFromManifest(path.join(UPSTREAM, 'older.sources.json')));

    expect(renderLayerData(data)).toBe(fs.readFileSync(path.join(UPSTREAM, 'expected', 'layer-data-5bfd9b7b.ts'), 'utf-8'));
    expect(data.openTelemetryPython.arns).toEqual(pythonLinesOf(path.join(UPSTREAM, 'aws-otel.github.io', '5bfd9b7b', 'lambdaLayerArns.js')));
    expect(Object.keys(data.openTelemetryPython.arns)).toHaveLength(34);
    expect(data.openTelemetryPython.arns['us-east-1']).toBe('arn:aws:lambda:us-east-1:615299751070:layer:AWSOpenTelemetryDistroPython:22');
    expect(data.openTelemetryPython).toMatchObject({ release: 'v0.14.1', runtimes: ['python3.10', 'python3.11', 'python3.12', 'python3.13'] });
    expect(data.openTelemetryPython.sources.arns).toMatchObject({ commit: '5bfd9b7b9d6a1ca4d84f9d56c14b3a51f78db0d3', commitDate: '2026-01-15' });
  });

  test('today\'s table is the one the upstream file lists, line for line', () => {
    const data = buildLayerData(snapshotFromManifest(path.join(UPSTREAM, 'current.sources.json')));

    expect(data.openTelemetryPython.arns).toEqual(pythonLinesOf(path.join(UPSTREAM, 'aws-otel.github.io', 'e256b2e4', 'lambdaLayerArns.js')));
    expect(data.powertoolsPython).toMatchObject({ account: '017000801446', version: 27, ssmParameter: '/aws/service/powertools/python/{architecture}/{runtime}/latest' });
    expect(data.powertoolsPython.regions).toHaveLength(29);
  });

  test('v0.19.0\'s release workflow declares the same runtimes as v0.18.0\'s', () => {
    const read = (tag: string) => parseReleaseWorkflow({
      repository: 'aws-observability/aws-otel-python-instrumentation',
      path: '.github/workflows/release-build.yml',
      commit: tag,
      tag,
      text: fs.readFileSync(path.join(UPSTREAM, 'aws-otel-python-instrumentation', `release-build-${tag}.yml`), 'utf-8'),
    });

    expect(read('v0.19.0')).toEqual(read('v0.18.0'));
    expect(read('v0.19.0').runtimes).toContain('python3.14');
  });
});

describe('update-layer-data refuses files that do not say what it needs', () => {
  const file = (text: string) => ({ repository: 'aws-otel/aws-otel.github.io', path: 'src/config/lambdaLayerArns.js', commit: 'a'.repeat(40), text });

  test.each([
    ['no python tab', 'export const x = { tabs: { nodejs: { arns: {} } } };'],
    ['an ARN of another region', 'python: { label: "P", arns: { "us-east-1": "arn:aws:lambda:us-east-2:615299751070:layer:AWSOpenTelemetryDistroPython:1" } }'],
    ['another layer', 'python: { label: "P", arns: { "us-east-1": "arn:aws:lambda:us-east-1:615299751070:layer:SomethingElse:1" } }'],
    ['an empty table', 'python: { label: "P", arns: { } }'],
  ])('%s: an error naming the file, never its content', (_what, text) => {
    expect(() => parseOtelArns(file(text))).toThrow(UpstreamFormatError);
    expect(() => parseOtelArns(file(text))).toThrow(/^aws-otel\/aws-otel\.github\.io src\/config\/lambdaLayerArns\.js@aaaaaaaaaaaa: .*nothing was written\.$/);
    expect(() => parseOtelArns(file(text))).not.toThrow(/615299751070/);
  });

  test('a Powertools page whose x86_64 and arm64 rows disagree', () => {
    const text = fs.readFileSync(path.join(UPSTREAM, 'powertools-lambda-python', 'install-33f2c8f8.md'), 'utf-8').replace('-arm64:27`', '-arm64:28`');

    expect(() => parsePowertoolsInstall({ ...file(text), path: 'docs/getting-started/install.md' })).toThrow(/different accounts or versions/);
  });

  test('the command: --check exits 1 when the data would change and writes nothing; a refresh writes it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'update-layer-data-'));
    try {
      const out = path.join(dir, 'layer-data.generated.ts');
      fs.writeFileSync(out, 'stale');
      const script = (...args: string[]) => spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only',
        path.join(ROOT, 'scripts', 'update-layer-data.ts'), '--from', path.join(UPSTREAM, 'older.sources.json'), '--out', out, ...args], { encoding: 'utf-8', timeout: 60_000 });

      expect(script('--check').status).toBe(1);
      expect(fs.readFileSync(out, 'utf-8')).toBe('stale');
      expect(script().status).toBe(0);
      expect(fs.readFileSync(out, 'utf-8')).toBe(fs.readFileSync(path.join(UPSTREAM, 'expected', 'layer-data-5bfd9b7b.ts'), 'utf-8'));
      expect(script('--check').status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
