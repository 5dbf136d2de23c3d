import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { annotationIds } from './annotations';
import { BundlingStrategy, Instrumentation, PythonDependencyLayer, PythonDependencyLayerProps, TracedFunction } from '../../lib';
import { AnnotationId, ErrorId } from '../../lib/contract';
import { expectErrorId } from '../helpers/errors';
import { makeWheel } from '../helpers/wheels';

// TracedFunction with real PythonDependencyLayers, built offline by pip from self-made wheels.

let dir: string;
let wheelhouse: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traced-function-layer-'));
  wheelhouse = path.join(dir, 'wheels');
  makeWheel(wheelhouse, { name: 'aws-xray-sdk', version: '9.9' });
  makeWheel(wheelhouse, { name: 'requests', version: '9.9' });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function layer(stack: Stack, requirements: string, props: Partial<PythonDependencyLayerProps> = {}): PythonDependencyLayer {
  const file = path.join(fs.mkdtempSync(path.join(dir, 'req-')), 'requirements.txt');
  fs.writeFileSync(file, requirements);
  return new PythonDependencyLayer(stack, 'Deps', {
    requirementsFile: file,
    bundlingStrategy: BundlingStrategy.LOCAL,
    findLinks: [wheelhouse],
    noIndex: true,
    cacheDir: path.join(dir, 'cache'),
    ...props,
  });
}

function newStack(): Stack {
  return new Stack(new App({ outdir: fs.mkdtempSync(path.join(dir, 'out-')) }), 'Stack');
}

function tracedFunction(stack: Stack, layers: lambda.ILayerVersion[]): TracedFunction {
  return new TracedFunction(stack, 'Fn', {
    code: lambda.Code.fromAsset('test/fixtures/function'),
    handler: 'index.handler',
    runtime: lambda.Runtime.PYTHON_3_13,
    instrumentation: Instrumentation.xraySdk(), // the SDK warning is about xraySdk(); openTelemetry() is the default
    layers,
  });
}

test('a layer whose requirements name the X-Ray SDK (in any spelling) silences the SDK warning', () => {
  // GIVEN
  const stack = newStack();
  const deps = layer(stack, 'requests\nAWS_XRay.SDK==9.9\n');

  // WHEN
  tracedFunction(stack, [deps]);

  // THEN
  Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
    Layers: [{ Ref: Match.stringLikeRegexp('^Deps') }],
  });
  expect(annotationIds(stack, 'warning')).toEqual([]);
});

test('a layer without the X-Ray SDK gets the warning that names it', () => {
  const stack = newStack();
  tracedFunction(stack, [layer(stack, 'requests\n')]);

  expect(annotationIds(stack, 'warning')).toEqual([`/Stack/Fn ${AnnotationId.XRAY_SDK_NOT_IN_LAYERS}`]);
});

test('fails when the layer was built for another Python version, before aws-cdk-lib\'s own runtime check', () => {
  const stack = newStack();
  const deps = layer(stack, 'requests\n', { runtime: lambda.Runtime.PYTHON_3_12 });

  expectErrorId(() => tracedFunction(stack, [deps]),
    ErrorId.DEPENDENCY_LAYER_MISMATCH, /^Stack\/Fn: /, "'Stack/Deps'", 'python3.12 on x86_64', 'python3.13 on x86_64');
});
