/**
 * The contract of cdk-traced-lambda: every id, key, name and path that users, the nag pack, the local
 * trace and other modules rely on. Defined here once and nowhere else; other modules import these.
 *
 * Public so that users can filter annotations and acknowledgements by id, and tools can read the
 * metadata this library writes.
 */

import * as lambda from 'aws-cdk-lib/aws-lambda';
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

  /**
   * The wrapper script of AWS's OpenTelemetry layers (ADOT and AWSOpenTelemetryDistroPython): `/opt/otel-instrument`,
   * aws-cdk-lib's `lambda.AdotLambdaExecWrapper.INSTRUMENT_HANDLER`.
   */
  public static readonly OTEL_EXEC_WRAPPER: string = lambda.AdotLambdaExecWrapper.INSTRUMENT_HANDLER;

  /**
   * The environment variable that turns CloudWatch Application Signals on or off in the AWSOpenTelemetryDistroPython
   * layer: on when unset, empty or `true` in any case (the layer's default is on), off for any other value.
   */
  public static readonly APPLICATION_SIGNALS_VARIABLE = 'OTEL_AWS_APPLICATION_SIGNALS_ENABLED';

  /** The environment variable listing the OpenTelemetry Python instrumentations to turn off (comma-separated entry point names). */
  public static readonly DISABLED_INSTRUMENTATIONS_VARIABLE = 'OTEL_PYTHON_DISABLED_INSTRUMENTATIONS';

  /** The environment variable that turns the AWSOpenTelemetryDistroPython layer's fast start on (release v0.19.0 and later). */
  public static readonly FAST_START_VARIABLE = 'OTEL_AWS_LAMBDA_FAST_START';

  /** The PyPI project of the AWS X-Ray SDK for Python. */
  public static readonly XRAY_SDK_PACKAGE = 'aws-xray-sdk';

  /** The PyPI project of Powertools for AWS Lambda (Python), whose Tracer is built on the X-Ray SDK. */
  public static readonly POWERTOOLS_PACKAGE = 'aws-lambda-powertools';

  /**
   * The requirements that bring the AWS X-Ray SDK for Python into a layer: the SDK itself, and Powertools with its
   * `tracer` extra or its `all` extra (both depend on `aws-xray-sdk`).
   */
  public static readonly XRAY_SDK_REQUIREMENTS: string[] = [
    'aws-xray-sdk', 'aws-lambda-powertools[tracer]', 'aws-lambda-powertools[all]',
  ];

  /**
   * The support status of the AWS X-Ray SDKs, as every message of this library and its tool words it (one sentence).
   *
   * The one place of this wording and its dates: the X-Ray SDK info, the TracingChecks rule and the `migrate`
   * tool's report all use it. Sources, read 2026-12-03: aws/aws-xray-sdk-python README.md at a975ccbe (2026-02-24):
   * "The AWS X-Ray SDKs will enter maintenance mode on February 25, 2026 ... will only receive critical bug fixes and
   * security updates"; its commit 8561487d (2025-11-25) removed the section "End-of-Support on February 25, 2027",
   * keeping AWS's timeline page (https://docs.aws.amazon.com/xray/latest/devguide/xray-daemon-eos.html) as the
   * reference. Earlier statements of a 2027-02-25 end of support (the same README before that commit) are superseded:
   * no current source gives an end-of-support date, so this names none. Re-read both when changing it.
   */
  public static readonly XRAY_SDK_END_OF_SUPPORT_NOTICE = 'The AWS X-Ray SDKs are in maintenance mode since 2026-02-25 '
    + '(critical bug fixes and security updates only); AWS\'s current sources give no end-of-support date.';

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
   * Info, once per stack and on the stack: names the stack's functions that use the AWS X-Ray SDK (`xraySdk()`, `powertools()`),
   * which reaches end of support (`TracingContract.XRAY_SDK_END_OF_SUPPORT_NOTICE`).
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
  /** Warning: a cached dependency layer did not match its manifest (or had none, or failed its signature) and was rebuilt. */
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
  /**
   * Warning: two TracingAccountSetups create the same account-wide part, and at least one of their stacks has no fixed
   * account or region, so both may deploy to the same account and region (where the second deployment fails).
   */
  public static readonly ACCOUNT_SETUP_MAY_CONFLICT = 'cdk-traced-lambda:accountSetupMayConflict';

  // ---- OpenTelemetry wiring (lib/tracing/private/otel*.ts) ----

  /** Warning: `fastStart` with a layer version whose release this library cannot tell (a bare `layerVersion`, your own `layer`). */
  public static readonly OTEL_FAST_START_RELEASE_UNKNOWN = 'cdk-traced-lambda:otelFastStartReleaseUnknown';
  /** Warning: an OpenTelemetry layer, but `AWS_LAMBDA_EXEC_WRAPPER` names another wrapper: the layer instruments nothing. */
  public static readonly OTEL_EXEC_WRAPPER_REPLACED = 'cdk-traced-lambda:otelExecWrapperReplaced';
  /** Warning: `AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument` without an OpenTelemetry layer: every cold start fails. */
  public static readonly OTEL_EXEC_WRAPPER_WITHOUT_LAYER = 'cdk-traced-lambda:otelExecWrapperWithoutLayer';
  /** Warning: the user's `OTEL_AWS_APPLICATION_SIGNALS_ENABLED` turns Application Signals on (`true` in any case, or empty), and the execution role lacks its access. */
  public static readonly APPLICATION_SIGNALS_VARIABLE_WITHOUT_POLICY = 'cdk-traced-lambda:applicationSignalsVariableWithoutPolicy';

  private constructor() {}
}

