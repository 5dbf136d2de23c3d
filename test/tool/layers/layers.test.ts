import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Writable } from 'stream';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { startLambdaApiStub, LambdaApiStub } from './lambda-api-stub';
import { PublishedLayers, TracedFunction, TracingContract } from '../../../lib';
import { main } from '../../../tool/cli';
import { ToolErrorId } from '../../../tool/common/errors';
import { loadLambdaSdk } from '../../../tool/layers/check';

/**
 * `cdk-traced-lambda layers` and `layers --check` against a stub of the Lambda API on 127.0.0.1: the real AWS SDK
 * for JavaScript v3, real HTTP, dummy credentials. Every case is bounded (timeouts of a few hundred ms, 1-2 attempts).
 */

const OTEL_US_EAST_1 = 'arn:aws:lambda:us-east-1:615299751070:layer:AWSOpenTelemetryDistroPython:29';
const OTEL_BASE = OTEL_US_EAST_1.slice(0, -2);
const PT_ARM = 'arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:27';
const OTEL_RUNTIMES = ['python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14'];
const BOTH = ['arm64', 'x86_64'];
const ONE_REGION = ['--region', 'us-east-1', '--runtime', 'python3.13', '--architecture', 'arm64'];

let stub: LambdaApiStub;
let work: string;
const savedEnv = { ...process.env };

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } }) as Writable & { text: () => string };
  w.text = () => chunks.join('');
  return w;
}

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = sink();
  const err = sink();
  const code = await main(['layers', ...argv], out, err);
  return { code, stdout: out.text(), stderr: err.text() };
}

function publishPinned(): void {
  stub.versions.set(OTEL_US_EAST_1, { runtimes: OTEL_RUNTIMES, architectures: BOTH });
  stub.versions.set(PT_ARM, { runtimes: ['python3.13'], architectures: ['arm64'] });
}

beforeAll(async () => {
  stub = await startLambdaApiStub();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-cli-'));
});

beforeEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLESTUBONLY',
    AWS_SECRET_ACCESS_KEY: 'stub-secret-not-a-credential',
    AWS_ENDPOINT_URL_LAMBDA: stub.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(work, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-credentials'),
  });
  stub.mode = 'normal';
  stub.versions.clear();
  stub.requests.length = 0;
});

afterAll(async () => {
  process.env = savedEnv;
  await stub.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('layers (the table)', () => {
  test('prints ARN, release and source date for a region and runtime', async () => {
    const r = await run('--region', 'us-east-1', '--runtime', 'python3.14');

    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^us-east-1\\s+AWSOpenTelemetryDistroPython\\s+v0\\.18\\.0\\s+${OTEL_US_EAST_1}\\s+2026-12-03$`, 'm'));
    expect(r.stdout).toMatch(/^us-east-1\s+AWSLambdaPowertoolsPythonV3-python314-x86_64\s+-\s+arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python314-x86_64:27\s+2026-12-03$/m);
    expect(r.stdout).toMatch(/^us-east-1\s+AWSLambdaPowertoolsPythonV3-python314-arm64\s/m);
    expect(r.stdout).not.toMatch(/python313/);
    expect(r.stdout).toContain('aws-otel/aws-otel.github.io src/config/lambdaLayerArns.js@e256b2e4c09a');
  });

  test('--json lists the same entries as the library API', async () => {
    const r = await run('--region', 'eu-west-1', '--architecture', 'arm64', '--json');

    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(PublishedLayers.list({ region: 'eu-west-1', architecture: 'arm64' }));
    expect(JSON.parse(r.stdout)).toHaveLength(1 + 5);
  });

  test.each([
    [['--region', 'xx-mars-9']],
    [['--region', 'US_EAST']],
    [['--architecture', 'sparc']],
    [['--write', 'f.json']],
    [['--check', '--look-ahead', '99']],
    [['--bogus']],
    [['--region']],
    [['--check']],
  ])('usage error %j: exit 2, one line with its id', async (argv) => {
    const r = await run(...argv);

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^cdk-traced-lambda layers: [^\\n]+ \\[${ToolErrorId.LAYERS_USAGE}\\]\\n$`));
    expect(stub.requests).toHaveLength(0);
  });
});

