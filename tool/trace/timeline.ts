import { Entity } from './entity';
import { TraceSegment } from './types';
import { safeLine, safeText } from '../common/safe-text';

/**
 * Turns validated entities (X-Ray segments and OpenTelemetry spans) into ordered TraceSegment rows and renders
 * them as text or HTML.
 */

/**
 * Order validated entities depth-first from the root, children by start time; duplicates (an in-progress
 * document later completed) keep the completed one. Entities whose parents form a cycle are shown at the top
 * level rather than lost.
 */
export function buildSegments(entities: Entity[], rootId: string, synthesizedIds: string[] = [rootId]): TraceSegment[] {
  const byId = new Map<string, Entity>();
  for (const e of entities) {
    const seen = byId.get(e.id);
    if (!seen || seen.inProgress || !e.inProgress) byId.set(e.id, e);
  }
  const children = new Map<string, Entity[]>();
  const tops: Entity[] = [];
  for (const e of byId.values()) {
    if (e.id !== rootId && e.parentId && e.parentId !== e.id && byId.has(e.parentId)) {
      children.set(e.parentId, [...(children.get(e.parentId) ?? []), e]);
    } else {
      tops.push(e);
    }
  }
  const byStart = (a: Entity, b: Entity) => a.start - b.start;
  tops.sort((a, b) => (a.id === rootId ? -1 : b.id === rootId ? 1 : byStart(a, b)));
  const root = byId.get(rootId);
  const origin = root?.start ?? [...byId.values()].reduce((min, e) => Math.min(min, e.start), Infinity);
  const rows: TraceSegment[] = [];
  const visited = new Set<string>();
  const visit = (e: Entity, depth: number) => {
    if (visited.has(e.id)) return;
    visited.add(e.id);
    rows.push({
      id: e.id,
      source: e.source,
      name: e.name,
      parentId: e.parentId,
      traceId: e.traceId,
      depth,
      startTime: e.start,
      endTime: e.end,
      offsetMs: Math.round((e.start - origin) * 100000) / 100,
      durationMs: e.end === undefined ? undefined : Math.round((e.end - e.start) * 100000) / 100,
      namespace: e.namespace,
      spanKind: e.spanKind,
      origin: e.origin,
      awsOperation: e.awsOperation,
      httpMethod: e.httpMethod,
      url: e.url,
      httpStatus: e.httpStatus,
      status: e.status,
      error: e.error,
      fault: e.fault,
      throttle: e.throttle,
      inProgress: e.inProgress,
      synthesized: synthesizedIds.includes(e.id),
      cause: e.cause,
      attributes: e.attributes,
      document: e.document,
    });
    for (const child of (children.get(e.id) ?? []).sort(byStart)) visit(child, depth + 1);
  };
  for (const top of tops) visit(top, 0);
  // Parent cycles (a handler can send anything): nothing of a cycle is a top, so show them at the top level.
  for (const e of [...byId.values()].sort(byStart)) visit(e, 0);
  return rows;
}

function flags(s: TraceSegment): string {
  return [s.fault && 'fault', s.error && 'error', s.throttle && 'throttle', s.inProgress && 'in-progress']
    .filter(Boolean).join(',');
}

/** The row's name (and AWS operation), on one line with its control characters escaped: it comes from the handler. */
function label(s: TraceSegment): string {
  return safeLine(s.awsOperation && !s.name.includes(s.awsOperation) ? `${s.name} ${s.awsOperation}` : s.name);
}

/** `aws` / `remote` for downstream calls, else the span kind (`server`, `internal`, ...), else `-`. */
function kind(s: TraceSegment): string {
  return safeLine(s.namespace ?? s.spanKind ?? '-');
}

/** What the text and HTML views show besides the rows. */
export interface TimelineContext {
  readonly title: string;
  readonly traceId: string;
  readonly succeeded: boolean;
  readonly result?: string;
  readonly traceback?: string;
  readonly notes: string[];
  readonly malformedDatagrams: number;
  /** Why each malformed datagram, segment or span was dropped. */
  readonly problems: string[];
  /** Documents and spans of other traces, left out. */
  readonly otherTrace: number;
}

function counts(rows: TraceSegment[], ctx: TimelineContext): string {
  const spans = rows.filter((r) => r.source === 'opentelemetry').length;
  return `${rows.length - spans} (sub)segments${spans ? `, ${spans} span(s)` : ''}, ${ctx.malformedDatagrams} malformed datagram(s)`
    + `${ctx.otherTrace ? `, ${ctx.otherTrace} of other traces left out` : ''}`;
}

