/**
 * How TracingChecks' validateScope time grows with the number of functions in one stack, against cdk-nag's
 * ServerlessChecks on the same app (issue 14, point 2: at most 5x from 40 to 160 functions, at most 3x
 * ServerlessChecks at 160). Not a test: a measurement to run by hand.
 *
 *   npx ts-node --transpile-only scripts/nag-scaling.ts [N ...]    (default: 40 160)
 *
 * Each app: one stack of plain lambda.Functions, each with its own role and one extra policy statement.
 * Synthesized once; then each pack's validateScope runs 7 times, the two packs alternating, GC before
 * each run when node runs with --expose-gc; medians are printed.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NagPack, ServerlessChecks } from 'cdk-nag';
import { TracingChecks } from '../lib';

function buildApp(n: number): App {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  for (let i = 0; i < n; i++) {
    const fn = new lambda.Function(stack, `Fn${i}`, {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: 'index.handler',
      code: lambda.Code.fromInline('def handler(e, c): pass'),
    });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::bucket-${i}/*`] }));
  }
  app.synth();
  return app;
}

function timeOnce(pack: NagPack, app: App): number {
  (global as { gc?: () => void }).gc?.();
  const start = process.hrtime.bigint();
  pack.validateScope(app);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const sizes = process.argv.slice(2).map(Number).filter(n => n > 0);
const results: { n: number; tracing: number; serverless: number }[] = [];
for (const n of sizes.length > 0 ? sizes : [40, 160]) {
  const app = buildApp(n);
  const tracing: number[] = [];
  const serverless: number[] = [];
  timeOnce(new TracingChecks(), app); // warm-up (module loading, JIT)
  timeOnce(new ServerlessChecks(), app);
  for (let r = 0; r < 7; r++) {
    if (r % 2 === 0) {
      tracing.push(timeOnce(new TracingChecks(), app));
      serverless.push(timeOnce(new ServerlessChecks(), app));
    } else {
      serverless.push(timeOnce(new ServerlessChecks(), app));
      tracing.push(timeOnce(new TracingChecks(), app));
    }
  }
  results.push({ n, tracing: median(tracing), serverless: median(serverless) });
  console.log(`N=${n}: TracingChecks ${median(tracing).toFixed(1)} ms [${tracing.map(t => t.toFixed(0)).join(' ')}], `
    + `ServerlessChecks ${median(serverless).toFixed(1)} ms [${serverless.map(t => t.toFixed(0)).join(' ')}], `
    + `ratio ${(median(tracing) / median(serverless)).toFixed(2)}`);
}
if (results.length >= 2) {
  const [first, last] = [results[0], results[results.length - 1]];
  console.log(`growth ${first.n} -> ${last.n}: TracingChecks x${(last.tracing / first.tracing).toFixed(2)}, `
    + `ServerlessChecks x${(last.serverless / first.serverless).toFixed(2)}`);
}
