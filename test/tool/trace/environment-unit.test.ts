import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expectToolError } from './helpers';
import { AssemblyFunction, ResolvedFunction } from '../../../tool/common/assembly';
import { ToolErrorId } from '../../../tool/common/errors';
import { maskedHref } from '../../../tool/common/safe-text';
import { LAMBDA_RESERVED_VARIABLES, lambdaEnvironment, passEnvironment, readEnvVarsFile } from '../../../tool/trace/environment';

// The environment, value by value, without running a handler (environment.test.ts runs one).
const assemblyFn = (over: Partial<AssemblyFunction> = {}): AssemblyFunction => ({
  stackName: 'S',
  logicalId: 'FnABC123',
  constructPath: 'S/Api/Fn/Resource',
  properties: { FunctionName: 'my-fn' },
  metadata: {},
  assemblyDir: '/a',
  template: {},
  ...over,
});
const resolved = (environment: Record<string, string> = {}): ResolvedFunction => ({
  fn: assemblyFn(),
  functionName: 'my-fn',
  handler: 'app.handler',
  runtime: 'python3.13',
  codeDir: '/code',
  layerPaths: [],
  environment,
  memoryMb: 512,
  timeoutSeconds: 3,
  tracing: 'x-ray',
  notes: [],
});
const INPUTS = { region: 'eu-west-1', daemonPort: 2000, tmp: '/t', pythonBinDir: '/py/bin', runtimeDir: '/rt', requestId: 'a-b-c' };

let work: string;
beforeAll(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), 'env-unit-')); });
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('Lambda\'s variables with local values, and nothing else', () => {
  const env = lambdaEnvironment(resolved(), INPUTS);
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  expect(env).toEqual({
    PATH: '/py/bin:/usr/local/bin:/usr/bin:/bin:/opt/bin',
    LANG: 'en_US.UTF-8',
    LD_LIBRARY_PATH: '/code:/code/lib',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    _HANDLER: 'app.handler',
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_EXECUTION_ENV: 'AWS_Lambda_python3.13',
    AWS_LAMBDA_FUNCTION_NAME: 'my-fn',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/my-fn',
    AWS_LAMBDA_LOG_STREAM_NAME: `${day}/[$LATEST]abc`,
    AWS_ACCESS_KEY_ID: 'AKIALOCALTRACE000000',
    AWS_SECRET_ACCESS_KEY: 'local-trace-secret-access-key',
    AWS_SESSION_TOKEN: 'local-trace-session-token',
    LAMBDA_TASK_ROOT: '/code',
    LAMBDA_RUNTIME_DIR: '/rt',
    TZ: ':UTC',
    AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
    _AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1',
    _AWS_XRAY_DAEMON_PORT: '2000',
    AWS_CONFIG_FILE: '/t/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/t/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
  });
});

