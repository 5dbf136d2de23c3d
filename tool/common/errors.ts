import { safeLine } from './safe-text';

/**
 * The command-line tool's error ids, in one place (the library's are `ErrorId` in lib/contract.ts). Each exit-2
 * line of the CLI ends with one, as `[cdk-traced-lambda:someId]`, and `LocalTrace.invoke` rejects with a
 * LocalTraceUsageError carrying one in `id`. Tests match these ids, never the wording.
 */
export class ToolErrorId {
  // ---- the command line (tool/cli.ts) ----

  /** The first argument names no command. */
  public static readonly UNKNOWN_COMMAND = 'cdk-traced-lambda:unknownCommand';
  /** An option the command does not have. */
  public static readonly UNKNOWN_OPTION = 'cdk-traced-lambda:unknownOption';
  /** An option that needs a value was given none. */
  public static readonly OPTION_NEEDS_VALUE = 'cdk-traced-lambda:optionNeedsValue';

  // ---- trace: arguments and files (tool/trace) ----

  /** `--timeout` / `timeoutSeconds` is not a number of seconds more than 0 and at most 900. */
  public static readonly TIMEOUT_OUT_OF_RANGE = 'cdk-traced-lambda:timeoutOutOfRange';
  /** An input file (`--event`, `--stub`, `--env-vars`) does not exist. */
  public static readonly INPUT_FILE_MISSING = 'cdk-traced-lambda:inputFileMissing';
  /** An input file is a directory, a FIFO or a device, not a regular file. */
  public static readonly INPUT_NOT_A_FILE = 'cdk-traced-lambda:inputNotAFile';
  /** An input file cannot be read (permissions). */
  public static readonly INPUT_NOT_READABLE = 'cdk-traced-lambda:inputNotReadable';
  /** An output file's folder does not exist, is not writable, or the output is a directory. */
  public static readonly OUTPUT_NOT_WRITABLE = 'cdk-traced-lambda:outputNotWritable';
  /** The event is not JSON. */
  public static readonly EVENT_NOT_JSON = 'cdk-traced-lambda:eventNotJson';
  /** `--env` was not `KEY=VALUE`. */
  public static readonly ENV_NOT_KEY_VALUE = 'cdk-traced-lambda:envNotKeyValue';
  /** The `--env-vars` file is not SAM CLI's format (`{"Parameters": {...}, "<function>": {...}}` of strings). */
  public static readonly ENV_VARS_FILE_INVALID = 'cdk-traced-lambda:envVarsFileInvalid';
  /** `--pass-env NAME`: NAME is not a variable name, or it is not set in this shell. */
  public static readonly PASS_ENV_NOT_SET = 'cdk-traced-lambda:passEnvNotSet';
  /** Both `--stub` and `--endpoint-url` were given. */
  public static readonly STUB_AND_ENDPOINT = 'cdk-traced-lambda:stubAndEndpoint';
  /** The stub file is not JSON or not of the stub format. */
  public static readonly STUB_FILE_INVALID = 'cdk-traced-lambda:stubFileInvalid';
  /** `--otel-path` is not a directory. */
  public static readonly OTEL_PATH_NOT_DIRECTORY = 'cdk-traced-lambda:otelPathNotDirectory';
  /** An OpenTelemetry function, and `opentelemetry-api` cannot be imported. */
  public static readonly OTEL_API_MISSING = 'cdk-traced-lambda:otelApiMissing';
  /** `--otlp-endpoint` is not an http(s) URL. */
  public static readonly OTLP_ENDPOINT_INVALID = 'cdk-traced-lambda:otlpEndpointInvalid';
  /** Nothing answers at `--otlp-endpoint`. */
  public static readonly OTLP_ENDPOINT_UNREACHABLE = 'cdk-traced-lambda:otlpEndpointUnreachable';
  /** The OTLP receiver failed or refused the trace. */
  public static readonly OTLP_POST_FAILED = 'cdk-traced-lambda:otlpPostFailed';
  /** The Python interpreter (`--python`) cannot be started. */
  public static readonly PYTHON_NOT_FOUND = 'cdk-traced-lambda:pythonNotFound';

  // ---- layers: the layer table and its check against AWS (tool/layers) ----

