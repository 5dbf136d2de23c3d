/**
 * `npm run mutation:table`: the per-file mutation scores of every area that has a report
 * (reports/mutation/<area>/mutation.json, written by `npm run mutation:<area>`), as the Markdown tables of
 * docs/mutation.md. Score = (killed + timed out) / (killed + timed out + survived + no coverage), as Stryker
 * computes it; ignored mutants (static initializers run once, and fixed message wording) and compile errors are counted apart, never in the score.
 */
import * as fs from 'fs';
import * as path from 'path';

interface Mutant { readonly status: string }
interface Report { readonly files: Record<string, { readonly mutants: readonly Mutant[] }> }

interface Counts { killed: number; survived: number; noCoverage: number; timeout: number; ignored: number; errors: number }

function count(mutants: readonly Mutant[]): Counts {
  const c: Counts = { killed: 0, survived: 0, noCoverage: 0, timeout: 0, ignored: 0, errors: 0 };
  for (const m of mutants) {
    switch (m.status) {
      case 'Killed': c.killed++; break;
      case 'Survived': c.survived++; break;
      case 'NoCoverage': c.noCoverage++; break;
      case 'Timeout': c.timeout++; break;
      case 'Ignored': c.ignored++; break;
      default: c.errors++; // CompileError, RuntimeError, Pending
    }
  }
  return c;
}

function add(a: Counts, b: Counts): Counts {
  return {
    killed: a.killed + b.killed,
    survived: a.survived + b.survived,
    noCoverage: a.noCoverage + b.noCoverage,
    timeout: a.timeout + b.timeout,
    ignored: a.ignored + b.ignored,
    errors: a.errors + b.errors,
  };
}

/** Stryker's mutation score, one decimal, or n/a when nothing was tested. */
export function score(c: Counts): string {
  const detected = c.killed + c.timeout;
  const valid = detected + c.survived + c.noCoverage;
  return valid === 0 ? 'n/a' : `${(Math.floor((1000 * detected) / valid) / 10).toFixed(1)} %`;
}

function row(name: string, c: Counts): string {
  return `| ${name} | ${score(c)} | ${c.killed + c.timeout} | ${c.survived} | ${c.noCoverage} | ${c.ignored} |`;
}

/** The Markdown for one area's report. */
export function areaTable(area: string, report: Report): string {
  const rows: string[] = [];
  let total = count([]);
  for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    const c = count(mutants);
    total = add(total, c);
    rows.push(row(`\`${file}\``, c));
  }
  return [
    `### \`${area}\`: ${score(total)}`,
    '',
    '| file | score | killed | survived | no coverage | ignored (static, wording) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    row('**all**', total),
    '',
  ].join('\n');
}

function main(): void {
  const root = path.join(__dirname, '..', 'reports', 'mutation');
  const areas = fs.existsSync(root) ? fs.readdirSync(root).filter(a => fs.existsSync(path.join(root, a, 'mutation.json'))).sort() : [];
  if (areas.length === 0) {
    process.stderr.write('no reports/mutation/<area>/mutation.json: run npm run mutation:<area> first\n');
    process.exit(2);
  }
  for (const area of areas) {
    const report = JSON.parse(fs.readFileSync(path.join(root, area, 'mutation.json'), 'utf8')) as Report;
    process.stdout.write(`${areaTable(area, report)}\n`);
  }
}

if (require.main === module) main();