/** The reasons, at most 10, for the notes. */
function problemNotes(ctx: TimelineContext): string[] {
  if (ctx.malformedDatagrams === 0 && ctx.otherTrace === 0) return [];
  const shown = ctx.problems.slice(0, 10).map((p) => `malformed: ${p}`);
  if (ctx.problems.length > 10) shown.push(`malformed: ... and ${ctx.problems.length - 10} more`);
  if (ctx.otherTrace) shown.push(`${ctx.otherTrace} document(s) or span(s) of other traces left out (e.g. spans made while the module was imported, outside the invocation)`);
  return shown;
}

const BAR_WIDTH = 32;

/**
 * A fixed-width text table with one row per (sub)segment and an ASCII bar. Every string from the handler, a
 * datagram or a span (names, causes, the result, the traceback, notes) has its control characters escaped.
 */
export function renderText(rows: TraceSegment[], ctx: TimelineContext): string {
  const total = rows.reduce((max, r) => Math.max(max, r.offsetMs + (r.durationMs ?? 0)), 1e-9);
  const names = rows.map((r) => `${'  '.repeat(r.depth)}${r.depth > 0 ? '└ ' : ''}${label(r)}`);
  const nameWidth = Math.min(48, names.reduce((max, n) => Math.max(max, n.length), 4));
  const lines = [
    `${ctx.title}`,
    `trace ${ctx.traceId}: ${counts(rows, ctx)}`,
    '',
    `${'name'.padEnd(nameWidth)}  ${'start ms'.padStart(9)}  ${'dur ms'.padStart(9)}  ${'kind'.padEnd(8)}  ${'http'.padEnd(4)}  ${'flags'.padEnd(11)}  timeline`,
  ];
  rows.forEach((r, i) => {
    const from = Math.max(0, Math.min(BAR_WIDTH - 1, Math.floor((r.offsetMs / total) * BAR_WIDTH)));
    const width = Math.max(1, Math.min(BAR_WIDTH, Math.round(((r.durationMs ?? 0) / total) * BAR_WIDTH)));
    const bar = ' '.repeat(from) + (r.fault || r.error ? '!' : '█').repeat(Math.min(width, BAR_WIDTH - from));
    const name = names[i].length > nameWidth ? names[i].slice(0, nameWidth - 1) + '…' : names[i];
    lines.push(`${name.padEnd(nameWidth)}  ${r.offsetMs.toFixed(1).padStart(9)}  ${(r.durationMs === undefined ? '-' : r.durationMs.toFixed(1)).padStart(9)}  `
      + `${kind(r).padEnd(8)}  ${String(r.httpStatus ?? '-').padEnd(4)}  ${(flags(r) || '-').padEnd(11)}  |${bar.padEnd(BAR_WIDTH)}|`);
  });
  lines.push('');
  for (const r of rows.filter((x) => x.cause && !x.synthesized)) lines.push(`cause on ${label(r)}: ${safeLine(r.cause ?? '')}`);
  if (ctx.succeeded) lines.push(`result: ${ctx.result}`);
  else lines.push('handler raised:', (ctx.traceback ?? '').trimEnd());
  if (ctx.malformedDatagrams > 0) lines.push(`malformed datagrams: ${ctx.malformedDatagrams} (ignored)`);
  for (const p of problemNotes(ctx)) lines.push(`note: ${safeLine(p)}`);
  for (const note of ctx.notes) lines.push(`note: ${safeLine(note)}`);
  return safeText(lines.join('\n')) + '\n';
}

