import * as fs from 'fs';
import * as path from 'path';
import { passEnvironment, readEnvVarsFile } from './environment';
import { toOtlp } from './otlp';
import { runFunction, RunOutcome } from './process';
import { formatRequest, loadStubFile, startStubServer, StubServer } from './stub';
import { buildSegments, renderHtml, renderText } from './timeline';
import { LocalTraceOptions, LocalTraceResult, TraceSegment } from './types';
import { listFunctions, resolveFunction, selectFunction } from '../common/assembly';
import { LocalTraceUsageError, ToolErrorId } from '../common/errors';
import { maskUrlCredentials, safeLine } from '../common/safe-text';

/**
 * Runs a traced Python Lambda function from a synthesized app on this machine and returns its X-Ray trace.
 *
 * The handler runs under `python3` with the function's code asset and layers on `sys.path` the way Lambda lays
 * them out, the function's environment and the variables the X-Ray SDK reads in Lambda. A UDP listener on
 * 127.0.0.1 plays the X-Ray daemon and collects every segment the SDK emits; the runner adds the function
 * segment the Lambda service would record. For a function instrumented with OpenTelemetry (`openTelemetry()`,
 * `adot()`) the runner plays the exec wrapper and records spans instead (docs/local-trace.md). Node.js only
 * (it starts a process and opens a socket): import it from `cdk-traced-lambda/local-trace`.
 *
 * @example
 * const trace = await LocalTrace.invoke({ assemblyDir: outdir, functionId: 'MyFunction', endpointUrl: stub.url });
 * expect(trace.segments.find((s) => s.awsOperation === 'GetItem')?.httpStatus).toBe(200);
 */
