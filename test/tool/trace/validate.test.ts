import * as fs from 'fs';
import { synthApp } from './helpers';
import { describeLayerReference } from '../../../tool/common/assembly';
import { LocalTrace } from '../../../tool/trace';
import { buildSegments, renderHtml, renderText } from '../../../tool/trace/timeline';
import { readDocument, RunWindow } from '../../../tool/trace/validate';

// Broken segment documents, as a handler could send them to the daemon port. "$TRACE" is the run's trace id,
// "$PARENT" the Invocation segment's id, "$NOW" the current time. Each must be dropped with a reason that
// names the field, and none may throw or break the timeline.
const OK = '"id":"aaaaaaaaaaaaaaaa","trace_id":"$TRACE","parent_id":"$PARENT","type":"subsegment"';
const BROKEN: Array<[string, string, RegExp]> = [
  ['start_time of 1', `{${OK},"name":"a","start_time":1,"end_time":"$NOW"}`, /start_time 1 is not within this run/],
  ['name a number', `{${OK},"name":12345,"start_time":"$NOW","end_time":"$NOW"}`, /name is 12345, not a string/],
  ['name null', `{${OK},"name":null,"start_time":"$NOW","end_time":"$NOW"}`, /name is null, not a string/],
  ['name missing', `{${OK},"start_time":"$NOW","end_time":"$NOW"}`, /name is undefined, not a string/],
  ['name empty', `{${OK},"name":"","start_time":"$NOW","end_time":"$NOW"}`, /name has 0 characters/],
  ['name of 201 characters', `{${OK},"name":"${'n'.repeat(201)}","start_time":"$NOW","end_time":"$NOW"}`, /name has 201 characters/],
  ['start_time a string', `{${OK},"name":"a","start_time":"yesterday","end_time":"$NOW"}`, /start_time is "yesterday", not a number/],
  ['start_time missing', `{${OK},"name":"a","end_time":"$NOW"}`, /start_time is missing/],
  ['start_time far in the future', `{${OK},"name":"a","start_time":99999999999,"end_time":99999999999}`, /start_time 99999999999 is not within/],
  ['start_time negative', `{${OK},"name":"a","start_time":-5,"end_time":"$NOW"}`, /start_time -5 is not within/],
  ['start_time 1e308', `{${OK},"name":"a","start_time":1e308,"end_time":"$NOW"}`, /start_time 1e\+308 is not within/],
  ['end_time years before the run', `{${OK},"name":"a","start_time":"$NOW","end_time":1700000000}`, /end_time 1700000000 is not within/],
  ['end_time a boolean', `{${OK},"name":"a","start_time":"$NOW","end_time":true}`, /end_time is true, not a number/],
  ['neither end_time nor in_progress', `{${OK},"name":"a","start_time":"$NOW"}`, /has neither end_time nor in_progress/],
  ['in_progress a string', `{${OK},"name":"a","start_time":"$NOW","in_progress":"yes"}`, /in_progress is "yes", not true or false/],
  ['id too short', '{"id":"abc","trace_id":"$TRACE","name":"a","start_time":"$NOW","end_time":"$NOW"}', /id is "abc", not 16 hex digits/],
  ['id a number', '{"id":1234567890123456,"trace_id":"$TRACE","name":"a","start_time":"$NOW","end_time":"$NOW"}', /id is 1234567890123456, not a string/],
  ['id upper case', '{"id":"AAAAAAAAAAAAAAAA","trace_id":"$TRACE","name":"a","start_time":"$NOW","end_time":"$NOW"}', /not 16 hex digits/],
  ['trace_id missing', '{"id":"aaaaaaaaaaaaaaaa","name":"a","start_time":"$NOW","end_time":"$NOW"}', /trace_id is undefined/],
  ['trace_id malformed', '{"id":"aaaaaaaaaaaaaaaa","trace_id":"1-xyz","name":"a","start_time":"$NOW","end_time":"$NOW"}', /trace_id is "1-xyz"/],
  ['parent_id malformed', '{"id":"aaaaaaaaaaaaaaaa","trace_id":"$TRACE","parent_id":"p","name":"a","start_time":"$NOW","end_time":"$NOW"}', /parent_id is "p", not 16 hex/],
  ['type not subsegment', `{${OK.replace('"subsegment"', '"segment"')},"name":"a","start_time":"$NOW","end_time":"$NOW"}`, /type is "segment", not "subsegment"/],
  ['namespace unknown', `{${OK},"name":"a","namespace":"elsewhere","start_time":"$NOW","end_time":"$NOW"}`, /namespace is "elsewhere"/],
  ['http a list', `{${OK},"name":"a","http":[],"start_time":"$NOW","end_time":"$NOW"}`, /http is \[\], not an object/],
  ['http status a string', `{${OK},"name":"a","http":{"response":{"status":"200"}},"start_time":"$NOW","end_time":"$NOW"}`, /status is "200", not a number/],
  ['http status out of range', `{${OK},"name":"a","http":{"response":{"status":42}},"start_time":"$NOW","end_time":"$NOW"}`, /status is 42, not an HTTP status/],
  ['http method a number', `{${OK},"name":"a","http":{"request":{"method":7}},"start_time":"$NOW","end_time":"$NOW"}`, /method is 7, not a string/],
  ['aws.operation a list', `{${OK},"name":"a","aws":{"operation":["x"]},"start_time":"$NOW","end_time":"$NOW"}`, /operation is \["x"\], not a string/],
  ['fault a string', `{${OK},"name":"a","fault":"true","start_time":"$NOW","end_time":"$NOW"}`, /fault is "true", not true or false/],
  ['cause a number', `{${OK},"name":"a","cause":5,"start_time":"$NOW","end_time":"$NOW"}`, /cause is 5, not an object or an exception id/],
  ['cause exceptions not a list', `{${OK},"name":"a","cause":{"exceptions":{}},"start_time":"$NOW","end_time":"$NOW"}`, /exceptions is \{\}, not a list/],
  ['annotation an object', `{${OK},"name":"a","annotations":{"k":{}},"start_time":"$NOW","end_time":"$NOW"}`, /annotation "k" is \{\}/],
  ['subsegments an object', `{${OK},"name":"a","subsegments":{},"start_time":"$NOW","end_time":"$NOW"}`, /subsegments is \{\}, not a list/],
  ['a subsegment with a bad name (parent kept)', `{${OK},"name":"a","start_time":"$NOW","end_time":"$NOW","subsegments":[{"id":"bbbbbbbbbbbbbbbb","name":null,"start_time":"$NOW","end_time":"$NOW"}]}`, /subsegment 0 of "a": name is null/],
  ['a subsegment that is a string', `{${OK},"name":"a","start_time":"$NOW","end_time":"$NOW","subsegments":["x"]}`, /subsegment 0 of "a": is "x", not an object/],
  ['a list, not an object', '[1,2,3]', /segment is \[1,2,3\], not an object/],
  ['a number', '42', /segment is 42, not an object/],
  ['null', 'null', /segment is null, not an object/],
];

