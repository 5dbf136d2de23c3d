import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exitId, runMain, synthFixtureApp } from './helpers';
import { ToolErrorId } from '../../../tool/common/errors';
import { maskUrlCredentials, safeJson, safeLine, safeText } from '../../../tool/common/safe-text';
import { renderHtml, renderText, TimelineContext } from '../../../tool/trace/timeline';
import { TraceSegment } from '../../../tool/trace/types';

// An OSC 52 clipboard write (ESC ] 52 ; c ; base64 BEL) in every place the CLI prints something that came from
// the handler, a datagram or a span: no raw ESC or BEL may reach stdout, stderr or an output file; the text
// around it is still shown, with the sequence escaped.
const OSC52 = '\u001b]52;c;ZWNobyBwd25lZA==\u0007';
const SHOWN = '\\x1b]52;c;ZWNobyBwd25lZA==\\x07';
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let assemblyDir: string;
let work: string;

beforeAll(() => {
  assemblyDir = synthFixtureApp([{ id: 'HostileFunction', fixture: 'hostile' }]);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'local-trace-terminal-'));
  fs.writeFileSync(path.join(work, 'raise.json'), '{"raise": true}');
});

afterAll(() => {
  fs.rmSync(assemblyDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

describe('a run whose handler prints, returns and sends OSC 52', () => {
  let stdout: string;
  let stderr: string;
  let raised: { stdout: string; stderr: string };
  beforeAll(async () => {
    const run = await runMain(['trace', '--app', assemblyDir, '--out', 'out.json', '--html', 'out.html', '--otlp-out', 'otlp.json'], work);
    expect(run.code).toBe(0);
    ({ stdout, stderr } = run);
    raised = await runMain(['trace', '--app', assemblyDir, '--event', 'raise.json'], work);
  });

  test('the handler\'s stdout', () => {
    expect(stderr).toContain(`stdout ${SHOWN}`);
    expect(stderr).not.toMatch(RAW);
  });

  test('the handler\'s stderr', () => {
    expect(stderr).toContain(`stderr ${SHOWN}`);
  });

  test('a segment name in the timeline', () => {
    expect(stdout).toContain(`└ segment ${SHOWN}`);
    expect(stdout).not.toMatch(RAW);
  });

  test('an error cause', () => {
    expect(stdout).toContain(`cause ${SHOWN}`);
  });

  test('the result', () => {
    // The result is JSON (json.dumps escapes the controls); the line holds no raw ones either way.
    expect(stdout).toMatch(/^result: \{"result": "result \\u001b\]52;c;ZWNobyBwd25lZA==\\u0007"\}$/m);
  });

  test('the exception the handler raised (the traceback)', () => {
    expect(raised.stdout).toContain(`RuntimeError: raised ${SHOWN}`);
    expect(raised.stdout + raised.stderr).not.toMatch(RAW);
  });

  test('a malformed datagram and a malformed segment, quoted in the notes', () => {
    expect(stdout).toMatch(/^note: malformed: datagram: .*datagram \\u001b\]52/m);
    expect(stdout).toMatch(/^note: malformed: segment "bad \\x1b\]52/m);
  });

  test('the --out JSON (annotations included)', () => {
    const text = fs.readFileSync(path.join(work, 'out.json'), 'utf-8');
    expect(text).not.toMatch(RAW);
    expect(JSON.stringify(JSON.parse(text))).toContain(`annotation ${JSON.stringify(OSC52).slice(1, -1)}`);
  });

  test('the --otlp-out JSON', () => {
    const text = fs.readFileSync(path.join(work, 'otlp.json'), 'utf-8');
    expect(text).not.toMatch(RAW);
    expect(text).toContain('segment \\u001b]52');
  });

  test('the --html page', () => {
    const html = fs.readFileSync(path.join(work, 'out.html'), 'utf-8');
    expect(html).not.toMatch(RAW);
    expect(html).toContain(`segment ${SHOWN}`);
  });
});

test('an OpenTelemetry span\'s name, kind and attributes in the span list', () => {
  const span: TraceSegment = {
    id: 'a'.repeat(16),
    source: 'opentelemetry',
    name: `span ${OSC52}`,
    depth: 0,
    startTime: 1,
    endTime: 2,
    offsetMs: 0,
    durationMs: 1000,
    spanKind: `kind${OSC52}`,
    error: false,
    fault: true,
    throttle: false,
    inProgress: false,
    synthesized: false,
    cause: `span cause ${OSC52}`,
    attributes: {},
    document: {},
  } as unknown as TraceSegment;
  const ctx: TimelineContext = {
    title: `title ${OSC52}`,
    traceId: 't',
    succeeded: false,
    traceback: `tb ${OSC52}`,
    notes: [`note ${OSC52}`],
    malformedDatagrams: 1,
    problems: [`problem ${OSC52}`],
    otherTrace: 0,
  };
  const text = renderText([span], ctx);
  const html = renderHtml([span], ctx);
  for (const out of [text, html]) {
    expect(out).not.toMatch(RAW);
    for (const shown of ['span ', 'span cause ', 'tb ', 'note ', 'problem ', 'title ']) expect(out).toContain(`${shown}${SHOWN}`);
  }
});

test('an exit-2 line quoting an argument', async () => {
  const run = await runMain(['trace', '--app', assemblyDir, '--function', `x${OSC52}`], work);
  expect(run.code).toBe(2);
  expect(exitId(run.stderr)).toBe(ToolErrorId.FUNCTION_NOT_SELECTED);
  expect(run.stderr).toContain(`x${SHOWN}`);
  expect(run.stderr).not.toMatch(RAW);
  const unknown = await runMain([`cmd${OSC52}`], work);
  expect(unknown.stderr).toContain(`cmd${SHOWN}`);
  expect(unknown.stderr).not.toMatch(RAW);
});

describe('safe-text', () => {
  test.each([
    ['ESC and BEL', `a${OSC52}b`, `a${SHOWN}b`],
    ['a screen clear', 'a\u001b[2J\u001b[Hb', 'a\\x1b[2J\\x1b[Hb'],
    ['a carriage return that would hide text', 'ok\rEVIL', 'ok\\rEVIL'],
    ['a C1 CSI', 'a\u009b2Jb', 'a\\x9b2Jb'],
    ['DEL', 'a\u007fb', 'a\\x7fb'],
    ['a bidi override', 'a\u202eb', 'a\\u202eb'],
    ['plain text with newline and tab, unchanged', 'a\tb\nc ünï €', 'a\tb\nc ünï €'],
  ])('safeText: %s', (_, input, shown) => {
    expect(safeText(input)).toBe(shown);
  });

  test('safeLine escapes newlines and tabs too', () => {
    expect(safeLine('a\nb\tc')).toBe('a\\nb\\tc');
  });

  test('safeJson keeps the value and escapes what JSON.stringify leaves raw', () => {
    const value = { s: `x\u009b\u007f\u202e${OSC52}` };
    const text = safeJson(value, 2);
    expect(text).not.toMatch(RAW);
    expect(text).not.toContain('\u202e');
    expect(JSON.parse(text)).toEqual(value);
  });

  test.each([
    ['http://user:pass@host/x', 'http://***@host/x'],
    ['https://token@github.com/o/r.git', 'https://***@github.com/o/r.git'],
    ['see postgres://admin:p%40ss@db:5432/app and http://plain.example/', 'see postgres://***@db:5432/app and http://plain.example/'],
    ['http://host/path@not-userinfo', 'http://host/path@not-userinfo'],
  ])('maskUrlCredentials(%s)', (input, masked) => {
    expect(maskUrlCredentials(input)).toBe(masked);
  });
});
