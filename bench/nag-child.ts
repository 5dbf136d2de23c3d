// Scenario 6 (nag): this library's TracingChecks against cdk-nag's ServerlessChecks, `validateScope` on
// the same synthesized app of plain lambda.Functions (each with its role and one policy statement: the
// X-Ray statement `Tracing.ACTIVE` adds), in one `node --expose-gc` process, GC before each call, the
// two packs' order alternating per repetition. Run by nag.ts.
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ServerlessChecks } from 'cdk-nag';
import { rotated } from './overhead-child';
import { TracingChecks } from './subject';
import { reportResult } from './util';

export interface NagInput {
  /** Apps to check: N functions spread evenly over `stacks` stacks. */
  readonly apps: { n: number; stacks: number }[];
  readonly reps: number;
  readonly outdir: string;
}

export type PackName = 'TracingChecks' | 'ServerlessChecks';

export interface NagRun {
  readonly n: number;
  readonly stacks: number;
  readonly pack: PackName;
  readonly rep: number;
  /** `pack.validateScope(app)`, milliseconds. */
  readonly ms: number;
  /** Violating resources the pack reported (a sanity check that it looked at the functions). */
  readonly findings: number;
}

const CODE = 'def handler(event, context):\n    return {"ok": True}\n';

function buildApp(n: number, stacks: number, outdir: string): App {
  const app = new App({ outdir });
  const perStack = Math.ceil(n / stacks);
  for (let s = 0; s < stacks; s++) {
    const stack = new Stack(app, `Nag${s}`, { env: { account: '123456789012', region: 'us-east-1' } });
    for (let i = s * perStack; i < Math.min(n, (s + 1) * perStack); i++) {
      new lambda.Function(stack, `Fn${i}`, {
        runtime: lambda.Runtime.PYTHON_3_13,
        handler: 'index.handler',
        code: lambda.Code.fromInline(CODE),
        tracing: lambda.Tracing.ACTIVE,
      });
    }
  }
  app.synth();
  return app;
}

function main(input: NagInput): { runs: NagRun[] } {
  const gc = (global as unknown as { gc?: () => void }).gc;
  if (!gc) {
    throw new Error('bench: nag-child.js needs `node --expose-gc`');
  }
  const packs: PackName[] = ['TracingChecks', 'ServerlessChecks'];
  const runs: NagRun[] = [];
  // One unmeasured call of each pack first (module loading, JIT).
  const warm = buildApp(10, 1, `${input.outdir}/warm`);
  new TracingChecks().validateScope(warm);
  new ServerlessChecks().validateScope(warm);
  for (let rep = 0; rep < input.reps; rep++) {
    for (const { n, stacks } of input.apps) {
      const app = buildApp(n, stacks, `${input.outdir}/n${n}`);
      for (const pack of rotated(packs, rep)) {
        const plugin = pack === 'TracingChecks' ? new TracingChecks() : new ServerlessChecks();
        gc();
        const started = performance.now();
        const report = plugin.validateScope(app);
        const ms = performance.now() - started;
        const findings = report.violations.reduce((sum, v) => sum + v.violatingResources.length, 0);
        runs.push({ n, stacks, pack, rep, ms, findings });
      }
    }
  }
  return { runs };
}

if (require.main === module) {
  reportResult(main(JSON.parse(process.argv[2]) as NagInput));
}
