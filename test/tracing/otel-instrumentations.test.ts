import * as lambda from 'aws-cdk-lib/aws-lambda';
import { annotationIds, annotations } from './annotations';
import { stackIn, tracedFunction, variables } from './otel-helpers';
import { ErrorId, Instrumentation, OpenTelemetryWrapper } from '../../lib';
import { AnnotationId } from '../../lib/contract';
import { OTEL_PYTHON_LAYER } from '../../lib/tracing/layer-data';
import { FAST_START_FIRST_RELEASE, OTEL_WRAPPER_RELEASES, releaseAtLeast, wrapperRelease } from '../../lib/tracing/otel-wrapper-data';
import * as releases from '../../lib/tracing/private/otel-release';
import { expectErrorId } from '../helpers/errors';

const V18 = wrapperRelease('v0.18.0')!;
const V19 = wrapperRelease('v0.19.0')!;
/** The release of the data's documented layer versions (what a function gets by default). */
const DATA_RELEASE = releases.LAYER_TABLE_RELEASE;
const DEFAULT_LIST = wrapperRelease(DATA_RELEASE)!.disabledByDefault;

function disabledWith(options: Parameters<typeof Instrumentation.openTelemetry>[0], region = 'us-east-1'): string | undefined {
  const stack = stackIn(region);
  tracedFunction(stack, { instrumentation: Instrumentation.openTelemetry(options) });
  return variables(stack).OTEL_PYTHON_DISABLED_INSTRUMENTATIONS;
}

/** Makes every function's layer belong to `release` (as a versions file or newer layer data would say). */
function layerOfRelease(release: string | undefined) {
  return jest.spyOn(releases, 'releaseOfOpenTelemetryLayer').mockReturnValue({ release, layer: 'the test layer', why: 'the test says so' });
}

afterEach(() => jest.restoreAllMocks());

describe('the wrapper data', () => {
  test('each release cites the wrapper at its tag and commit; v0.19.0 drops elasticsearch and adds fast start', () => {
    expect(OTEL_WRAPPER_RELEASES.map(r => [r.release, r.wrapper.tag, r.wrapper.commit.length, r.wrapper.readOn])).toEqual([
      ['v0.18.0', 'v0.18.0', 40, '2026-12-03'], ['v0.19.0', 'v0.19.0', 40, '2026-12-03'],
    ]);
    expect(V18.disabledByDefault).toHaveLength(53);
    expect(V18.disabledByDefault).toEqual(expect.arrayContaining(['requests', 'django', 'flask', 'sqlalchemy', 'boto3', 'elasticsearch']));
    expect(V19.disabledByDefault).toEqual(V18.disabledByDefault.filter(n => n !== 'elasticsearch'));
    for (const r of OTEL_WRAPPER_RELEASES) {
      expect(r.disabledByDefault.filter(n => r.onByDefault.includes(n))).toEqual([]);
      expect(r.onByDefault).toEqual(expect.arrayContaining(['botocore', 'urllib3']));
    }
    expect(V18.fastStartEnabled).toBeUndefined();
    expect(V19.fastStartEnabled).toEqual(['botocore', 'requests', 'urllib3']);
    expect(V19.liteSdk?.path).toMatch(/opentelemetry_lite_sdk\.py$/);
  });

  test('releases compare by number', () => {
    expect(releaseAtLeast('v0.19.0', 'v0.19.0')).toBe(true);
    expect(releaseAtLeast('v0.20.1', 'v0.19.0')).toBe(true);
    expect(releaseAtLeast('v1.0.0', 'v0.19.0')).toBe(true);
    expect(releaseAtLeast('v0.18.9', 'v0.19.0')).toBe(false);
    expect(releaseAtLeast('v0.9.0', 'v0.19.0')).toBe(false);
    expect(releaseAtLeast('latest', 'v0.19.0')).toBe(false);
  });

  test('releases compare number by number, each of any length; anything but a whole vX.Y.Z tag is not at least', () => {
    expect(releaseAtLeast('v10.0.0', 'v9.0.0')).toBe(true);
    expect(releaseAtLeast('v0.19.10', 'v0.19.9')).toBe(true);
    expect(releaseAtLeast('xv0.20.0', 'v0.19.0')).toBe(false);
    expect(releaseAtLeast('v0.20.0-rc1', 'v0.19.0')).toBe(false);
    expect(releaseAtLeast('v0.20.0', 'v0.19.0-rc1')).toBe(false);
  });
});

