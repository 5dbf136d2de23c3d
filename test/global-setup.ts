import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SHARED_DIR_VARIABLE } from './shared-dir';

/**
 * jest `globalSetup`: one temporary directory per run for what test files share across workers (see
 * test/sample/shared-sample.ts). It starts empty; the first test file that needs the wheelhouse or the
 * sample's layers builds them there. Workers inherit the variable; test/global-teardown.ts removes it.
 */
export default function globalSetup(): void {
  // aws-cdk-lib's built-in CloudFormation validation starts a WebAssembly engine on the first synth of each
  // test file (about 5 s of CPU, some 30 files); outside the sample's tests its findings are only printed,
  // never asserted. Workers inherit this; the sample's helpers turn it back on (test/sample/sample-app.ts),
  // since cdk.json makes its errors fail the sample's synth.
  process.env.CDK_VALIDATION ??= 'false';
  process.env[SHARED_DIR_VARIABLE] = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-traced-lambda-test-shared-'));
}