/**
 * The ids of the rules of the `TracingChecks` cdk-nag pack (`TracedLambda-<rule file name>`), as findings name
 * them and as `Validations.of(cfnResource).acknowledge({ id, reason })` takes them.
 */
export class TracingRuleId {
  /** Error: the function is not traced (TracingConfig Mode neither Active nor PassThrough). */
  public static readonly ACTIVE_TRACING = 'TracedLambda-ActiveTracing';
  /** Warning: the function uses PassThrough tracing. */
  public static readonly PASS_THROUGH_TRACING = 'TracedLambda-PassThroughTracing';
  /** Error: the function's execution role cannot write to X-Ray. */
  public static readonly XRAY_WRITE_ACCESS = 'TracedLambda-XRayWriteAccess';
  /** Error: a layer of the stack was built for another architecture than the function's. */
  public static readonly LAYER_ARCHITECTURE = 'TracedLambda-LayerArchitecture';
  /** Error: a layer of the stack does not list the function's runtime. */
  public static readonly LAYER_RUNTIME = 'TracedLambda-LayerRuntime';
  /** Warning: the function is instrumented with the AWS X-Ray SDK (`xraySdk()` or `powertools()`). */
  public static readonly XRAY_SDK_END_OF_SUPPORT = 'TracedLambda-XRaySdkEndOfSupport';
  /** Error: an OpenTelemetry layer without its wrapper, or the wrapper without the layer. */
  public static readonly OTEL_EXEC_WRAPPER = 'TracedLambda-OtelExecWrapper';
  /** Error: Application Signals is on, but the execution role cannot write its data. */
  public static readonly APPLICATION_SIGNALS_POLICY = 'TracedLambda-ApplicationSignalsPolicy';
  /** Warning: an OpenTelemetry function whose layers also ship the AWS X-Ray SDK. */
  public static readonly OTEL_DOUBLE_INSTRUMENTATION = 'TracedLambda-OtelDoubleInstrumentation';

  private constructor() {}
}

/**
 * The ids of every error this library throws at synth time. Each error's message ends with its id in
 * brackets; `TracingErrors.idOf(error)` reads it. Match errors by these, never by wording.
 */