test('the endpoint only when given; the function\'s variables win, except the runner\'s own plumbing', () => {
  expect(lambdaEnvironment(resolved(), { ...INPUTS, endpointUrl: 'http://127.0.0.1:9' }).AWS_ENDPOINT_URL).toBe('http://127.0.0.1:9');
  const env = lambdaEnvironment(resolved({
    PATH: '/mine', AWS_ACCESS_KEY_ID: 'AKIAPASSED', AWS_XRAY_DAEMON_ADDRESS: '1.2.3.4:5', LAMBDA_TASK_ROOT: '/x', _HANDLER: 'x.y',
  }), INPUTS);
  expect(env).toMatchObject({ PATH: '/mine', AWS_ACCESS_KEY_ID: 'AKIAPASSED', AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000', LAMBDA_TASK_ROOT: '/code', _HANDLER: 'app.handler' });
});

test('the reserved variables, as AWS documents them', () => {
  expect([...LAMBDA_RESERVED_VARIABLES].sort()).toEqual([
    'AWS_ACCESS_KEY_ID', 'AWS_DEFAULT_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_NAME',
    'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME',
    'AWS_LAMBDA_RUNTIME_API', 'AWS_REGION', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'LAMBDA_RUNTIME_DIR', 'LAMBDA_TASK_ROOT',
    'TZ', '_HANDLER', '_X_AMZN_TRACE_ID',
  ]);
});

function envFile(content: unknown): string {
  const file = path.join(work, `env-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('readEnvVarsFile (SAM CLI format)', () => {
  test.each([
    ['logical id', 'FnABC123'], ['construct id', 'Fn'], ['function name', 'my-fn'], ['construct path', 'S/Api/Fn'],
    ['construct path with /Resource', 'S/Api/Fn/Resource'],
  ])('selects the function by its %s', (_, key) => {
    expect(readEnvVarsFile(envFile({ [key]: { A: 'mine' }, Other: { A: 'no' } }), assemblyFn())).toEqual({ A: 'mine' });
  });

  test('numbers and booleans become text; no Parameters and no own object is nothing', () => {
    expect(readEnvVarsFile(envFile({ Parameters: { N: 3, B: false } }), assemblyFn())).toEqual({ N: '3', B: 'false' });
    expect(readEnvVarsFile(envFile({ Other: { A: '1' } }), assemblyFn())).toEqual({});
  });

  test('a function without a construct path or a name is found by its logical id', () => {
    const fn = assemblyFn({ constructPath: undefined, properties: {} });
    expect(readEnvVarsFile(envFile({ FnABC123: { A: '1' }, undefined: { B: '2' } }), fn)).toEqual({ A: '1' });
    expect(readEnvVarsFile(envFile({ undefined: { B: '2' } }), fn)).toEqual({});
  });

  test.each([
    ['a JSON null', 'null', []],
    ['a JSON string', '"text"', []],
    ['Parameters as null', { Parameters: null }, ['Parameters']],
    ['Parameters as a list', { Parameters: ['A'] }, ['Parameters']],
    ['a null value', { Fn: { SECRET: null } }, ['Fn.SECRET', 'null']],
    ['a list value', { Fn: { SECRET: ['canary-x'] } }, ['Fn.SECRET', 'an array']],
    ['an object value', { Fn: { SECRET: { v: 'canary-x' } } }, ['Fn.SECRET', 'object']],
    ['not JSON', '{"Fn": {"A": "canary-x"', []],
    ['not JSON, a bare word (the parser quotes it)', 'canary-x-word', []],
  ])('fails on %s, naming the key, never the value', async (_, content, named) => {
    const file = envFile(content);
    await expectToolError(() => readEnvVarsFile(file, assemblyFn()), ToolErrorId.ENV_VARS_FILE_INVALID, file, ...named);
    expect(() => readEnvVarsFile(file, assemblyFn())).not.toThrow(/canary-x/);
  });
});

describe('passEnvironment', () => {
  test('takes exactly the named variables', () => {
    expect(passEnvironment(['A', '_B1'], { A: '1', _B1: '2', C: '3' })).toEqual({ A: '1', _B1: '2' });
    expect(passEnvironment(['EMPTY'], { EMPTY: '' })).toEqual({ EMPTY: '' });
  });

  test.each(['A=B', ' A', 'A ', '1A', '', 'A-B'])('refuses %j, which is not a variable name', async (name) => {
    await expectToolError(() => passEnvironment([name], { [name]: 'x' }), ToolErrorId.PASS_ENV_NOT_SET);
  });

  test('refuses a name that is not set, naming it', async () => {
    await expectToolError(() => passEnvironment(['NOT_SET_HERE'], {}), ToolErrorId.PASS_ENV_NOT_SET, 'NOT_SET_HERE');
  });
});

test('maskedHref masks user and password, and leaves a URL without them as it is', () => {
  expect(maskedHref(new URL('http://u:p@h:1/x?y=1'))).toBe('http://***@h:1/x?y=1');
  expect(maskedHref(new URL('http://u@h/'))).toBe('http://***@h/');
  expect(maskedHref(new URL('http://:p@h/'))).toBe('http://***@h/');
  expect(maskedHref(new URL('http://h/x'))).toBe('http://h/x');
});
