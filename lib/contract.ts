/**
 * The contract of cdk-traced-lambda: every id, key, name and path that users, the nag pack, the local
 * trace and other modules rely on. Defined here once and nowhere else; other modules import these.
 *
 * Public so that users can filter annotations and acknowledgements by id, and tools can read the
 * metadata this library writes.
 */

import { errorIdOf } from './private/error';

/**
 * Keys and paths this library writes into the cloud assembly or the function's configuration.
 */
export class TracingContract {
  /**
   * The CloudFormation metadata key on a function resource that records its instrumentation
   * (one of the `InstrumentationName` values).
   */
  public static readonly INSTRUMENTATION_METADATA_KEY = 'cdk-traced-lambda:instrumentation';

  /** The environment variable through which Lambda runs a wrapper script before the runtime. */
  public static readonly EXEC_WRAPPER_VARIABLE = 'AWS_LAMBDA_EXEC_WRAPPER';

  /** The wrapper script of AWS's OpenTelemetry layers (ADOT and AWSOpenTelemetryDistroPython). */
  public static readonly OTEL_EXEC_WRAPPER = '/opt/otel-instrument';

  /**
   * The context key naming a layer versions file (a path, relative to the directory `cdk` runs in), written by
   * `cdk-traced-lambda layers --check --write FILE`. Every TracedFunction of the app then takes the public layer's
   * version for its region from that file instead of the library's data (docs/layer-data.md).
   */
  public static readonly LAYER_VERSIONS_CONTEXT_KEY = 'cdk-traced-lambda:layerVersions';

  /** The `format` value of a layer versions file this library reads and the command line writes. */
  public static readonly LAYER_VERSIONS_FORMAT = 'cdk-traced-lambda/layer-versions/1';

  /**
   * The CloudFormation metadata key on a function resource that says where the version of the public layer
   * its instrumentation added came from: the library's data (with the day it was read), the app's layer
   * versions file, or the `layerVersion` option.
   */
  public static readonly LAYER_VERSION_SOURCE_METADATA_KEY = 'cdk-traced-lambda:layerVersionSource';

  private constructor() {}
}

/**
 * The names of the instrumentations, as recorded in the `TracingContract.INSTRUMENTATION_METADATA_KEY`
 * metadata.
 */
export class InstrumentationName {
  /** `Instrumentation.none()`: active tracing only. */
  public static readonly NONE = 'none';
  /** `Instrumentation.xraySdk()`: the AWS X-Ray SDK for Python. */
  public static readonly XRAY_SDK = 'xray-sdk';
  /** `Instrumentation.adot()`: aws-cdk-lib's legacy ADOT Lambda layer with its embedded collector. */
  public static readonly ADOT = 'adot';
  /** `Instrumentation.openTelemetry()`: AWS's current AWSOpenTelemetryDistroPython layer. */
  public static readonly OPEN_TELEMETRY = 'open-telemetry';
  /** `Instrumentation.powertools()`: Powertools for AWS Lambda (Python) and its Tracer. */
  public static readonly POWERTOOLS = 'powertools';

  private constructor() {}
}

/**
 * The ids of every warning and info annotation this library adds. Acknowledge or filter by these,
 * never by wording.
 */