export class ErrorId {
  // ---- TracedFunction, Instrumentation, TracingAspect, TracingAccountSetup (lib/tracing) ----

  /** A TracedFunction or a TracingAspect was given `tracing: Tracing.DISABLED`. */
  public static readonly TRACING_DISABLED = 'cdk-traced-lambda:tracingDisabled';
  /** A TracedFunction was given lambda.Function's `adotInstrumentation` prop (it takes `instrumentation`). */
  public static readonly ADOT_INSTRUMENTATION_PROP = 'cdk-traced-lambda:adotInstrumentationProp';
  /** A TracedFunction with an instrumentation other than `none()` was given a runtime that is not Python. */
  public static readonly INSTRUMENTATION_NEEDS_PYTHON = 'cdk-traced-lambda:instrumentationNeedsPython';
  /** A PythonDependencyLayer attached to a TracedFunction was built for another Python version or architecture. */
  public static readonly DEPENDENCY_LAYER_MISMATCH = 'cdk-traced-lambda:dependencyLayerMismatch';
  /** An instrumentation was given both a layer version (`version`, `layerVersion`) and its own `layer`. */
  public static readonly INSTRUMENTATION_LAYER_CONFLICT = 'cdk-traced-lambda:instrumentationLayerConflict';
  /** An instrumentation's `layerVersion` is not a positive whole number. */
  public static readonly INSTRUMENTATION_LAYER_VERSION_INVALID = 'cdk-traced-lambda:instrumentationLayerVersionInvalid';
  /** The public layer of an instrumentation (OpenTelemetry, Powertools) is not published for the function's runtime. */
  public static readonly INSTRUMENTATION_RUNTIME_UNSUPPORTED = 'cdk-traced-lambda:instrumentationRuntimeUnsupported';
  /** No public layer of an instrumentation (ADOT, OpenTelemetry, Powertools) is known for the stack's region or partition. */
  public static readonly INSTRUMENTATION_LAYER_NOT_FOUND = 'cdk-traced-lambda:instrumentationLayerNotFound';
  /** `Instrumentation.powertools({ serviceName })` is empty or blank. */
  public static readonly POWERTOOLS_SERVICE_NAME_EMPTY = 'cdk-traced-lambda:powertoolsServiceNameEmpty';
  /** A layer ARN in this library's layer data (lib/tracing/layer-data.ts) is malformed: a defect of the package. */
  public static readonly LAYER_DATA_INVALID = 'cdk-traced-lambda:layerDataInvalid';
  /** TracingAccountSetup's `indexingPercentage` is not a number from 0 to 100. */
  public static readonly INDEXING_PERCENTAGE_INVALID = 'cdk-traced-lambda:indexingPercentageInvalid';
  /** A TracingAccountSetup option was given for a part that is turned off (`indexingPercentage`, `logResourcePolicyName`). */
  public static readonly ACCOUNT_SETUP_OPTION_UNUSED = 'cdk-traced-lambda:accountSetupOptionUnused';
  /** TracingAccountSetup's `logResourcePolicyName` is not a valid CloudWatch Logs resource policy name. */
  public static readonly LOG_RESOURCE_POLICY_NAME_INVALID = 'cdk-traced-lambda:logResourcePolicyNameInvalid';
  /** A TracingAccountSetup has every part turned off. */
  public static readonly ACCOUNT_SETUP_EMPTY = 'cdk-traced-lambda:accountSetupEmpty';
  /** Two TracingAccountSetups create the same account-wide part for the same account and region. */
  public static readonly ACCOUNT_SETUP_DUPLICATE = 'cdk-traced-lambda:accountSetupDuplicate';

  // ---- PythonDependencyLayer and its build (lib/layer) ----

