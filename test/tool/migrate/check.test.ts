import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES } from './helpers';
import { ToolErrorId } from '../../../tool/common/errors';
import { exitId, runCli } from '../trace/helpers';

// Given a copy of the blank-python handler, which uses the X-Ray SDK
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-check-'));
  fs.copyFileSync(path.join(FIXTURES, 'blank-python', 'lambda_function.py'), path.join(dir, 'lambda_function.py'));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('npx cdk-traced-lambda migrate --check exits 1 while a use remains, 0 once the code is migrated', async () => {
  // WHEN the CLI checks the X-Ray SDK version
  const before = await runCli(['migrate', dir, '--check'], { cwd: os.tmpdir(), timeoutMs: 60_000 });

  // THEN it fails, printing the report and why
  expect(before.code).toBe(1);
  expect(before.stdout).toMatch(/^ {4}lambda_function\.py:17 +patch_all +patch_all\(\)$/m);
  expect(before.stderr).toBe('cdk-traced-lambda migrate --check: 3 X-Ray SDK uses and 0 unparsable files remain.\n');

  // WHEN the handler is migrated: OpenTelemetry instead of the recorder and patch_all (the layer instruments boto3)
  const source = fs.readFileSync(path.join(dir, 'lambda_function.py'), 'utf-8')
    .replace('from aws_xray_sdk.core import xray_recorder\n', 'from opentelemetry import trace\n')
    .replace('from aws_xray_sdk.core import patch_all\n', '')
    .replace('patch_all()\n', 'tracer = trace.get_tracer(__name__)\n');
  expect(source).not.toContain('aws_xray_sdk');
  fs.writeFileSync(path.join(dir, 'lambda_function.py'), source);
  const after = await runCli(['migrate', dir, '--check'], { cwd: os.tmpdir(), timeoutMs: 60_000 });

  // THEN the check passes
  expect(after.stderr).toBe('');
  expect(after.code).toBe(0);
  expect(after.stdout).toContain('X-Ray SDK uses: none');
});

test('a usage error through the launcher exits 2 with one line and no stack trace', async () => {
  const run = await runCli(['migrate', '--check', '--bogus'], { cwd: os.tmpdir(), timeoutMs: 60_000 });
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/^cdk-traced-lambda migrate: [^\n]+\n$/);
  expect(exitId(run.stderr)).toBe(ToolErrorId.UNKNOWN_OPTION);
  expect(run.stderr).toContain('"--bogus"');
  expect(run.stdout).toBe('');
});
