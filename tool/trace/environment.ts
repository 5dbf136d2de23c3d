import * as fs from 'fs';
import * as path from 'path';
import { AssemblyFunction, ResolvedFunction } from '../common/assembly';
import { LocalTraceUsageError, ToolErrorId } from '../common/errors';
import { safeLine } from '../common/safe-text';

/**
 * The environment a handler gets in a local run: what Lambda would give it, nothing from the developer's shell
 * unless asked for (`--env-vars FILE`, `--pass-env NAME`, `--env KEY=VALUE`).
 *
 * Lambda's variables, from AWS's documentation "Defined runtime environment variables"
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime, and its
 * earlier page https://docs.aws.amazon.com/lambda/latest/dg/current-supported-versions.html; read 2026-12-03):
 * reserved: `_HANDLER`, `_X_AMZN_TRACE_ID`, `AWS_DEFAULT_REGION`, `AWS_REGION`, `AWS_EXECUTION_ENV`,
 * `AWS_LAMBDA_FUNCTION_NAME`, `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, `AWS_LAMBDA_FUNCTION_VERSION`,
 * `AWS_LAMBDA_INITIALIZATION_TYPE`, `AWS_LAMBDA_LOG_GROUP_NAME`, `AWS_LAMBDA_LOG_STREAM_NAME`, `AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_LAMBDA_RUNTIME_API`, `LAMBDA_TASK_ROOT`, `LAMBDA_RUNTIME_DIR`,
 * `TZ`; unreserved: `LANG` (`en_US.UTF-8`), `PATH` (/var/lang/bin, /usr/local/bin, /usr/bin, /bin, /opt/bin:
 * awsdocs/aws-lambda-developer-guide commit 9ae702e), `LD_LIBRARY_PATH`, `PYTHONPATH`, `AWS_XRAY_CONTEXT_MISSING`,
 * `AWS_XRAY_DAEMON_ADDRESS`. `_X_AMZN_TRACE_ID` is set by runner.py per phase; `AWS_LAMBDA_RUNTIME_API` is not set
 * (no runtime API runs locally: the runner calls the handler itself).
 */

/** The names Lambda reserves (a function's configuration cannot set them), as documented (see above). */
export const LAMBDA_RESERVED_VARIABLES: readonly string[] = [
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR', 'TZ',
];

/** Lambda's PATH after its runtime's bin directory (/var/lang/bin, here the interpreter's directory). */
const LAMBDA_PATH_TAIL = ['/usr/local/bin', '/usr/bin', '/bin', '/opt/bin'];

/** The run-specific values the environment is made from. */
export interface EnvironmentInputs {
  readonly region: string;
  readonly endpointUrl?: string;
  readonly daemonPort: number;
  /** The run's temporary directory (for empty AWS config and credentials files). */
  readonly tmp: string;
  /** The directory of the interpreter that runs the handler: first on PATH, as /var/lang/bin is in Lambda. */
  readonly pythonBinDir: string;
  /** The directory of runner.py (LAMBDA_RUNTIME_DIR). */
  readonly runtimeDir: string;
  readonly requestId: string;
}

/**
 * The handler's whole environment: Lambda's variables with local values, the function's variables from the
 * template and what the caller passed (both already in `fn.environment`); never the caller's own.
 * Credentials are dummies (botocore can sign, nothing authenticates) unless passed explicitly.
 */
