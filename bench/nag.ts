import * as path from 'path';
import { BUILD } from './build';
import { NagInput, NagRun, PackName } from './nag-child';
import { freshDir, log, median, runChild, spread, table } from './util';

export const NAG_CHILD = path.join(BUILD, 'bench', 'nag-child.js');

/** Issue 14's goals: growth of TracingChecks from 40 to 160 functions in one stack, and its ratio to ServerlessChecks at 160. */
export const NAG_GROWTH_GOAL = 5;
export const NAG_RATIO_GOAL = 3;

/** The apps checked: 40 and 160 functions in one stack; 500 in four stacks of 125. */
export const NAG_APPS = [{ n: 40, stacks: 1 }, { n: 160, stacks: 1 }, { n: 500, stacks: 4 }];

export interface NagResults {
  readonly runs: NagRun[];
  readonly reps: number;
}

/** Runs nag-child.js once (`node --expose-gc`; the apps are synthesized untimed with validation off). */
export function runNag(apps: { n: number; stacks: number }[], reps: number): NagResults {
  const input: NagInput = { apps, reps, outdir: freshDir('nag') };
  const { runs } = runChild<{ runs: NagRun[] }>(NAG_CHILD, input, { ...process.env, CDK_VALIDATION: 'false' }, ['--expose-gc']);
  for (const { n } of apps) {
    log(`nag N=${n}: TracingChecks ${median(times(runs, n, 'TracingChecks')).toFixed(0)} ms, `
      + `ServerlessChecks ${median(times(runs, n, 'ServerlessChecks')).toFixed(0)} ms`);
  }
  return { runs, reps };
}

export function times(runs: NagRun[], n: number, pack: PackName): number[] {
  return runs.filter(r => r.n === n && r.pack === pack).map(r => r.ms);
}

/** TracingChecks' growth 40 → 160 and its ratio to ServerlessChecks at 160 (medians), if both were measured. */
export function nagFigures(r: NagResults): { growth?: number; ratio160?: number } {
  const m = (n: number, pack: PackName) => median(times(r.runs, n, pack));
  const growth = m(160, 'TracingChecks') / m(40, 'TracingChecks');
  const ratio160 = m(160, 'TracingChecks') / m(160, 'ServerlessChecks');
  return { growth: Number.isFinite(growth) ? growth : undefined, ratio160: Number.isFinite(ratio160) ? ratio160 : undefined };
}

export function renderNag(r: NagResults): string[] {
  const lines: string[] = [];
  lines.push('## 6. The nag pack: TracingChecks against cdk-nag\'s ServerlessChecks', '');
  lines.push('`pack.validateScope(app)` on the same synthesized app of plain `lambda.Function`s with `tracing: Tracing.ACTIVE` (each with its role and one '
    + 'policy statement), in one `node --expose-gc` process, `global.gc()` before each call, the two packs\' order alternating per repetition, '
    + `after one unmeasured call of each on a small app; ${r.reps} repetition(s). ServerlessChecks has about four times as many rules.`, '');
  const ns = [...new Set(r.runs.map(x => x.n))];
  lines.push(table(['Functions (stacks)', 'TracingChecks (median, spread)', 'ServerlessChecks (median, spread)', 'Ratio', 'Findings (Tracing / Serverless)'],
    ns.map(n => {
      const t = times(r.runs, n, 'TracingChecks');
      const s = times(r.runs, n, 'ServerlessChecks');
      const any = r.runs.find(x => x.n === n)!;
      const findings = (pack: PackName) => r.runs.find(x => x.n === n && x.pack === pack)?.findings ?? 0;
      return [`${n} (${any.stacks})`, `${median(t).toFixed(0)} ms (${spread(t, 0)})`, `${median(s).toFixed(0)} ms (${spread(s, 0)})`,
        (median(t) / median(s)).toFixed(1), `${findings('TracingChecks')} / ${findings('ServerlessChecks')}`];
    })), '');
  lines.push('Every call, in order (ms): ' + r.runs.map(x => `${x.pack === 'TracingChecks' ? 'T' : 'S'}${x.n} ${x.ms.toFixed(0)}`).join(', ') + '.', '');
  return lines;
}
