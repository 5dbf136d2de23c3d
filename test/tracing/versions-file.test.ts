import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { annotationIds, annotations } from './annotations';
import { AnnotationId, ErrorId, Instrumentation, TracedFunction, TracingContract } from '../../lib';
import { openTelemetryLayerRelease } from '../../lib/tracing/private/layer-arns';
import { layerVersionsFile, versionFromFile } from '../../lib/tracing/private/versions-file';
import { expectErrorId } from '../helpers/errors';

/** An app naming `file` in the context key (the path as a user writes it: relative to the directory cdk runs in). */
function app(file: string | undefined, region?: string): Stack {
  const context = file === undefined ? {} : { [TracingContract.LAYER_VERSIONS_CONTEXT_KEY]: file };
  return new Stack(new App({ context }), 'Stack', region ? { env: { region } } : {});
}

function fn(stack: Stack, instrumentation?: Instrumentation, runtime = lambda.Runtime.PYTHON_3_13): TracedFunction {
  return new TracedFunction(stack, 'Fn', {
    runtime, architecture: lambda.Architecture.ARM_64, handler: 'index.handler', code: lambda.Code.fromInline('def handler(e, c): pass'), instrumentation,
  });
}

function fnResource(stack: Stack): any {
  return Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0];
}

let dir: string;
let file: string;

