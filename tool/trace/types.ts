import { OtlpExportTraceServiceRequest } from './otlp';

/**
 * Options for `LocalTrace.invoke`.
 */
export interface LocalTraceOptions {
  /**
   * The synthesized cloud assembly directory.
   *
   * @default 'cdk.out'
   */
  readonly assemblyDir?: string;

  /**
   * The function: its construct path (`MyStack/MyFunction`), logical id, or a unique substring of either.
   *
   * @default - the app's only Python function; an error listing the candidates if there are several
   */
  readonly functionId?: string;

  /**
   * The event, as a JSON string.
   *
   * @default '{}'
   */
  readonly event?: string;

  /**
   * Environment variables that override (or add to) the function's environment from the template; they win
   * over `envVarsFile` and `passEnvironment`.
   *
   * @default - the template's plain-string variables only
   */
  readonly environment?: { [key: string]: string };

  /**
   * A file of environment variables in SAM CLI's `--env-vars` format: `{"Parameters": {...}}` for every function
   * and `{"<logical id | function name | construct path>": {...}}` for one, which wins. Overrides the template.
   *
   * @default - none
   */
  readonly envVarsFile?: string;

  /**
   * Names of variables to pass from this process's environment (each must be set). The handler sees nothing
   * else of it: credentials reach it only this way, through `envVarsFile` or through `environment`.
   *
   * @default - none
   */
  readonly passEnvironment?: string[];

  /**
   * An endpoint for every AWS SDK call the handler makes (`AWS_ENDPOINT_URL`), e.g. a local stub.
   *
   * @default - AWS SDK calls go to the real AWS endpoints (with dummy credentials, so they fail to authenticate)
   */
  readonly endpointUrl?: string;

  /**
   * A JSON file of canned responses, served on 127.0.0.1 as the endpoint of every AWS SDK call (format: docs/local-trace.md).
   *
   * @default - no stub; AWS calls go to `endpointUrl`, or to the real AWS endpoints
   */
  readonly stubFile?: string;

  /**
   * The AWS region the function sees (`AWS_REGION`).
   *
   * @default 'us-east-1'
   */
  readonly region?: string;

  /**
   * The Python interpreter; it needs the packages the function's code and layers do not bring (boto3, and
   * aws-xray-sdk unless a layer has it).
   *
   * @default 'python3'
   */
  readonly pythonExecutable?: string;

  /**
   * Kill the run and every process the handler started (on Linux also those in a new session or daemonized;
   * elsewhere the runner's process group) after this many seconds; more than 0, at most 900 (Lambda's own maximum).
   *
   * @default - the function's timeout plus 30 seconds
   */
  readonly timeoutSeconds?: number;

  /**
   * A directory with the OpenTelemetry packages (opentelemetry-api, and optionally opentelemetry-sdk and the
   * instrumentation packages), put on `sys.path` after the function's code and layers; for functions
   * instrumented with OpenTelemetry (`openTelemetry()`, `adot()`), whose layer is not available locally.
   * Make one with `pip install --target DIR opentelemetry-api`.
   *
   * @default - the packages come from the function's code and layers or from the interpreter's own site-packages
   */
  readonly otelPath?: string;

  /**
   * Also record subsegments made while the handler module is imported (the init phase).
   *
   * Lambda sets no trace header during init, so the X-Ray SDK drops those subsegments in AWS; turn this on to
   * see where cold-start time goes, knowing X-Ray will not show these rows.
   *
   * @default false
   */
  readonly traceInit?: boolean;
}

/**
 * One X-Ray segment or subsegment from a local run, positioned on the timeline.
 */