  /** A PythonDependencyLayer was given a runtime that is not a Python runtime. */
  public static readonly LAYER_RUNTIME_NOT_PYTHON = 'cdk-traced-lambda:layerRuntimeNotPython';
  /** A PythonDependencyLayer was given an architecture other than x86_64 or arm64. */
  public static readonly LAYER_ARCHITECTURE_UNSUPPORTED = 'cdk-traced-lambda:layerArchitectureUnsupported';
  /** `bundlingStrategy` is not a member of BundlingStrategy (JavaScript callers are not type-checked). */
  public static readonly LAYER_BUNDLING_STRATEGY_INVALID = 'cdk-traced-lambda:layerBundlingStrategyInvalid';
  /** Neither or both of `requirementsFile` and `lockFile` were given. */
  public static readonly LAYER_INPUT_FILE_CHOICE = 'cdk-traced-lambda:layerInputFileChoice';
  /** `requirementsFile` or `lockFile` is a token, not a literal path. */
  public static readonly LAYER_INPUT_FILE_TOKEN = 'cdk-traced-lambda:layerInputFileToken';
  /** `requirementsFile` or `lockFile` does not name an existing regular file. */
  public static readonly LAYER_INPUT_FILE_NOT_FOUND = 'cdk-traced-lambda:layerInputFileNotFound';
  /** `lockGroups` or `lockExtras` was given with a `requirementsFile`. */
  public static readonly LAYER_LOCK_OPTIONS_WITHOUT_LOCK = 'cdk-traced-lambda:layerLockOptionsWithoutLock';
  /** The requirements or lock file selects no package, so the layer would be empty. */
  public static readonly LAYER_NO_PACKAGES = 'cdk-traced-lambda:layerNoPackages';
  /** A find-links location (prop, context or a line of the requirements) is missing, or a file that is not a wheel. */
  public static readonly LAYER_FIND_LINKS_NOT_FOUND = 'cdk-traced-lambda:layerFindLinksNotFound';
  /** `noIndex` is set, but a find-links location or a requirement names a URL. */
  public static readonly LAYER_NO_INDEX_URL = 'cdk-traced-lambda:layerNoIndexUrl';
  /** A pip context value is malformed: `pipIndexUrl` not a non-empty string, `pipFindLinks` not a string or list of strings, `pipNoIndex` not true/false. */
  public static readonly LAYER_PIP_CONTEXT_INVALID = 'cdk-traced-lambda:layerPipContextInvalid';
  /** `pipExtraArgs` holds an option that would build for this machine instead of the Lambda platform. */
  public static readonly LAYER_PIP_ARG_REFUSED = 'cdk-traced-lambda:layerPipArgRefused';
  /** A requirements line would build for this machine (`--no-binary`, `--only-binary` other than `:all:`). */
  public static readonly LAYER_REQUIREMENT_PLATFORM_OVERRIDE = 'cdk-traced-lambda:layerRequirementPlatformOverride';
  /** A requirements line is an editable requirement (`-e`). */
  public static readonly LAYER_REQUIREMENT_EDITABLE = 'cdk-traced-lambda:layerRequirementEditable';
  /** A requirements line is a VCS requirement (`git+`, `hg+`, `svn+`, `bzr+`). */
  public static readonly LAYER_REQUIREMENT_VCS = 'cdk-traced-lambda:layerRequirementVcs';
  /** A requirements line names a local file or path, or is not a requirement at all. */
  public static readonly LAYER_REQUIREMENT_NOT_A_PACKAGE = 'cdk-traced-lambda:layerRequirementNotAPackage';
  /** A `-r`/`-c` include is missing, or not a regular file. */
  public static readonly LAYER_REQUIREMENTS_INCLUDE_NOT_FOUND = 'cdk-traced-lambda:layerRequirementsIncludeNotFound';
  /** `-r`/`-c` includes form a cycle (the message names the chain of files). */
  public static readonly LAYER_REQUIREMENTS_INCLUDE_CYCLE = 'cdk-traced-lambda:layerRequirementsIncludeCycle';
  /** A `-r`/`-c` include names a URL. */
  public static readonly LAYER_REQUIREMENTS_URL_INCLUDE = 'cdk-traced-lambda:layerRequirementsUrlInclude';
  /** A requirements file (or an include) is binary or not UTF-8: not a text requirements file. */
  public static readonly LAYER_REQUIREMENTS_NOT_TEXT = 'cdk-traced-lambda:layerRequirementsNotText';
  /** The layer cache directory is not a directory or cannot be written. */
  public static readonly LAYER_CACHE_DIR_UNUSABLE = 'cdk-traced-lambda:layerCacheDirUnusable';
  /** Neither local pip nor Docker is available to build the layer. */
  public static readonly LAYER_NO_BUILDER = 'cdk-traced-lambda:layerNoBuilder';
  /** The Python interpreter that runs pip cannot be started. */
  public static readonly LAYER_PYTHON_NOT_RUNNABLE = 'cdk-traced-lambda:layerPythonNotRunnable';
  /** pip failed; the fix depends on the failure (hash mismatch, no matching distribution, no wheel for the platform, requires-python). */
  public static readonly LAYER_PIP_FAILED = 'cdk-traced-lambda:layerPipFailed';
  /**
   * Local pip installed a package whose Requires-Python excludes the layer's Python (pip before 24.2 checks it
   * against the Python pip runs on, not `--python-version`).
   */
  public static readonly LAYER_PACKAGE_PYTHON_MISMATCH = 'cdk-traced-lambda:layerPackagePythonMismatch';
  /** Docker failed building the layer, or produced no `python/` folder. */
  public static readonly LAYER_DOCKER_FAILED = 'cdk-traced-lambda:layerDockerFailed';
  /** `compileBytecode` needs an interpreter of the target version and none was found. */
  public static readonly LAYER_COMPILE_PYTHON_NOT_FOUND = 'cdk-traced-lambda:layerCompilePythonNotFound';
  /** Compiling the layer's bytecode failed. */
  public static readonly LAYER_COMPILE_FAILED = 'cdk-traced-lambda:layerCompileFailed';
  /** The built layer is over Lambda's unzipped size limit. */
  public static readonly LAYER_TOO_LARGE = 'cdk-traced-lambda:layerTooLarge';

