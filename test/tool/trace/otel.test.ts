import * as fs from 'fs';
import { ACCOUNT_SETTINGS, expectToolError, startLambdaStub, Stub, synthApp } from './helpers';
import { otelPackages } from './otel-packages';
import { ToolErrorId } from '../../../tool/common/errors';
import { LocalTrace, LocalTraceResult, TraceSegment } from '../../../tool/trace';

// Functions instrumented with OpenTelemetry, run for real. This machine's python3 has no opentelemetry: the
// tests install opentelemetry-api offline from pip's local index (once, cached) and pass it as otelPath.
const api = otelPackages(['opentelemetry-api']);
const sdk = otelPackages(['opentelemetry-api', 'opentelemetry-sdk']);

let assemblyDir: string;
let stub: Stub;
let trace: LocalTraceResult;

beforeAll(async () => {
  if (!api.dir) throw new Error(`opentelemetry-api could not be installed for the tests: ${api.reason}`);
  assemblyDir = synthApp(false);
  stub = await startLambdaStub();
  trace = await LocalTrace.invoke({ assemblyDir, functionId: 'OtelFunction', endpointUrl: stub.url, otelPath: api.dir, event: '{"item":"book"}' });
});

afterAll(async () => {
  await stub?.close();
  if (assemblyDir) fs.rmSync(assemblyDir, { recursive: true, force: true });
});

function one(segments: TraceSegment[], name: string): TraceSegment {
  const found = segments.filter((s) => s.name === name);
  expect(found.map((s) => s.name)).toEqual([name]);
  return found[0];
}

describe('without the OpenTelemetry SDK (opentelemetry-api only: the recording tracer provider)', () => {
  test('runs the handler and records the Lambda server span under Invocation, the handler\'s spans under it', () => {
    expect(trace.stderr).not.toMatch(/Traceback/);
    expect(trace.succeeded).toBe(true);
    expect(trace.result).toEqual(ACCOUNT_SETTINGS.AccountUsage);
    expect(trace.tracing).toBe('opentelemetry');

    const invocation = one(trace.segments, 'Invocation');
    // The root X-Ray segment (the Lambda service's) and the server span share the function's name.
    const [root, serverSpan] = trace.segments.filter((s) => s.name === trace.functionName);
    expect(root).toMatchObject({ source: 'x-ray', depth: 0, synthesized: true, origin: 'AWS::Lambda::Function' });
    expect(serverSpan).toMatchObject({ source: 'opentelemetry', name: trace.functionName, parentId: invocation.id, depth: 2, status: 'unset' });
    expect(serverSpan.attributes).toMatchObject({ 'faas.invocation_id': expect.stringMatching(/^[0-9a-f-]{36}$/), 'cloud.account.id': '123456789012' });
    const parse = one(trace.segments, 'parse-order');
    expect(parse).toMatchObject({ spanKind: 'internal', parentId: serverSpan.id, depth: 3, traceId: trace.traceId, fault: false });
    expect(parse.attributes).toEqual({ 'order.item': 'book' });
    expect(parse.document.events).toEqual([expect.objectContaining({ name: 'parsed', attributes: { 'order.quantity': 2 } })]);
    const client = one(trace.segments, 'account-settings');
    expect(client).toMatchObject({ spanKind: 'client', namespace: 'remote', parentId: serverSpan.id, depth: 3 });
    expect(client.attributes).toEqual({ 'function.count': 3 });
    expect(client.offsetMs).toBeGreaterThanOrEqual(parse.offsetMs + parse.durationMs!);
  });

  test('leaves out the span made at import time (another trace, as in Lambda) and says which packages are missing', () => {
    expect(trace.segments.some((s) => s.name === 'load-config')).toBe(false);
    expect(trace.otherTraceDocuments).toBe(1);
    expect(trace.malformedDatagrams).toBe(0);
    const notes = trace.notes.join('\n');
    expect(notes).toContain('botocore calls are not recorded: opentelemetry-instrumentation-botocore is not installed.');
    expect(notes).toContain('opentelemetry-sdk is not installed');
    expect(notes).toContain('opentelemetry-instrumentation-aws-lambda is not installed');
    expect(notes).toContain('metadata cdk-traced-lambda:instrumentation=open-telemetry');
  });

  test('shows the spans in the timeline and the HTML like subsegments', () => {
    expect(trace.timeline).toMatch(/trace 1-[0-9a-f]{8}-[0-9a-f]{24}: 3 \(sub\)segments, 3 span\(s\), 0 malformed datagram\(s\), 1 of other traces left out/);
    expect(trace.timeline).toMatch(/\n {4}└ OtelFunction[0-9A-F]+\s+[\d.]+\s+[\d.]+\s+server\s+-\s+-/);
    expect(trace.timeline).toMatch(/\n {6}└ parse-order\s+[\d.]+\s+[\d.]+\s+internal\s+-\s+-/);
    expect(trace.timeline).toMatch(/\n {6}└ account-settings\s+[\d.]+\s+[\d.]+\s+remote\s+-\s+-/);
    expect(trace.html).toContain('parse-order<span class="meta">internal</span>');
  });

  test('records the import-time span under Initialization with traceInit', async () => {
    const init = await LocalTrace.invoke({ assemblyDir, functionId: 'OtelFunction', endpointUrl: stub.url, otelPath: api.dir, traceInit: true });
    expect(one(init.segments, 'load-config')).toMatchObject({ parentId: one(init.segments, 'Initialization').id, spanKind: 'internal' });
    expect(init.otherTraceDocuments).toBe(0);
  });

  test('marks the failing span and the server span when the handler raises', async () => {
    const failed = await LocalTrace.invoke({ assemblyDir, functionId: 'OtelFunction', endpointUrl: stub.url, otelPath: api.dir, event: '{"fail":"no stock"}' });
    expect(failed.succeeded).toBe(false);
    expect(failed.errorType).toBe('ValueError');
    expect(failed.traceback).not.toMatch(/runner.py|_cdk_traced_lambda_otel/);
    expect(one(failed.segments, 'parse-order')).toMatchObject({ status: 'error', fault: true, cause: 'ValueError: order rejected: no stock' });
    expect(failed.segments.find((s) => s.spanKind === 'server')).toMatchObject({ status: 'error', cause: 'ValueError: order rejected: no stock' });
    expect(failed.segments.some((s) => s.name === 'account-settings')).toBe(false);
  });

  test.each([
    ['AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument', 'AdotFunction'],
    ['metadata cdk-traced-lambda:instrumentation=adot', 'AdotMetadataFunction'],
  ])('traces a legacy ADOT function (%s) the same way', async (why, functionId) => {
    const adot = await LocalTrace.invoke({ assemblyDir, functionId, endpointUrl: stub.url, otelPath: api.dir });
    expect(adot.succeeded).toBe(true);
    expect(adot.tracing).toBe('opentelemetry');
    expect(adot.segments.filter((s) => s.spanKind === 'server')).toHaveLength(1);
    expect(adot.notes.join('\n')).toContain(why);
  });
});