describe('instrumentations (full mode)', () => {
  test('no option: the variable is not set (the layer\'s default stands)', () => {
    expect(disabledWith({})).toBeUndefined();
  });

  test('disable: [\'botocore\'] adds botocore and keeps the default-disabled ones off (requests, django)', () => {
    const value = disabledWith({ instrumentations: { disable: ['botocore'] } })!.split(',');
    expect(value).toEqual([...DEFAULT_LIST, 'botocore']);
    expect(value).toEqual(expect.arrayContaining(['requests', 'django']));
  });

  test('enable: [\'requests\'] removes requests from the default list, and nothing else', () => {
    expect(disabledWith({ instrumentations: { enable: ['requests'] } })!.split(','))
      .toEqual(DEFAULT_LIST.filter(n => n !== 'requests'));
  });

  test('enable and disable together', () => {
    expect(disabledWith({ instrumentations: { enable: ['django', 'flask'], disable: ['urllib3'] } })!.split(','))
      .toEqual([...DEFAULT_LIST.filter(n => n !== 'django' && n !== 'flask'), 'urllib3']);
  });

  test('enable: [\'all\'] writes none (an empty value would bring the default back)', () => {
    expect(disabledWith({ instrumentations: { enable: ['all'] } })).toBe('none');
  });

  test('one turned on and one turned off: the same length as the default, still written', () => {
    expect(disabledWith({ instrumentations: { enable: ['requests'], disable: ['botocore'] } })!.split(','))
      .toEqual([...DEFAULT_LIST.filter(n => n !== 'requests'), 'botocore']);
  });

  test('changes that change nothing leave the variable unset', () => {
    expect(disabledWith({ instrumentations: { enable: ['botocore'], disable: ['requests'] } })).toBeUndefined();
  });

  test('a name the release does not know is an error listing the known ones', () => {
    const stack = stackIn('us-east-1');
    expectErrorId(() => tracedFunction(stack, { instrumentation: Instrumentation.openTelemetry({ instrumentations: { disable: ['botcore'] } }) }),
      ErrorId.OTEL_INSTRUMENTATION_UNKNOWN, /^Stack\/Fn: /, 'botcore', DATA_RELEASE, 'boto3sqs, botocore', 'wsgi');
  });

  test('names the release does not know, in both lists: each named, and fastStart is not the fix (it is off)', () => {
    const error = expectErrorId(() => disabledWith({ instrumentations: { enable: ['flsk'], disable: ['botcore'] } }),
      ErrorId.OTEL_INSTRUMENTATION_UNKNOWN, /^Stack\/Fn: /, 'botcore, flsk', DATA_RELEASE);
    expect(error.message).not.toContain('fastStart');
  });

  test('a layer of a release this library does not describe: the names are checked against the newest it describes, and the error names both', () => {
    // v0.14.1 is a real release (test/fixtures/upstream: aws-otel.github.io 5bfd9b7b) that the wrapper data does not describe.
    const newest = OTEL_WRAPPER_RELEASES[OTEL_WRAPPER_RELEASES.length - 1].release;
    expect(wrapperRelease('v0.14.1')).toBeUndefined();
    layerOfRelease('v0.14.1');

    expectErrorId(() => disabledWith({ instrumentations: { disable: ['botcore'] } }), ErrorId.OTEL_INSTRUMENTATION_UNKNOWN, /^Stack\/Fn: /,
      'botcore', 'v0.14.1', newest);
  });

  test('elasticsearch is known to v0.18.0 and not to v0.19.0 (which dropped it)', () => {
    layerOfRelease('v0.18.0');
    expect(disabledWith({ instrumentations: { enable: ['elasticsearch'] } })!.split(',')).not.toContain('elasticsearch');
    layerOfRelease('v0.19.0');
    expectErrorId(() => disabledWith({ instrumentations: { enable: ['elasticsearch'] } }), ErrorId.OTEL_INSTRUMENTATION_UNKNOWN, 'elasticsearch', 'v0.19.0');
  });

  test.each([
    [{ disable: [] as string[] }, '[]'],
    [{ enable: ['urllib3,botocore'] }, 'urllib3,botocore'],
    [{ disable: [''] }, '[""]'],
    [{ enable: ['requests', 'flask'], disable: ['requests', 'flask', 'django'] }, 'requests, flask'],
    [{ enable: ['all'], disable: ['botocore'] }, 'all'],
  ])('%j is an error before any construct exists', (instrumentations, named) => {
    expectErrorId(() => Instrumentation.openTelemetry({ instrumentations }), ErrorId.OTEL_INSTRUMENTATIONS_INVALID, /^Instrumentation.openTelemetry\(\): /, named);
  });
});