  // ---- Lock files (lib/layer/lock) ----

  /** A lock file could not be read or parsed, or contradicts itself (an entry without a name, a dependency it has no entry for). */
  public static readonly LOCK_FILE_INVALID = 'cdk-traced-lambda:lockFileInvalid';

  /** A `lockFile` whose base name is none of uv.lock, poetry.lock, Pipfile.lock, pylock.toml, pylock.<name>.toml. */
  public static readonly LOCK_FILE_NAME_UNKNOWN = 'cdk-traced-lambda:lockFileNameUnknown';

  /** A `lockFile` that does not exist or is not a regular file. */
  public static readonly LOCK_FILE_NOT_FOUND = 'cdk-traced-lambda:lockFileNotFound';

  /** A lock whose format version (uv `version`, Poetry `lock-version`, Pipfile.lock `pipfile-spec`, pylock `lock-version`) the reader does not know. */
  public static readonly LOCK_VERSION_UNSUPPORTED = 'cdk-traced-lambda:lockVersionUnsupported';

  /** A `lockGroups` entry that the lock has no group (or Pipfile category) for. */
  public static readonly LOCK_GROUP_UNKNOWN = 'cdk-traced-lambda:lockGroupUnknown';

  /** A `lockExtras` entry that the lock has no extra for. */
  public static readonly LOCK_EXTRA_UNKNOWN = 'cdk-traced-lambda:lockExtraUnknown';

  /** A poetry.lock that records neither groups nor categories, with no pyproject.toml beside it to tell main from dev. */
  public static readonly LOCK_GROUPS_NOT_RECORDED = 'cdk-traced-lambda:lockGroupsNotRecorded';