function window(traceId: string): RunWindow {
  const now = Date.now() / 1000;
  return { traceId, from: now - 60, to: now + 60 };
}

function fill(doc: string, traceId: string): unknown {
  return JSON.parse(doc.replace(/\$TRACE/g, traceId).replace(/\$PARENT/g, 'cccccccccccccccc').replace(/"\$NOW"/g, String(Date.now() / 1000)));
}

const TRACE = '1-6b000000-0123456789abcdef01234567';

test(`has at least 30 kinds of broken documents (${BROKEN.length})`, () => {
  expect(BROKEN.length).toBeGreaterThanOrEqual(30);
});

test.each(BROKEN)('drops a document with %s, naming the field', (_, doc, reason) => {
  const reading = readDocument(fill(doc, TRACE), window(TRACE));

  expect(reading.problems).toHaveLength(1);
  expect(reading.problems[0]).toMatch(reason);
  expect(reading.otherTrace).toBe(false);
  // Nothing broken reaches the timeline, and the timeline still renders.
  const rows = buildSegments(reading.entities, 'aaaaaaaaaaaaaaaa');
  const ctx = { title: 't', traceId: TRACE, succeeded: true, result: '1', notes: [], malformedDatagrams: 1, problems: reading.problems, otherTrace: 0 };
  expect(() => renderText(rows, ctx)).not.toThrow();
  expect(() => renderHtml(rows, ctx)).not.toThrow();
});

