import * as path from 'path';
import { GUIDE_URL, REPLACEMENTS } from './replacements';
import { plural } from './report';
import { MigrationReport, RemovablePackage, SourceReport, XRayUsageKind } from './types';
import { TracingContract } from 'cdk-traced-lambda';

/** The text report of `cdk-traced-lambda migrate`, for people. Node-only. */

/** A path relative to the working directory when it is inside it, else absolute. */
function shown(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

function pad(s: string, width: number): string {
  return s.length >= width ? `${s} ` : s + ' '.repeat(width - s.length);
}

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out;
}

function renderSource(source: SourceReport, lines: string[]): void {
  if (source.uses.length === 0) {
    lines.push('  X-Ray SDK uses: none');
  } else {
    lines.push(`  X-Ray SDK uses: ${source.uses.length} (${plural(source.callSites, 'call site')})`);
    const where = source.uses.map((u) => `${u.file}:${u.line}`);
    const whereWidth = Math.max(...where.map((w) => w.length)) + 2;
    const kindWidth = Math.max(...source.uses.map((u) => u.kind.length)) + 2;
    source.uses.forEach((u, i) => lines.push(`    ${pad(where[i], whereWidth)}${pad(u.kind, kindWidth)}${u.text}`));
    lines.push('  OpenTelemetry replacements:');
    const kinds = [...new Set(source.uses.map((u) => u.kind))];
    for (const kind of kinds) {
      const detailed = source.uses.find((u) => u.kind === kind && u.detail);
      const r = detailed ?? REPLACEMENTS[kind as XRayUsageKind];
      const indent = ' '.repeat(4 + kindWidth);
      wrap(r.replacement, Math.max(40, 110 - indent.length)).forEach((l, i) => lines.push(i === 0 ? `    ${pad(kind, kindWidth)}${l}` : indent + l));
      lines.push(`${indent}${r.reference}`);
    }
  }
  for (const e of source.errors) {
    lines.push(`  not parsed: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
  }
}

function renderPackages(packages: RemovablePackage[], lines: string[]): void {
  if (packages.length === 0) return;
  lines.push('  packages that can go:');
  for (const p of packages) {
    lines.push(`    ${p.name}${p.version ? ` ${p.version}` : ''} in ${p.location} (${shown(p.path)})${p.note ? `: ${p.note}` : ''}`);
  }
}

/** The report as text. */
export function renderText(report: MigrationReport): string {
  const lines: string[] = [];
  const t = report.totals;
  if (report.input.kind === 'directory') {
    lines.push(`cdk-traced-lambda migrate: ${shown(report.input.path)}`);
  } else {
    lines.push(`cdk-traced-lambda migrate: ${plural(report.functions.length, 'Python function')} in ${shown(report.input.path)}`);
  }
  lines.push(`${TracingContract.XRAY_SDK_END_OF_SUPPORT_NOTICE} Replacements follow AWS's migration guide:`);
  lines.push(`  ${GUIDE_URL}`);
  if (report.directory) {
    lines.push('');
    lines.push(`${shown(report.directory.codeDir)} (${plural(report.directory.files.length, 'Python file')})`);
    renderSource(report.directory, lines);
    renderPackages(report.directory.removablePackages, lines);
  }
  for (const fn of report.functions) {
    lines.push('');
    lines.push(`${fn.constructPath}  (${fn.runtime}, ${fn.handler})`);
    lines.push(`  instrumentation: ${fn.instrumentation ?? '(not a TracedFunction)'}`);
    const layer = fn.openTelemetryLayer;
    const release = layer.releaseKnown ? layer.release : `release unknown, read as ${layer.release}`;
    lines.push(`  the OpenTelemetry layer instruments${fn.instrumentation === 'open-telemetry' ? '' : ' (with Instrumentation.openTelemetry())'}: `
      + `${layer.loaded.join(', ')} (AWSOpenTelemetryDistroPython ${release}, ${layer.fastStart ? 'fast start' : 'full mode'})`);
    lines.push(`  code: ${fn.codeDir ? `${shown(fn.codeDir)} (${plural(fn.files.length, 'Python file')})` : 'not analyzed'}`);
    renderSource(fn, lines);
    renderPackages(fn.removablePackages, lines);
    for (const note of fn.notes) lines.push(`  note: ${note}`);
    lines.push('  next steps:');
    fn.nextSteps.forEach((s, i) => lines.push(`    ${i + 1}. ${s}`));
  }
  lines.push('');
  lines.push(`Total: ${plural(t.uses, 'X-Ray SDK use')} (${plural(t.callSites, 'call site')}) in ${plural(t.filesWithUses, 'file')}, `
    + `${plural(t.removablePackages, 'package')} to drop, ${plural(t.parseErrors, 'file')} not parsed.`);
  return lines.join('\n') + '\n';
}
