import * as fs from 'fs';
import { Entity, xrayTraceId } from './entity';
import { RunWindow } from './validate';

/**
 * Reads the spans runner.py's OpenTelemetry side wrote (one JSON object per line, see
 * _cdk_traced_lambda_otel.py) into validated entities. The file is written from inside the handler's process,
 * so, like the daemon's datagrams, every field is checked and a broken line is counted, never thrown.
 */

/** What the spans file gave. */
export interface SpanReading {
  readonly entities: Entity[];
  readonly problems: string[];
  /** Spans of another trace (e.g. made while the module was imported, outside the invocation): left out. */
  readonly otherTrace: number;
}

const KINDS = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUS = ['UNSET', 'OK', 'ERROR'];
const NANOS = /^[1-9][0-9]{0,19}$/;

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isAttributeValue(v: unknown): boolean {
  return ['string', 'boolean'].includes(typeof v) || (typeof v === 'number' && Number.isFinite(v))
    || (Array.isArray(v) && v.every((x) => ['string', 'boolean', 'number'].includes(typeof x)));
}

function attributes(v: unknown, where: string): Record<string, unknown> {
  if (!isObject(v)) throw new Error(`${where} is not an object`);
  for (const [k, x] of Object.entries(v)) {
    if (!isAttributeValue(x)) throw new Error(`${where}.${k} is not a string, number, boolean or list of them`);
  }
  return v;
}

function nanos(v: unknown, key: string, window: RunWindow): string {
  if (typeof v !== 'string' || !NANOS.test(v)) throw new Error(`${key} is ${JSON.stringify(v)}, not a decimal string of nanoseconds`);
  const seconds = Number(v) / 1e9;
  if (seconds < window.from || seconds > window.to) throw new Error(`${key} ${v} is not within this run`);
  return v;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

function readSpan(record: unknown, window: RunWindow): Entity | 'other' {
  if (!isObject(record)) throw new Error('is not an object');
  const { traceId, spanId, parentSpanId, name, kind, status } = record;
  if (typeof traceId !== 'string' || !/^[0-9a-f]{32}$/.test(traceId)) throw new Error('traceId is not 32 hex digits');
  if (typeof spanId !== 'string' || !/^[0-9a-f]{16}$/.test(spanId)) throw new Error('spanId is not 16 hex digits');
  if (parentSpanId !== null && parentSpanId !== undefined && (typeof parentSpanId !== 'string' || !/^[0-9a-f]{16}$/.test(parentSpanId))) {
    throw new Error('parentSpanId is not 16 hex digits');
  }
  if (typeof name !== 'string' || name.length === 0) throw new Error(`name is ${JSON.stringify(name)}, not a non-empty string`);
  if (!KINDS.includes(kind)) throw new Error(`kind is ${JSON.stringify(kind)}, not one of ${KINDS.join(', ')}`);
  const startNanos = nanos(record.startTimeUnixNano, 'startTimeUnixNano', window);
  const endNanos = nanos(record.endTimeUnixNano, 'endTimeUnixNano', window);
  if (BigInt(endNanos) < BigInt(startNanos)) throw new Error('ends before it starts');
  const attrs = attributes(record.attributes ?? {}, 'attributes');
  if (!Array.isArray(record.events)) throw new Error('events is not a list');
  const events = record.events.map((e: unknown, i: number) => {
    if (!isObject(e) || typeof e.name !== 'string') throw new Error(`events[${i}] has no name`);
    return { name: e.name, timeNanos: nanos(e.timeUnixNano, `events[${i}].timeUnixNano`, window), attributes: attributes(e.attributes ?? {}, `events[${i}].attributes`) };
  });
  if (!isObject(status) || !STATUS.includes(status.code)) throw new Error('status.code is not UNSET, OK or ERROR');
  const scope = isObject(record.scope) ? { name: str(record.scope.name) ?? '', version: str(record.scope.version) ?? '' } : undefined;
  const xrayId = xrayTraceId(traceId);
  if (xrayId !== window.traceId) return 'other';

  const httpStatus = num(attrs['http.response.status_code']) ?? num(attrs['http.status_code']);
  const isAws = attrs['rpc.system'] === 'aws-api';
  const exception = events.find((e: { name: string }) => e.name === 'exception');
  const failed = status.code === 'ERROR';
  return {
    source: 'opentelemetry',
    id: spanId,
    parentId: parentSpanId ?? undefined,
    traceId: xrayId,
    name,
    start: Number(startNanos) / 1e9,
    end: Number(endNanos) / 1e9,
    startNanos,
    endNanos,
    namespace: isAws ? 'aws' : kind === 'CLIENT' ? 'remote' : undefined,
    spanKind: kind.toLowerCase(),
    awsService: isAws ? str(attrs['rpc.service']) : undefined,
    awsOperation: isAws ? str(attrs['rpc.method']) : undefined,
    awsRequestId: str(attrs['aws.request_id']),
    httpMethod: str(attrs['http.request.method']) ?? str(attrs['http.method']),
    url: str(attrs['url.full']) ?? str(attrs['http.url']),
    httpStatus,
    error: failed && httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500,
    fault: failed && !(httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500),
    throttle: httpStatus === 429,
    inProgress: false,
    cause: exception ? `${str(exception.attributes['exception.type']) ?? 'Exception'}: ${str(exception.attributes['exception.message']) ?? ''}`
      : (failed ? str(status.message) : undefined),
    status: status.code.toLowerCase() as Entity['status'],
    statusMessage: str(status.message) ?? undefined,
    attributes: attrs,
    events,
    scope,
    document: record,
  };
}

/** Read and validate the spans file; a missing file means no spans. */
export function readSpansFile(file: string, window: RunWindow): SpanReading {
  const entities: Entity[] = [];
  const problems: string[] = [];
  let otherTrace = 0;
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf-8') : '';
  text.split('\n').filter((line) => line.trim()).forEach((line, i) => {
    try {
      const span = readSpan(JSON.parse(line), window);
      if (span === 'other') otherTrace++;
      else entities.push(span);
    } catch (e) {
      problems.push(`span ${i + 1}: ${(e as Error).message}`);
    }
  });
  return { entities, problems, otherTrace };
}