  /** The lock (or one of its packages) requires a Python version that the layer's runtime is not. */
  public static readonly LOCK_PYTHON_MISMATCH = 'cdk-traced-lambda:lockPythonMismatch';

  /** A pylock.toml whose `environments` exclude the layer's target (Linux, its Python and architecture). */
  public static readonly LOCK_ENVIRONMENT_MISMATCH = 'cdk-traced-lambda:lockEnvironmentMismatch';

  /** An environment marker in a lock that cannot be read. */
  public static readonly LOCK_MARKER_INVALID = 'cdk-traced-lambda:lockMarkerInvalid';

  /** A version specifier in a lock (requires-python, a Python restriction) that cannot be read. */
  public static readonly LOCK_SPECIFIER_INVALID = 'cdk-traced-lambda:lockSpecifierInvalid';

  /** A selected package that comes from a git, path, directory, editable or URL source, which has no hashed wheel. */
  public static readonly LOCK_SOURCE_UNSUPPORTED = 'cdk-traced-lambda:lockSourceUnsupported';

  /** A selected package the lock gives no exact version (`==`) for. */
  public static readonly LOCK_VERSION_NOT_PINNED = 'cdk-traced-lambda:lockVersionNotPinned';

  /** A selected package the lock records no sha256/384/512 file hash for. */
  public static readonly LOCK_HASHES_MISSING = 'cdk-traced-lambda:lockHashesMissing';

  /** A selected package with no wheel in the lock (only a source distribution), or none for the layer's platform. */
  public static readonly LOCK_WHEEL_MISSING = 'cdk-traced-lambda:lockWheelMissing';

  /** A pyproject.toml or Pipfile beside the lock, read for the direct dependencies, that is not valid TOML. */
  public static readonly LOCK_PROJECT_FILE_INVALID = 'cdk-traced-lambda:lockProjectFileInvalid';

  // ---- Layer facts: layer versions, versions files, runtimes (lib/tracing layer data) ----

  /** A Lambda runtime that AWS no longer lets you create functions with. */
  public static readonly RUNTIME_BLOCKED = 'cdk-traced-lambda:runtimeBlocked';
  /** The layer versions file named by the `cdk-traced-lambda:layerVersions` context key cannot be read or is not one. */
  public static readonly LAYER_VERSIONS_FILE_INVALID = 'cdk-traced-lambda:layerVersionsFileInvalid';
  /** `Instrumentation.powertools()` was given `latestLayerFromSsm` together with `layerVersion` or `layer`. */
  public static readonly POWERTOOLS_LAYER_OPTIONS_CONFLICT = 'cdk-traced-lambda:powertoolsLayerOptionsConflict';
  /** The layer versions file names a version for a region the library's layer data does not know. */
  public static readonly LAYER_VERSIONS_REGION_UNKNOWN = 'cdk-traced-lambda:layerVersionsRegionUnknown';

  // ---- OpenTelemetry options (lib/tracing/private/otel.ts) ----

  /** An OpenTelemetry option that the layer release in use does not support. */
  public static readonly OTEL_OPTION_UNSUPPORTED = 'cdk-traced-lambda:otelOptionUnsupported';
  /** `instrumentations` names an instrumentation that the layer release and mode in use do not know. */
  public static readonly OTEL_INSTRUMENTATION_UNKNOWN = 'cdk-traced-lambda:otelInstrumentationUnknown';
  /** `instrumentations` is malformed: an empty list, a name that is not a name, or one name both enabled and disabled. */
  public static readonly OTEL_INSTRUMENTATIONS_INVALID = 'cdk-traced-lambda:otelInstrumentationsInvalid';
  /** `OpenTelemetryWrapper` was asked about a layer release whose wrapper this library does not describe. */
  public static readonly OTEL_RELEASE_NOT_DESCRIBED = 'cdk-traced-lambda:otelReleaseNotDescribed';

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