test('keeps a well-formed document, with SDK nulls for unset fields', () => {
  const reading = readDocument(fill(`{${OK},"name":"ok","start_time":"$NOW","end_time":"$NOW","aws":{"request_id":null}}`, TRACE), window(TRACE));
  expect(reading.problems).toEqual([]);
  expect(reading.entities.map((e) => e.name)).toEqual(['ok']);
});

test('counts a document of another trace and leaves it out', () => {
  const reading = readDocument(fill(`{${OK},"name":"other","start_time":"$NOW","end_time":"$NOW"}`, '1-6b000000-ffffffffffffffffffffffff'), window(TRACE));
  expect(reading).toEqual({ entities: [], problems: [], otherTrace: true });
});

test('shows entities whose parents form a cycle instead of recursing forever', () => {
  const now = Date.now() / 1000;
  const doc = (id: string, parent: string) => readDocument({ id, parent_id: parent, trace_id: TRACE, type: 'subsegment', name: id, start_time: now, end_time: now }, window(TRACE)).entities;
  const rows = buildSegments([...doc('1111111111111111', '2222222222222222'), ...doc('2222222222222222', '1111111111111111')], 'ffffffffffffffff');
  expect(rows.map((r) => r.id).sort()).toEqual(['1111111111111111', '2222222222222222']);
});

describe('through the fake daemon of a real run', () => {
  let assemblyDir: string;
  beforeAll(() => { assemblyDir = synthApp(false); });
  afterAll(() => fs.rmSync(assemblyDir, { recursive: true, force: true }));

  test('every broken document is counted and reported, another trace is left out, the run still succeeds', async () => {
    // GIVEN the broken documents, a well-formed one and one of another trace, sent by the handler
    const good = `{${OK.replace('aaaaaaaaaaaaaaaa', 'dddddddddddddddd')},"name":"well-formed","start_time":"$NOW","end_time":"$NOW"}`;
    const other = `{${OK},"trace_id":"1-6b000000-ffffffffffffffffffffffff","name":"other","start_time":"$NOW","end_time":"$NOW"}`;
    const documents = [...BROKEN.map(([, doc]) => doc), good, other.replace('"trace_id":"$TRACE",', '')];

    // WHEN
    const trace = await LocalTrace.invoke({ assemblyDir, functionId: 'SenderFunction', event: JSON.stringify({ documents }) });

    // THEN
    expect(trace.stderr).not.toMatch(/Traceback/);
    expect(trace.succeeded).toBe(true);
    expect(trace.malformedDatagrams).toBe(BROKEN.length);
    expect(trace.otherTraceDocuments).toBe(1);
    BROKEN.forEach(([, , reason]) => expect(trace.problems.some((p) => reason.test(p))).toBe(true));
    const row = trace.segments.find((s) => s.name === 'well-formed')!;
    expect(row).toMatchObject({ parentId: trace.segments.find((s) => s.name === 'Invocation')!.id, depth: 2 });
    expect(trace.segments.some((s) => s.name === 'other')).toBe(false);
    expect(trace.timeline).toContain(`${BROKEN.length} malformed datagram(s), 1 of other traces left out`);
    expect(trace.timeline).toMatch(/note: malformed: .*start_time 1 is not within this run/);
  });
});

describe('describeLayerReference', () => {
  test.each([
    ['arn:aws:lambda:us-east-1:123456789012:layer:Mine:3', 'arn:aws:lambda:us-east-1:123456789012:layer:Mine:3'],
    [{
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':',
        { 'Fn::FindInMap': ['TracedLambdaOpenTelemetryLayers', { Ref: 'AWS::Region' }, 'account'] }, ':layer:AWSOpenTelemetryDistroPython:',
        { 'Fn::FindInMap': ['TracedLambdaOpenTelemetryLayers', { Ref: 'AWS::Region' }, 'version'] }]],
    },
    'AWSOpenTelemetryDistroPython, its ARN looked up per region in the mapping TracedLambdaOpenTelemetryLayers at deploy time'],
    [{ 'Fn::ImportValue': 'x'.repeat(200) }, `${JSON.stringify({ 'Fn::ImportValue': 'x'.repeat(200) }).slice(0, 117)}...`],
  ])('%j', (layer, expected) => {
    expect(describeLayerReference(layer)).toEqual(expected);
  });
});
