import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnElement } from 'aws-cdk-lib';
import { ACCOUNT_SETTINGS, startLambdaStub, Stub, runCli } from './helpers';
import { LocalTrace, LocalTraceResult } from '../../../tool/trace';
import { synthSample } from '../../sample/sample-app';
import { sharedWheelhouse, withSharedLayerCache } from '../../sample/shared-sample';


// Given the sample app (bin/blank-python-stack.ts), synthesized offline with its layer built from a wheelhouse,
// and a stub Lambda endpoint for the handler's GetAccountSettings call. The wheelhouse and the layer cache are the
// run's shared ones: these tests trace the built layer, not how it was built.
let assemblyDir: string;
let layerDir: string;
let stub: Stub;
let trace: LocalTraceResult;

beforeAll(async () => {
  const wheelhouse = sharedWheelhouse();
  const { app, stack } = withSharedLayerCache('sample', (cacheDir) => synthSample(wheelhouse, cacheDir));
  const assembly = app.synth();
  assemblyDir = assembly.directory;
  // The staged layer directory, where the template's asset metadata (what local trace reads) points
  const template = assembly.getStackByName(stack.stackName).template;
  const layerId = stack.getLogicalId(stack.layer.node.defaultChild as CfnElement);
  layerDir = path.join(assemblyDir, template.Resources[layerId].Metadata['aws:asset:path']);
  stub = await startLambdaStub();
  trace = await LocalTrace.invoke({ assemblyDir, endpointUrl: stub.url, event: '{"source":"sample-test"}' });
});

afterAll(async () => {
  await stub?.close();
  delete process.env.CDK_TRACED_LAMBDA_CACHE_DIR;
  if (assemblyDir) fs.rmSync(assemblyDir, { recursive: true, force: true });
});

test('the sample function returns the stub\'s account usage, with its GetAccountSettings call under Invocation', () => {
  // THEN the handler ran (it is the app's only Python function, so no functionId is needed)
  expect(trace.stderr).not.toMatch(/Traceback/);
  expect(trace.succeeded).toBe(true);
  expect(trace.result).toEqual(ACCOUNT_SETTINGS.AccountUsage);
  expect(trace.constructPath).toBe('BlankPython/Function/Resource');
  // one call while the module is imported, one in the handler
  expect(stub.requests).toEqual(['GET /2016-08-19/account-settings', 'GET /2016-08-19/account-settings']);

  // AND the trace has the handler's call (the start-up call is dropped, as in Lambda) under Invocation
  const [root] = trace.segments;
  expect(root).toMatchObject({ name: trace.functionName, origin: 'AWS::Lambda::Function', depth: 0, fault: false });
  const invocation = trace.segments.find((s) => s.name === 'Invocation')!;
  expect(invocation).toMatchObject({ parentId: root.id, depth: 1 });
  const calls = trace.segments.filter((s) => s.awsOperation === 'GetAccountSettings');
  expect(calls).toHaveLength(1);
  expect(calls[0]).toMatchObject({ name: 'lambda', namespace: 'aws', httpStatus: 200, parentId: invocation.id, depth: 2 });
  expect(calls[0]).toMatchObject({ traceId: trace.traceId, error: false, fault: false, synthesized: false });
  expect(trace.malformedDatagrams).toBe(0);
});

test('aws_xray_sdk and jsonpickle come from the sample\'s layer, not from this machine\'s Python', () => {
  // GIVEN the layer asset holds both packages in python/, the directory Lambda puts on sys.path
  const python = path.join(layerDir, 'python');
  expect(fs.existsSync(path.join(python, 'aws_xray_sdk', '__init__.py'))).toBe(true);
  expect(fs.existsSync(path.join(python, 'jsonpickle', '__init__.py'))).toBe(true);

  // THEN the runner imported the X-Ray SDK from there: no note that it came from this machine's site-packages
  expect(trace.notes.filter((n) => /imported from this machine's Python/.test(n))).toEqual([]);
  expect(trace.notes.filter((n) => /^Layer \d/.test(n))).toEqual([]);

  // AND the handler's jsonpickle.encode ran (it logs the event). This machine's python3 has no jsonpickle
  // (`python3 -c 'import jsonpickle'` fails here), so it came from the layer too.
  expect(trace.stdout).toMatch(/## EVENT\r\{"source": "sample-test"\}/);
});

test('the CLI traces the same assembly and prints the timeline', async () => {
  // WHEN
  stub.requests.splice(0);
  const run = await runCli(['trace', '--app', assemblyDir, '--endpoint-url', stub.url], { cwd: os.tmpdir(), timeoutMs: 50_000 });

  // THEN
  expect(run.stderr).not.toMatch(/Traceback/);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^Function[0-9A-F]{8} — BlankPython\/Function\/Resource \(lambda_function.lambda_handler, python3.14\)\n/);
  expect(run.stdout).toMatch(/trace 1-[0-9a-f]{8}-[0-9a-f]{24}: \d+ \(sub\)segments, 0 malformed datagram\(s\)/);
  expect(run.stdout.match(/└ lambda GetAccountSettings\s+[\d.]+\s+[\d.]+\s+aws\s+200 /g)).toHaveLength(1);
  expect(run.stdout).toContain('result: {"TotalCodeSize": 1234, "FunctionCount": 3}');
  expect(run.stdout).not.toMatch(/imported from this machine's Python/);
  expect(stub.requests).toHaveLength(2);
});