export function lambdaEnvironment(fn: ResolvedFunction, inputs: EnvironmentInputs): Record<string, string> {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  const env: Record<string, string> = {
    // unreserved: a function's configuration may change them
    PATH: [inputs.pythonBinDir, ...LAMBDA_PATH_TAIL].join(path.delimiter),
    LANG: 'en_US.UTF-8',
    LD_LIBRARY_PATH: [fn.codeDir, path.join(fn.codeDir, 'lib')].join(path.delimiter),
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    // reserved, with local values
    _HANDLER: fn.handler,
    AWS_REGION: inputs.region,
    AWS_DEFAULT_REGION: inputs.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${day}/[$LATEST]${inputs.requestId.replace(/-/g, '')}`,
    AWS_ACCESS_KEY_ID: 'AKIALOCALTRACE000000',
    AWS_SECRET_ACCESS_KEY: 'local-trace-secret-access-key',
    AWS_SESSION_TOKEN: 'local-trace-session-token',
    LAMBDA_TASK_ROOT: fn.codeDir,
    LAMBDA_RUNTIME_DIR: inputs.runtimeDir,
    TZ: ':UTC',
    // local plumbing: the fake daemon, no config or credentials files of this machine, no instance metadata
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${inputs.daemonPort}`,
    _AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1',
    _AWS_XRAY_DAEMON_PORT: String(inputs.daemonPort),
    AWS_CONFIG_FILE: path.join(inputs.tmp, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(inputs.tmp, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
  };
  if (inputs.endpointUrl) env.AWS_ENDPOINT_URL = inputs.endpointUrl;
  Object.assign(env, fn.environment);
  // The runner's own plumbing is not the caller's to change.
  env.AWS_XRAY_DAEMON_ADDRESS = `127.0.0.1:${inputs.daemonPort}`;
  env.LAMBDA_TASK_ROOT = fn.codeDir;
  env._HANDLER = fn.handler;
  return env;
}

function invalid(file: string, what: string): never {
  throw new LocalTraceUsageError(ToolErrorId.ENV_VARS_FILE_INVALID, `--env-vars ${path.resolve(file)}: ${what}. Expected SAM CLI's `
    + 'format: {"Parameters": {"NAME": "value"}, "<logical id, function name or construct path>": {"NAME": "value"}}.');
}

/** The variables of one object of an env-vars file: strings (numbers and booleans as text, as SAM CLI does). */
function variables(file: string, key: string, value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(file, `"${safeLine(key)}" is not an object`);
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string') out[name] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[name] = String(v);
    // The value is not echoed: it may be a secret.
    else invalid(file, `${safeLine(key)}.${safeLine(name)} is ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}, not a string`);
  }
  return out;
}

/**
 * The variables an env-vars file (SAM CLI's `--env-vars` format) gives `fn`: `Parameters` for every function,
 * then the object keyed by the function (its logical id, construct id, function name or construct path; SAM CLI
 * matches logical id, function id, function name and full path, in that order), which wins. SAM CLI's format:
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-using-invoke.html
 * ("Environment variable file"; read 2026-12-03).
 */
export function readEnvVarsFile(file: string, fn: AssemblyFunction): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch (e) {
    // Only the parser's position: the file's content may hold secrets.
    invalid(file, `not JSON (${safeLine((e as Error).message).replace(/"[^"]*"/g, '"…"').slice(0, 120)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) invalid(file, 'the file is not a JSON object');
  const doc = parsed as Record<string, unknown>;
  const constructPath = fn.constructPath?.replace(/\/Resource$/, '');
  // SAM CLI's order: logical id, function id (for a CDK app, the construct id), function name, full path.
  const own = [fn.logicalId, constructPath?.split('/').pop(), fn.properties.FunctionName, constructPath, fn.constructPath]
    .filter((k): k is string => typeof k === 'string');
  const key = own.find((k) => k in doc);
  return {
    ...(doc.Parameters === undefined ? {} : variables(file, 'Parameters', doc.Parameters)),
    ...(key === undefined ? {} : variables(file, key, doc[key])),
  };
}

/** `--pass-env NAME`: the named variables from `source` (this shell); each must be a name that is set. */
export function passEnvironment(names: readonly string[], source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new LocalTraceUsageError(ToolErrorId.PASS_ENV_NOT_SET, `--pass-env expects a variable name, got "${safeLine(name)}".`);
    }
    const value = source[name];
    if (value === undefined) {
      throw new LocalTraceUsageError(ToolErrorId.PASS_ENV_NOT_SET, `--pass-env ${name}: ${name} is not set in this shell; `
        + `export it first or leave --pass-env ${name} out.`);
    }
    out[name] = value;
  }
  return out;
}
