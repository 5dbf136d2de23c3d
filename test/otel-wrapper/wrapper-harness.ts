import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** The folder of the verbatim `otel-instrument` copies, one folder per release tag (see fixtures/README.md). */
export const FIXTURES = path.join(__dirname, 'fixtures');

/** The copy of the layer's wrapper script of `release` (`v0.19.0`). */
export function wrapperScript(release: string): string {
  const script = path.join(FIXTURES, release, 'otel-instrument');
  if (!fs.existsSync(script)) throw new Error(`no copy of otel-instrument for ${release} in ${FIXTURES}`);
  return script;
}

/** What the wrapper handed over to with its final `exec`. */
export interface WrapperRun {
  /** `python3` (the full SDK path: `python3 /opt/python/bin/opentelemetry-instrument ...`) or `runtime` (`exec "$@"`). */
  readonly program: 'python3' | 'runtime';
  /** The arguments of that program. */
  readonly args: string[];
  /** The environment it was started with (the harness's own variables removed). */
  readonly env: Record<string, string>;
}

/** What Lambda sets for every function before the wrapper runs (the values are stand-ins). */
const LAMBDA_ENVIRONMENT = {
  AWS_REGION: 'us-east-1',
  AWS_LAMBDA_FUNCTION_NAME: 'fn',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/fn',
  AWS_LAMBDA_LOG_STREAM_NAME: '2026/12/03/[$LATEST]0123',
  LAMBDA_RUNTIME_DIR: '/var/runtime',
  LAMBDA_TASK_ROOT: '/var/task',
};

const RECORD_VARIABLE = 'CDK_TRACED_LAMBDA_WRAPPER_RECORD';

/** A program that records how it was started (`$0`, its arguments, its environment) and exits. */
const RECORDER = `#!/bin/bash
printf '%s\\0' "$0" "$@" > "$${RECORD_VARIABLE}.args"
env -0 > "$${RECORD_VARIABLE}.env"
`;

/**
 * Runs the real `otel-instrument` of `release` under bash with `environment` (a function's variables, as
 * synthesized) on top of what Lambda sets, as Lambda runs it: `otel-instrument <runtime bootstrap>`. Nothing in
 * the script is changed; only its final `exec` reaches a stub: `python3` is a recorder first on `PATH`, and
 * the runtime bootstrap it is given is a recorder too.
 */
export function runWrapper(release: string, environment: Record<string, string>, handler: string): WrapperRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-wrapper-'));
  try {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const bootstrap = path.join(dir, 'bootstrap');
    for (const program of [path.join(bin, 'python3'), bootstrap]) {
      fs.writeFileSync(program, RECORDER, { mode: 0o755 });
    }
    const record = path.join(dir, 'record');
    const result = spawnSync('bash', [wrapperScript(release), bootstrap], {
      env: { ...LAMBDA_ENVIRONMENT, ...environment, _HANDLER: handler, PATH: `${bin}:/usr/bin:/bin`, [RECORD_VARIABLE]: record },
      encoding: 'utf8',
      timeout: 10_000,
    });
    if (result.status !== 0 || !fs.existsSync(`${record}.args`)) {
      throw new Error(`otel-instrument ${release} exited with ${result.status}: ${result.stderr}`);
    }
    const [program, ...args] = fs.readFileSync(`${record}.args`, 'utf8').split('\0').slice(0, -1);
    const env: Record<string, string> = {};
    for (const entry of fs.readFileSync(`${record}.env`, 'utf8').split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    for (const own of [RECORD_VARIABLE, 'PATH', 'PWD', 'SHLVL', '_', 'OLDPWD']) delete env[own];
    return { program: program === bootstrap ? 'runtime' : 'python3', args: args.map(a => a.replace(dir, '<tmp>')), env };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The environment variables and handler of the function resource with logical id prefix `id` (or the only one). */
export function synthesizedFunction(stack: Stack, id?: string): { environment: Record<string, string>; handler: string } {
  const functions = Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
    .filter(([logicalId]) => id === undefined || logicalId.startsWith(id));
  if (functions.length !== 1) throw new Error(`expected one function${id ? ` ${id}` : ''}, found ${functions.length}`);
  const properties = (functions[0][1] as any).Properties;
  const environment = properties.Environment?.Variables ?? {};
  for (const [key, value] of Object.entries(environment)) {
    if (typeof value !== 'string') throw new Error(`${key} is not a literal string in the template: ${JSON.stringify(value)}`);
  }
  return { environment, handler: properties.Handler };
}
