import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ErrorId, TracingContract } from '../../lib';
import { OTEL_PYTHON_LAYER, openTelemetryDataRelease, POWERTOOLS_PYTHON_LAYER } from '../../lib/tracing/layer-data';
import {
  LayerLookup, OTEL_MAPPING_ID, openTelemetryLayerRelease, otelLayerArn, POWERTOOLS_MAPPING_ID, powertoolsLayerArn,
} from '../../lib/tracing/private/layer-arns';
import { powertoolsLayerName } from '../../lib/tracing/private/layer-names';
import { expectErrorId } from '../helpers/errors';

// Every expectation is built from the layer data, so a refresh of layer-data.generated.ts does not break it.
const OTEL = OTEL_PYTHON_LAYER;
const PT = POWERTOOLS_PYTHON_LAYER;
const KEY = TracingContract.LAYER_VERSION_SOURCE_METADATA_KEY;
const OTEL_DATA_SOURCE = `library data (${OTEL.source})`;
const PT_DATA_SOURCE = `library data (${PT.source})`;
const CHECKED_ON = '2026-12-03T09:00:00.000Z';

/** The parts of the data's OpenTelemetry ARN for `region`, split here (not by the code under test). */
function otelData(region: string): { partition: string; account: string; version: number } {
  const [, partition, , , account, , , version] = OTEL.arns[region].split(':');
  return { partition, account, version: Number(version) };
}

/** Commercial regions with both layers: the first two are the ones the versions files below name. */
const SHARED_REGIONS = PT.regions.filter(r => Object.prototype.hasOwnProperty.call(OTEL.arns, r) && otelData(r).partition === 'aws');
const [R1, R2] = SHARED_REGIONS;
const RUNTIME = PT.runtimes[0];
const PT_NAME = powertoolsLayerName(RUNTIME, 'arm64');
/** The mapping key of that Powertools layer when a versions file names it (`python313arm64`). */
const PT_KEY = `${RUNTIME.replace('.', '')}arm64`;

const PARTITION = { Ref: 'AWS::Partition' };
const REGION = { Ref: 'AWS::Region' };
const findInMap = (mapping: string, key: string) => ({ 'Fn::FindInMap': [mapping, REGION, key] });

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layer-arns-'));
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes a layer versions file (lib/tracing/private/versions-file.ts) naming `layers`; returns its path. */
function versionsFile(layers: Record<string, Record<string, { version: number; release?: string }>>): string {
  const file = path.join(dir, 'layer-versions.json');
  fs.writeFileSync(file, JSON.stringify({ format: TracingContract.LAYER_VERSIONS_FORMAT, checkedOn: CHECKED_ON, layers }));
  return file;
}

/** The metadata value a function gets when its version comes from `file`. */
const fileSource = (file: string) => `layer versions file ${file} (checked ${CHECKED_ON.slice(0, 10)})`;

/** A stack in `region` (undefined: region-agnostic), its app naming `file` in the versions-file context key. */
function stackIn(region: string | undefined, file?: string): Stack {
  const context = file === undefined ? {} : { [TracingContract.LAYER_VERSIONS_CONTEXT_KEY]: file };
  return new Stack(new App({ context }), 'S', region === undefined ? {} : { env: { region } });
}

function fn(stack: Stack, id = 'Fn', runtime = lambda.Runtime.PYTHON_3_13): lambda.Function {
  return new lambda.Function(stack, id, { runtime, handler: 'index.handler', code: lambda.Code.fromInline('def handler(e, c): pass') });
}

/** The template of `fns`' stack, and the version-source metadata of each function in it. */
function synth(...fns: lambda.Function[]): { template: any; sources: unknown[] } {
  const stack = Stack.of(fns[0]);
  const template = Template.fromStack(stack).toJSON();
  const sources = fns.map(f => template.Resources[stack.getLogicalId(f.node.defaultChild as CfnElement)].Metadata?.[KEY]);
  return { template, sources };
}

function arnOf(lookup: LayerLookup): string {
  if (!('arn' in lookup)) throw new Error(`expected an ARN, got ${JSON.stringify(lookup)}`);
  return lookup.arn;
}

