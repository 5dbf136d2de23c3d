import { App, Stack } from 'aws-cdk-lib';
import { ErrorId, PublishedLayers } from '../../lib';
import { OTEL_PYTHON_LAYER, openTelemetryDataRelease, POWERTOOLS_PYTHON_LAYER } from '../../lib/tracing/layer-data';
import { LAYER_DATA } from '../../lib/tracing/layer-data.generated';
import { openTelemetryLayerRelease, otelLayers, powertoolsSsmLayerArn } from '../../lib/tracing/private/layer-arns';
import { powertoolsLayerName } from '../../lib/tracing/private/layer-names';
import { expectErrorId } from '../helpers/errors';

describe('layer data', () => {
  test('every OpenTelemetry entry is a layer version ARN of AWSOpenTelemetryDistroPython in its own region', () => {
    const layers = otelLayers();

    expect(Object.keys(layers).length).toBeGreaterThanOrEqual(30);
    for (const [region, layer] of Object.entries(layers)) {
      expect(layer.region).toBe(region);
      expect(layer.partition).toBe(region.startsWith('cn-') ? 'aws-cn' : 'aws');
      expect(layer.version).toBeGreaterThan(0);
    }
  });

  test('every source is cited with repository, path, commit and the day it was read', () => {
    const sources = [...Object.values(LAYER_DATA.openTelemetryPython.sources), ...Object.values(LAYER_DATA.powertoolsPython.sources)];

    expect(sources).toHaveLength(5);
    for (const source of sources) {
      expect(source).toMatchObject({ repository: expect.stringMatching(/^[\w.-]+\/[\w.-]+$/), path: expect.any(String), commit: expect.stringMatching(/^[0-9a-f]{40}$/), readOn: '2026-12-03' });
    }
    expect(LAYER_DATA.openTelemetryPython.sources.runtimes).toMatchObject({ tag: LAYER_DATA.openTelemetryPython.release });
  });

  test('the runtimes follow the release workflow where the docs page lags it, and the data says so', () => {
    const otel = LAYER_DATA.openTelemetryPython;

    expect(otel.runtimes).toEqual(['python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14']);
    expect(otel.docsRuntimes).toEqual(['python3.10', 'python3.11', 'python3.12', 'python3.13']);
    expect(otel.runtimesFrom).toMatch(/^the release workflow/);
    expect(OTEL_PYTHON_LAYER.runtimes).toEqual(otel.runtimes);
  });

  test('the Powertools data: one account and version, unique commercial regions, the SSM parameter path', () => {
    expect(POWERTOOLS_PYTHON_LAYER.account).toMatch(/^\d{12}$/);
    expect(new Set(POWERTOOLS_PYTHON_LAYER.regions).size).toBe(POWERTOOLS_PYTHON_LAYER.regions.length);
    expect(POWERTOOLS_PYTHON_LAYER.regions.some(r => /^(cn|us-gov)-/.test(r))).toBe(false);
    expect(powertoolsLayerName('python3.13', 'arm64')).toBe('AWSLambdaPowertoolsPythonV3-python313-arm64');
    expect(powertoolsSsmLayerArn('python3.13', 'x86_64')).toBe('{{resolve:ssm:/aws/service/powertools/python/x86_64/python3.13/latest}}');
  });

  test('fails by id when an OpenTelemetry ARN in the data is malformed, naming the region', () => {
    const arns = OTEL_PYTHON_LAYER.arns;
    const saved = arns['us-east-1'];
    arns['us-east-1'] = 'arn:aws:lambda:us-east-2:615299751070:layer:AWSOpenTelemetryDistroPython:29';
    try {
      expectErrorId(() => otelLayers(), ErrorId.LAYER_DATA_INVALID, /^lib\/tracing\/layer-data\.generated\.ts: /, 'us-east-1', 'arn:aws:lambda:us-east-2:', 'npm run update-layer-data');
    } finally {
      arns['us-east-1'] = saved;
    }
  });
});

describe('openTelemetryLayerRelease (for the OpenTelemetry options)', () => {
  test('the version the data names in a region belongs to the data\'s release, on both architectures', () => {
    expect(openTelemetryDataRelease('us-east-1', 'arm64', 29)).toBe('v0.18.0');
    expect(openTelemetryLayerRelease('us-west-2', 'x86_64', 33)).toBe('v0.18.0');
  });

  test('another version, a region the data does not know or another architecture: unknown', () => {
    expect(openTelemetryLayerRelease('us-east-1', 'x86_64', 30)).toBeUndefined();
    expect(openTelemetryLayerRelease('us-east-1', 'x86_64', 28)).toBeUndefined();
    expect(openTelemetryLayerRelease('xx-mars-1', 'x86_64', 29)).toBeUndefined();
    expect(openTelemetryLayerRelease('us-east-1', 'sparc', 29)).toBeUndefined();
  });

  test('with a scope, a release the app\'s versions file records counts (test/tracing/versions-file.test.ts writes one)', () => {
    const stack = new Stack(new App(), 'S', { env: { region: 'us-east-1' } });

    expect(openTelemetryLayerRelease('us-east-1', 'x86_64', 29, stack)).toBe('v0.18.0');
  });
});

describe('PublishedLayers', () => {
  test('lists the OpenTelemetry layer and one Powertools layer per runtime and architecture of a region', () => {
    const layers = PublishedLayers.list({ region: 'eu-west-1' });

    expect(layers.filter(l => l.instrumentation === 'open-telemetry')).toEqual([expect.objectContaining({
      layerName: 'AWSOpenTelemetryDistroPython',
      release: 'v0.18.0',
      version: 26,
      layerVersionArn: 'arn:aws:lambda:eu-west-1:615299751070:layer:AWSOpenTelemetryDistroPython:26',
      readOn: '2026-12-03',
    })]);
    expect(layers.filter(l => l.instrumentation === 'powertools')).toHaveLength(POWERTOOLS_PYTHON_LAYER.runtimes.length * 2);
    expect(layers[0]).toMatchObject({ compatibleRuntimes: OTEL_PYTHON_LAYER.runtimes, compatibleArchitectures: ['arm64', 'x86_64'] });
    expect(layers.find(l => l.layerName === 'AWSLambdaPowertoolsPythonV3-python312-x86_64')).toEqual({
      layerName: 'AWSLambdaPowertoolsPythonV3-python312-x86_64',
      instrumentation: 'powertools',
      region: 'eu-west-1',
      layerVersionArn: 'arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-x86_64:27',
      version: 27,
      compatibleRuntimes: ['python3.12'],
      compatibleArchitectures: ['x86_64'],
      source: POWERTOOLS_PYTHON_LAYER.source,
      readOn: '2026-12-03',
    });
  });

  test('filters by runtime and architecture', () => {
    const layers = PublishedLayers.list({ runtime: 'python3.14', architecture: 'arm64', region: 'us-east-1' });

    expect(layers.map(l => l.layerName)).toEqual(['AWSOpenTelemetryDistroPython', 'AWSLambdaPowertoolsPythonV3-python314-arm64']);
    expect(PublishedLayers.list({ runtime: 'python3.9' })).toEqual([]);
    expect(PublishedLayers.list({ architecture: 'sparc' })).toEqual([]);
    expect(new Set(PublishedLayers.list({ runtime: 'python3.13' }).map(l => l.region)).size).toBe(36);
    expect(PublishedLayers.list({ region: 'cn-north-1' }).map(l => l.instrumentation)).toEqual(['open-telemetry']);
  });
});
