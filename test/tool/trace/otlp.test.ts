import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { exitId, runMain, startLambdaStub, Stub, synthApp } from './helpers';
import { otelPackages } from './otel-packages';
import { ToolErrorId } from '../../../tool/common/errors';

import { LocalTrace } from '../../../tool/trace';
import { anyValue, otlpTracesUrl } from '../../../tool/trace/otlp';

// OTLP/JSON rules checked here (opentelemetry-proto docs/specification.md, "JSON Protobuf Encoding"): hex ids,
// integer enums (SPAN_KIND_SERVER = 2, CLIENT = 3, INTERNAL = 1; STATUS_CODE_ERROR = 2), lowerCamelCase keys,
// 64-bit integers as decimal strings, POST to /v1/traces with content-type application/json.

/** An OTLP/HTTP receiver on 127.0.0.1 that records what it is sent. */
interface Receiver {
  readonly url: string;
  readonly requests: { method: string; url: string; contentType?: string; body: any }[];
  status: number;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: '', requests: [], status: 200, close: async () => {} };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      receiver.requests.push({ method: req.method!, url: req.url!, contentType: req.headers['content-type'], body: JSON.parse(body) });
      res.writeHead(receiver.status, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  });
}

let assemblyDir: string;
let work: string;
let stub: Stub;
let receiver: Receiver;

beforeAll(async () => {
  assemblyDir = synthApp(true);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'local-trace-otlp-'));
  stub = await startLambdaStub();
  receiver = await startReceiver();
});