export class LocalTrace {
  /**
   * Run the function once with the given event and collect its trace.
   *
   * Resolves with `succeeded: false` when the handler raises or times out; rejects when the function cannot be
   * found or run locally (not Python, inline code, no cloud assembly, opentelemetry-api missing) with a
   * LocalTraceUsageError.
   */
  public static async invoke(options: LocalTraceOptions = {}): Promise<LocalTraceResult> {
    const event = options.event ?? '{}';
    try {
      JSON.parse(event);
    } catch (e) {
      // Not the event itself (it may hold credentials): where it breaks.
      throw new LocalTraceUsageError(ToolErrorId.EVENT_NOT_JSON, `The event is not valid JSON (${safeLine((e as Error).message)
        .replace(/"[^"]*"/g, '"…"').slice(0, 120)}); pass a JSON document (--event FILE or -).`);
    }
    if (options.stubFile !== undefined && options.endpointUrl !== undefined) {
      throw new LocalTraceUsageError(ToolErrorId.STUB_AND_ENDPOINT, `Both a stub file (${safeLine(options.stubFile)}) and an endpoint URL `
        + `(${safeLine(maskUrlCredentials(options.endpointUrl))}) were given; `
        + 'the stub is the endpoint: pass either --stub / stubFile or --endpoint-url / endpointUrl.');
    }
    checkTimeout(options.timeoutSeconds);
    if (options.otelPath !== undefined && !isDirectory(options.otelPath)) {
      throw new LocalTraceUsageError(ToolErrorId.OTEL_PATH_NOT_DIRECTORY, `--otel-path ${path.resolve(options.otelPath)} is not a directory; make one with `
        + `\`pip install --target ${options.otelPath} opentelemetry-api\`.`);
    }
    const stubEntries = options.stubFile === undefined ? undefined : loadStubFile(options.stubFile);
    const assemblyDir = path.resolve(options.assemblyDir ?? 'cdk.out');
    const selected = selectFunction(listFunctions(assemblyDir), options.functionId);
    // The handler's environment: the template's, then the env-vars file, then passed variables, then `environment`.
    const fn = resolveFunction(selected, {
      ...(options.envVarsFile === undefined ? {} : readEnvVarsFile(options.envVarsFile, selected)),
      ...passEnvironment(options.passEnvironment ?? []),
      ...options.environment,
    });
    const timeoutSeconds = options.timeoutSeconds ?? fn.timeoutSeconds + 30;
    const region = options.region ?? 'us-east-1';
    const resource = {
      'service.name': fn.environment.OTEL_SERVICE_NAME ?? fn.functionName,
      'cloud.provider': 'aws',
      'cloud.platform': 'aws_lambda',
      'cloud.region': region,
      'faas.name': fn.functionName,
      'faas.version': '$LATEST',
      'faas.max_memory': String(fn.memoryMb * 1024 * 1024),
    };
    let stub: StubServer | undefined;
    let run: RunOutcome;
    try {
      stub = stubEntries && await startStubServer(options.stubFile!, stubEntries);
      run = await runFunction(fn, {
        event,
        endpointUrl: stub?.url ?? options.endpointUrl,
        region,
        pythonExecutable: options.pythonExecutable ?? 'python3',
        timeoutMs: timeoutSeconds * 1000,
        traceInit: options.traceInit ?? false,
        otel: fn.tracing === 'opentelemetry' ? { resource, path: options.otelPath } : undefined,
      });
    } finally {
      await stub?.close();
    }
    const out = run.outcome;
    if (out?.setupError === 'otel-api-missing') {
      throw new LocalTraceUsageError(ToolErrorId.OTEL_API_MISSING, `${fn.fn.constructPath ?? fn.fn.logicalId} is instrumented with OpenTelemetry (${fn.tracingReason}) `
        + `and opentelemetry-api cannot be imported by ${options.pythonExecutable ?? 'python3'} (${out.detail}). Install it into a `
        + 'directory and pass it: `pip install --target .otel opentelemetry-api` (add opentelemetry-sdk and '
        + 'opentelemetry-instrumentation-botocore to record as in Lambda), then --otel-path .otel.');
    }
    const notes = [...fn.notes];
    if (fn.tracing === 'opentelemetry') {
      notes.push(`OpenTelemetry instrumentation (${fn.tracingReason}): local trace played the exec wrapper `
        + `(${out?.otelMode === 'sdk' ? 'OpenTelemetry SDK' : 'its own recording tracer provider'}); the OpenTelemetry layer itself does not run here.`);
      for (const note of Array.isArray(out?.notes) ? out.notes : []) if (typeof note === 'string') notes.push(note);
    }
    if (stub) notes.push(...stubNotes(stub));
    if (out?.xraySdkFile && !isInside(out.xraySdkFile, [fn.codeDir, ...fn.layerPaths])) {
      notes.push(`aws_xray_sdk was imported from this machine's Python (${path.dirname(out.xraySdkFile)}), not from the `
        + 'function\'s code or layers: in Lambda that import fails unless a layer or the code asset brings it.');
    }
    if (out?.pythonVersion && out.pythonVersion !== fn.runtime) {
      notes.push(`The function's runtime is ${fn.runtime}; this run used ${out.pythonVersion} (--python / pythonExecutable chooses the interpreter).`);
    }
    const timing = out?.timing;
    if (timing?.invokeStart && timing?.end && (timing.end - timing.invokeStart) > fn.timeoutSeconds) {
      notes.push(`The handler ran ${(timing.end - timing.invokeStart).toFixed(1)} s, longer than the function's timeout `
        + `(${fn.timeoutSeconds} s): Lambda would have stopped it.`);
    }
    if (run.killedProcesses > 0) {
      notes.push(`Killed ${run.killedProcesses} process(es) the handler started that were still running `
        + `${run.timedOut ? 'at the timeout' : 'when the invocation ended'}: nothing a local run starts outlives it.`);
    }
    if (!options.traceInit) {
      notes.push('Subsegments made while the handler module was imported are dropped, as in Lambda (traceInit / --trace-init records them).');
    }

    let errorType: string | undefined = out?.errorType;
    let errorMessage: string | undefined = out?.errorMessage;
    let traceback: string | undefined = out?.traceback;
    if (run.timedOut) {
      errorType = 'Timeout';
      errorMessage = `Killed after ${timeoutSeconds} s`;
      traceback = `Timeout: the run was killed after ${timeoutSeconds} s\n${tail(run.stderr)}`;
    } else if (!out) {
      errorType = 'RunnerFailed';
      errorMessage = `The Python runner exited with code ${run.exitCode} without a result`;
      traceback = `${errorMessage}\n${tail(run.stderr)}`;
    }
    const succeeded = out?.succeeded === true && !run.timedOut;
    const rows = buildSegments(run.entities, run.rootId, run.synthesizedIds);
    const ctx = {
      title: `${fn.functionName} — ${fn.fn.constructPath ?? fn.fn.logicalId} (${fn.handler}, ${fn.runtime})`,
      traceId: run.traceId,
      succeeded,
      result: out?.result,
      traceback,
      notes,
      malformedDatagrams: run.malformed.length,
      problems: run.malformed,
      otherTrace: run.otherTrace,
    };
    return {
      succeeded,
      result: succeeded ? parseResult(out.result) : undefined,
      errorType: succeeded ? undefined : errorType,
      errorMessage: succeeded ? undefined : errorMessage,
      traceback: succeeded ? undefined : traceback,
      functionName: fn.functionName,
      logicalId: fn.fn.logicalId,
      constructPath: fn.fn.constructPath,
      traceId: run.traceId,
      tracing: fn.tracing,
      segments: rows,
      malformedDatagrams: run.malformed.length,
      problems: run.malformed,
      otherTraceDocuments: run.otherTrace,
      otlp: toOtlp(shownEntities(run, rows), run.rootId, resource),
      stubRequests: (stub?.requests ?? []).map(formatRequest),
      killedProcesses: run.killedProcesses,
      notes,
      stdout: run.stdout,
      stderr: run.stderr,
      timeline: renderText(rows, ctx),
      html: renderHtml(rows, ctx),
    };
  }
}

