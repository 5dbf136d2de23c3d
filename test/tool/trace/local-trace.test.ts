import * as dgram from 'dgram';
import * as fs from 'fs';
import { ACCOUNT_SETTINGS, expectToolError, startLambdaStub, Stub, synthApp } from './helpers';
import { ToolErrorId } from '../../../tool/common/errors';
import { LocalTrace, TraceSegment } from '../../../tool/trace';
import { parseDatagram } from '../../../tool/trace/process';

// The app is synthesized the way a user's jest test does it (`new App()`: no asset or path metadata), so the
// assembly reader has to find assets through the asset manifest and paths through the stack metadata.
let assemblyDir: string;
let stub: Stub;

beforeAll(async () => {
  assemblyDir = synthApp(false);
  stub = await startLambdaStub();
});

afterAll(async () => {
  await stub.close();
  fs.rmSync(assemblyDir, { recursive: true, force: true });
});

beforeEach(() => stub.requests.splice(0));

function byName(segments: TraceSegment[], name: string): TraceSegment[] {
  return segments.filter((s) => s.name === name);
}

describe('the blank-python handler with a stub Lambda endpoint', () => {
  test('returns the stub\'s account usage and records the GetAccountSettings call under Invocation', async () => {
    // WHEN
    const trace = await LocalTrace.invoke({
      assemblyDir, functionId: 'BlankFunction', endpointUrl: stub.url, event: '{"source":"test"}',
    });

    // THEN the handler ran with the layer on sys.path and returned the stub's answer
    expect(trace.stderr).not.toMatch(/Traceback/);
    expect(trace.succeeded).toBe(true);
    expect(trace.result).toEqual(ACCOUNT_SETTINGS.AccountUsage);
    expect(stub.requests).toEqual(['GET /2016-08-19/account-settings', 'GET /2016-08-19/account-settings']);
    expect(trace.constructPath).toBe('LocalTraceTest/BlankFunction/Resource');

    // AND the trace has the function segment, its phases and the SDK's subsegment
    const [root, ...rest] = trace.segments;
    expect(root).toMatchObject({ name: trace.functionName, origin: 'AWS::Lambda::Function', depth: 0, offsetMs: 0, synthesized: true, fault: false });
    expect(rest.every((s) => s.traceId === trace.traceId)).toBe(true);
    const invocation = byName(trace.segments, 'Invocation')[0];
    const calls = trace.segments.filter((s) => s.awsOperation === 'GetAccountSettings');
    // Lambda sets no trace header while the module is imported: the start-up call is dropped, as in AWS.
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ name: 'lambda', namespace: 'aws', httpStatus: 200, parentId: invocation.id, depth: 2, error: false, fault: false, synthesized: false });
    expect(calls[0].offsetMs).toBeGreaterThanOrEqual(invocation.offsetMs);
    expect(calls[0].durationMs).toBeLessThanOrEqual(invocation.durationMs!);
    expect(trace.malformedDatagrams).toBe(0);

    // AND the timeline text shows the row
    expect(trace.timeline).toMatch(/└ lambda GetAccountSettings\s+[\d.]+\s+[\d.]+\s+aws\s+200\s+-/);
    expect(trace.timeline).toContain('result: {"TotalCodeSize": 1234, "FunctionCount": 3}');
  });

  test('passes the template environment, the Lambda variables and a context object', async () => {
    const trace = await LocalTrace.invoke({ assemblyDir, functionId: 'BlankFunction', endpointUrl: stub.url, environment: { GREETING: 'overridden' } });

    // The runtime's log format on stdout: [LEVEL] time request-id message
    expect(trace.stdout).toContain(`"AWS_LAMBDA_FUNCTION_NAME": "${trace.functionName}"`);
    expect(trace.stdout).toContain('"GREETING": "overridden"');
    expect(trace.stdout).toMatch(new RegExp(`\\[INFO\\]\\t\\S+Z\\t([0-9a-f-]{36})\\t## CONTEXT\\r${trace.functionName} \\1 128MB \\d+ms left`));
    // A Ref cannot be resolved before deploy: left out, and said so.
    expect(trace.notes.join('\n')).toMatch(/LAYER_ARN is \{"Ref":"HelperLayer[0-9A-F]+"\}, resolved only at deploy time/);
  });

  test('records the start-up call under Initialization with traceInit', async () => {
    const trace = await LocalTrace.invoke({ assemblyDir, functionId: 'BlankFunction', endpointUrl: stub.url, traceInit: true });

    const calls = trace.segments.filter((s) => s.awsOperation === 'GetAccountSettings');
    expect(calls.map((c) => c.parentId)).toEqual([byName(trace.segments, 'Initialization')[0].id, byName(trace.segments, 'Invocation')[0].id]);
    expect(calls.every((c) => c.httpStatus === 200)).toBe(true);
  });
});

