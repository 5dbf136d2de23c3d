import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { LocalTraceUsageError, ToolErrorId } from '../common/errors';

/**
 * The built-in stub for AWS calls (`--stub FILE` / `stubFile`): canned responses from a JSON file, served on
 * 127.0.0.1 for the length of one run. Node-only, not part of the jsii API.
 *
 * File format: `{ "responses": [ { "method", "path", "target"?, "status"?, "headers"?, "body"? }, ... ] }`.
 * A request gets the first entry whose method and path (query string ignored, trailing slash ignored) and, if
 * the entry has one, `target` (the `X-Amz-Target` header of JSON-protocol services) match.
 */

/** One canned response, as validated from the stub file. */
export interface StubEntry {
  readonly method: string;
  readonly path: string;
  readonly target?: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  /** The response body as sent: a JSON body serialized, a string body as is. */
  readonly body: string;
}

/** One request the stub received. */
export interface StubRequest {
  readonly method: string;
  /** The request path, query string included. */
  readonly url: string;
  readonly target?: string;
  readonly status: number;
  /** The index of the entry that answered, or undefined when none matched. */
  readonly entry?: number;
}

export interface StubServer {
  readonly url: string;
  readonly file: string;
  readonly requests: StubRequest[];
  close(): Promise<void>;
}

const ENTRY_KEYS = ['method', 'path', 'target', 'status', 'headers', 'body'];

/** Read and validate a stub file; a LocalTraceUsageError names the file and what is wrong. */
export function loadStubFile(file: string): StubEntry[] {
  const where = path.resolve(file);
  const fail = (what: string): never => {
    throw new LocalTraceUsageError(ToolErrorId.STUB_FILE_INVALID, `Stub file ${where}: ${what}. Expected {"responses": [{"method": "GET", "path": "/...", `
      + '"status": 200, "body": {...}}, ...]} (see docs/local-trace.md).');
  };
  if (!fs.existsSync(where)) throw new LocalTraceUsageError(ToolErrorId.INPUT_FILE_MISSING, `Stub file ${where} does not exist.`);
  let doc: any;
  try {
    doc = JSON.parse(fs.readFileSync(where, 'utf-8'));
  } catch (e) {
    fail(`not valid JSON (${(e as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail(`the top level is ${describe(doc)}, not an object`);
  if (!Array.isArray(doc.responses)) fail(`"responses" is ${describe(doc.responses)}, not an array`);
  const extra = Object.keys(doc).filter((k) => k !== 'responses');
  if (extra.length > 0) fail(`unknown top-level key(s) ${extra.map((k) => `"${k}"`).join(', ')}`);
  return doc.responses.map((entry: any, i: number): StubEntry => {
    const at = `responses[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(`${at} is ${describe(entry)}, not an object`);
    const unknown = Object.keys(entry).filter((k) => !ENTRY_KEYS.includes(k));
    if (unknown.length > 0) fail(`${at} has unknown key(s) ${unknown.map((k) => `"${k}"`).join(', ')} (allowed: ${ENTRY_KEYS.join(', ')})`);
    if (typeof entry.method !== 'string' || !/^[A-Za-z]+$/.test(entry.method)) fail(`${at}.method must be an HTTP method like "GET", got ${describe(entry.method)}`);
    if (typeof entry.path !== 'string' || !entry.path.startsWith('/')) fail(`${at}.path must be a string starting with "/", got ${describe(entry.path)}`);
    if (entry.path.includes('?')) fail(`${at}.path must not have a query string (requests match on the path alone), got ${describe(entry.path)}`);
    if (entry.target !== undefined && typeof entry.target !== 'string') fail(`${at}.target must be a string (the X-Amz-Target header), got ${describe(entry.target)}`);
    const status = entry.status ?? 200;
    if (!Number.isInteger(status) || status < 100 || status > 599) fail(`${at}.status must be an HTTP status (an integer 100-599), got ${describe(entry.status)}`);
    const headers = entry.headers ?? {};
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers) || Object.values(headers).some((v) => typeof v !== 'string')) {
      fail(`${at}.headers must be an object of string values, got ${describe(entry.headers)}`);
    }
    const lower: Record<string, string> = {};
    for (const [k, v] of Object.entries<string>(headers)) lower[k.toLowerCase()] = v;
    let body = '';
    if (typeof entry.body === 'string') {
      body = entry.body;
    } else if (entry.body !== undefined) {
      body = JSON.stringify(entry.body);
      lower['content-type'] ??= 'application/json';
    }
    return { method: entry.method.toUpperCase(), path: entry.path, target: entry.target, status, headers: lower, body };
  });
}

function describe(value: any): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A request path without its query string, percent-decoded, without a trailing slash (except `/` itself). */
function normalizePath(url: string): string {
  let p = url.split('?')[0];
  try {
    p = decodeURIComponent(p);
  } catch {
    // Leave a malformed escape as it is: it then matches only an entry spelled the same way.
  }
  return p.length > 1 ? p.replace(/\/+$/, '') || '/' : p;
}

/** The index of the first entry that answers this request, or -1. */
export function matchEntry(entries: StubEntry[], method: string, url: string, target: string | undefined): number {
  const p = normalizePath(url);
  return entries.findIndex((e) => e.method === method.toUpperCase() && normalizePath(e.path) === p
    && (e.target === undefined || e.target === target));
}

/** Start the stub on 127.0.0.1 on a free port. */
export async function startStubServer(file: string, entries: StubEntry[]): Promise<StubServer> {
  const requests: StubRequest[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const targetHeader = req.headers['x-amz-target'];
    const target = Array.isArray(targetHeader) ? targetHeader[0] : targetHeader;
    const i = matchEntry(entries, method, url, target);
    if (i >= 0) {
      const entry = entries[i];
      requests.push({ method, url, target, status: entry.status, entry: i });
      res.writeHead(entry.status, entry.headers);
      res.end(entry.body);
      return;
    }
    requests.push({ method, url, target, status: 404 });
    const message = `The local-trace stub has no response for ${method} ${normalizePath(url)}${target ? ` (X-Amz-Target ${target})` : ''}: `
      + `add an entry {"method": "${method}", "path": "${normalizePath(url)}"${target ? `, "target": "${target}"` : ''}, "status": 200, "body": {...}} `
      + `to the stub file ${file}.`;
    // The shape botocore reads for JSON services: the code in x-amzn-ErrorType and __type, the message in the body.
    res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'LocalTraceStubNoMatch' });
    res.end(JSON.stringify({ __type: 'LocalTraceStubNoMatch', message, Message: message }));
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    file,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** `GET /path -> 200 (responses[0])`, for the result and the notes. */
export function formatRequest(r: StubRequest): string {
  return `${r.method} ${r.url}${r.target ? ` [X-Amz-Target: ${r.target}]` : ''} -> ${r.status} `
    + `${r.entry === undefined ? '(no match)' : `(responses[${r.entry}])`}`;
}