  /** A `layers` flag is missing, unknown or out of range, or `--check` has no region. */
  public static readonly LAYERS_USAGE = 'cdk-traced-lambda:layersUsage';
  /** `layers --check` and @aws-sdk/client-lambda is not installed. */
  public static readonly AWS_SDK_MISSING = 'cdk-traced-lambda:awsSdkMissing';
  /** No AWS credentials, or AWS refused them (unrecognized, invalid signature, expired). */
  public static readonly AWS_CREDENTIALS_MISSING = 'cdk-traced-lambda:awsCredentialsMissing';
  /** The caller's IAM policies deny lambda:GetLayerVersion. */
  public static readonly AWS_ACCESS_DENIED = 'cdk-traced-lambda:awsAccessDenied';
  /** AWS Lambda throttled the check after the SDK's retries. */
  public static readonly AWS_THROTTLED = 'cdk-traced-lambda:awsThrottled';
  /** A request to AWS Lambda timed out after the SDK's retries. */
  public static readonly AWS_TIMEOUT = 'cdk-traced-lambda:awsTimeout';
  /** Any other error AWS Lambda answered. */
  public static readonly AWS_ERROR = 'cdk-traced-lambda:awsError';
  /** `layers --check --write FILE` could not write FILE. */
  public static readonly LAYER_VERSIONS_WRITE_FAILED = 'cdk-traced-lambda:layerVersionsWriteFailed';

  // ---- migrate: sources and the analyzer (tool/migrate) ----

  /** `migrate SOURCE_DIR`: SOURCE_DIR does not exist or is not a directory. */
  public static readonly SOURCE_DIR_NOT_FOUND = 'cdk-traced-lambda:sourceDirNotFound';
  /** `migrate` was given more than one source directory. */
  public static readonly SOURCE_DIR_REPEATED = 'cdk-traced-lambda:sourceDirRepeated';
  /** `migrate` was given both a source directory and `--app`. */
  public static readonly SOURCE_DIR_AND_APP = 'cdk-traced-lambda:sourceDirAndApp';
  /** `migrate` was given `--function` with a source directory (it selects functions of a cloud assembly). */
  public static readonly FUNCTION_WITH_SOURCE_DIR = 'cdk-traced-lambda:functionWithSourceDir';
  /** The Python analyzer of `migrate` started but failed, or printed no report (too old a `--python`). */
  public static readonly ANALYZER_FAILED = 'cdk-traced-lambda:analyzerFailed';
  /** The analyzer script (xray_usage.py) is missing from the installed or built package. */
  public static readonly ANALYZER_MISSING = 'cdk-traced-lambda:analyzerMissing';

  // ---- the cloud assembly (tool/common/assembly.ts) ----

  /** No cloud assembly (manifest.json) in `--app`, or one that cannot be read. */
  public static readonly NO_CLOUD_ASSEMBLY = 'cdk-traced-lambda:noCloudAssembly';
  /** `--function` matches no function, or several, or was left out with several Python functions. */
  public static readonly FUNCTION_NOT_SELECTED = 'cdk-traced-lambda:functionNotSelected';
  /** The function is not a Python function. */
  public static readonly FUNCTION_NOT_PYTHON = 'cdk-traced-lambda:functionNotPython';
  /** The function's or a layer's code is inline or its asset directory cannot be found. */
  public static readonly CODE_NOT_LOCAL = 'cdk-traced-lambda:codeNotLocal';

  private constructor() {}
}

/**
 * Thrown for problems the user fixes by changing arguments or the app (no such function, a path that cannot be
 * read or written, a timeout out of bounds, OpenTelemetry packages missing). Its message is one line that ends
 * with ` [id]`, its control characters escaped; the CLI prints it and exits 2; `LocalTrace.invoke` rejects with it.
 */
export class LocalTraceUsageError extends Error {
  /** One of the `ToolErrorId` values. */
  public readonly id: string;

  /**
   * @param id one of the `ToolErrorId` values
   * @param message what was wrong, the value and the fix
   */
  constructor(id: string, message: string) {
    // One line, control characters escaped: whoever prints it cannot have the terminal obey a value it quotes.
    super(`${safeLine(message.replace(/\s*\n\s*/g, ' '))} [${id}]`);
    this.name = 'LocalTraceUsageError';
    this.id = id;
    Object.setPrototypeOf(this, LocalTraceUsageError.prototype);
  }
}
