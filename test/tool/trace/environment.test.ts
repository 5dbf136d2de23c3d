import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exitId, runMain, synthFixtureApp } from './helpers';
import { LocalTraceUsageError, ToolErrorId } from '../../../tool/common/errors';
import { LocalTrace } from '../../../tool/trace';
import { LAMBDA_RESERVED_VARIABLES, passEnvironment } from '../../../tool/trace/environment';

// Canary variables in this (the caller's) process: none may reach the handler unless passed explicitly.
const CANARIES = {
  LOCAL_TRACE_CANARY: 'canary-value-7f3a',
  GITHUB_TOKEN: 'ghp_canaryCanaryCanaryCanaryCanary0123',
  AWS_ACCESS_KEY_ID: 'AKIACANARY0000000000',
  AWS_SECRET_ACCESS_KEY: 'canary-secret-access-key',
  AWS_PROFILE: 'canary-profile',
  PIP_INDEX_URL: 'https://user:canary-pass@pypi.example/simple',
  PYTHONPATH: '/canary/python/path',
};

let assemblyDir: string;
let work: string;
const saved: Record<string, string | undefined> = {};

beforeAll(() => {
  assemblyDir = synthFixtureApp([
    { id: 'EnvFunction', fixture: 'envdump', environment: { TABLE_NAME: 'from-template', STAGE: 'template' } },
    { id: 'OtherFunction', fixture: 'envdump', environment: { TABLE_NAME: 'other-template' } },
  ]);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'local-trace-env-'));
  for (const [k, v] of Object.entries(CANARIES)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});

afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  fs.rmSync(assemblyDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

async function environmentOf(options: Parameters<typeof LocalTrace.invoke>[0] = {}): Promise<Record<string, string>> {
  const trace = await LocalTrace.invoke({ assemblyDir, functionId: 'EnvFunction', ...options });
  expect(trace.stderr).not.toMatch(/Traceback/);
  expect(trace.succeeded).toBe(true);
  return trace.result as Record<string, string>;
}

describe('the handler sees Lambda\'s environment only', () => {
  let env: Record<string, string>;
  beforeAll(async () => { env = await environmentOf(); });

  test('no variable of the caller\'s shell reaches it: canaries, HOME, PYTHONPATH, AWS profile', () => {
    const text = JSON.stringify(env);
    for (const value of Object.values(CANARIES)) expect(text).not.toContain(value);
    for (const name of ['LOCAL_TRACE_CANARY', 'GITHUB_TOKEN', 'AWS_PROFILE', 'PIP_INDEX_URL', 'PYTHONPATH', 'HOME', 'USER', 'PYENV_ROOT']) {
      expect(env).not.toHaveProperty(name);
    }
    // Every variable it sees is one Lambda sets, the template's, or local plumbing
    const allowed = new Set([...LAMBDA_RESERVED_VARIABLES, 'TABLE_NAME', 'STAGE', 'PATH', 'LANG', 'LD_LIBRARY_PATH',
      'AWS_XRAY_CONTEXT_MISSING', 'AWS_XRAY_DAEMON_ADDRESS', '_AWS_XRAY_DAEMON_ADDRESS', '_AWS_XRAY_DAEMON_PORT',
      'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED', 'PYTHONDONTWRITEBYTECODE',
      'PYTHONUNBUFFERED', 'LC_CTYPE']);
    expect(Object.keys(env).filter((k) => !allowed.has(k))).toEqual([]);
  });

  test('the function\'s variables from the template, Lambda\'s reserved ones with local values, dummy credentials', () => {
    expect(env).toMatchObject({
      TABLE_NAME: 'from-template',
      STAGE: 'template',
      _HANDLER: 'index.handler',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_python3.12',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      AWS_ACCESS_KEY_ID: 'AKIALOCALTRACE000000',
    });
    expect(env.AWS_LAMBDA_LOG_GROUP_NAME).toBe(`/aws/lambda/${env.AWS_LAMBDA_FUNCTION_NAME}`);
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(fs.existsSync(path.join(env.LAMBDA_TASK_ROOT, 'index.py'))).toBe(true);
    expect(env.AWS_XRAY_DAEMON_ADDRESS).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  test('a PATH like Lambda\'s: the interpreter\'s directory (Lambda\'s /var/lang/bin), then the system\'s', () => {
    const [first, ...rest] = env.PATH.split(':');
    expect(fs.existsSync(first)).toBe(true);
    expect(rest).toEqual(['/usr/local/bin', '/usr/bin', '/bin', '/opt/bin']);
  });
});

describe('what the caller passes', () => {
  test('--env-vars (SAM CLI format): Parameters for all, the function\'s own object wins; the template is overridden', async () => {
    const file = path.join(work, 'env.json');
    fs.writeFileSync(file, JSON.stringify({
      Parameters: { STAGE: 'dev', SHARED: 'all', DEBUG: true },
      EnvFunction: { TABLE_NAME: 'local-table', SHARED: 'mine' },
      OtherFunction: { TABLE_NAME: 'not-mine' },
    }));
    const env = await environmentOf({ envVarsFile: file });
    expect(env).toMatchObject({ STAGE: 'dev', SHARED: 'mine', TABLE_NAME: 'local-table', DEBUG: 'true' });
    expect(JSON.stringify(env)).not.toContain('canary-value-7f3a');
  });

  test('--env-vars keyed by construct path also selects the function', async () => {
    const file = path.join(work, 'env-path.json');
    fs.writeFileSync(file, JSON.stringify({ 'Fixtures/EnvFunction': { TABLE_NAME: 'by-path' } }));
    expect((await environmentOf({ envVarsFile: file })).TABLE_NAME).toBe('by-path');
  });

  test('--pass-env hands over exactly the named variables; credentials reach the handler only this way', async () => {
    const env = await environmentOf({ passEnvironment: ['LOCAL_TRACE_CANARY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] });
    expect(env).toMatchObject({
      LOCAL_TRACE_CANARY: CANARIES.LOCAL_TRACE_CANARY,
      AWS_ACCESS_KEY_ID: CANARIES.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: CANARIES.AWS_SECRET_ACCESS_KEY,
    });
    expect(env).not.toHaveProperty('GITHUB_TOKEN');
    expect(env).not.toHaveProperty('AWS_PROFILE');
  });

  test('the CLI: --pass-env and --env-vars, --env wins over both', async () => {
    const file = path.join(work, 'cli-env.json');
    fs.writeFileSync(file, JSON.stringify({ Parameters: { STAGE: 'file', TABLE_NAME: 'file' } }));
    const out = path.join(work, 'cli-env-out.json');
    const run = await runMain(['trace', '--app', assemblyDir, '--function', 'EnvFunction', '--env-vars', file,
      '--pass-env', 'LOCAL_TRACE_CANARY', '--env', 'STAGE=flag', '--out', out], work);
    expect(run.code).toBe(0);
    const result = run.stdout.match(/^result: (.*)$/m)![1];
    const env = JSON.parse(result);
    expect(env).toMatchObject({ STAGE: 'flag', TABLE_NAME: 'file', LOCAL_TRACE_CANARY: CANARIES.LOCAL_TRACE_CANARY });
    expect(run.stdout + run.stderr).not.toContain(CANARIES.GITHUB_TOKEN);
  });
});

describe('fails with exit 2 and an id, before the handler runs, never echoing a value', () => {
  test.each([
    ['not JSON', '{"Parameters": {"A": "canary-in-file"', ToolErrorId.ENV_VARS_FILE_INVALID],
    ['not an object', '["canary-in-file"]', ToolErrorId.ENV_VARS_FILE_INVALID],
    ['Parameters not an object', '{"Parameters": "canary-in-file"}', ToolErrorId.ENV_VARS_FILE_INVALID],
    ['a value that is an object', '{"EnvFunction": {"A": {"secret": "canary-in-file"}}}', ToolErrorId.ENV_VARS_FILE_INVALID],
  ])('--env-vars %s', async (_, content, id) => {
    const file = path.join(work, 'bad-env.json');
    fs.writeFileSync(file, content);
    const run = await runMain(['trace', '--app', assemblyDir, '--function', 'EnvFunction', '--env-vars', file], work);
    expect(run.code).toBe(2);
    expect(exitId(run.stderr)).toBe(id);
    expect(run.stderr).toContain(file);
    expect(run.stderr).not.toContain('canary-in-file');
  });

  test('--env-vars that is a directory', async () => {
    const run = await runMain(['trace', '--app', assemblyDir, '--function', 'EnvFunction', '--env-vars', work], work);
    expect(exitId(run.stderr)).toBe(ToolErrorId.INPUT_NOT_A_FILE);
  });

  test('--pass-env of a variable this shell does not set, or of something not a name', async () => {
    for (const name of ['LOCAL_TRACE_NOT_SET_ANYWHERE', 'A=B']) {
      const run = await runMain(['trace', '--app', assemblyDir, '--function', 'EnvFunction', '--pass-env', name], work);
      expect(run.code).toBe(2);
      expect(exitId(run.stderr)).toBe(ToolErrorId.PASS_ENV_NOT_SET);
    }
    expect(() => passEnvironment(['X_UNSET'], {})).toThrow(LocalTraceUsageError);
  });

  test('--env without "=" does not echo the value', async () => {
    const run = await runMain(['trace', '--app', assemblyDir, '--function', 'EnvFunction', '--env', 'canary-secret-value'], work);
    expect(exitId(run.stderr)).toBe(ToolErrorId.ENV_NOT_KEY_VALUE);
    expect(run.stderr).not.toContain('canary-secret-value');
  });
});