afterAll(async () => {
  await stub.close();
  await receiver.close();
  fs.rmSync(assemblyDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

function attr(span: any, key: string): any {
  return span.attributes.find((a: any) => a.key === key)?.value;
}

test('an X-Ray SDK run: --otlp-out writes, and --otlp-endpoint posts, the segments as OTLP spans with their links', async () => {
  // WHEN
  const run = await runMain(['trace', '--app', assemblyDir, '--function', 'LocalTraceTest/BlankFunction', '--endpoint-url', stub.url,
    '--otlp-out', 'trace.otlp.json', '--otlp-endpoint', receiver.url, '--out', 'trace.json'], work);

  // THEN the file and the receiver got the same ExportTraceServiceRequest
  expect(run.stderr).not.toMatch(/Traceback/);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`OTLP/JSON posted to ${receiver.url}/v1/traces (HTTP 200)`);
  const written = JSON.parse(fs.readFileSync(path.join(work, 'trace.otlp.json'), 'utf-8'));
  expect(receiver.requests).toHaveLength(1);
  expect(receiver.requests[0]).toMatchObject({ method: 'POST', url: '/v1/traces', contentType: 'application/json' });
  expect(receiver.requests[0].body).toEqual(written);

  // AND the resource describes the function
  const { traceId, segments } = JSON.parse(fs.readFileSync(path.join(work, 'trace.json'), 'utf-8'));
  const [resourceSpans] = written.resourceSpans;
  expect(resourceSpans.resource.attributes).toEqual(expect.arrayContaining([
    { key: 'service.name', value: { stringValue: expect.stringMatching(/^BlankFunction/) } },
    { key: 'faas.name', value: { stringValue: expect.stringMatching(/^BlankFunction/) } },
    { key: 'cloud.region', value: { stringValue: 'us-east-1' } },
  ]));
  const spans = resourceSpans.scopeSpans.flatMap((s: any) => s.spans);
  expect(resourceSpans.scopeSpans.map((s: any) => s.scope.name)).toEqual(['cdk-traced-lambda.local-trace.x-ray']);
  expect(spans).toHaveLength(segments.length);

  // AND every span is encoded by the OTLP/JSON rules, with the X-Ray trace id's 32 hex digits
  for (const span of spans) {
    expect(span.traceId).toBe(traceId.slice(2).replace('-', ''));
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span.startTimeUnixNano).toMatch(/^\d{19}$/);
    expect(span.endTimeUnixNano).toMatch(/^\d{19}$/);
    expect(BigInt(span.endTimeUnixNano) >= BigInt(span.startTimeUnixNano)).toBe(true);
  }
  const byName = (name: string) => spans.find((s: any) => s.name === name);
  const root = spans.find((s: any) => !s.parentSpanId);
  expect(root).toMatchObject({ kind: 2, status: { code: 0 } });
  expect(byName('Invocation')).toMatchObject({ kind: 1, parentSpanId: root.spanId });
  const call = byName('lambda');
  expect(call).toMatchObject({ kind: 3, parentSpanId: byName('Invocation').spanId });
  expect(attr(call, 'rpc.system')).toEqual({ stringValue: 'aws-api' });
  expect(attr(call, 'rpc.method')).toEqual({ stringValue: 'GetAccountSettings' });
  expect(attr(call, 'http.response.status_code')).toEqual({ intValue: '200' });
  // Times agree with the timeline's segments to the microsecond.
  const segment = segments.find((s: any) => s.name === 'lambda');
  expect(Math.abs(Number(call.startTimeUnixNano) / 1e9 - segment.startTime)).toBeLessThan(1e-6);
});

test('an OpenTelemetry run: the spans as recorded, with their scope, kinds, events and error status', async () => {
  const api = otelPackages(['opentelemetry-api']);
  if (!api.dir) throw new Error(`opentelemetry-api could not be installed for the tests: ${api.reason}`);
  const trace = await LocalTrace.invoke({ assemblyDir, functionId: 'OtelFunction', endpointUrl: stub.url, otelPath: api.dir, event: '{"fail":"no stock"}' });

  const scopes = trace.otlp.resourceSpans[0].scopeSpans;
  expect(scopes.map((s) => s.scope.name).sort()).toEqual(['cdk-traced-lambda.local-trace', 'cdk-traced-lambda.local-trace.x-ray', 'lambda_function']);
  const spans = scopes.flatMap((s) => s.spans);
  const parse = spans.find((s) => s.name === 'parse-order')!;
  const server = spans.find((s) => s.kind === 2 && s.parentSpanId === spans.find((x) => x.name === 'Invocation')!.spanId)!;
  expect(parse).toMatchObject({ kind: 1, parentSpanId: server.spanId, status: { code: 2 } });
  expect(parse.attributes).toEqual([{ key: 'order.item', value: { stringValue: 'none' } }]);
  expect(parse.events.map((e) => e.name)).toEqual(['parsed', 'exception']);
  expect(parse.events[1].attributes).toEqual(expect.arrayContaining([{ key: 'exception.type', value: { stringValue: 'ValueError' } }]));
  expect(parse.events[0].timeUnixNano).toMatch(/^\d{19}$/);
  expect(server.status).toEqual({ code: 2 });
});

test('fails with exit 2 when the receiver refuses the trace, after printing the timeline', async () => {
  receiver.status = 400;
  try {
    const run = await runMain(['trace', '--app', assemblyDir, '--function', 'LocalTraceTest/BlankFunction', '--endpoint-url', stub.url,
      '--otlp-endpoint', `${receiver.url}/custom/path`], work);

    expect(run.code).toBe(2);
    expect(run.stdout).toContain('result: {"TotalCodeSize": 1234, "FunctionCount": 3}');
    expect(exitId(run.stderr)).toBe(ToolErrorId.OTLP_POST_FAILED);
    expect(run.stderr).toContain(`${receiver.url}/custom/path`);
    expect(run.stderr).toContain('400');
    expect(receiver.requests.at(-1)!.url).toBe('/custom/path');
  } finally {
    receiver.status = 200;
  }
});

test.each([
  ['http://localhost:4318', 'http://localhost:4318/v1/traces'],
  ['http://localhost:4318/', 'http://localhost:4318/v1/traces'],
  ['https://collector.example.com/otlp/v1/traces', 'https://collector.example.com/otlp/v1/traces'],
])('otlpTracesUrl(%s) is %s', (given, expected) => {
  expect(otlpTracesUrl(given)?.href).toBe(expected);
});

test.each(['ftp://x', 'localhost:4318', 'not a url'])('otlpTracesUrl(%s) refuses it', (given) => {
  expect(otlpTracesUrl(given)).toBeUndefined();
});

test.each([
  ['a string', 'a', { stringValue: 'a' }],
  ['a boolean', true, { boolValue: true }],
  ['an integer, as a decimal string', 42, { intValue: '42' }],
  ['a double', 1.5, { doubleValue: 1.5 }],
  ['a list', ['a', 1], { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }] } }],
])('anyValue encodes %s', (_, value, expected) => {
  expect(anyValue(value)).toEqual(expected);
});