export interface TraceSegment {
  /** The segment or span id (16 hex digits). */
  readonly id: string;
  /** `x-ray` for a segment document sent to the daemon, `opentelemetry` for a span. */
  readonly source: 'x-ray' | 'opentelemetry';
  /** The segment name: the function name, `Initialization`, `Invocation`, or what the SDK recorded (e.g. `lambda`). */
  readonly name: string;
  /**
   * The enclosing segment's id.
   *
   * @default - none: the root segment
   */
  readonly parentId?: string;
  /**
   * The trace id.
   *
   * @default - none recorded
   */
  readonly traceId?: string;
  /** Nesting depth on the timeline: 0 for the root. */
  readonly depth: number;
  /** Start, in seconds since the epoch. */
  readonly startTime: number;
  /**
   * End, in seconds since the epoch.
   *
   * @default - none: the segment was still in progress
   */
  readonly endTime?: number;
  /** Milliseconds from the root segment's start. */
  readonly offsetMs: number;
  /**
   * Duration in milliseconds.
   *
   * @default - none: the segment was still in progress
   */
  readonly durationMs?: number;
  /**
   * `aws` for AWS SDK calls, `remote` for other downstream calls.
   *
   * @default - none: local work
   */
  readonly namespace?: string;
  /**
   * The span kind of an OpenTelemetry span, lower case: `server`, `client`, `internal`, `producer` or `consumer`.
   *
   * @default - none: an X-Ray segment
   */
  readonly spanKind?: string;
  /**
   * The segment's origin, `AWS::Lambda::Function` for the root.
   *
   * @default - none
   */
  readonly origin?: string;
  /**
   * The AWS API operation, e.g. `GetAccountSettings`.
   *
   * @default - none: not an AWS SDK call
   */
  readonly awsOperation?: string;
  /**
   * The HTTP method of a downstream call.
   *
   * @default - none
   */
  readonly httpMethod?: string;
  /**
   * The URL of a downstream call.
   *
   * @default - none
   */
  readonly url?: string;
  /**
   * The HTTP response status of a downstream call.
   *
   * @default - none
   */
  readonly httpStatus?: number;
  /** The span status (`unset`, `ok`, `error`); for X-Ray, `error` when a fault or error was recorded. */
  readonly status: 'unset' | 'ok' | 'error';
  /** A client error (4xx) was recorded. */
  readonly error: boolean;
  /** A fault (5xx, or an exception) was recorded. */
  readonly fault: boolean;
  /** A throttle (429) was recorded. */
  readonly throttle: boolean;
  /** The segment was never closed. */
  readonly inProgress: boolean;
  /** Made by the local runner in place of the Lambda service (the root, `Initialization`, `Invocation`). */
  readonly synthesized: boolean;
  /**
   * The first recorded exception, as `Type: message`.
   *
   * @default - none
   */
  readonly cause?: string;
  /** Span attributes, or the X-Ray annotations. */
  readonly attributes: Record<string, unknown>;
  /** The whole document as the SDK sent it (nested subsegments removed), or the span as recorded. */
  readonly document: Record<string, unknown>;
}

/**
 * What `LocalTrace.invoke` found.
 */
export interface LocalTraceResult {
  /** The handler returned (and its result could be serialized). */
  readonly succeeded: boolean;
  /**
   * The handler's return value, parsed (`null` when it returned `None`).
   *
   * @default - undefined: the handler raised
   */
  readonly result?: unknown;
  /**
   * The exception type, e.g. `ValueError`, or `Timeout`.
   *
   * @default - none: the handler returned
   */
  readonly errorType?: string;
  /**
   * The exception message.
   *
   * @default - none: the handler returned
   */
  readonly errorMessage?: string;
  /**
   * The Python traceback.
   *
   * @default - none: the handler returned
   */
  readonly traceback?: string;
  /** The function name the handler saw (`AWS_LAMBDA_FUNCTION_NAME`). */
  readonly functionName: string;
  /** The function's logical id. */
  readonly logicalId: string;
  /**
   * The function's construct path.
   *
   * @default - unknown: the assembly has no path metadata
   */
  readonly constructPath?: string;
  /** The trace id of this run. */
  readonly traceId: string;
  /** How the function records its trace locally: through the X-Ray daemon, or OpenTelemetry spans. */
  readonly tracing: 'x-ray' | 'opentelemetry';
  /** Every segment, subsegment and span, depth-first from the root, children by start time. */
  readonly segments: TraceSegment[];
  /**
   * Datagrams, segments and spans dropped as malformed: a datagram that is not `{"format":"json","version":1}` + a
   * JSON document, or a segment or span with a field of the wrong type or out of range (a `start_time` of 1).
   */
  readonly malformedDatagrams: number;
  /** Why each was dropped, e.g. `segment "handler": start_time 1 is not within this run (...)`. */
  readonly problems: string[];
  /** Well-formed segment documents and spans of another trace id: counted and left out. */
  readonly otherTraceDocuments: number;
  /** The trace as an OTLP/JSON `ExportTraceServiceRequest` (X-Ray segments converted to spans). */
  readonly otlp: OtlpExportTraceServiceRequest;
  /** Every request the stub answered, as `GET /path -> 200 (responses[0])` or `... -> 404 (no match)`; empty without a stub. */
  readonly stubRequests: string[];
  /** Where this local run differs from Lambda (layers from ARNs, unresolvable variables, ...). */
  readonly notes: string[];
  /**
   * Processes the handler started that were still running when the invocation ended or timed out, all killed
   * (counted on Linux, where the runner is their subreaper; 0 elsewhere).
   */
  readonly killedProcesses: number;
  /** What the handler wrote to stdout. */
  readonly stdout: string;
  /** What the handler wrote to stderr (the X-Ray SDK logs here too). */
  readonly stderr: string;
  /** The timeline as text, as the CLI prints it. */
  readonly timeline: string;
  /** The timeline as a self-contained HTML page. */
  readonly html: string;
}
