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
   * Environment variables that override (or add to) the function's environment from the template.
   *
   * @default - the template's plain-string variables only
   */
  readonly environment?: { [key: string]: string };

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
   * Kill the run after this many seconds.
   *
   * @default - the function's timeout plus 30 seconds
   */
  readonly timeoutSeconds?: number;

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
  /** The segment id (16 hex digits). */
  readonly id: string;
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
  /** The whole document as the SDK sent it (nested subsegments removed), as JSON. */
  readonly document: string;
}

/**
 * What `LocalTrace.invoke` found.
 */
export interface LocalTraceResult {
  /** The handler returned (and its result could be serialized). */
  readonly succeeded: boolean;
  /**
   * The handler's return value as JSON.
   *
   * @default - none: the handler raised
   */
  readonly result?: string;
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
  /** Every segment and subsegment, depth-first from the root, children by start time. */
  readonly segments: TraceSegment[];
  /** Datagrams the fake daemon received that were not `{"format":"json","version":1}` + a segment document. */
  readonly malformedDatagrams: number;
  /** Every request the stub answered, as `GET /path -> 200 (responses[0])` or `... -> 404 (no match)`; empty without a stub. */
  readonly stubRequests: string[];
  /** Where this local run differs from Lambda (layers from ARNs, unresolvable variables, ...). */
  readonly notes: string[];
  /** What the handler wrote to stdout. */
  readonly stdout: string;
  /** What the handler wrote to stderr (the X-Ray SDK logs here too). */
  readonly stderr: string;
  /** The timeline as text, as the CLI prints it. */
  readonly timeline: string;
  /** The timeline as a self-contained HTML page. */
  readonly html: string;
}
