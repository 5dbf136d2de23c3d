import { Entity, secondsToNanos } from './entity';

/**
 * Validates the segment documents the fake X-Ray daemon receives. A handler can send anything to that port,
 * so every field is checked here and nothing downstream trusts a document: a broken entity is dropped with
 * a reason (its valid siblings are kept), a document of another trace is counted and left out.
 *
 * Field rules follow the X-Ray segment document schema
 * (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html, read 2026-11-27):
 * 16-hex-digit ids, `1-<8 hex>-<24 hex>` trace ids, names of at most 200 characters, epoch-second times,
 * either `end_time` or `in_progress`.
 */

/** The run the documents must belong to. */
export interface RunWindow {
  readonly traceId: string;
  /** Epoch seconds: times outside [from, to] are malformed (a `start_time` of 1 is not this run's). */
  readonly from: number;
  readonly to: number;
}

/** What one document gave. */
export interface DocumentReading {
  readonly entities: Entity[];
  /** One reason per dropped entity, e.g. `subsegment 2 of "handler": name is 12345, not a string`. */
  readonly problems: string[];
  /** True when the document is well formed but belongs to another trace (left out). */
  readonly otherTrace: boolean;
}

const ID = /^[0-9a-f]{16}$/;
const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const MAX_DEPTH = 32;
const MAX_NAME = 200;
// The schema names aws and remote; the Python SDK sends local for its own subsegments (aws_xray_sdk 2.15).
const NAMESPACES = ['aws', 'remote', 'local'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

class Invalid extends Error {}

function fail(what: string): never {
  throw new Invalid(what);
}

function optional<T>(doc: Record<string, unknown>, key: string, check: (v: unknown) => v is T, expected: string): T | undefined {
  if (doc[key] === undefined || doc[key] === null) return undefined; // the SDK sends null for unset optional fields
  const v = doc[key];
  return check(v) ? v : fail(`${key} is ${show(v)}, not ${expected}`);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function time(doc: Record<string, unknown>, key: string, window: RunWindow): number | undefined {
  const v = optional(doc, key, isFiniteNumber, 'a number of epoch seconds');
  if (v !== undefined && (v < window.from || v > window.to)) {
    fail(`${key} ${v} is not within this run (${window.from.toFixed(3)} to ${window.to.toFixed(3)})`);
  }
  return v;
}

function causeText(cause: unknown): string | undefined {
  if (cause === undefined) return undefined;
  if (typeof cause === 'string') return cause.length > 0 ? `exception ${cause}` : fail('cause is an empty string');
  if (!isObject(cause)) fail(`cause is ${show(cause)}, not an object or an exception id`);
  const exceptions = optional(cause, 'exceptions', Array.isArray, 'a list');
  const first = exceptions?.[0];
  if (first === undefined) return undefined;
  if (!isObject(first)) fail(`cause.exceptions[0] is ${show(first)}, not an object`);
  const type = optional(first, 'type', isString, 'a string');
  const message = optional(first, 'message', isString, 'a string');
  return `${type ?? 'Exception'}: ${message ?? ''}`;
}

/** Check one entity's own fields (not its subsegments). */
function readEntity(doc: unknown, parentId: string | undefined, traceId: string, window: RunWindow): Entity {
  if (!isObject(doc)) fail(`is ${show(doc)}, not an object`);
  const id = optional(doc, 'id', isString, 'a string');
  if (id === undefined || !ID.test(id)) fail(`id is ${show(doc.id)}, not 16 hex digits`);
  const name = doc.name;
  if (typeof name !== 'string') fail(`name is ${show(name)}, not a string`);
  if (name.length === 0 || name.length > MAX_NAME) fail(`name has ${name.length} characters, not 1 to ${MAX_NAME}`);
  const start = time(doc, 'start_time', window);
  if (start === undefined) fail('start_time is missing');
  const end = time(doc, 'end_time', window);
  const inProgress = optional(doc, 'in_progress', isBoolean, 'true or false') ?? false;
  if (end === undefined && !inProgress) fail('has neither end_time nor in_progress');
  if (end !== undefined && end < start) fail(`end_time ${end} is before start_time ${start}`);
  const ownParent = optional(doc, 'parent_id', isString, 'a string');
  if (ownParent !== undefined && !ID.test(ownParent)) fail(`parent_id is ${show(ownParent)}, not 16 hex digits`);
  const type = optional(doc, 'type', isString, 'a string');
  if (type !== undefined && type !== 'subsegment') fail(`type is ${show(type)}, not "subsegment"`);
  const namespace = optional(doc, 'namespace', isString, 'a string');
  if (namespace !== undefined && !NAMESPACES.includes(namespace)) fail(`namespace is ${show(namespace)}, not "aws", "remote" or "local"`);
  const origin = optional(doc, 'origin', isString, 'a string');
  const http = optional(doc, 'http', isObject, 'an object') ?? {};
  const request = optional(http, 'request', isObject, 'an object') ?? {};
  const response = optional(http, 'response', isObject, 'an object') ?? {};
  const status = optional(response, 'status', isFiniteNumber, 'a number');
  if (status !== undefined && !(Number.isInteger(status) && status >= 100 && status <= 599)) fail(`http.response.status is ${status}, not an HTTP status`);
  const aws = optional(doc, 'aws', isObject, 'an object') ?? {};
  const annotations = optional(doc, 'annotations', isObject, 'an object') ?? {};
  for (const [k, v] of Object.entries(annotations)) {
    if (!['string', 'number', 'boolean'].includes(typeof v)) fail(`annotation ${show(k)} is ${show(v)}, not a string, number or boolean`);
  }
  optional(doc, 'subsegments', Array.isArray, 'a list'); // each is checked on its own by readDocument
  const error = optional(doc, 'error', isBoolean, 'true or false') ?? false;
  const fault = optional(doc, 'fault', isBoolean, 'true or false') ?? false;
  const { subsegments: _, ...own } = doc;
  return {
    source: 'x-ray',
    id,
    parentId: ownParent ?? parentId,
    traceId,
    name,
    start,
    end,
    startNanos: secondsToNanos(start),
    endNanos: end === undefined ? undefined : secondsToNanos(end),
    namespace,
    origin,
    awsService: namespace === 'aws' ? name : undefined,
    awsOperation: optional(aws, 'operation', isString, 'a string'),
    awsRequestId: optional(aws, 'request_id', isString, 'a string'),
    httpMethod: optional(request, 'method', isString, 'a string'),
    url: optional(request, 'url', isString, 'a string'),
    httpStatus: status,
    error,
    fault,
    throttle: optional(doc, 'throttle', isBoolean, 'true or false') ?? false,
    inProgress,
    cause: causeText(doc.cause),
    status: fault || error ? 'error' : 'unset',
    attributes: { ...annotations },
    events: [],
    document: own,
  };
}

function label(doc: unknown, index: number | undefined, parentName: string | undefined): string {
  const name = isObject(doc) && typeof doc.name === 'string' ? ` "${doc.name.slice(0, 40)}"` : '';
  return index === undefined ? `segment${name}` : `subsegment ${index}${name} of "${(parentName ?? '').slice(0, 40)}"`;
}

/** Validate one segment (or independent subsegment) document and everything nested in it. */
export function readDocument(doc: unknown, window: RunWindow): DocumentReading {
  const entities: Entity[] = [];
  const problems: string[] = [];
  if (!isObject(doc)) return { entities, problems: [`segment is ${show(doc)}, not an object`], otherTrace: false };
  const traceId = doc.trace_id;
  if (typeof traceId !== 'string' || !TRACE_ID.test(traceId)) {
    return { entities, problems: [`${label(doc, undefined, undefined)}: trace_id is ${show(traceId)}, not 1-<8 hex>-<24 hex>`], otherTrace: false };
  }
  if (traceId !== window.traceId) return { entities, problems, otherTrace: true };
  const visit = (entity: unknown, parentId: string | undefined, where: string, depth: number) => {
    let read: Entity;
    try {
      if (depth > MAX_DEPTH) fail(`is nested more than ${MAX_DEPTH} levels deep`);
      read = readEntity(entity, parentId, traceId, window);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      problems.push(`${where}: ${e.message}`);
      return;
    }
    entities.push(read);
    const children = (entity as Record<string, unknown>).subsegments as unknown[] | undefined;
    (children ?? []).forEach((child, i) => visit(child, read.id, label(child, i, read.name), depth + 1));
  };
  visit(doc, undefined, label(doc, undefined, undefined), 0);
  return { entities, problems, otherTrace: false };
}
