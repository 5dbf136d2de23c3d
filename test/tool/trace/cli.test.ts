import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exitId, startLambdaStub, Stub, synthApp, runCli } from './helpers';
import { ToolErrorId } from '../../../tool/common/errors';


// Synthesized as `cdk synth` does it: with asset and path metadata.
let assemblyDir: string;
let work: string;
let stub: Stub;

beforeAll(async () => {
  assemblyDir = synthApp(true);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'local-trace-cli-'));
  stub = await startLambdaStub();
});

afterAll(async () => {
  await stub.close();
  fs.rmSync(assemblyDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});


test('traces the blank handler: prints the timeline, writes --out and --html, exits 0', async () => {
  // GIVEN
  const eventFile = path.join(work, 'event.json');
  fs.writeFileSync(eventFile, '{"source":"cli"}');

  // WHEN
  const run = await runCli(['trace', '--app', assemblyDir, '--function', 'LocalTraceTest/BlankFunction', '--event', eventFile,
    '--endpoint-url', stub.url, '--trace-init', '--out', 'trace.json', '--html', 'trace.html'], { cwd: work });

  // THEN
  expect(run.stderr).not.toMatch(/Traceback/);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^BlankFunction[0-9A-F]+ — LocalTraceTest\/BlankFunction\/Resource \(lambda_function.lambda_handler, python3.12\)\n/);
  expect(run.stdout).toMatch(/trace 1-[0-9a-f]{8}-[0-9a-f]{24}: 5 \(sub\)segments, 0 malformed datagram\(s\)/);
  expect(run.stdout.match(/└ lambda GetAccountSettings\s+[\d.]+\s+[\d.]+\s+aws\s+200 /g)).toHaveLength(2);
  expect(run.stdout).toContain('result: {"TotalCodeSize": 1234, "FunctionCount": 3}');
  // The handler's carriage return (Lambda's multi-line log separator) is shown escaped: a raw one could hide text.
  expect(run.stderr).toContain('## EVENT\\r{"source": "cli"}');

  const written = JSON.parse(fs.readFileSync(path.join(work, 'trace.json'), 'utf-8'));
  expect(written).toMatchObject({ succeeded: true, malformedDatagrams: 0 });
  expect(written.segments.filter((s: any) => s.awsOperation === 'GetAccountSettings')).toHaveLength(2);
  expect(written.segments.every((s: any) => s.traceId === written.traceId)).toBe(true);
  expect(written.segments.find((s: any) => s.awsOperation).document).toMatchObject({ namespace: 'aws', aws: { operation: 'GetAccountSettings' } });

  const html = fs.readFileSync(path.join(work, 'trace.html'), 'utf-8');
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).toContain('<style>');
  // Two calls on the whole timeline (and the handler's again in the zoomed invocation when init dwarfs it).
  expect(html.match(/class="bar aws"/g)!.length).toBeGreaterThanOrEqual(2);
  expect(html).toContain('lambda GetAccountSettings<span class="meta">aws · HTTP 200</span>');
  // Self-contained: no scripts, links, images or URLs to fetch.
  expect(html).not.toMatch(/<script|<link|<img|src=|url\(|@import/i);
});

test('reads the event from stdin with --event -', async () => {
  const run = await runCli(['trace', '--app', assemblyDir, '--function', 'MalformedFunction', '--event', '-'], { cwd: work, stdin: '{"from":"stdin"}' });

  expect(run.code).toBe(0);
  expect(run.stdout).toContain('result: {"sent": 6}');
  expect(run.stdout).toContain('malformed datagrams: 6 (ignored)');
});

test('fails with exit 1 and the traceback when the handler raises', async () => {
  const run = await runCli(['trace', '--app', assemblyDir, '--function', 'RaisesFunction', '--endpoint-url', stub.url], { cwd: work });

  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/handler raised:\nTraceback \(most recent call last\):\n[^]*KeyError: 'quantity'/);
  expect(run.stdout).toMatch(/└ parse-order\s+[\d.]+\s+[\d.]+\s+local\s+-\s+fault/);
});

test('fails with exit 2 and one line with the pip command for an OpenTelemetry function without opentelemetry-api', async () => {
  const run = await runCli(['trace', '--app', assemblyDir, '--function', 'AdotFunction'], { cwd: work });

  expect(run.code).toBe(2);
  expect(exitId(run.stderr)).toBe(ToolErrorId.OTEL_API_MISSING);
  for (const value of ['AdotFunction', 'AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument', 'pip install --target .otel opentelemetry-api']) {
    expect(run.stderr).toContain(value);
  }
  expect(run.stderr.split('\n')).toHaveLength(2);
  expect(run.stdout).toBe('');
});

test('fails with exit 2 and the candidates when the function is ambiguous', async () => {
  const run = await runCli(['trace', '--app', assemblyDir, '--function', 'Adot'], { cwd: work });

  expect(run.code).toBe(2);
  expect(run.stderr).toContain('"Adot" matches 2 functions');
  expect(run.stderr).toContain('LocalTraceTest/AdotMetadataFunction/Resource');
});

test('--help prints the usage', async () => {
  const run = await runCli(['--help'], { cwd: work });

  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^Usage: cdk-traced-lambda <command> \[options\]\n\nCommands:\n {2}trace /);
  expect(run.stdout).toContain('Usage: cdk-traced-lambda trace [options]');
  expect(run.stdout).toContain('--endpoint-url URL');
  expect(run.stdout).toContain('--otlp-endpoint URL');
});