describe('otelLayerArn in a stack with a region', () => {
  test('the data\'s ARN for the region; the metadata names the library data', () => {
    const f = fn(stackIn(R1));

    expect(otelLayerArn(f)).toEqual({ arn: OTEL.arns[R1] });
    expect(synth(f).sources).toEqual([OTEL_DATA_SOURCE]);
  });

  test('the versions file\'s version for the region, and the metadata names the file', () => {
    const version = otelData(R1).version + 1;
    const file = versionsFile({ [OTEL.layerName]: { [R1]: { version } } });
    const f = fn(stackIn(R1, file));

    expect(otelLayerArn(f)).toEqual({ arn: OTEL.arns[R1].replace(/\d+$/, `${version}`) });
    expect(synth(f).sources).toEqual([fileSource(file)]);
  });

  test('layerVersion wins, and the metadata says it came from the option', () => {
    const version = otelData(R1).version + 2;
    const f = fn(stackIn(R1));

    expect(otelLayerArn(f, version)).toEqual({ arn: OTEL.arns[R1].replace(/\d+$/, `${version}`) });
    expect(synth(f).sources).toEqual(['layerVersion option']);
  });

  test.each(['xx-mars-1', '__proto__', 'constructor', 'toString'])('a region the data does not list (%s): missing, naming it and the source; no metadata', (region) => {
    const f = fn(stackIn(region));

    const lookup = otelLayerArn(f);

    expect(lookup).toEqual({ missing: expect.stringContaining(region) });
    expect(lookup).toEqual({ missing: expect.stringContaining(OTEL.source) });
    // Read on the resource: CDK does not synthesize a stack whose region is named __proto__.
    expect((f.node.defaultChild as lambda.CfnFunction).getMetadata(KEY)).toBeUndefined();
  });

  test('an entry the data object only inherits is not a data entry', () => {
    const region = 'xx-mars-1';
    const inherited = { [region]: `arn:aws:lambda:${region}:123456789012:layer:${OTEL.layerName}:7` };
    const proto = Object.getPrototypeOf(OTEL.arns);
    Object.setPrototypeOf(OTEL.arns, inherited);
    try {
      expect(otelLayerArn(fn(stackIn(region)))).toEqual({ missing: expect.stringContaining(region) });
      expect(openTelemetryDataRelease(region, OTEL.architectures[0], 7)).toBeUndefined();
    } finally {
      Object.setPrototypeOf(OTEL.arns, proto);
    }
  });

  test('fails by id when the data\'s ARN for the region names another layer, naming the region and the ARN', () => {
    const saved = OTEL.arns[R1];
    const bad = saved.replace(`:layer:${OTEL.layerName}:`, ':layer:SomeOtherLayer:');
    OTEL.arns[R1] = bad;
    try {
      expectErrorId(() => otelLayerArn(fn(stackIn(R1))), ErrorId.LAYER_DATA_INVALID, R1, bad);
    } finally {
      OTEL.arns[R1] = saved;
    }
  });
});

describe('otelLayerArn in a region-agnostic stack', () => {
  /** The ARN as a template gets it: `version` is the token or text after `:layer:NAME:`. */
  const otelJoin = (tail: unknown[]) => ({
    'Fn::Join': ['', ['arn:', PARTITION, ':lambda:', REGION, ':', findInMap(OTEL_MAPPING_ID, 'account'), ...tail]],
  });
  /** One mapping row per region of the data, with its account and version (from `versions` where given). */
  const otelRows = (versions: Record<string, number> = {}) => Object.fromEntries(Object.keys(OTEL.arns).map(r => [r, {
    account: otelData(r).account, version: `${versions[r] ?? otelData(r).version}`,
  }]));

  test('joins partition, region, the mapping\'s account and version; one row per region of the data; the metadata names the data', () => {
    const stack = stackIn(undefined);
    const f = fn(stack);

    const arn = arnOf(otelLayerArn(f));

    expect(stack.resolve(arn)).toEqual(otelJoin([`:layer:${OTEL.layerName}:`, findInMap(OTEL_MAPPING_ID, 'version')]));
    const { template, sources } = synth(f);
    expect(template.Mappings).toEqual({ [OTEL_MAPPING_ID]: otelRows() });
    expect(sources).toEqual([OTEL_DATA_SOURCE]);
  });

  test('layerVersion is the ARN\'s version in every region, and the metadata says it came from the option', () => {
    const stack = stackIn(undefined);
    const f = fn(stack);

    const arn = arnOf(otelLayerArn(f, 7));

    expect(stack.resolve(arn)).toEqual(otelJoin([`:layer:${OTEL.layerName}:7`]));
    expect(synth(f).sources).toEqual(['layerVersion option']);
  });

  test('a versions file naming two regions: their rows hold its versions, the others the data\'s; the metadata names both sources', () => {
    const versions = { [R1]: otelData(R1).version + 1, [R2]: otelData(R2).version + 2 };
    const file = versionsFile({ [OTEL.layerName]: { [R1]: { version: versions[R1] }, [R2]: { version: versions[R2] } } });
    const stack = stackIn(undefined, file);
    const f = fn(stack);

    const arn = arnOf(otelLayerArn(f));

    expect(stack.resolve(arn)).toEqual(otelJoin([`:layer:${OTEL.layerName}:`, findInMap(OTEL_MAPPING_ID, 'version')]));
    const { template, sources } = synth(f);
    expect(template.Mappings[OTEL_MAPPING_ID]).toEqual(otelRows(versions));
    expect(sources).toEqual([expect.stringContaining(fileSource(file))]);
    expect(sources).toEqual([expect.stringContaining(OTEL_DATA_SOURCE)]);
  });

  test('two functions share one mapping', () => {
    const stack = stackIn(undefined);
    const a = fn(stack, 'A');
    const b = fn(stack, 'B');

    const arns = [arnOf(otelLayerArn(a)), arnOf(otelLayerArn(b, 7))];

    expect(arns.map(arn => stack.resolve(arn))).toEqual([
      otelJoin([`:layer:${OTEL.layerName}:`, findInMap(OTEL_MAPPING_ID, 'version')]),
      otelJoin([`:layer:${OTEL.layerName}:7`]),
    ]);
    expect(synth(a, b).template.Mappings).toEqual({ [OTEL_MAPPING_ID]: otelRows() });
  });
});