/** HTML-escaped, and control characters written as escapes (a page's text may be copied to a terminal). */
function esc(s: string): string {
  return safeText(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An axis and one row per segment, positioned relative to `fromMs` on a `spanMs` wide scale. */
function lanes(rows: TraceSegment[], fromMs: number, spanMs: number): string {
  const pct = (ms: number) => `${((ms / spanMs) * 100).toFixed(3)}%`;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<span class="tick" style="left:${f * 100}%">${(fromMs + spanMs * f).toFixed(spanMs < 100 ? 1 : 0)} ms</span>`).join('');
  const minDepth = rows.reduce((min, r) => Math.min(min, r.depth), Infinity);
  return `<div class="axis"><div></div><div class="lane">${ticks}</div></div>\n` + rows.map((r) => {
    const colour = r.fault || r.error ? 'bad' : r.namespace === 'aws' ? 'aws' : r.namespace === 'remote' ? 'remote' : r.synthesized ? 'lambda' : 'local';
    const meta = [r.namespace ?? r.spanKind, r.httpStatus && `HTTP ${r.httpStatus}`, flags(r)].filter(Boolean).join(' · ');
    const tip = `${label(r)}: starts ${r.offsetMs.toFixed(1)} ms, ${r.durationMs?.toFixed(1) ?? '?'} ms${r.cause ? `\n${r.cause}` : ''}`;
    const offset = r.offsetMs - fromMs;
    return `<div class="row"><div class="name" style="padding-left:${8 + (r.depth - minDepth) * 16}px" title="${esc(tip)}">${esc(label(r))}`
      + `<span class="meta">${esc(meta)}</span></div><div class="lane"><div class="bar ${colour}" title="${esc(tip)}" `
      + `style="left:${pct(offset)};width:max(2px,${pct(r.durationMs ?? 0)})"></div><span class="dur" style="left:${pct(offset + (r.durationMs ?? 0))}">`
      + `${r.durationMs?.toFixed(1) ?? '?'} ms</span></div></div>`;
  }).join('\n');
}

/** A self-contained HTML page: inline CSS, bars positioned by offset and duration, no scripts or external files. */
export function renderHtml(rows: TraceSegment[], ctx: TimelineContext): string {
  const total = rows.reduce((max, r) => Math.max(max, r.offsetMs + (r.durationMs ?? 0)), 1e-9);
  let body = lanes(rows, 0, total);
  // A cold start can dwarf the invocation: then show the invocation again on its own scale.
  const invocation = rows.find((r) => r.synthesized && r.name === 'Invocation');
  const span = invocation?.durationMs;
  if (invocation && span !== undefined && span < total * 0.2) {
    const inside = rows.filter((r) => r.offsetMs >= invocation.offsetMs && r.depth >= invocation.depth
      && r.offsetMs + (r.durationMs ?? 0) <= invocation.offsetMs + span + 0.05);
    body += `\n<h2>Invocation, zoomed</h2>\n${lanes(inside, invocation.offsetMs, Math.max(1e-9, span))}`;
  }
  const outcome = ctx.succeeded
    ? `<h2>Result</h2><pre class="ok">${esc(ctx.result ?? '')}</pre>`
    : `<h2>Handler raised</h2><pre class="err">${esc(ctx.traceback ?? '')}</pre>`;
  const notes = [...ctx.notes, ...(ctx.malformedDatagrams ? [`${ctx.malformedDatagrams} malformed datagram(s) ignored`] : []), ...problemNotes(ctx)];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(ctx.title)}</title>
<style>
body{font:13px/1.4 -apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:16px 20px;color:#16191f;background:#fff}
h1{font-size:17px;margin:0 0 2px}h2{font-size:14px;margin:18px 0 6px}.sub{color:#5f6b7a;margin-bottom:12px;font-family:monospace}
.axis,.row{display:grid;grid-template-columns:340px 1fr;align-items:center}
.axis .lane{height:18px;border-bottom:1px solid #d1d5db}.tick{position:absolute;transform:translateX(-50%);font-size:11px;color:#5f6b7a;white-space:nowrap}
.tick:first-child{transform:none}.tick:last-child{transform:translateX(-100%)}
.row{border-bottom:1px solid #eef0f2;min-height:26px}.row:hover{background:#f5f8fb}
.name{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.meta{color:#5f6b7a;font-size:11px;margin-left:8px}
.lane{position:relative;height:26px;margin-right:70px}
.bar{position:absolute;top:7px;height:12px;border-radius:2px}.dur{position:absolute;top:5px;margin-left:6px;font-size:11px;color:#5f6b7a;white-space:nowrap}
.lambda{background:#8d99a8}.aws{background:#ff9900}.remote{background:#2e7dd7}.local{background:#3aa76d}.bad{background:#d13212}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px;vertical-align:-1px}
pre{background:#f4f5f7;padding:8px 10px;border-radius:4px;white-space:pre-wrap;margin:0}pre.err{background:#fdecea;color:#7a1a0a}
ul{margin:4px 0;padding-left:18px;color:#5f6b7a}
</style></head><body>
<h1>${esc(ctx.title)}</h1>
<div class="sub">trace ${esc(ctx.traceId)} · ${esc(counts(rows, ctx))}</div>
<div class="legend"><span><i class="lambda"></i>Lambda (local)</span><span><i class="aws"></i>aws</span><span><i class="remote"></i>remote</span><span><i class="local"></i>local</span><span><i class="bad"></i>error / fault</span></div>
${body}
${outcome}
${notes.length ? `<h2>Notes</h2><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
