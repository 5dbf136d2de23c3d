import { XRayUsageKind } from './types';

/**
 * The OpenTelemetry replacement of each X-Ray SDK use, as AWS's migration guide gives it. Paraphrased;
 * each entry names the section it comes from.
 *
 * Sources (read 2026-11-27):
 * - GUIDE: AWS X-Ray Developer Guide, "Migrate to OpenTelemetry Python",
 *   https://docs.aws.amazon.com/xray/latest/devguide/migrate-xray-to-opentelemetry-python.html
 *   (sections: Tracing setup initialization, Tracing incoming requests, AWS SDK instrumentation,
 *   Instrumenting outgoing HTTP calls through requests, Manually creating trace data, Lambda instrumentation).
 * - CONCEPTS: AWS X-Ray Developer Guide, "Migrating from X-Ray instrumentation to OpenTelemetry instrumentation",
 *   https://docs.aws.amazon.com/xray/latest/devguide/xray-sdk-migration.html (concept table, span attributes, sampling).
 * - POWERTOOLS: aws-powertools/powertools-lambda-python#7382, "Maintenance: AWS X-Ray SDK/Daemon end of life":
 *   the Tracer utility is built on the X-Ray SDK; OpenTelemetry support is being designed in
 *   aws-powertools/powertools-lambda#90. https://github.com/aws-powertools/powertools-lambda-python/issues/7382
 */
export const GUIDE_URL = 'https://docs.aws.amazon.com/xray/latest/devguide/migrate-xray-to-opentelemetry-python.html';
export const CONCEPTS_URL = 'https://docs.aws.amazon.com/xray/latest/devguide/xray-sdk-migration.html';
export const POWERTOOLS_URL = 'https://github.com/aws-powertools/powertools-lambda-python/issues/7382';

interface Replacement {
  readonly replacement: string;
  readonly reference: string;
}

const SPAN = 'with tracer.start_as_current_span("name") as span:';
const ANNOTATION = 'span.set_attribute(key, value), and list the key in the span\'s "aws.xray.annotations" attribute '
  + '(span.set_attribute("aws.xray.annotations", [key, ...])) so X-Ray keeps it as a searchable annotation';
const METADATA = 'span.set_attribute(key, value): span attributes become X-Ray metadata by default '
  + '(attribute values are strings, numbers, booleans or lists of them: serialize a dict with json.dumps)';

