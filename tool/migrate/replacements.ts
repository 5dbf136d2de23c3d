import { XRayUsage, XRayUsageKind } from './types';
import { OpenTelemetryWrapper } from 'cdk-traced-lambda';

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

/** On the handler: the same advice for `@xray_recorder.capture` and Powertools' `capture_lambda_handler`. */
const HANDLER_SPAN = 'remove it: the OpenTelemetry Lambda layer instruments the handler (its otel_wrapper.py wraps it) and '
  + 'creates the invocation span; for a span of your own, open one inside the handler with tracer.start_as_current_span';

/** The table: one entry per kind. */
export const REPLACEMENTS: Record<XRayUsageKind, Replacement> = {
  import: {
    replacement: 'from opentelemetry import trace; tracer = trace.get_tracer(__name__) (only opentelemetry-api is needed '
      + 'in the function: the OpenTelemetry Lambda layer configures the tracer provider)',
    reference: `${GUIDE_URL}#lambda-instrumentation-python`,
  },
  patch_all: {
    // Replaced per function by layerReplacement(): what the layer instruments depends on its release and mode.
    replacement: 'remove it: the OpenTelemetry Lambda layer (AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument) instruments the AWS SDK '
      + '(botocore) and urllib3 by default, other libraries only when turned on; without the layer, BotocoreInstrumentor().instrument() '
      + '(opentelemetry-instrumentation-botocore) and RequestsInstrumentor().instrument() (opentelemetry-instrumentation-requests)',
    reference: `${GUIDE_URL}#aws-sdk-instrumentation-python`,
  },
  patch: {
    replacement: 'remove it: the OpenTelemetry Lambda layer instruments the libraries it loads; without the layer, '
      + 'each library\'s OpenTelemetry instrumentor',
    reference: `${GUIDE_URL}#aws-sdk-instrumentation-python`,
  },
  capture: {
    replacement: `@tracer.start_as_current_span("name") on the function, or ${SPAN} around the call; on the Lambda handler `
      + `itself: ${HANDLER_SPAN}`,
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
  trace_entity: {
    replacement: 'OpenTelemetry keeps the current span in its context: read it with trace.get_current_span(); make a span '
      + 'current with `with trace.use_span(span):`, or token = context.attach(trace.set_span_in_context(span)) and '
      + 'context.detach(token) (opentelemetry.context) where the X-Ray SDK set or cleared its trace entity',
    reference: `${CONCEPTS_URL}#opentelemetry-concepts`,
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
    replacement: HANDLER_SPAN,
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

/**
 * The OpenTelemetry instrumentation (its entry point name, as `OTEL_PYTHON_DISABLED_INSTRUMENTATIONS` and
 * `instrumentations` name it) of each library `patch([...])` names, from the guide and the instrumentations'
 * own names (open-telemetry/opentelemetry-python-contrib).
 */
const INSTRUMENTATIONS: Record<string, string> = {
  botocore: 'botocore',
  boto3: 'botocore',
  requests: 'requests',
  sqlite3: 'sqlite3',
  mysql: 'mysql',
  pymysql: 'pymysql',
  psycopg2: 'psycopg2',
  pymongo: 'pymongo',
  httpx: 'httpx',
};

/** What the OpenTelemetry layer instruments for one function: its release, its mode and the resulting list. */
export interface LayerStory {
  /** The layer release the list comes from. */
  readonly release: string;
  /** Whether the release was read from the function's layer (else: the release of the documented layer versions). */
  readonly releaseKnown: boolean;
  /** Fast start (the lite SDK). */
  readonly fastStart: boolean;
  /** The instrumentations the layer loads, from the library's wrapper data. */
  readonly loaded: string[];
}

/** The story of `Instrumentation.openTelemetry()` as it comes: the documented layer versions, full mode, no variable. */
export function defaultLayerStory(): LayerStory {
  const release = OpenTelemetryWrapper.releaseOfLayerVersion() ?? OpenTelemetryWrapper.releases().slice(-1)[0];
  return { release, releaseKnown: true, fastStart: false, loaded: OpenTelemetryWrapper.loadedInstrumentations({ release }) };
}

const DISTRO_LAYER = /:layer:AWSOpenTelemetryDistroPython:/;

/**
 * The story of a function with the AWSOpenTelemetryDistroPython layer, from its template: the layer version
 * (`arn:...:<region>:...:AWSOpenTelemetryDistroPython:<n>`, or the mapping lookup of a region-agnostic stack)
 * gives the release, its environment the mode and the variable. Undefined when it has no such layer.
 */
export function layerStoryOf(layers: unknown[], environment: Record<string, unknown>): LayerStory | undefined {
  const layer = layers.find((l) => DISTRO_LAYER.test(JSON.stringify(l)));
  if (layer === undefined) return undefined;
  let release: string | undefined;
  if (typeof layer === 'string') {
    const m = /^arn:[^:]+:lambda:([a-z0-9-]+):\d+:layer:AWSOpenTelemetryDistroPython:(\d+)$/.exec(layer);
    release = m ? OpenTelemetryWrapper.releaseOfLayerVersion(m[1], Number(m[2])) : undefined;
  } else if (/AWSOpenTelemetryDistroPython:",\{"Fn::FindInMap"/.test(JSON.stringify(layer))) {
    release = OpenTelemetryWrapper.releaseOfLayerVersion();
  }
  const fastStart = String(environment.OTEL_AWS_LAMBDA_FAST_START ?? '').toLowerCase() === 'true';
  const variable = environment.OTEL_PYTHON_DISABLED_INSTRUMENTATIONS;
  // An unknown release is read as the newest one described, as Instrumentation.openTelemetry() reads it.
  const known = release ?? OpenTelemetryWrapper.releases().slice(-1)[0];
  return {
    release: known,
    releaseKnown: release !== undefined,
    fastStart,
    loaded: OpenTelemetryWrapper.loadedInstrumentations({
      release: known, fastStart, disabledInstrumentations: typeof variable === 'string' ? variable : undefined,
    }),
  };
}

function describeLayer(story: LayerStory): string {
  const release = story.releaseKnown ? story.release : `release unknown, read as ${story.release}`;
  return `the OpenTelemetry layer (AWSOpenTelemetryDistroPython ${release}, ${story.fastStart ? 'fast start' : 'full mode'})`;
}

/** `patch_all()` and `patch([...])` told against what the layer loads for the function. */
function layerReplacement(kind: 'patch_all' | 'patch', detail: string | undefined, story: LayerStory): Replacement {
  const entry = REPLACEMENTS[kind];
  const layer = describeLayer(story);
  const others = story.fastStart
    ? 'fast start loads no other library (turn fastStart off for more)'
    : 'every other library stays off unless Instrumentation.openTelemetry({ instrumentations: { enable: [...] } }) turns it on';
  if (kind === 'patch_all' || !detail) {
    return {
      ...entry,
      replacement: `remove it: ${layer} instruments ${story.loaded.join(', ')}; ${others}. Without the layer, `
        + 'BotocoreInstrumentor().instrument() (opentelemetry-instrumentation-botocore) and RequestsInstrumentor().instrument() '
        + '(opentelemetry-instrumentation-requests)',
    };
  }
  const disabledByDefault = OpenTelemetryWrapper.disabledByDefault(story.release);
  const each = detail.split(',').map((l) => l.trim()).filter((l) => l).map((library) => {
    const name = INSTRUMENTATIONS[library];
    if (name === undefined) return `${library}: no instrumentation known here, see the OpenTelemetry Registry (https://opentelemetry.io/ecosystem/registry/)`;
    const what = `${library} (opentelemetry-instrumentation-${name})`;
    if (story.loaded.includes(name)) return `${what}: the layer instruments it`;
    if (story.fastStart) return `${what}: fast start does not load it: turn fastStart off`;
    if (disabledByDefault.includes(name)) return `${what}: off by default in the layer: instrumentations: { enable: ['${name}'] }`;
    return `${what}: disabled by the function's OTEL_PYTHON_DISABLED_INSTRUMENTATIONS`;
  });
  return { ...entry, replacement: `remove it: ${layer} decides per library; without the layer, each library's instrumentor: ${each.join('; ')}` };
}

/** The replacement of one use, told against what the layer loads for the function (`story`). */
export function replacementFor(kind: XRayUsageKind, detail?: string, story: LayerStory = defaultLayerStory()): Replacement {
  if (kind === 'patch_all' || kind === 'patch') return layerReplacement(kind, detail, story);
  return REPLACEMENTS[kind] ?? REPLACEMENTS.other;
}

/**
 * A function's uses with their replacements told for that function: its layer's story for `patch_all`/`patch`,
 * and `@xray_recorder.capture` on its handler (`handler`: `module.function`) advised as Powertools' `capture_lambda_handler` is.
 */
export function tellForFunction(uses: XRayUsage[], story: LayerStory, handler: string): XRayUsage[] {
  const dot = handler.lastIndexOf('.');
  const handlerFile = `${handler.slice(0, dot).split('.').join('/')}.py`;
  const handlerName = handler.slice(dot + 1);
  return uses.map((u) => {
    if (u.kind === 'patch_all' || u.kind === 'patch') return { ...u, ...layerReplacement(u.kind, u.detail, story) };
    if ((u.kind === 'capture' || u.kind === 'capture_async') && u.decorates === handlerName && u.file === handlerFile) {
      return { ...u, replacement: HANDLER_SPAN, reference: `${GUIDE_URL}#lambda-instrumentation-python` };
    }
    return u;
  });
}