describe('fastStart', () => {
  test('on a layer of release v0.19.0 or later: the variable, silently', () => {
    layerOfRelease('v0.19.0');
    const stack = stackIn('us-east-1');
    tracedFunction(stack, { instrumentation: Instrumentation.openTelemetry({ fastStart: true }) });

    expect(variables(stack)).toEqual({
      AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument', OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'false', OTEL_AWS_LAMBDA_FAST_START: 'true',
    });
    expect(annotationIds(stack, 'warning')).toEqual([]);
  });

  test('on a layer of release v0.18.0: an error naming the version, the release and the fix', () => {
    const stack = stackIn('us-east-1');
    jest.spyOn(releases, 'releaseOfOpenTelemetryLayer').mockReturnValue({ release: 'v0.18.0', layer: 'AWSOpenTelemetryDistroPython version 29 in us-east-1', why: 'data' });
    expectErrorId(() => tracedFunction(stack, { instrumentation: Instrumentation.openTelemetry({ fastStart: true }) }),
      ErrorId.OTEL_OPTION_UNSUPPORTED, /^Stack\/Fn: /, 'version 29', 'v0.18.0', 'v0.19.0', 'layerVersion', 'layers --check');
  });

  test('with the data\'s documented layer: an error exactly when the data\'s release predates v0.19.0', () => {
    const stack = stackIn('us-east-1');
    const make = () => tracedFunction(stack, { instrumentation: Instrumentation.openTelemetry({ fastStart: true }) });
    if (releaseAtLeast(DATA_RELEASE, 'v0.19.0')) {
      make();
      expect(variables(stack).OTEL_AWS_LAMBDA_FAST_START).toBe('true');
    } else {
      expectErrorId(make, ErrorId.OTEL_OPTION_UNSUPPORTED, DATA_RELEASE, `version ${OTEL_PYTHON_LAYER.arns['us-east-1'].split(':').pop()!}`);
    }
  });

  test.each([
    ['a bare layerVersion', () => Instrumentation.openTelemetry({ fastStart: true, layerVersion: 99 })],
  ])('with %s: the variable and a warning by id naming the function, the variable, the version and region, and the fix', (_what, instrumentation) => {
    const stack = stackIn('us-east-1');
    tracedFunction(stack, { instrumentation: instrumentation() });

    expect(variables(stack).OTEL_AWS_LAMBDA_FAST_START).toBe('true');
    expect(annotationIds(stack, 'warning')).toEqual([`/Stack/Fn ${AnnotationId.OTEL_FAST_START_RELEASE_UNKNOWN}`]);
    const { message } = annotations(stack, 'warning')[0];
    for (const named of ['Stack/Fn: ', 'OTEL_AWS_LAMBDA_FAST_START', 'AWSOpenTelemetryDistroPython version 99 in us-east-1', FAST_START_FIRST_RELEASE,
      'layerVersion', 'layers --check']) {
      expect(message).toContain(named);
    }
  });

  test('with a layer of the user\'s own: the variable and a warning by id naming the layer', () => {
    const stack = stackIn('us-east-1');
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Mine', 'arn:aws:lambda:us-east-1:123456789012:layer:otel:3');
    tracedFunction(stack, { instrumentation: Instrumentation.openTelemetry({ fastStart: true, layer }) });

    expect(variables(stack).OTEL_AWS_LAMBDA_FAST_START).toBe('true');
    expect(annotationIds(stack, 'warning')).toEqual([`/Stack/Fn ${AnnotationId.OTEL_FAST_START_RELEASE_UNKNOWN}`]);
    expect(annotations(stack, 'warning')[0].message).toContain('\'Stack/Mine\'');
  });

  test('disable is written as is (the lite SDK subtracts it from botocore, requests, urllib3)', () => {
    layerOfRelease('v0.19.0');
    expect(disabledWith({ fastStart: true, instrumentations: { disable: ['requests', 'urllib3'] } })).toBe('requests,urllib3');
    expect(disabledWith({ fastStart: true, instrumentations: { enable: ['requests'] } })).toBeUndefined();
  });

  test('enabling what the lite SDK cannot load is an error naming the three it can', () => {
    layerOfRelease('v0.19.0');
    expectErrorId(() => disabledWith({ fastStart: true, instrumentations: { enable: ['django'] } }),
      ErrorId.OTEL_INSTRUMENTATION_UNKNOWN, 'django', 'botocore, requests, urllib3', 'fastStart');
    // One name the lite SDK loads beside one it cannot: turning fastStart off is still the fix.
    expectErrorId(() => disabledWith({ fastStart: true, instrumentations: { enable: ['requests', 'django'] } }),
      ErrorId.OTEL_INSTRUMENTATION_UNKNOWN, 'django', 'fastStart');
  });

  test('disabling a name the lite SDK does not know: the fix is the spelling, not fastStart', () => {
    layerOfRelease('v0.19.0');
    const error = expectErrorId(() => disabledWith({ fastStart: true, instrumentations: { disable: ['django'] } }),
      ErrorId.OTEL_INSTRUMENTATION_UNKNOWN, 'django', 'botocore, requests, urllib3');
    expect(error.message).not.toContain('fastStart');
  });

  test('a layer of the user\'s own (unknown release) is read as the newest release this library describes', () => {
    const newest = OTEL_WRAPPER_RELEASES[OTEL_WRAPPER_RELEASES.length - 1];
    expect(newest.fastStartEnabled).toContain('requests');
    const withOwnLayer = (instrumentations: { enable?: string[]; disable?: string[] }) => {
      const stack = stackIn('us-east-1');
      const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Mine', 'arn:aws:lambda:us-east-1:123456789012:layer:otel:3');
      tracedFunction(stack, { instrumentation: Instrumentation.openTelemetry({ fastStart: true, layer, instrumentations }) });
      return variables(stack).OTEL_PYTHON_DISABLED_INSTRUMENTATIONS;
    };

    expect(withOwnLayer({ disable: ['requests'] })).toBe('requests');
    const error = expectErrorId(() => withOwnLayer({ enable: ['django'] }),
      ErrorId.OTEL_INSTRUMENTATION_UNKNOWN, 'django', newest.release, [...newest.fastStartEnabled!].sort().join(', '));
    expect(error.message).not.toContain('undefined');
  });
});

