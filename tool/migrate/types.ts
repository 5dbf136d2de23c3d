/**
 * The shape of `cdk-traced-lambda migrate --json`: a contract for tools (CI checks, dashboards).
 * `schemaVersion` changes when a field is removed or changes meaning; new fields may be added.
 * Node-only, not part of the jsii API.
 */

/**
 * What a use is. X-Ray SDK recorder API (named after the method), the Powertools Tracer (`powertools_*`),
 * and `import` (a statement that imports the X-Ray SDK or the Powertools Tracer).
 */
export type XRayUsageKind =
  | 'import'
  | 'patch_all' | 'patch'
  | 'capture' | 'capture_async'
  | 'in_segment' | 'in_subsegment'
  | 'begin_segment' | 'begin_subsegment' | 'end_segment' | 'end_subsegment'
  | 'current_segment' | 'current_subsegment'
  /** Reading or replacing the recorder's current entity (`get_trace_entity`, `set_trace_entity`, a context's `put_segment`, ...). */
  | 'trace_entity'
  | 'put_annotation' | 'put_metadata'
  | 'configure' | 'sampling' | 'plugins'
  | 'middleware'
  | 'powertools_tracer' | 'powertools_capture_lambda_handler' | 'powertools_capture_method'
  | 'powertools_put_annotation' | 'powertools_put_metadata' | 'powertools_provider'
  /** Any other X-Ray SDK name, recorder or segment attribute. */
  | 'other';

/** One use of the X-Ray SDK in a source file. */
export interface XRayUsage {
  /** The file, relative to the code directory, with `/` separators. */
  readonly file: string;
  /** 1-based line and column. */
  readonly line: number;
  readonly column: number;
  readonly kind: XRayUsageKind;
  /** The expression as written, e.g. `rec.current_subsegment().put_annotation`. */
  readonly symbol: string;
  /** The source line, trimmed (at most 160 characters). */
  readonly text: string;
  /** Extra facts, e.g. the libraries of `patch([...])`. */
  readonly detail?: string;
  /** For a decorator (`@xray_recorder.capture(...)`), the name of the function it decorates. */
  readonly decorates?: string;
  /** The OpenTelemetry replacement, from AWS's migration guide. */
  readonly replacement: string;
  /** Where the replacement comes from (a URL). */
  readonly reference: string;
}

/** A Python file that could not be read or parsed: reported, not fatal. */
export interface ParseError {
  readonly file: string;
  /** 1-based; 0 when the problem is not on a line (unreadable, too large). */
  readonly line: number;
  readonly message: string;
}

/** A package that brings the X-Ray SDK and is not needed once the code no longer uses it. */
export interface RemovablePackage {
  /** PEP 503 name, e.g. `aws-xray-sdk`. */
  readonly name: string;
  /** Installed version, when a `*.dist-info` says it. */
  readonly version?: string;
  /** Where it was found: a layer (its logical id) or `code` (vendored in the function's code asset). */
  readonly location: string;
  /** The directory that holds it. */
  readonly path: string;
  /** Why it can go, e.g. what else to change (`aws-lambda-powertools[tracer]` brings it). */
  readonly note?: string;
}

/** Everything the report says about one directory of Python sources. */
export interface SourceReport {
  /** The directory that was analyzed (absolute). */
  readonly codeDir: string;
  /** Python files analyzed, relative to codeDir. */
  readonly files: string[];
  readonly uses: XRayUsage[];
  /** Uses that are not `import` statements. */
  readonly callSites: number;
  readonly errors: ParseError[];
}

/** A source directory given on the command line. */
export interface DirectoryMigration extends SourceReport {
  /** aws-xray-sdk installed or listed in requirements.txt in the directory. */
  readonly removablePackages: RemovablePackage[];
}

/** One Lambda function of the cloud assembly. */
export interface FunctionMigration extends SourceReport {
  /** Construct path, e.g. `BlankPython/Function/Resource`, or `<stack>/<logicalId>` when unknown. */
  readonly constructPath: string;
  readonly stackName: string;
  readonly logicalId: string;
  readonly runtime: string;
  readonly handler: string;
  /** The `cdk-traced-lambda:instrumentation` metadata (an `InstrumentationName`), or null for other functions. */
  readonly instrumentation: string | null;
  /**
   * What the OpenTelemetry layer instruments for this function (its layer's release and mode), or, for a function
   * without the layer, for `Instrumentation.openTelemetry()` as it comes. The replacements of `patch_all`/`patch` use it.
   */
  readonly openTelemetryLayer: { readonly release: string; readonly releaseKnown: boolean; readonly fastStart: boolean; readonly loaded: string[] };
  readonly removablePackages: RemovablePackage[];
  /** What to do next, most important first. */
  readonly nextSteps: string[];
  /** What could not be inspected (layers that are not assets, inline code). */
  readonly notes: string[];
}

/** The whole report. */
export interface MigrationReport {
  readonly schemaVersion: 1;
  /** What was read: a cloud assembly (its functions) or one source directory. */
  readonly input: { readonly kind: 'assembly' | 'directory'; readonly path: string };
  /** The functions of the assembly (empty for a directory). */
  readonly functions: FunctionMigration[];
  /** The directory's report (absent for an assembly). */
  readonly directory?: DirectoryMigration;
  readonly totals: {
    readonly uses: number;
    readonly callSites: number;
    readonly filesWithUses: number;
    readonly parseErrors: number;
    readonly removablePackages: number;
  };
}
