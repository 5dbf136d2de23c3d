/**
 * One validated trace entity, from an X-Ray segment document or an OpenTelemetry span: what the timeline,
 * the result and the OTLP export are built from. Every field has been checked (validate.ts, spans.ts).
 */
export interface Entity {
  readonly source: 'x-ray' | 'opentelemetry';
  /** 16 lower-case hex digits: an X-Ray segment id or an OpenTelemetry span id. */
  readonly id: string;
  readonly parentId?: string;
  /** The X-Ray form `1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy`; OpenTelemetry trace ids are the same 32 hex digits. */
  readonly traceId: string;
  readonly name: string;
  /** Seconds since the epoch. */
  readonly start: number;
  readonly end?: number;
  /** Exact start and end for OTLP, as decimal strings of nanoseconds. */
  readonly startNanos: string;
  readonly endNanos?: string;
  readonly namespace?: string;
  /** The OpenTelemetry span kind, lower case (`server`, `client`, `internal`, `producer`, `consumer`). */
  readonly spanKind?: string;
  readonly origin?: string;
  readonly awsService?: string;
  readonly awsOperation?: string;
  readonly awsRequestId?: string;
  readonly httpMethod?: string;
  readonly url?: string;
  readonly httpStatus?: number;
  readonly error: boolean;
  readonly fault: boolean;
  readonly throttle: boolean;
  readonly inProgress: boolean;
  readonly cause?: string;
  /** `unset`, `ok` or `error` for spans; derived from fault/error for X-Ray. */
  readonly status: 'unset' | 'ok' | 'error';
  readonly statusMessage?: string;
  /** Attributes (spans) or annotations (X-Ray). */
  readonly attributes: Record<string, unknown>;
  /** Span events (exceptions and the handler's own). */
  readonly events: ReadonlyArray<{ readonly name: string; readonly timeNanos: string; readonly attributes: Record<string, unknown> }>;
  readonly scope?: { readonly name: string; readonly version: string };
  /** The document or span record as received (nested subsegments removed). */
  readonly document: Record<string, unknown>;
}

/** Seconds (float) to a decimal string of nanoseconds. */
export function secondsToNanos(seconds: number): string {
  const whole = Math.floor(seconds);
  const nanos = Math.round((seconds - whole) * 1e9);
  return (BigInt(whole) * BigInt(1e9) + BigInt(Math.min(nanos, 999_999_999))).toString();
}

/** The X-Ray form of a 32-hex-digit trace id. */
export function xrayTraceId(hex32: string): string {
  return `1-${hex32.slice(0, 8)}-${hex32.slice(8)}`;
}

/** The 32 hex digits of an X-Ray trace id. */
export function otelTraceId(xray: string): string {
  return xray.slice(2).replace('-', '');
}