describe('releaseOfOpenTelemetryLayer', () => {
  const documented = Number(OTEL_PYTHON_LAYER.arns['eu-central-2'].split(':').pop());

  test.each([
    ['the documented version in a region', 'eu-central-2', undefined, DATA_RELEASE],
    ['the documented version, pinned', 'eu-central-2', documented, DATA_RELEASE],
    ['another version', 'eu-central-2', documented + 1, undefined],
    ['the documented version, region-agnostic', undefined, undefined, DATA_RELEASE],
    ['a pinned version, region-agnostic', undefined, documented, undefined],
  ])('%s', (_what, region, layerVersion, release) => {
    const stack = stackIn(region);
    const found = releases.releaseOfOpenTelemetryLayer(stack, { layerVersion });
    expect(found.release).toBe(release);
    expect(found.layer).toContain('AWSOpenTelemetryDistroPython');
    if (layerVersion !== undefined) expect(found.layer).toContain(`version ${layerVersion}`);
    if (region !== undefined && layerVersion === undefined) expect(found.layer).toContain(`version ${documented}`);
    expect(found.layer).toContain(region === undefined ? 'every region' : `in ${region}`);
    if (region === undefined && layerVersion === undefined) expect(found.layer).not.toMatch(/version \d/);
    // The answer cites the layer data (source and reading day), and the release when it has one.
    expect(found.why).toContain(OTEL_PYTHON_LAYER.source);
    if (release !== undefined) expect(found.why).toContain(release);
    // No value it lacks is rendered as 'undefined'.
    expect(`${found.layer} ${found.why}`).not.toContain('undefined');
  });

  test('a layer of the user\'s own has no known release', () => {
    const stack = stackIn('us-east-1');
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Mine', 'arn:aws:lambda:us-east-1:123456789012:layer:otel:3');
    expect(releases.releaseOfOpenTelemetryLayer(stack, { layer })).toEqual({ layer: 'the layer \'Stack/Mine\'', why: expect.any(String) });
  });
});

