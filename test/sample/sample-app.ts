import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { BlankPythonStack } from '../../bin/blank-python-stack';
import { addSampleStacks, SampleStacks } from '../../bin/sample-stacks';

const ROOT = path.join(__dirname, '..', '..');

/** The context `cdk synth` uses (cdk.json's feature flags), so tests see the template users get. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
}

/**
 * A wheelhouse with the sample's requirements, made from this machine's installed distributions and local
 * indexes by the same script the README documents for offline synth (no network).
 */
export function makeWheelhouse(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sample-wheelhouse-'));
  execFileSync('python3', [path.join(ROOT, 'scripts', 'offline-wheelhouse.py'), dir], { stdio: 'pipe' });
  return dir;
}

/** An app with the context `npx cdk synth -c ...pipFindLinks=<wheelhouse> -c ...pipNoIndex=true` gives it. */
function sampleApp(wheelhouse: string, cacheDir: string): App {
  process.env.CDK_TRACED_LAMBDA_CACHE_DIR = cacheDir;
  // The built-in CloudFormation validation, as `cdk synth` runs it (test/global-setup.ts turns it off for
  // other tests; jest gives each test file its own copy of process.env).
  delete process.env.CDK_VALIDATION;
  return new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'sample-out-')),
    context: {
      ...cdkJsonContext(),
      // What the CDK CLI sets, so the template (and the snapshot) is the one `cdk synth` writes.
      'aws:cdk:enable-path-metadata': true,
      'aws:cdk:enable-asset-metadata': true,
      'cdk-traced-lambda:pipFindLinks': wheelhouse,
      'cdk-traced-lambda:pipNoIndex': 'true',
    },
  });
}

/** The X-Ray sample stack alone (its function is then the app's only one), synthesized offline. */
export function synthSample(wheelhouse: string, cacheDir: string): { app: App; stack: BlankPythonStack } {
  const app = sampleApp(wheelhouse, cacheDir);
  const stack = new BlankPythonStack(app, 'BlankPython', {
    description: 'cdk-traced-lambda sample: the blank-python function with X-Ray tracing',
  });
  return { app, stack };
}

/** The whole sample app, both stacks as bin/app.ts adds them, synthesized offline. */
export function synthSampleApp(wheelhouse: string, cacheDir: string): { app: App } & SampleStacks {
  const app = sampleApp(wheelhouse, cacheDir);
  return { app, ...addSampleStacks(app) };
}

/** The template with asset hashes replaced, so the snapshot changes only when the template does. */
export function normalizeAssetHashes(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '<asset-hash>'));
}