function writeVersions(layers: object, extra: object = {}): void {
  fs.writeFileSync(file, JSON.stringify({ format: 'cdk-traced-lambda/layer-versions/1', checkedOn: '2026-12-03T09:00:00.000Z', layers, ...extra }));
  // A new modification time for the reader's cache, whatever the file system's resolution.
  const t = new Date(Date.now() + Math.floor(Math.random() * 1e6));
  fs.utimesSync(file, t, t);
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layer-versions-'));
  file = path.join(dir, 'layer-versions.json');
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the layer versions file (context key cdk-traced-lambda:layerVersions)', () => {
  test('without the key: the library data\'s version, and the metadata says so with the day it was read', () => {
    const stack = app(undefined, 'us-east-1');
    fn(stack);

    const resource = fnResource(stack);
    expect(resource.Properties.Layers).toEqual(['arn:aws:lambda:us-east-1:615299751070:layer:AWSOpenTelemetryDistroPython:29']);
    expect(resource.Metadata[TracingContract.LAYER_VERSION_SOURCE_METADATA_KEY])
      .toMatch(/^library data \(aws-otel\/aws-otel\.github\.io src\/config\/lambdaLayerArns\.js@e256b2e4c09a \(2026-07-20\), read 2026-12-03\)$/);
  });

  test('every TracedFunction takes its region\'s version from the file, and the metadata names the file', () => {
    writeVersions({
      'AWSOpenTelemetryDistroPython': { 'us-east-1': { version: 31, release: 'v0.19.0' } },
      'AWSLambdaPowertoolsPythonV3-python313-arm64': { 'us-east-1': { version: 28 } },
    });
    const otel = app(file, 'us-east-1');
    fn(otel);
    const powertools = app(file, 'us-east-1');
    fn(powertools, Instrumentation.powertools());

    expect(fnResource(otel).Properties.Layers).toEqual(['arn:aws:lambda:us-east-1:615299751070:layer:AWSOpenTelemetryDistroPython:31']);
    expect(fnResource(otel).Metadata[TracingContract.LAYER_VERSION_SOURCE_METADATA_KEY]).toBe(`layer versions file ${file} (checked 2026-12-03)`);
    expect(fnResource(powertools).Properties.Layers)
      .toEqual(['arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:28']);
    expect(openTelemetryLayerRelease('us-east-1', 'arm64', 31, otel)).toBe('v0.19.0');
    expect(openTelemetryLayerRelease('us-east-1', 'arm64', 31)).toBeUndefined();
  });

  test('a region the file does not name keeps the data\'s version; layerVersion wins over both', () => {
    writeVersions({ AWSOpenTelemetryDistroPython: { 'us-east-1': { version: 31 } } });
    const other = app(file, 'eu-west-1');
    fn(other);
    const pinned = app(file, 'us-east-1');
    fn(pinned, Instrumentation.openTelemetry({ layerVersion: 30 }));

    expect(fnResource(other).Properties.Layers).toEqual(['arn:aws:lambda:eu-west-1:615299751070:layer:AWSOpenTelemetryDistroPython:26']);
    expect(fnResource(other).Metadata[TracingContract.LAYER_VERSION_SOURCE_METADATA_KEY]).toMatch(/^library data /);
    expect(fnResource(pinned).Properties.Layers).toEqual(['arn:aws:lambda:us-east-1:615299751070:layer:AWSOpenTelemetryDistroPython:30']);
    expect(fnResource(pinned).Metadata[TracingContract.LAYER_VERSION_SOURCE_METADATA_KEY]).toBe('layerVersion option');
  });

  test('a region-agnostic stack: the mapping holds the file\'s versions where it names them', () => {
    writeVersions({
      'AWSOpenTelemetryDistroPython': { 'us-east-1': { version: 31 } },
      'AWSLambdaPowertoolsPythonV3-python313-arm64': { 'eu-west-1': { version: 28 } },
    });
    const stack = app(file);
    fn(stack);
    const pt = app(file);
    fn(pt, Instrumentation.powertools());

    const mappings = Template.fromStack(stack).toJSON().Mappings.TracedLambdaOpenTelemetryLayers;
    expect(mappings['us-east-1']).toEqual({ account: '615299751070', version: '31' });
    expect(mappings['eu-west-1']).toEqual({ account: '615299751070', version: '26' });
    const ptMappings = Template.fromStack(pt).toJSON().Mappings.TracedLambdaPowertoolsLayers;
    expect(ptMappings['eu-west-1']).toEqual({ account: '017000801446', python313arm64: '28' });
    expect(ptMappings['us-east-1']).toEqual({ account: '017000801446', python313arm64: '27' });
    expect(fnResource(stack).Metadata[TracingContract.LAYER_VERSION_SOURCE_METADATA_KEY]).toMatch(/^layer versions file .* for 1 region\(s\), library data/);
  });

  test.each([
    // ap-east-2 has the OpenTelemetry layer but is not in Powertools' regional table; me-south-1 the reverse.
    ['AWSLambdaPowertoolsPythonV3-python313-arm64', 'ap-east-2'],
    ['AWSOpenTelemetryDistroPython', 'me-south-1'],
  ])('%s in %s, a region that layer\'s data does not list: an error', (layer, region) => {
    writeVersions({ [layer]: { [region]: { version: 3 } } });

    expectErrorId(() => fn(app(file, 'us-east-1')), ErrorId.LAYER_VERSIONS_REGION_UNKNOWN, region, layer);
  });

  test('the file is read once per change: the same modification time reuses it, a new one rereads it', () => {
    writeVersions({ AWSOpenTelemetryDistroPython: { 'us-east-1': { version: 31 } } });
    const first = app(file, 'us-east-1');
    fn(first);
    const { mtime } = fs.statSync(file);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf-8').replace('31', '32'));
    fs.utimesSync(file, mtime, mtime);
    const cached = app(file, 'us-east-1');
    fn(cached);
    const later = new Date(mtime.getTime() + 5_000);
    fs.utimesSync(file, later, later);
    const reread = app(file, 'us-east-1');
    fn(reread);

    expect([first, cached, reread].map(st => fnResource(st).Properties.Layers[0].split(':').pop())).toEqual(['31', '31', '32']);
  });

  test('a version for a region the data does not know is an error naming the region and the fix', () => {
    writeVersions({ AWSOpenTelemetryDistroPython: { 'xx-mars-1': { version: 3 } } });

    expectErrorId(() => fn(app(file, 'us-east-1')), ErrorId.LAYER_VERSIONS_REGION_UNKNOWN, /^Stack\/Fn: /, 'xx-mars-1', 'AWSOpenTelemetryDistroPython', 'remove that region');
  });

  test.each([
    ['a missing file', () => undefined, 'does not exist'],
    ['not JSON', () => fs.writeFileSync(file, '{ nope'), 'not readable JSON'],
    ['another format', () => writeVersions({}, { format: 'something/else' }), 'cdk-traced-lambda/layer-versions/1'],
    ['a layer the library does not add', () => writeVersions({ SomeoneElsesLayer: {} }), 'SomeoneElsesLayer'],
    ['a version that is not a whole number', () => writeVersions({ AWSOpenTelemetryDistroPython: { 'us-east-1': { version: '31' } } }), 'positive whole number'],
    ['a release that is not vX.Y.Z', () => writeVersions({ AWSOpenTelemetryDistroPython: { 'us-east-1': { version: 31, release: 'latest' } } }), 'vX.Y.Z'],
    ['a release with a suffix', () => writeVersions({ AWSOpenTelemetryDistroPython: { 'us-east-1': { version: 31, release: 'v0.19.0-rc1' } } }), 'vX.Y.Z'],
    ['a release with a prefix', () => writeVersions({ AWSOpenTelemetryDistroPython: { 'us-east-1': { version: 31, release: 'xv10.19.0' } } }), 'vX.Y.Z'],
    ['version 0', () => writeVersions({ AWSOpenTelemetryDistroPython: { 'us-east-1': { version: 0 } } }), 'positive whole number'],
    ['no version', () => writeVersions({ AWSOpenTelemetryDistroPython: { 'us-east-1': null } }), 'positive whole number'],
    ['JSON null', () => fs.writeFileSync(file, 'null'), 'format'],
    ['no checkedOn', () => writeVersions({}, { checkedOn: undefined }), 'checkedOn'],
    ['a checkedOn that is not a date', () => writeVersions({}, { checkedOn: 'yesterday' }), 'checkedOn'],
    ['no layers', () => writeVersions(undefined as any), 'checkedOn'],
    ['layers that are null', () => writeVersions(null as any), 'checkedOn'],
    ['a checkedOn that is a list holding a date', () => writeVersions({}, { checkedOn: ['2026-12-03'] }), 'checkedOn'],
    ['a checkedOn with text before the date', () => writeVersions({}, { checkedOn: 'on 2026-12-03' }), 'checkedOn'],
    ['a checkedOn with a one-digit day', () => writeVersions({}, { checkedOn: '2026-12-3' }), 'checkedOn'],
  ])('%s is an error naming the file and the command that writes one', (_what, prepare, named) => {
    prepare();

    expectErrorId(() => fn(app(file, 'us-east-1')), ErrorId.LAYER_VERSIONS_FILE_INVALID, /^Stack\/Fn: /, file.startsWith('/') ? path.basename(file) : file,
      named, 'layers --check --write');
  });

  test('a context value that JSON cannot write (a function) is an error by id, not a crash', () => {
    const stack = new Stack(new App({ context: { [TracingContract.LAYER_VERSIONS_CONTEXT_KEY]: () => 'file' } }), 'Stack', { env: { region: 'us-east-1' } });

    expectErrorId(() => fn(stack), ErrorId.LAYER_VERSIONS_FILE_INVALID, TracingContract.LAYER_VERSIONS_CONTEXT_KEY);
  });

  test('a long context value is cut to its first 80 characters in the message', () => {
    const value = Array.from({ length: 60 }, (_, i) => i + 1000);
    const stack = new Stack(new App({ context: { [TracingContract.LAYER_VERSIONS_CONTEXT_KEY]: value } }), 'Stack', { env: { region: 'us-east-1' } });

    const error = expectErrorId(() => fn(stack), ErrorId.LAYER_VERSIONS_FILE_INVALID, JSON.stringify(value).slice(0, 80));
    expect(error.message).not.toContain(JSON.stringify(value).slice(0, 81));
  });

  test.each([[42, '42'], ['  ', '"  "']])('the context value must be a path (%j)', (value, named) => {
    const stack = new Stack(new App({ context: { [TracingContract.LAYER_VERSIONS_CONTEXT_KEY]: value } }), 'Stack', { env: { region: 'us-east-1' } });

    const error = expectErrorId(() => fn(stack), ErrorId.LAYER_VERSIONS_FILE_INVALID, named);
    // The id (`...:layerVersionsFileInvalid`) starts with the key's text: look at the message without it.
    expect(error.message.replace(/ \[[^\]]+\]$/, '')).toContain(TracingContract.LAYER_VERSIONS_CONTEXT_KEY);
  });

  test('fastStart: a file entry of release v0.19.0 sets it silently; one without a release sets it and warns by id', () => {
    writeVersions({ AWSOpenTelemetryDistroPython: { 'us-east-1': { version: 31, release: 'v0.19.0' }, 'eu-west-1': { version: 27 } } });
    const known = app(file, 'us-east-1');
    fn(known, Instrumentation.openTelemetry({ fastStart: true }));
    const unknown = app(file, 'eu-west-1');
    fn(unknown, Instrumentation.openTelemetry({ fastStart: true }));

    expect(fnResource(known).Properties.Environment.Variables.OTEL_AWS_LAMBDA_FAST_START).toBe('true');
    expect(annotationIds(known, 'warning')).toEqual([]);
    expect(fnResource(unknown).Properties.Environment.Variables.OTEL_AWS_LAMBDA_FAST_START).toBe('true');
    expect(annotationIds(unknown, 'warning')).toEqual([`/Stack/Fn ${AnnotationId.OTEL_FAST_START_RELEASE_UNKNOWN}`]);
    // The warning names the file's version and region and the file, and renders no missing release.
    const { message } = annotations(unknown, 'warning')[0];
    expect(message).toContain('AWSOpenTelemetryDistroPython version 27 in eu-west-1');
    expect(message).toContain(file);
    expect(message).not.toContain('undefined');
  });

  test('fastStart with a file entry of a release before v0.19.0: an error by id naming the file\'s version, region, release and the file', () => {
    // Version 29 in us-east-1 is release v0.18.0 (lib/tracing/layer-data.generated.ts); the file records the same.
    writeVersions({ AWSOpenTelemetryDistroPython: { 'us-east-1': { version: 29, release: 'v0.18.0' } } });

    expectErrorId(() => fn(app(file, 'us-east-1'), Instrumentation.openTelemetry({ fastStart: true })), ErrorId.OTEL_OPTION_UNSUPPORTED,
      /^Stack\/Fn: /, 'AWSOpenTelemetryDistroPython version 29 in us-east-1', 'release v0.18.0', `layer versions file ${file}`);
  });

  test('layerVersion decides the release too: a pinned version the file does not name has no known release', () => {
    writeVersions({ AWSOpenTelemetryDistroPython: { 'us-east-1': { version: 29, release: 'v0.18.0' } } });
    const pinned = app(file, 'us-east-1');
    fn(pinned, Instrumentation.openTelemetry({ fastStart: true, layerVersion: 30 }));

    expect(fnResource(pinned).Properties.Layers).toEqual(['arn:aws:lambda:us-east-1:615299751070:layer:AWSOpenTelemetryDistroPython:30']);
    expect(annotationIds(pinned, 'warning')).toEqual([`/Stack/Fn ${AnnotationId.OTEL_FAST_START_RELEASE_UNKNOWN}`]);
    expect(annotations(pinned, 'warning')[0].message).toContain('AWSOpenTelemetryDistroPython version 30 in us-east-1');
  });

  test('fastStart with the data\'s version (release v0.18.0): an error by id', () => {
    expectErrorId(() => fn(app(undefined, 'us-east-1'), Instrumentation.openTelemetry({ fastStart: true })), ErrorId.OTEL_OPTION_UNSUPPORTED, 'v0.18.0');
  });

  test('entries are read as given: a release of any number of digits, a version alone without a release key', () => {
    writeVersions({ AWSOpenTelemetryDistroPython: { 'us-east-1': { version: 31, release: 'v10.19.12' }, 'eu-west-1': { version: 7 } } });
    const stack = app(file, 'us-east-1');

    const read = layerVersionsFile(stack)!;
    expect(read.layers.AWSOpenTelemetryDistroPython['us-east-1']).toStrictEqual({ version: 31, release: 'v10.19.12' });
    expect(read.layers.AWSOpenTelemetryDistroPython['eu-west-1']).toStrictEqual({ version: 7 });
    expect(openTelemetryLayerRelease('us-east-1', 'arm64', 31, stack)).toBe('v10.19.12');
    expect(versionFromFile(read, 'AWSLambdaPowertoolsPythonV3-python313-arm64', 'us-east-1')).toBeUndefined();
    expect(versionFromFile(read, 'AWSOpenTelemetryDistroPython', 'ap-south-1')).toBeUndefined();
    expect(versionFromFile(undefined, 'AWSOpenTelemetryDistroPython', 'us-east-1')).toBeUndefined();
    expect(versionFromFile(read, 'AWSOpenTelemetryDistroPython', 'eu-west-1')).toEqual({ version: 7, source: `layer versions file ${file} (checked 2026-12-03)` });
  });

  test('a layer name with characters a key cannot hold is refused without being echoed', () => {
    writeVersions({ 'Evil\u001b[2Jlayer': {} });

    const error = expectErrorId(() => fn(app(file, 'us-east-1')), ErrorId.LAYER_VERSIONS_FILE_INVALID, path.basename(file));
    expect(error.message).not.toContain('Evil');
    expect(error.message).not.toContain('\u001b');
  });

  test('a version without a release in the file leaves the release unknown', () => {
    writeVersions({ AWSOpenTelemetryDistroPython: { 'us-east-1': { version: 31 } } });

    expect(openTelemetryLayerRelease('us-east-1', 'arm64', 31, app(file, 'us-east-1'))).toBeUndefined();
    expect(openTelemetryLayerRelease('us-east-1', 'arm64', 29, app(file, 'us-east-1'))).toBe('v0.18.0');
  });
});