describe('a scope that is not a lambda.Function', () => {
  test.each([R1, undefined])('gets the ARN and no metadata (stack region %s)', (region) => {
    const stack = stackIn(region);
    const scope = new Construct(stack, 'Plain');

    expect(otelLayerArn(scope)).toEqual({ arn: region ? OTEL.arns[region] : expect.any(String) });
    expect(powertoolsLayerArn(scope, RUNTIME, 'arm64')).toEqual({ arn: expect.any(String) });
    expect(scope.node.metadata).toEqual([]);
  });
});

describe('powertoolsLayerArn in a stack with a region', () => {
  const ptArn = (region: string, version: number) => `arn:${PT.partition}:lambda:${region}:${PT.account}:layer:${PT_NAME}:${version}`;

  test('the data\'s account and version; the metadata names the library data', () => {
    const f = fn(stackIn(R1));

    expect(powertoolsLayerArn(f, RUNTIME, 'arm64')).toEqual({ arn: ptArn(R1, PT.version) });
    expect(synth(f).sources).toEqual([PT_DATA_SOURCE]);
  });

  test('the versions file\'s version for the region, and the metadata names the file', () => {
    const file = versionsFile({ [PT_NAME]: { [R1]: { version: PT.version + 1 } } });
    const f = fn(stackIn(R1, file));

    expect(powertoolsLayerArn(f, RUNTIME, 'arm64')).toEqual({ arn: ptArn(R1, PT.version + 1) });
    expect(synth(f).sources).toEqual([fileSource(file)]);
  });

  test('layerVersion wins, and the metadata says it came from the option', () => {
    const f = fn(stackIn(R1));

    expect(powertoolsLayerArn(f, RUNTIME, 'arm64', 7)).toEqual({ arn: ptArn(R1, 7) });
    expect(synth(f).sources).toEqual(['layerVersion option']);
  });

  test.each([
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])('a region of another partition (%s): missing, naming the region, the partition %s and the data\'s account', (region, partition) => {
    expect(PT.regions).not.toContain(region);

    const lookup = powertoolsLayerArn(fn(stackIn(region)), RUNTIME, 'arm64');

    for (const value of [region, partition, PT.account]) {
      expect(lookup).toEqual({ missing: expect.stringContaining(value) });
    }
  });

  // 'cn-' and 'us-gov-' only mark a partition at the start of the name.
  test.each(['xx-cn-1', 'xx-us-gov-1', 'xx-mars-1'])('a region the documentation does not list (%s): missing, naming it and the documentation, no partition', (region) => {
    const lookup = powertoolsLayerArn(fn(stackIn(region)), RUNTIME, 'arm64');

    for (const value of [region, PT.url, PT.regionsSource]) {
      expect(lookup).toEqual({ missing: expect.stringContaining(value) });
    }
    for (const partition of ['aws-cn', 'aws-us-gov']) {
      expect(lookup).not.toEqual({ missing: expect.stringContaining(partition) });
    }
  });
});