describe('layers --check against the Lambda API stub', () => {
  test('without --region, the configured AWS_REGION is checked', async () => {
    publishPinned();
    process.env.AWS_REGION = 'us-east-1';

    const r = await run('--check', '--runtime', 'python3.13', '--architecture', 'arm64');

    expect(r.code).toBe(0);
    expect(new Set(stub.requests.map(q => q.region))).toEqual(new Set(['us-east-1']));
  });

  test('everything current: exit 0, each pinned version asked once plus one look-ahead, signed for the region', async () => {
    publishPinned();

    const r = await run('--check', ...ONE_REGION);

    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('2 layer version(s) checked in 1 region(s): all current.\n');
    expect(stub.requests.map(q => q.arn).sort()).toEqual([OTEL_US_EAST_1, `${OTEL_BASE}30`, PT_ARM, PT_ARM.replace(/27$/, '28')].sort());
    expect(stub.requests.every(q => q.signed && q.region === 'us-east-1')).toBe(true);
  });

  test('a newer version with other runtimes: exit 1, one line naming region, layer, pinned -> newest and the runtime difference', async () => {
    publishPinned();
    stub.versions.set(`${OTEL_BASE}30`, { runtimes: OTEL_RUNTIMES, architectures: BOTH });
    stub.versions.set(`${OTEL_BASE}31`, { runtimes: [...OTEL_RUNTIMES.slice(1), 'python3.15'], architectures: BOTH });

    const r = await run('--check', ...ONE_REGION);

    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('us-east-1  AWSOpenTelemetryDistroPython  29 -> 31  runtimes: +python3.15 -python3.10');
    expect(r.stdout).toContain('2 layer version(s) checked in 1 region(s): 1 drifted.');
  });

  test('the look-ahead is bounded by --look-ahead', async () => {
    publishPinned();
    for (let v = 30; v <= 40; v++) stub.versions.set(`${OTEL_BASE}${v}`, { runtimes: OTEL_RUNTIMES, architectures: BOTH });

    const r = await run('--check', ...ONE_REGION, '--look-ahead', '2', '--json');

    expect(r.code).toBe(1);
    const otel = JSON.parse(r.stdout).results.find((x: any) => x.layerName === 'AWSOpenTelemetryDistroPython');
    expect(otel).toMatchObject({ pinned: 29, newest: 31, pinnedExists: true, drift: true });
    expect(stub.requests.filter(q => q.arn.startsWith(OTEL_BASE))).toHaveLength(3);
  });

  test('a pinned version AWS does not have: exit 1, named as missing', async () => {
    stub.versions.set(PT_ARM, { runtimes: ['python3.13'], architectures: ['arm64'] });

    const r = await run('--check', ...ONE_REGION);

    expect(r.code).toBe(1);
    expect(r.stdout).toContain('us-east-1  AWSOpenTelemetryDistroPython  29 -> none found (pinned version missing or not public)');
  });

  test('--write writes the newest versions in the versions-file format, with the release only where the data knows it', async () => {
    publishPinned();
    stub.versions.set(`${OTEL_BASE}30`, { runtimes: OTEL_RUNTIMES, architectures: BOTH });
    const file = path.join(work, 'layer-versions.json');

    const r = await run('--check', ...ONE_REGION, '--write', file);

    expect(r.code).toBe(1);
    const written = JSON.parse(fs.readFileSync(file, 'utf-8'));
    expect(written).toEqual({
      format: 'cdk-traced-lambda/layer-versions/1',
      checkedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      layers: {
        'AWSOpenTelemetryDistroPython': { 'us-east-1': { version: 30 } },
        'AWSLambdaPowertoolsPythonV3-python313-arm64': { 'us-east-1': { version: 27 } },
      },
    });
    expect(fs.readdirSync(work).filter(f => f.endsWith('.tmp'))).toEqual([]);

    // A new user's app names the file in the context key: its function takes version 30, and says where from.
    const stack = new Stack(new App({ context: { [TracingContract.LAYER_VERSIONS_CONTEXT_KEY]: file } }), 'App', { env: { region: 'us-east-1' } });
    new TracedFunction(stack, 'Fn', { runtime: lambda.Runtime.PYTHON_3_13, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    const resource = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0] as any;
    expect(resource.Properties.Layers).toEqual([`${OTEL_BASE}30`]);
    expect(resource.Metadata[TracingContract.LAYER_VERSION_SOURCE_METADATA_KEY]).toMatch(/^layer versions file .*layer-versions\.json \(checked \d{4}-\d{2}-\d{2}\)$/);
  });

  test.each([
    ['deny-identity', ToolErrorId.AWS_ACCESS_DENIED, []],
    ['throttle', ToolErrorId.AWS_THROTTLED, ['--max-attempts', '2']],
    ['bad-credentials', ToolErrorId.AWS_CREDENTIALS_MISSING, []],
    ['hang', ToolErrorId.AWS_TIMEOUT, ['--timeout-ms', '300', '--max-attempts', '1']],
  ] as const)('AWS answers %s: exit 2, one line with id %s', async (mode, id, extra) => {
    publishPinned();
    stub.mode = mode;

    const started = Date.now();
    const r = await run('--check', ...ONE_REGION, ...extra);

    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^cdk-traced-lambda layers: [^\\n]+Fix: [^\\n]+ \\[${id}\\]\\n$`));
    expect(r.stderr).not.toContain('111111111111');
    expect(Date.now() - started).toBeLessThan(8_000);
  }, 15_000);

  test('no credentials anywhere: exit 2 naming what to set, nothing sent', async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;

    const r = await run('--check', ...ONE_REGION, '--max-attempts', '1');

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`AWS_PROFILE[^\\n]+\\[${ToolErrorId.AWS_CREDENTIALS_MISSING}\\]\\n$`));
    expect(stub.requests).toHaveLength(0);
  }, 15_000);

  test('without @aws-sdk/client-lambda installed: the fix is the install command', () => {
    expect(() => loadLambdaSdk(() => { throw new Error('Cannot find module'); }))
      .toThrow(new RegExp(`npm install --save-dev @aws-sdk/client-lambda \\[${ToolErrorId.AWS_SDK_MISSING}\\]$`));
  });
});

describe('npx cdk-traced-lambda layers (the launcher, a process of its own)', () => {
  test('--check with a newer version: exit 1 and the drift line, through the real environment variables', async () => {
    publishPinned();
    stub.versions.set(`${OTEL_BASE}30`, { runtimes: OTEL_RUNTIMES, architectures: BOTH });
    const launcher = path.join(__dirname, '..', '..', '..', 'tool', 'bin', 'cdk-traced-lambda.js');

    const result = await new Promise<{ code: number; stdout: string }>(resolve => {
      execFile(process.execPath, [launcher, 'layers', '--check', ...ONE_REGION], { env: process.env, timeout: 30_000 },
        (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }));
    });

    expect(result.stdout.split('\n')[0]).toBe('us-east-1  AWSOpenTelemetryDistroPython  29 -> 30');
    expect(result.code).toBe(1);
  }, 40_000);
});