/** What the stub answered, and a note per request it had no entry for. */
function stubNotes(stub: StubServer): string[] {
  const missed = stub.requests.filter((r) => r.entry === undefined);
  const notes = [`The stub (${stub.file}) received ${stub.requests.length} AWS request(s), ${missed.length} unmatched`
    + `${stub.requests.length ? `: ${stub.requests.map(formatRequest).join('; ')}` : ''}.`];
  for (const r of missed) {
    notes.push(`Unmatched AWS request ${r.method} ${r.url}${r.target ? ` (X-Amz-Target ${r.target})` : ''}: the stub answered 404; `
      + 'add an entry for it to the stub file.');
  }
  return notes;
}

/** The entities the timeline shows (duplicates removed by buildSegments), in timeline order. */
function shownEntities(run: RunOutcome, rows: TraceSegment[]) {
  const byDocument = new Map(run.entities.map((e) => [e.document, e]));
  return rows.map((r) => byDocument.get(r.document)!).filter((e) => e !== undefined);
}

/** Lambda's own bounds: more than 0, at most 900 seconds. */
function checkTimeout(seconds: number | undefined): void {
  if (seconds === undefined) return;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 900) {
    throw new LocalTraceUsageError(ToolErrorId.TIMEOUT_OUT_OF_RANGE, `--timeout / timeoutSeconds must be more than 0 and at most 900 seconds (Lambda's maximum), got ${seconds}.`);
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function parseResult(json: unknown): unknown {
  try {
    return typeof json === 'string' ? JSON.parse(json) : undefined;
  } catch {
    return json;
  }
}

function isInside(file: string, dirs: string[]): boolean {
  return dirs.some((d) => path.resolve(file).startsWith(path.resolve(d) + path.sep));
}

function tail(text: string): string {
  return text.split('\n').slice(-20).join('\n');
}
