import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PREVIOUS_TMPDIR_VARIABLE, SHARED_DIR_VARIABLE } from './shared-dir';

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
  const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-traced-lambda-test-shared-'));
  process.env[SHARED_DIR_VARIABLE] = shared;
  // Every temporary directory of the run goes under it too, so that the teardown removes them all. Each App
  // without an outdir gets a cdk.out from aws-cdk-lib in os.tmpdir() that nothing removes: a run left 319
  // folders there, 299 of them cdk.out, and a mutation run, which repeats tests per mutant, used up the disk's
  // inodes. Tests, and the Python they start, may leave some of their own. os.tmpdir() reads TMPDIR on every call.
  const tmp = path.join(shared, 'tmp');
  fs.mkdirSync(tmp);
  process.env[PREVIOUS_TMPDIR_VARIABLE] = process.env.TMPDIR ?? '';
  process.env.TMPDIR = tmp;
}