export class AnnotationId {
  /** Warning: the execution role is imported and immutable, so no X-Ray write grant could be added. */
  public static readonly XRAY_PERMISSIONS_NOT_GRANTED = 'cdk-traced-lambda:xrayPermissionsNotGranted';
  /**
   * Info: the execution role already had X-Ray write access (from this library, aws-cdk-lib's `tracing` statement,
   * an AWS managed X-Ray policy or any statement allowing both write actions) in another form than the
   * `xrayPermissions` asked for; the first grant stands and no second one is added.
   */
  public static readonly XRAY_PERMISSIONS_KEPT = 'cdk-traced-lambda:xrayPermissionsKept';
  /** Warning: no PythonDependencyLayer of the function brings the package its instrumentation needs. */
  public static readonly XRAY_SDK_NOT_IN_LAYERS = 'cdk-traced-lambda:xraySdkNotInLayers';
  /**
   * Info, once per stack and on the stack: names the stack's functions that use the AWS X-Ray SDK (`xraySdk()`, `powertools()`), in maintenance mode since 2026-02-25.
   */
  public static readonly XRAY_SDK_END_OF_SUPPORT = 'cdk-traced-lambda:xraySdkEndOfSupport';
  /** Info: the TracingAspect left a function out (excluded path or aws-cdk-lib internal function). */
  public static readonly TRACING_ASPECT_EXCLUDED = 'cdk-traced-lambda:tracingAspectExcluded';
  /** Warning: the function's runtime is deprecated by AWS Lambda (no more security patches); names the date and the successor. */
  public static readonly RUNTIME_DEPRECATED = 'cdk-traced-lambda:runtimeDeprecated';
  /** Warning: the function's runtime is not in AWS's runtime table as the library read it (a preview, or newer than the data). */
  public static readonly RUNTIME_NOT_GENERALLY_AVAILABLE = 'cdk-traced-lambda:runtimeNotGenerallyAvailable';
  /** Warning: the TracingAspect kept a tracing mode the user set explicitly. */
  public static readonly TRACING_MODE_KEPT = 'cdk-traced-lambda:tracingModeKept';
  /** Warning: a cached dependency layer did not match its manifest (or had none) and was rebuilt. */
  public static readonly LAYER_CACHE_ENTRY_REJECTED = 'cdk-traced-lambda:layerCacheEntryRejected';
  /** Info: the function uses `Instrumentation.adot()`, aws-cdk-lib's legacy ADOT layer with an embedded collector. */
  public static readonly ADOT_LEGACY_LAYER = 'cdk-traced-lambda:adotLegacyLayer';
  /**
   * Warning: Application Signals is on, but the AWS managed policy CloudWatchLambdaApplicationSignalsExecutionRolePolicy
   * could not be attached to the execution role (imported role, or no role).
   */
  public static readonly APPLICATION_SIGNALS_POLICY_NOT_ATTACHED = 'cdk-traced-lambda:applicationSignalsPolicyNotAttached';
  /** Info: the execution role already had Application Signals access in another form (e.g. AdministratorAccess), which stands. */
  public static readonly APPLICATION_SIGNALS_POLICY_KEPT = 'cdk-traced-lambda:applicationSignalsPolicyKept';

  private constructor() {}
}

/**
 * The ids of every error this library throws at synth time. Each error's message ends with its id in
 * brackets; `TracingErrors.idOf(error)` reads it. Match errors by these, never by wording.
 */
export class ErrorId {
  // ---- TracedFunction, Instrumentation, TracingAspect, TracingAccountSetup (lib/tracing) ----

  /** A TracedFunction was given `tracing: Tracing.DISABLED`. */
  public static readonly TRACING_DISABLED = 'cdk-traced-lambda:tracingDisabled';

  // ---- PythonDependencyLayer and its build (lib/layer) ----

  /** A PythonDependencyLayer was given a runtime that is not a Python runtime. */
  public static readonly LAYER_RUNTIME_NOT_PYTHON = 'cdk-traced-lambda:layerRuntimeNotPython';

  // ---- Lock files (lib/layer/lock) ----

  /** A lock file could not be read or parsed. */
  public static readonly LOCK_FILE_INVALID = 'cdk-traced-lambda:lockFileInvalid';

  // ---- Layer facts: layer versions, versions files, runtimes (lib/tracing layer data) ----

  /** A Lambda runtime that AWS no longer lets you create functions with. */
  public static readonly RUNTIME_BLOCKED = 'cdk-traced-lambda:runtimeBlocked';
  /** The layer versions file named by the `cdk-traced-lambda:layerVersions` context key cannot be read or is not one. */
  public static readonly LAYER_VERSIONS_FILE_INVALID = 'cdk-traced-lambda:layerVersionsFileInvalid';
  /** `Instrumentation.powertools()` was given `latestLayerFromSsm` together with `layerVersion` or `layer`. */
  public static readonly POWERTOOLS_LAYER_OPTIONS_CONFLICT = 'cdk-traced-lambda:powertoolsLayerOptionsConflict';
  /** The generated layer data has an entry that is not what its source states (regenerate it). */
  public static readonly LAYER_DATA_MALFORMED = 'cdk-traced-lambda:layerDataMalformed';
  /** The layer versions file names a version for a region the library's layer data does not know. */
  public static readonly LAYER_VERSIONS_REGION_UNKNOWN = 'cdk-traced-lambda:layerVersionsRegionUnknown';

  // ---- OpenTelemetry options (lib/tracing/private/otel.ts) ----

  /** An OpenTelemetry option that the layer release in use does not support. */
  public static readonly OTEL_OPTION_UNSUPPORTED = 'cdk-traced-lambda:otelOptionUnsupported';

  private constructor() {}
}

/**
 * Reads the id of an error this library threw.
 */
export class TracingErrors {
  /**
   * The `ErrorId` of an error this library threw, or undefined for any other error.
   *
   * Works on the error object in TypeScript and on the message of an error that crossed the jsii
   * boundary (Python's `RuntimeError`).
   *
   * @param error the caught error, or its message
   */
  public static idOf(error: any): string | undefined {
    return errorIdOf(error);
  }

  private constructor() {}
}