describe('OpenTelemetryWrapper (public reading of the data)', () => {
  test('releases, and the release of a layer version by the data', () => {
    expect(OpenTelemetryWrapper.releases()).toEqual(['v0.18.0', 'v0.19.0']);
    const documented = Number(OTEL_PYTHON_LAYER.arns['us-east-1'].split(':').pop());
    expect(OpenTelemetryWrapper.releaseOfLayerVersion()).toBe(DATA_RELEASE);
    expect(OpenTelemetryWrapper.releaseOfLayerVersion('us-east-1')).toBe(DATA_RELEASE);
    expect(OpenTelemetryWrapper.releaseOfLayerVersion('us-east-1', documented)).toBe(DATA_RELEASE);
    expect(OpenTelemetryWrapper.releaseOfLayerVersion('us-east-1', documented + 1)).toBeUndefined();
    expect(OpenTelemetryWrapper.releaseOfLayerVersion(undefined, documented)).toBeUndefined();
    expect(OpenTelemetryWrapper.releaseOfLayerVersion('us-gov-west-1')).toBeUndefined();
  });

  test('full mode by default: what the release installs minus its default list and aws-lambda', () => {
    expect(OpenTelemetryWrapper.loadedInstrumentations({ release: 'v0.19.0' })).toEqual(['aiokafka', 'boto3sqs', 'botocore', 'urllib', 'urllib3']);
    expect(OpenTelemetryWrapper.loadedInstrumentations()).toEqual(['aiokafka', 'boto3sqs', 'botocore', 'urllib', 'urllib3']);
    expect(OpenTelemetryWrapper.disabledByDefault('v0.18.0')).toEqual(V18.disabledByDefault);
    expect(OpenTelemetryWrapper.disabledByDefault()).toEqual(DEFAULT_LIST);
  });

  test('without a release: the release of the data\'s documented versions, in full mode and with fast start', () => {
    for (const settings of [{}, { disabledInstrumentations: 'none' }, { fastStart: true }, { fastStart: true, disabledInstrumentations: 'requests' }]) {
      expect(OpenTelemetryWrapper.loadedInstrumentations(settings))
        .toEqual(OpenTelemetryWrapper.loadedInstrumentations({ ...settings, release: DATA_RELEASE }));
    }
    // The two releases differ in both: so the comparison above tells which release was read.
    expect(OpenTelemetryWrapper.loadedInstrumentations({ release: 'v0.18.0', disabledInstrumentations: 'none' }))
      .not.toEqual(OpenTelemetryWrapper.loadedInstrumentations({ release: 'v0.19.0', disabledInstrumentations: 'none' }));
    expect(OpenTelemetryWrapper.loadedInstrumentations({ release: 'v0.18.0', fastStart: true }))
      .not.toEqual(OpenTelemetryWrapper.loadedInstrumentations({ release: 'v0.19.0', fastStart: true }));
  });

  test.each(['v0.14.1', 'v9.0.0', '', 'latest\u001b[2J'])('a release the data does not describe (%j) is an error by id naming it and the described ones', (release) => {
    for (const ask of [() => OpenTelemetryWrapper.loadedInstrumentations({ release }), () => OpenTelemetryWrapper.disabledByDefault(release)]) {
      const error = expectErrorId(ask, ErrorId.OTEL_RELEASE_NOT_DESCRIBED, /^OpenTelemetryWrapper\.\w+\(\): /, ...OpenTelemetryWrapper.releases());
      expect(error.message).toContain(release.replace('\u001b', '\\x1b'));
      expect(error.message).not.toContain('\u001b');
    }
  });

  test('an empty or blank variable is the default list (the wrapper tests it unquoted with -z)', () => {
    for (const value of ['', ' ']) {
      expect(OpenTelemetryWrapper.loadedInstrumentations({ release: 'v0.19.0', disabledInstrumentations: value }))
        .toEqual(OpenTelemetryWrapper.loadedInstrumentations({ release: 'v0.19.0' }));
    }
  });

  test('a variable the function sets replaces the default list', () => {
    const loaded = OpenTelemetryWrapper.loadedInstrumentations({ release: 'v0.19.0', disabledInstrumentations: 'botocore, urllib3' });
    expect(loaded).toEqual(expect.arrayContaining(['requests', 'django', 'aiokafka']));
    expect(loaded).not.toEqual(expect.arrayContaining(['botocore']));
    expect(loaded).not.toContain('urllib3');
    expect(OpenTelemetryWrapper.loadedInstrumentations({ release: 'v0.19.0', disabledInstrumentations: 'none' })).not.toContain('aws-lambda');
  });

  test('fast start: botocore, requests, urllib3 minus the variable; a release without fast start reads as full mode', () => {
    expect(OpenTelemetryWrapper.loadedInstrumentations({ release: 'v0.19.0', fastStart: true })).toEqual(['botocore', 'requests', 'urllib3']);
    expect(OpenTelemetryWrapper.loadedInstrumentations({ release: 'v0.19.0', fastStart: true, disabledInstrumentations: 'requests' })).toEqual(['botocore', 'urllib3']);
    expect(OpenTelemetryWrapper.loadedInstrumentations({ release: 'v0.18.0', fastStart: true }))
      .toEqual(OpenTelemetryWrapper.loadedInstrumentations({ release: 'v0.18.0' }));
    expect(OpenTelemetryWrapper.FAST_START_FIRST_RELEASE).toBe(FAST_START_FIRST_RELEASE);
  });
});