/** The table: one entry per kind. */
export const REPLACEMENTS: Record<XRayUsageKind, Replacement> = {
  import: {
    replacement: 'from opentelemetry import trace; tracer = trace.get_tracer(__name__) (only opentelemetry-api is needed '
      + 'in the function: the OpenTelemetry Lambda layer configures the tracer provider)',
    reference: `${GUIDE_URL}#lambda-instrumentation-python`,
  },
  patch_all: {
    replacement: 'remove it: the OpenTelemetry Lambda layer (AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument) instruments boto3/botocore, '
      + 'requests and the other supported libraries; without the layer, BotocoreInstrumentor().instrument() '
      + '(opentelemetry-instrumentation-botocore) and RequestsInstrumentor().instrument() (opentelemetry-instrumentation-requests)',
    reference: `${GUIDE_URL}#aws-sdk-instrumentation-python`,
  },
  patch: {
    replacement: 'remove it: the OpenTelemetry Lambda layer instruments the supported libraries; without the layer, '
      + 'each library\'s OpenTelemetry instrumentor',
    reference: `${GUIDE_URL}#aws-sdk-instrumentation-python`,
  },
  capture: {
    replacement: `@tracer.start_as_current_span("name") on the function, or ${SPAN} around the call`,
    reference: `${GUIDE_URL}#manual-trace-creation-python`,
  },
  capture_async: {
    replacement: `${SPAN} inside the coroutine, around the awaited work`,
    reference: `${GUIDE_URL}#manual-trace-creation-python`,
  },
  in_segment: {
    replacement: 'with tracer.start_as_current_span("name", kind=SpanKind.SERVER) as span: (only SERVER spans become X-Ray '
      + 'segments; in Lambda the layer already creates the invocation\'s server span)',
    reference: `${GUIDE_URL}#manual-trace-creation-python`,
  },
  in_subsegment: {
    replacement: `${SPAN} (spans of any kind but SERVER become X-Ray subsegments)`,
    reference: `${GUIDE_URL}#manual-trace-creation-python`,
  },
  begin_segment: {
    replacement: 'tracer.start_as_current_span("name", kind=SpanKind.SERVER); in Lambda the layer creates the invocation\'s '
      + 'server span, so no segment needs to be started',
    reference: `${GUIDE_URL}#manual-trace-creation-python`,
  },
  begin_subsegment: {
    replacement: `${SPAN} around the work it measured (the span ends with the block)`,
    reference: `${GUIDE_URL}#manual-trace-creation-python`,
  },
  end_segment: {
    replacement: 'remove it: a span from start_as_current_span ends when its with block does',
    reference: `${GUIDE_URL}#manual-trace-creation-python`,
  },
  end_subsegment: {
    replacement: 'remove it: a span from start_as_current_span ends when its with block does',
    reference: `${GUIDE_URL}#manual-trace-creation-python`,
  },
  current_segment: {
    replacement: 'trace.get_current_span() (in Lambda, the invocation span the layer created)',
    reference: `${GUIDE_URL}#manual-trace-creation-python`,
  },
  current_subsegment: {
    replacement: 'trace.get_current_span()',
    reference: `${GUIDE_URL}#manual-trace-creation-python`,
  },
  put_annotation: { replacement: ANNOTATION, reference: `${GUIDE_URL}#manual-trace-creation-python` },
  put_metadata: { replacement: METADATA, reference: `${GUIDE_URL}#manual-trace-creation-python` },
  configure: {
    replacement: 'the tracer provider replaces the recorder\'s configuration: in Lambda the OpenTelemetry layer sets it up; '
      + 'elsewhere trace.set_tracer_provider(TracerProvider(...)) with a BatchSpanProcessor(OTLPSpanExporter(...)) and '
      + 'propagate.set_global_textmap(AwsXRayPropagator())',
    reference: `${GUIDE_URL}#manual-instrumentation-python-tracing`,
  },
  sampling: {
    replacement: 'OpenTelemetry samplers (parent-based, trace ID ratio); X-Ray sampling rules only through ADOT\'s '
      + 'auto-instrumentation (OTEL_TRACES_SAMPLER=xray): plain OpenTelemetry Python has no X-Ray remote sampling',
    reference: `${GUIDE_URL}#manual-instrumentation-python-tracing`,
  },
  plugins: {
    replacement: 'resource detectors (opentelemetry-sdk-extension-aws, e.g. AwsEc2ResourceDetector) passed to the '
      + 'TracerProvider\'s resource',
    reference: `${GUIDE_URL}#manual-instrumentation-python-tracing`,
  },
  middleware: {
    replacement: 'FlaskInstrumentor().instrument_app(app) (opentelemetry-instrumentation-flask) or the Django instrumentation '
      + '(opentelemetry-instrumentation-django); Bottle: the WSGI instrumentation',
    reference: `${GUIDE_URL}#tracing-incoming-requests-python`,
  },
  powertools_tracer: {
    replacement: 'Powertools\' Tracer is built on the X-Ray SDK and has no OpenTelemetry provider yet: use '
      + 'trace.get_tracer(__name__) with the OpenTelemetry layer',
    reference: POWERTOOLS_URL,
  },
  powertools_capture_lambda_handler: {
    replacement: 'remove it: the OpenTelemetry Lambda layer instruments the handler and creates the invocation span',
    reference: `${GUIDE_URL}#lambda-instrumentation-python`,
  },
  powertools_capture_method: {
    replacement: '@tracer.start_as_current_span("name") with an OpenTelemetry tracer',
    reference: `${GUIDE_URL}#manual-trace-creation-python`,
  },
  powertools_put_annotation: {
    replacement: 'trace.get_current_span().set_attribute(key, value), and list the key in the span\'s "aws.xray.annotations" '
      + 'attribute so X-Ray keeps it as a searchable annotation',
    reference: `${GUIDE_URL}#manual-trace-creation-python`,
  },
  powertools_put_metadata: {
    replacement: 'trace.get_current_span().set_attribute(key, value): span attributes become X-Ray metadata by default',
    reference: `${GUIDE_URL}#manual-trace-creation-python`,
  },
  powertools_provider: {
    replacement: 'tracer.provider is the X-Ray recorder: replace the recorder calls made on it as listed for the recorder',
    reference: POWERTOOLS_URL,
  },
  other: {
    replacement: 'no one-to-one replacement in the guide: map it with the concept table (recorder -> tracer provider and '
      + 'tracers, segment -> server span, subsegment -> other span, annotations/metadata -> attributes)',
    reference: `${CONCEPTS_URL}#opentelemetry-concepts`,
  },
};

/** The OpenTelemetry instrumentation package of each library `patch([...])` names, from the guide. */
const INSTRUMENTATION_PACKAGES: Record<string, string> = {
  botocore: 'opentelemetry-instrumentation-botocore',
  boto3: 'opentelemetry-instrumentation-botocore',
  requests: 'opentelemetry-instrumentation-requests',
};

/** The replacement of one use; for `patch([...])`, which instrumentation each named library needs. */
export function replacementFor(kind: XRayUsageKind, detail?: string): Replacement {
  const entry = REPLACEMENTS[kind] ?? REPLACEMENTS.other;
  if (kind !== 'patch' || !detail) return entry;
  const libraries = detail.split(',').map((l) => l.trim()).filter((l) => l);
  const each = libraries.map((l) => `${l}: ${INSTRUMENTATION_PACKAGES[l] ?? 'see the OpenTelemetry Registry (https://opentelemetry.io/ecosystem/registry/)'}`);
  return { ...entry, replacement: `${entry.replacement} (${each.join('; ')})` };
}
