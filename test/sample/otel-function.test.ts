import * as fs from 'fs';
import { installOpenTelemetryApi, runPython } from './python-harness';

const R = '***redacted***';

// Given the real opentelemetry-api (what the ADOT layer provides at run time), installed offline into a temp folder
let otelApi: string;
beforeAll(() => {
  otelApi = installOpenTelemetryApi();
});
afterAll(() => fs.rmSync(otelApi, { recursive: true, force: true }));

/**
 * Python that installs a recording TracerProvider through the OpenTelemetry API, as the ADOT layer's
 * otel-instrument wrapper installs its SDK provider before the handler module is imported. Defines `spans`
 * (name, attributes, ended, and the API calls made while each was current) and `tracers` (the names asked for).
 * Also makes `import aws_xray_sdk` fail, so the function cannot be leaning on the X-Ray SDK.
 */
const RECORDING_PROVIDER = `
import contextlib
sys.modules['aws_xray_sdk'] = None; sys.modules['aws_xray_sdk.core'] = None
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags
spans, tracers = [], []
class RecordingSpan(NonRecordingSpan):
    def __init__(self, name):
        super().__init__(SpanContext(trace_id=1, span_id=len(spans) + 1, is_remote=False, trace_flags=TraceFlags(1)))
        self.record = {'name': name, 'attributes': {}, 'ended': False}
        spans.append(self.record)
    def is_recording(self): return True
    def set_attribute(self, key, value): self.record['attributes'][key] = value
    def end(self, end_time=None): self.record['ended'] = True
class RecordingTracer(trace.Tracer):
    def start_span(self, name, *args, **kwargs): return RecordingSpan(name)
    @contextlib.contextmanager
    def start_as_current_span(self, name, *args, end_on_exit=True, **kwargs):
        with trace.use_span(self.start_span(name), end_on_exit=end_on_exit) as span:
            yield span
class RecordingProvider(trace.TracerProvider):
    def get_tracer(self, name, *args, **kwargs):
        tracers.append(name)
        return RecordingTracer()
trace.set_tracer_provider(RecordingProvider())
# Record which span is current when the Lambda API is called.
_call = Client.get_account_settings
def _traced_call(self):
    current = trace.get_current_span()
    calls.append('in-span:' + current.record['name'] if isinstance(current, RecordingSpan) else 'no-span')
    return _call(self)
Client.get_account_settings = _traced_call
`;

const CONTEXT = "class Context: function_name = 'fn'; aws_request_id = 'req-1'; memory_limit_in_mb = 256; function_version = '$LATEST'";

test('at start-up it creates the Lambda client and calls the API once, without the X-Ray SDK', () => {
  const out = runPython(`${RECORDING_PROVIDER}\nimport otel_function\nprint(json.dumps({'calls': calls, 'tracers': tracers}))`, [otelApi]);
  expect(out.calls).toEqual(['client:lambda', 'no-span', 'GetAccountSettings']);
  expect(out.tracers).toEqual(['otel_function']);
});

test('the handler returns the account usage, calling the API inside its custom "get_account_settings" span', () => {
  const out = runPython(`${RECORDING_PROVIDER}
import otel_function
${CONTEXT}
result = otel_function.lambda_handler({'hello': 'world'}, Context())
print(json.dumps({'result': result, 'spans': spans, 'calls': calls[3:]}))`, [otelApi]);
  expect(out.result).toEqual({ TotalCodeSize: 1234, FunctionCount: 3 });
  expect(out.spans).toEqual([{
    name: 'get_account_settings',
    attributes: { 'lambda.account.function_count': 3, 'lambda.account.total_code_size': 1234 },
    ended: true,
  }]);
  expect(out.calls).toEqual(['in-span:get_account_settings', 'GetAccountSettings']);
});

test('without a tracer provider (no ADOT layer, e.g. a local run) the API is a no-op and the handler still works', () => {
  const out = runPython(`
from opentelemetry import trace
import otel_function
${CONTEXT}
print(json.dumps({'result': otel_function.lambda_handler({}, Context()), 'recording': trace.get_current_span().is_recording()}))`, [otelApi]);
  expect(out).toEqual({ result: { TotalCodeSize: 1234, FunctionCount: 3 }, recording: false });
});

test('it logs through the shared redaction, as the X-Ray sample does', () => {
  const out = runPython(`${RECORDING_PROVIDER}
import os
import otel_function
os.environ.update({'DB_PASSWORD': 'hunter2', 'DATABASE_URL': 'postgres://app:s3cr3t@db:5432/app', 'AWS_REGION': 'eu-west-1'})
otel_function.lambda_handler({'multiValueHeaders': {'cookie': ['sid=abc123']}, 'hello': 'world'}, None)
print(json.dumps(records))`, [otelApi]);
  const logged = out.join('\n');
  expect(logged).toContain('"AWS_REGION": "eu-west-1"');
  expect(logged).toContain(`postgres://${R}@db:5432/app`);
  expect(logged).toContain(`"cookie": ["${R}"]`);
  for (const secret of ['hunter2', 's3cr3t', 'sid=abc123']) expect(logged).not.toContain(secret);
});