describe('a handler that raises', () => {
  test('reports the traceback and marks the failing subsegment and the function segment', async () => {
    const trace = await LocalTrace.invoke({ assemblyDir, functionId: 'RaisesFunction', endpointUrl: stub.url, event: '{"item":"book"}' });

    expect(trace.succeeded).toBe(false);
    expect(trace.result).toBeUndefined();
    expect(trace.errorType).toBe('KeyError');
    expect(trace.traceback).toMatch(/^Traceback \(most recent call last\):\n\s+File "[^"]+index.py", line 14, in handler\n/);
    expect(trace.traceback).toMatch(/in parse_order\n\s+return int\(event\['quantity'\]\)\n[\s~^]*\nKeyError: 'quantity'\n$/);
    expect(trace.traceback).not.toContain('runner.py');
    const parse = byName(trace.segments, 'parse-order')[0];
    expect(parse).toMatchObject({ fault: true, cause: "KeyError: 'quantity'", synthesized: false });
    expect(trace.segments[0]).toMatchObject({ fault: true, cause: "KeyError: 'quantity'" });
    expect(byName(trace.segments, 'Invocation')[0].fault).toBe(true);
    // The call after the failure never happened.
    expect(trace.segments.some((s) => s.awsOperation)).toBe(false);
    expect(trace.timeline).toContain('handler raised:');
    expect(trace.timeline).toContain('cause on parse-order: KeyError: \'quantity\'');
  });
});

describe('malformed datagrams', () => {
  test('are counted and reported, and the well-formed ones still make the timeline', async () => {
    const trace = await LocalTrace.invoke({ assemblyDir, functionId: 'MalformedFunction' });

    expect(trace.succeeded).toBe(true);
    expect(trace.result).toEqual({ sent: 6 });
    expect(trace.malformedDatagrams).toBe(6);
    expect(byName(trace.segments, 'send-garbage')).toHaveLength(1);
    expect(trace.timeline).toContain('6 malformed datagram(s)');
  });

  test.each([
    ['no header line', 'not json'],
    ['a header that is not json/1', '{"format":"xml","version":1}\n{"id":"a","name":"b","start_time":1}'],
    ['a truncated document', '{"format":"json","version":1}\n{"id": "trunc'],
    ['a header that is not JSON', 'nope\n{}'],
  ])('parseDatagram fails on %s', (_, text) => {
    expect(() => parseDatagram(Buffer.from(text))).toThrow();
  });

  test('parseDatagram reads a segment document', () => {
    expect(parseDatagram(Buffer.from('{"format":"json","version":1}\n{"id":"a","name":"b","start_time":1}'))).toEqual({ id: 'a', name: 'b', start_time: 1 });
  });
});

describe('choosing the function', () => {
  test('fails when the id matches several functions, listing them', async () => {
    await expectToolError(LocalTrace.invoke({ assemblyDir, functionId: 'Function' }), ToolErrorId.FUNCTION_NOT_SELECTED,
      '"Function"', '9', 'LocalTraceTest/BlankFunction/Resource', 'LocalTraceTest/RaisesFunction/Resource');
  });

  test('fails when nothing matches, listing every function', async () => {
    await expectToolError(LocalTrace.invoke({ assemblyDir, functionId: 'Nope' }), ToolErrorId.FUNCTION_NOT_SELECTED,
      '"Nope"', 'LocalTraceTest/RaisesFunction/Resource', 'python3.12');
  });

  test('fails when no function is named and the app has several Python functions', async () => {
    await expectToolError(LocalTrace.invoke({ assemblyDir }), ToolErrorId.FUNCTION_NOT_SELECTED, '8', '--function');
  });

  test('fails when the function is not Python', async () => {
    await expectToolError(LocalTrace.invoke({ assemblyDir, functionId: 'NodeFunction' }), ToolErrorId.FUNCTION_NOT_PYTHON, 'NodeFunction', 'nodejs');
  });

  test('fails when the event is not JSON', async () => {
    await expectToolError(LocalTrace.invoke({ assemblyDir, functionId: 'BlankFunction', event: '{nope' }), ToolErrorId.EVENT_NOT_JSON);
  });

  test('fails when there is no cloud assembly', async () => {
    await expectToolError(LocalTrace.invoke({ assemblyDir: '/nonexistent/cdk.out' }), ToolErrorId.NO_CLOUD_ASSEMBLY, '/nonexistent/cdk.out', 'npx cdk synth');
  });
});

test('the fake daemon is closed after a run', async () => {
  // invoke opens a UDP socket per run; it must not leave one behind.
  const before = (process as any)._getActiveHandles().filter((h: unknown) => h instanceof dgram.Socket).length;
  await LocalTrace.invoke({ assemblyDir, functionId: 'MalformedFunction' });
  const after = (process as any)._getActiveHandles().filter((h: unknown) => h instanceof dgram.Socket).length;
  expect(after).toBe(before);
});
