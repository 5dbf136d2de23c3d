import { ErrorId } from '../../lib/contract';
import { OTEL_PYTHON_LAYER, POWERTOOLS_PYTHON_LAYER } from '../../lib/tracing/layer-data';
import { otelLayers } from '../../lib/tracing/private/layer-arns';
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

  test('each data set names its source page and the day it was read', () => {
    for (const data of [OTEL_PYTHON_LAYER, POWERTOOLS_PYTHON_LAYER]) {
      expect(data.source).toMatch(/^https:\/\//);
      expect(data.readOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(data.runtimes.every(r => /^python3\.\d+$/.test(r))).toBe(true);
    }
  });

  test('the Powertools data: one account and version, unique commercial regions', () => {
    expect(POWERTOOLS_PYTHON_LAYER.account).toMatch(/^\d{12}$/);
    expect(new Set(POWERTOOLS_PYTHON_LAYER.regions).size).toBe(POWERTOOLS_PYTHON_LAYER.regions.length);
    expect(POWERTOOLS_PYTHON_LAYER.regions.some(r => /^(cn|us-gov)-/.test(r))).toBe(false);
    expect(powertoolsLayerName('python3.13', 'arm64')).toBe('AWSLambdaPowertoolsPythonV3-python313-arm64');
  });

  test('fails when an OpenTelemetry ARN in the data file is malformed, naming the region and the source', () => {
    const arns = OTEL_PYTHON_LAYER.arns;
    const saved = arns['us-east-1'];
    arns['us-east-1'] = 'arn:aws:lambda:us-east-2:615299751070:layer:AWSOpenTelemetryDistroPython:29';
    try {
      expectErrorId(() => otelLayers(), ErrorId.LAYER_DATA_INVALID, /^lib\/tracing\/layer-data\.ts: /, 'us-east-1', 'arn:aws:lambda:us-east-2:', 'https://aws-otel.github.io/');
    } finally {
      arns['us-east-1'] = saved;
    }
  });
});