describe('usage errors', () => {
  test('fails when opentelemetry-api cannot be imported, with the pip command', async () => {
    const run = LocalTrace.invoke({ assemblyDir, functionId: 'OtelFunction', endpointUrl: stub.url });
    await expectToolError(run, ToolErrorId.OTEL_API_MISSING, 'metadata cdk-traced-lambda:instrumentation=open-telemetry', 'python3',
      '`pip install --target .otel opentelemetry-api`', '--otel-path .otel');
  });

  test('fails when --otel-path is not a directory', async () => {
    await expectToolError(LocalTrace.invoke({ assemblyDir, functionId: 'OtelFunction', otelPath: '/nonexistent/otel' }),
      ToolErrorId.OTEL_PATH_NOT_DIRECTORY, '/nonexistent/otel', 'pip install --target');
  });
});

// The SDK path runs where opentelemetry-sdk installs from the local index. Here it cannot: its dependency
// opentelemetry-semantic-conventions is not in the index, so this test is skipped, with pip's reason in its name.
(sdk.dir ? test : test.skip)(`with the OpenTelemetry SDK, records the same spans through the SDK${sdk.dir ? '' : ` (skipped: ${sdk.reason})`}`, async () => {
  const run = await LocalTrace.invoke({ assemblyDir, functionId: 'OtelFunction', endpointUrl: stub.url, otelPath: sdk.dir, event: '{"item":"book"}' });
  expect(run.succeeded).toBe(true);
  expect(run.notes.join('\n')).toContain('local trace played the exec wrapper (OpenTelemetry SDK)');
  expect(run.notes.join('\n')).not.toContain('opentelemetry-sdk is not installed');
  const server = run.segments.find((s) => s.spanKind === 'server')!;
  expect(one(run.segments, 'parse-order')).toMatchObject({ parentId: server.id, spanKind: 'internal' });
  expect(one(run.segments, 'parse-order').attributes).toEqual({ 'order.item': 'book' });
  expect(one(run.segments, 'account-settings')).toMatchObject({ parentId: server.id, spanKind: 'client' });
});
