import * as http from 'http';
import * as https from 'https';
import { Entity, otelTraceId } from './entity';

/**
 * The run's trace as OTLP/JSON: an `ExportTraceServiceRequest`, for `--otlp-out`, `--otlp-endpoint` and
 * `LocalTraceResult.otlp`. OpenTelemetry spans go out as recorded; X-Ray segments are converted to spans
 * (same ids, parent links and times; the root SERVER, `aws`/`remote` subsegments CLIENT, the rest INTERNAL).
 *
 * Encoding, from the OTLP specification, "JSON Protobuf Encoding"
 * (https://github.com/open-telemetry/opentelemetry-proto/blob/main/docs/specification.md#json-protobuf-encoding,
 * read 2026-11-27): `traceId`/`spanId` are hex strings, not base64; enum fields are integers (`"kind": 2`);
 * keys are lowerCamelCase; 64-bit integers (`startTimeUnixNano`, `intValue`) are decimal strings. Enum values
 * from opentelemetry/proto/trace/v1/trace.proto (SPAN_KIND_INTERNAL=1 ... CONSUMER=5; STATUS_CODE_UNSET=0,
 * OK=1, ERROR=2) and AnyValue shapes (stringValue, boolValue, intValue, doubleValue, arrayValue.values) from
 * opentelemetry/proto/common/v1/common.proto. The HTTP path for traces is `/v1/traces`.
 */

/** An OTLP AnyValue. */
export type OtlpAnyValue =
  | { readonly stringValue: string }
  | { readonly boolValue: boolean }
  | { readonly intValue: string }
  | { readonly doubleValue: number }
  | { readonly arrayValue: { readonly values: OtlpAnyValue[] } };

/** An OTLP KeyValue. */
export interface OtlpKeyValue {
  readonly key: string;
  readonly value: OtlpAnyValue;
}

/** An OTLP Span in its JSON encoding. */
export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly attributes: OtlpKeyValue[];
  readonly events: { readonly timeUnixNano: string; readonly name: string; readonly attributes: OtlpKeyValue[] }[];
  readonly status: { readonly code: number; readonly message?: string };
}

/** An OTLP/JSON `ExportTraceServiceRequest`. */
export interface OtlpExportTraceServiceRequest {
  readonly resourceSpans: {
    readonly resource: { readonly attributes: OtlpKeyValue[] };
    readonly scopeSpans: { readonly scope: { readonly name: string; readonly version?: string }; readonly spans: OtlpSpan[] }[];
  }[];
}

const KIND: Record<string, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
const STATUS: Record<string, number> = { unset: 0, ok: 1, error: 2 };
/** The instrumentation scope of converted X-Ray segments. */
export const XRAY_SCOPE = 'cdk-traced-lambda.local-trace.x-ray';

/** An attribute value as an OTLP AnyValue (integers as decimal strings). */
export function anyValue(v: unknown): OtlpAnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  return { stringValue: JSON.stringify(v) ?? String(v) };
}

function keyValues(attributes: Record<string, unknown>): OtlpKeyValue[] {
  return Object.entries(attributes).filter(([, v]) => v !== undefined && v !== null).map(([key, v]) => ({ key, value: anyValue(v) }));
}

/** X-Ray fields as OpenTelemetry semantic-convention attributes. */
function xrayAttributes(e: Entity): Record<string, unknown> {
  const annotations = Object.keys(e.attributes);
  return {
    ...e.attributes,
    ...(annotations.length ? { 'aws.xray.annotations': annotations } : {}),
    ...(e.namespace === 'aws' ? { 'rpc.system': 'aws-api', 'rpc.service': e.awsService, 'rpc.method': e.awsOperation } : {}),
    'aws.request_id': e.awsRequestId,
    'http.request.method': e.httpMethod,
    'url.full': e.url,
    'http.response.status_code': e.httpStatus,
    'aws.xray.origin': e.origin,
    'aws.xray.in_progress': e.inProgress || undefined,
  };
}

function toSpan(e: Entity, rootId: string): OtlpSpan {
  const xray = e.source === 'x-ray';
  const kind = xray ? (e.id === rootId ? 'server' : e.namespace === 'aws' || e.namespace === 'remote' ? 'client' : 'internal') : e.spanKind ?? 'internal';
  const events = xray && e.cause
    ? [{ timeUnixNano: e.endNanos ?? e.startNanos, name: 'exception', attributes: keyValues({ 'exception.type': e.cause.split(':')[0], 'exception.message': e.cause.slice(e.cause.indexOf(':') + 1).trim() }) }]
    : e.events.map((ev) => ({ timeUnixNano: ev.timeNanos, name: ev.name, attributes: keyValues(ev.attributes) }));
  // Spans keep the status message they were given; a failed X-Ray segment's message is its cause.
  const message = xray ? (e.status === 'error' ? e.cause : undefined) : e.statusMessage;
  return {
    traceId: otelTraceId(e.traceId),
    spanId: e.id,
    ...(e.parentId ? { parentSpanId: e.parentId } : {}),
    name: e.name,
    kind: KIND[kind] ?? 1,
    startTimeUnixNano: e.startNanos,
    // An in-progress X-Ray segment has no end: it ends where it starts, flagged aws.xray.in_progress.
    endTimeUnixNano: e.endNanos ?? e.startNanos,
    attributes: keyValues(xray ? xrayAttributes(e) : e.attributes),
    events,
    status: { code: STATUS[e.status] ?? 0, ...(message ? { message } : {}) },
  };
}

/** The run's entities as one ExportTraceServiceRequest, grouped by instrumentation scope. */
export function toOtlp(entities: Entity[], rootId: string, resource: Record<string, string>): OtlpExportTraceServiceRequest {
  const scopes = new Map<string, { scope: { name: string; version?: string }; spans: OtlpSpan[] }>();
  for (const e of entities) {
    const scope = e.source === 'x-ray' ? { name: XRAY_SCOPE } : { name: e.scope?.name ?? '', ...(e.scope?.version ? { version: e.scope.version } : {}) };
    const key = `${scope.name}\u0000${scope.version ?? ''}`;
    if (!scopes.has(key)) scopes.set(key, { scope, spans: [] });
    scopes.get(key)!.spans.push(toSpan(e, rootId));
  }
  return { resourceSpans: [{ resource: { attributes: keyValues(resource) }, scopeSpans: [...scopes.values()] }] };
}

/**
 * The URL to post to: a URL whose path is `/` or empty gets the OTLP/HTTP traces path `/v1/traces` (as
 * OTEL_EXPORTER_OTLP_ENDPOINT does); any other path is used as given (as OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).
 * Undefined when the URL is not http(s).
 */
export function otlpTracesUrl(endpoint: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/traces';
  return url;
}

/** POST the request as OTLP/JSON; resolves with the HTTP status, rejects on a network error or after `timeoutMs`. */
export function postOtlp(url: URL, request: OtlpExportTraceServiceRequest, timeoutMs = 10_000): Promise<number> {
  const body = Buffer.from(JSON.stringify(request));
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': body.length },
      timeout: timeoutMs,
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}
