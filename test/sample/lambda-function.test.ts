import { spawnSync } from 'child_process';
import * as path from 'path';

const FUNCTION_DIR = path.join(__dirname, '..', '..', 'function');

/**
 * Runs Python code against function/lambda_function.py with boto3, jsonpickle and aws_xray_sdk replaced by
 * stubs (no AWS, no network), and returns what the code printed as JSON.
 */
function runWithStubs(code: string): any {
  const prelude = `
import json, logging, sys, types
calls = []
class Client:
    def get_account_settings(self):
        calls.append('GetAccountSettings')
        return {'AccountLimit': {}, 'AccountUsage': {'TotalCodeSize': 1234, 'FunctionCount': 3}}
boto3 = types.ModuleType('boto3'); boto3.client = lambda service: calls.append('client:' + service) or Client()
jsonpickle = types.ModuleType('jsonpickle'); jsonpickle.encode = lambda value: json.dumps(value, default=str)
xray = types.ModuleType('aws_xray_sdk'); core = types.ModuleType('aws_xray_sdk.core')
core.patch_all = lambda: calls.append('patch_all')
sys.modules.update({'boto3': boto3, 'jsonpickle': jsonpickle, 'aws_xray_sdk': xray, 'aws_xray_sdk.core': core})
records = []
class Capture(logging.Handler):
    def emit(self, record): records.append(record.getMessage())
logging.getLogger().addHandler(Capture())
sys.path.insert(0, ${JSON.stringify(FUNCTION_DIR)})
import lambda_function
`;
  const result = spawnSync('python3', ['-c', prelude + code], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

test('at start-up it patches all libraries for X-Ray before creating the Lambda client, and calls the API once', () => {
  const out = runWithStubs('print(json.dumps(calls))');
  expect(out).toEqual(['patch_all', 'client:lambda', 'GetAccountSettings']);
});

test('the handler returns the account usage from GetAccountSettings', () => {
  const out = runWithStubs(`
class Context: function_name = 'fn'; aws_request_id = 'req-1'; memory_limit_in_mb = 256; function_version = '$LATEST'
print(json.dumps({'result': lambda_function.lambda_handler({'hello': 'world'}, Context()), 'calls': calls}))`);
  expect(out.result).toEqual({ TotalCodeSize: 1234, FunctionCount: 3 });
  expect(out.calls.filter((c: string) => c === 'GetAccountSettings')).toHaveLength(2);
});

test('the handler logs the event and the environment with credentials redacted', () => {
  const out = runWithStubs(`
import os
os.environ.update({'AWS_SECRET_ACCESS_KEY': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'AWS_ACCESS_KEY_ID': 'ASIAIOSFODNN7EXAMPLE',
    'AWS_SESSION_TOKEN': 'IQoJb3JpZ2luX2VjEXAMPLE', 'DB_PASSWORD': 'hunter2', 'AWS_REGION': 'eu-west-1'})
lambda_function.lambda_handler({'hello': 'world'}, None)
print(json.dumps(records))`);
  const logged = out.join('\n');
  expect(logged).toContain('"hello": "world"');
  expect(logged).toContain('"AWS_REGION": "eu-west-1"');
  for (const secret of ['wJalrXUtnFEMI', 'ASIAIOSFODNN7EXAMPLE', 'IQoJb3JpZ2luX2VjEXAMPLE', 'hunter2']) {
    expect(logged).not.toContain(secret);
  }
  expect(logged).toContain('***redacted***');
});

test('redact keeps ordinary values and redacts values that look like keys even under harmless names', () => {
  const out = runWithStubs(`
print(json.dumps(lambda_function.redact({'PATH': '/usr/bin', 'SOMETHING': 'AKIAIOSFODNN7EXAMPLE', 'API_KEY': 'x', 'LANG': 'C.UTF-8'})))`);
  expect(out).toEqual({ PATH: '/usr/bin', SOMETHING: '***redacted***', API_KEY: '***redacted***', LANG: 'C.UTF-8' });
});