describe('powertoolsLayerArn in a region-agnostic stack', () => {
  const ptJoin = (tail: unknown[]) => ({
    'Fn::Join': ['', [`arn:${PT.partition}:lambda:`, REGION, ':', findInMap(POWERTOOLS_MAPPING_ID, 'account'), ...tail]],
  });
  const ptRows = (extra: (region: string) => Record<string, string> = () => ({})) =>
    Object.fromEntries(PT.regions.map(r => [r, { account: PT.account, ...extra(r) }]));

  test('without a versions file: the mapping\'s account and the data\'s version; the metadata names the data', () => {
    const stack = stackIn(undefined);
    const f = fn(stack);

    const arn = arnOf(powertoolsLayerArn(f, RUNTIME, 'arm64'));

    expect(stack.resolve(arn)).toEqual(ptJoin([`:layer:${PT_NAME}:${PT.version}`]));
    const { template, sources } = synth(f);
    expect(template.Mappings).toEqual({ [POWERTOOLS_MAPPING_ID]: ptRows() });
    expect(sources).toEqual([PT_DATA_SOURCE]);
  });

  test('layerVersion is the ARN\'s version, and the metadata says it came from the option', () => {
    const stack = stackIn(undefined);
    const f = fn(stack);

    const arn = arnOf(powertoolsLayerArn(f, RUNTIME, 'arm64', 7));

    expect(stack.resolve(arn)).toEqual(ptJoin([`:layer:${PT_NAME}:7`]));
    expect(synth(f).sources).toEqual(['layerVersion option']);
  });

  test('a versions file naming the layer: a mapping column per layer, its versions where it names the region; one mapping for two functions', () => {
    const file = versionsFile({ [PT_NAME]: { [R1]: { version: PT.version + 1 } } });
    const stack = stackIn(undefined, file);
    const named = fn(stack, 'Named');
    const other = fn(stack, 'Other');

    const arns = [arnOf(powertoolsLayerArn(named, RUNTIME, 'arm64')), arnOf(powertoolsLayerArn(other, RUNTIME, 'x86_64'))];

    expect(arns.map(arn => stack.resolve(arn))).toEqual([
      ptJoin([`:layer:${PT_NAME}:`, findInMap(POWERTOOLS_MAPPING_ID, PT_KEY)]),
      ptJoin([`:layer:${powertoolsLayerName(RUNTIME, 'x86_64')}:${PT.version}`]),
    ]);
    const { template, sources } = synth(named, other);
    expect(template.Mappings).toEqual({ [POWERTOOLS_MAPPING_ID]: ptRows(r => ({ [PT_KEY]: `${r === R1 ? PT.version + 1 : PT.version}` })) });
    expect(sources[0]).toEqual(expect.stringContaining(file));
    expect(sources[0]).toEqual(expect.stringContaining(PT_DATA_SOURCE));
    expect(sources[1]).toBe(PT_DATA_SOURCE);
  });
});

describe('the versions file is read even with layerVersion', () => {
  test.each([R1, undefined])('a context key naming no file fails by id with a pinned version too (stack region %s)', (region) => {
    const f = fn(stackIn(region, path.join(dir, 'no-such-file.json')));

    expectErrorId(() => otelLayerArn(f, 7), ErrorId.LAYER_VERSIONS_FILE_INVALID, 'no-such-file.json');
    expectErrorId(() => powertoolsLayerArn(f, RUNTIME, 'arm64', 7), ErrorId.LAYER_VERSIONS_FILE_INVALID, 'no-such-file.json');
  });

  test('region-agnostic: a pinned function first does not leave the shared mapping without the file\'s versions', () => {
    const version = otelData(R1).version + 1;
    const file = versionsFile({ [OTEL.layerName]: { [R1]: { version } } });
    const stack = stackIn(undefined, file);
    const pinned = fn(stack, 'Pinned');
    const plain = fn(stack, 'Plain');

    otelLayerArn(pinned, 7);
    otelLayerArn(plain);

    const { template, sources } = synth(pinned, plain);
    expect(template.Mappings[OTEL_MAPPING_ID][R1].version).toBe(`${version}`);
    expect(template.Mappings[OTEL_MAPPING_ID][R2].version).toBe(`${otelData(R2).version}`);
    expect(sources).toEqual(['layerVersion option', expect.stringContaining(fileSource(file))]);
  });
});

describe('openTelemetryLayerRelease with a versions file', () => {
  const arch = OTEL.architectures[0];

  test('the file\'s release for the version it names; another version or an architecture the data does not list: unknown', () => {
    const version = otelData(R1).version + 1;
    const stack = stackIn(R1, versionsFile({ [OTEL.layerName]: { [R1]: { version, release: 'v99.0.0' } } }));

    expect(openTelemetryLayerRelease(R1, arch, version, stack)).toBe('v99.0.0');
    expect(openTelemetryLayerRelease(R1, arch, version + 1, stack)).toBeUndefined();
    expect(openTelemetryLayerRelease(R1, 'sparc', version, stack)).toBeUndefined();
  });

  test('an entry without a release leaves the data\'s release for the data\'s version', () => {
    const version = otelData(R1).version;
    const stack = stackIn(R1, versionsFile({ [OTEL.layerName]: { [R1]: { version } } }));

    expect(openTelemetryLayerRelease(R1, arch, version, stack)).toBe(OTEL.release);
  });
});
