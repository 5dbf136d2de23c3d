import * as path from 'path';
import { BUILD } from './build';
import { Fixtures } from './fixtures';
import { OverheadInput, OverheadResult, OverheadRun } from './overhead-child';
import { instrumentationCases } from './subject';
import { BuiltLayer } from './synth-scaling';
import { freshDir, log, median, runChild, spread, table } from './util';

export const OVERHEAD_CHILD = path.join(BUILD, 'bench', 'overhead-child.js');

/** The overhead target of issue 14: TracedFunction / hand-written, per instrumentation and N. */
export const OVERHEAD_GOAL = 1.02;

/** One (N, instrumentation) cell: both variants' runs and their ratios. */
export interface OverheadCell {
  readonly n: number;
  readonly instrumentation: string;
  readonly traced: number[];
  readonly hand: number[];
  /** median(traced) / median(hand). */
  readonly ratio: number;
  /** traced / hand within each repetition (same GC state and neighbourhood), in order. */
  readonly pairedRatios: number[];
  /** CPU time of the process over the same spans (less sensitive to other load on a shared machine). */
  readonly tracedCpu: number[];
  readonly handCpu: number[];
  readonly cpuRatio: number;
}

export interface OverheadResults extends OverheadResult {
  readonly cells: OverheadCell[];
  readonly reps: number;
  readonly warmup: number;
}

/**
 * Runs overhead-child.js once (`node --expose-gc`, aws-cdk-lib's built-in CloudFormation validation
 * off: both variants make the same template, so it would add the same seconds to both and only hide
 * the library's share).
 */
export function runOverhead(fixtures: Fixtures, layer: BuiltLayer, ns: number[], reps: number, warmup: number): OverheadResults {
  const input: OverheadInput = {
    ns,
    reps,
    warmup,
    outdir: freshDir('overhead'),
    requirementsFile: fixtures.sampleRequirements,
    wheelhouse: fixtures.wheelhouse,
    cacheDir: layer.cacheDir,
  };
  const result = runChild<OverheadResult>(OVERHEAD_CHILD, input, { ...process.env, CDK_VALIDATION: 'false' }, ['--expose-gc']);
  const cells: OverheadCell[] = [];
  for (const n of ns) {
    for (const c of instrumentationCases()) {
      const pick = (variant: string) => result.runs.filter(r => r.n === n && r.instrumentation === c.name && r.variant === variant)
        .sort((a, b) => a.rep - b.rep);
      const traced = pick('traced');
      const hand = pick('hand');
      if (traced.length === 0) continue;
      const cell: OverheadCell = {
        n,
        instrumentation: c.name,
        traced: traced.map(r => r.ms),
        hand: hand.map(r => r.ms),
        ratio: median(traced.map(r => r.ms)) / median(hand.map(r => r.ms)),
        pairedRatios: traced.map((t, i) => t.ms / hand[i].ms),
        tracedCpu: traced.map(r => r.cpuMs),
        handCpu: hand.map(r => r.cpuMs),
        cpuRatio: median(traced.map(r => r.cpuMs)) / median(hand.map(r => r.cpuMs)),
      };
      cells.push(cell);
      log(`overhead N=${n} ${c.name}: traced ${median(cell.traced).toFixed(0)} ms, hand-written ${median(cell.hand).toFixed(0)} ms, ratio ${cell.ratio.toFixed(3)} (CPU time ${cell.cpuRatio.toFixed(3)})`);
    }
  }
  return { ...result, cells, reps, warmup };
}

/** The Markdown section. */
export function renderOverhead(o: OverheadResults): string[] {
  const labels = new Map(instrumentationCases().map(c => [c.name, c.label]));
  const lines: string[] = [];
  lines.push('## 5. Overhead: TracedFunction against the hand-written equivalent (same resources)', '');
  lines.push('One stack, one warm PythonDependencyLayer and N functions. **TracedFunction**: `new TracedFunction(...)` with the instrumentation. '
    + '**Hand-written**: `new lambda.Function(...)` (no `tracing` prop), `CfnFunction.tracingConfig = { mode: Active }`, '
    + '`role.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName(\'AWSXRayDaemonWriteAccess\'))`, plus the layers and environment '
    + 'variables the instrumentation adds (read from a probe TracedFunction). The run checks that both variants synthesize the same '
    + 'template apart from resource Metadata (where TracedFunction records its instrumentation).', '');
  lines.push(`All synths in **one** \`node --expose-gc\` process, \`global.gc()\` before each, the order of the ${o.cells.length / new Set(o.cells.map(c => c.n)).size * 2} `
    + `variants rotated by one on every repetition; ${o.warmup} unmeasured warm-up repetition(s) before the first N, then ${o.reps} measured per N. `
    + 'Timed: `new App()` to the end of `app.synth()`. aws-cdk-lib\'s built-in CloudFormation validation is off (`CDK_VALIDATION=false`): '
    + 'it validates the same template in both variants, so it adds the same seconds to both (about 2.5 s of engine start plus '
    + 'template checks, see section 1) and would only dilute the ratio.', '');
  lines.push('The goal is judged on wall time (the ratio of medians). CPU time of the process over the same spans (user + system, all threads, '
    + '`process.cpuUsage()`) is shown beside it: on a shared machine it moves less with other load than wall time does.', '');
  lines.push(table(['N', 'Instrumentation', 'TracedFunction (median, spread)', 'Hand-written (median, spread)', 'Ratio of medians', 'Per function', 'Per-repetition ratios', 'CPU-time ratio', 'Goal ≤ ' + OVERHEAD_GOAL],
    o.cells.map(c => [
      String(c.n),
      labels.get(c.instrumentation) ?? c.instrumentation,
      `${median(c.traced).toFixed(0)} ms (${spread(c.traced, 0)})`,
      `${median(c.hand).toFixed(0)} ms (${spread(c.hand, 0)})`,
      c.ratio.toFixed(3),
      `${((median(c.traced) - median(c.hand)) / c.n).toFixed(2)} ms`,
      c.pairedRatios.map(r => r.toFixed(3)).join(', '),
      c.cpuRatio.toFixed(3),
      c.ratio <= OVERHEAD_GOAL ? '**met**' : '**missed**',
    ])), '');
  lines.push('Every synth, in the order it ran (wall ms / CPU ms; T = TracedFunction, H = hand-written):', '');
  const byRep = new Map<string, OverheadRun[]>();
  for (const r of o.runs) {
    const key = `${r.n}/${r.rep}`;
    byRep.set(key, [...(byRep.get(key) ?? []), r]);
  }
  lines.push(table(['N', 'Repetition', 'Synths'], [...byRep.entries()].map(([key, runs]) => {
    const [n, rep] = key.split('/');
    return [n, String(Number(rep) + 1), runs.sort((a, b) => a.position - b.position)
      .map(r => `${r.instrumentation} ${r.variant === 'traced' ? 'T' : 'H'} ${r.ms.toFixed(0)}/${r.cpuMs.toFixed(0)}`).join(', ')];
  })), '');
  const extras = Object.entries(o.extras).map(([name, e]) => `${name}: ${e.layers.length ? `layers ${e.layers.join(', ')}` : 'no layer'}`
    + `${e.environment.length ? `, variables ${e.environment.join(', ')}` : ''}`);
  lines.push(`What the hand-written variant adds per instrumentation: ${extras.join('; ')}. Resources per template (first N): `
    + `${Object.entries(o.resources).map(([k, v]) => `${k} ${v}`).join(', ')}.`, '');
  return lines;
}
