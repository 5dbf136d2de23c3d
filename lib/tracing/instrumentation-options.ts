import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * Options for `Instrumentation.openTelemetry()`.
 */
export interface OpenTelemetryInstrumentationOptions {
  /**
   * Turn on CloudWatch Application Signals: sets `OTEL_AWS_APPLICATION_SIGNALS_ENABLED=true` and attaches
   * the AWS managed policy `CloudWatchLambdaApplicationSignalsExecutionRolePolicy` to the execution role
   * (once per role, however many functions share it).
   *
   * When false, the layer only traces: `OTEL_AWS_APPLICATION_SIGNALS_ENABLED=false`.
   *
   * @default false
   */
  readonly applicationSignals?: boolean;

  /**
   * The version of the AWSOpenTelemetryDistroPython layer to use in the stack's region.
   *
   * Layer versions differ per region; pin one only if you know it exists in every region you deploy to.
   * Passing both `layerVersion` and `layer` is an error.
   *
   * @default - the version AWS documents for the region (lib/tracing/layer-data.ts)
   */
  readonly layerVersion?: number;

  /**
   * A layer to use instead of AWS's AWSOpenTelemetryDistroPython layer, e.g. for a region the data file
   * does not list. It must provide the `/opt/otel-instrument` wrapper script.
   *
   * @default - AWS's AWSOpenTelemetryDistroPython layer for the stack's region
   */
  readonly layer?: lambda.ILayerVersion;

  /**
   * Which OpenTelemetry Python instrumentations load, as changes to the layer's own default for the mode in use.
   *
   * The layer's wrapper decides from `OTEL_PYTHON_DISABLED_INSTRUMENTATIONS`, and a list there *replaces* its
   * default (about 50 instrumentations off, e.g. requests, django, flask; botocore and urllib3 on). This option
   * never flips that: `{ disable: ['botocore'] }` writes the release's default list plus `botocore`, so
   * requests and django stay off; `{ enable: ['requests'] }` writes it without `requests`. In fast start mode
   * only botocore, requests and urllib3 can load, and `disable` is written as is. A name the release does not
   * know is an error listing the known ones. See docs/opentelemetry.md.
   *
   * @default - the layer's default for the mode: the variable is not set
   */
  readonly instrumentations?: OpenTelemetryInstrumentations;

  /**
   * Fast start (layer release v0.19.0 or later): sets `OTEL_AWS_LAMBDA_FAST_START=true`. The layer then skips
   * the OpenTelemetry SDK's bootstrap and auto-instrumentation, configures a lite SDK that exports spans over
   * UDP to Lambda's X-Ray daemon, and instruments only botocore, requests and urllib3. Shorter cold starts;
   * in exchange OTLP exporters, samplers, propagator settings, metrics and logs are ignored.
   *
   * A layer version of an older release is an error; a `layerVersion` whose release this library cannot tell
   * (or your own `layer`) gets the variable and a warning (`AnnotationId.OTEL_FAST_START_RELEASE_UNKNOWN`).
   *
   * @default false
   */
  readonly fastStart?: boolean;
}

/**
 * Changes to the OpenTelemetry layer's default set of instrumentations, by entry point name (`botocore`,
 * `requests`, `django`, ...).
 */
export interface OpenTelemetryInstrumentations {
  /**
   * Instrumentations to turn off, on top of the ones the layer turns off by default.
   *
   * @default - none beyond the layer's default
   */
  readonly disable?: string[];

  /**
   * Instrumentations to turn on that the layer turns off by default (e.g. `requests`, `django`, `sqlalchemy`).
   * `['all']` turns every one on (the variable becomes `none`). In fast start mode only botocore, requests and
   * urllib3 exist.
   *
   * @default - none beyond the layer's default
   */
  readonly enable?: string[];
}

/**
 * Options for `Instrumentation.powertools()`.
 */
export interface PowertoolsInstrumentationOptions {
  /**
   * The service name Powertools records (`POWERTOOLS_SERVICE_NAME`).
   *
   * @default - the function's construct id
   */
  readonly serviceName?: string;

  /**
   * Whether the Tracer records the handler's response as trace metadata (`POWERTOOLS_TRACER_CAPTURE_RESPONSE`).
   * Turn it off for responses that hold sensitive data or exceed 64 KB.
   *
   * @default - not set: Powertools records the response
   */
  readonly captureResponse?: boolean;

  /**
   * Whether the Tracer records exceptions as trace metadata (`POWERTOOLS_TRACER_CAPTURE_ERROR`).
   *
   * @default - not set: Powertools records exceptions
   */
  readonly captureError?: boolean;

  /**
   * The version of the public Powertools for AWS Lambda (Python) v3 layer to use.
   * Passing both `layerVersion` and `layer` is an error.
   *
   * @default - the version pinned in lib/tracing/layer-data.ts
   */
  readonly layerVersion?: number;

  /**
   * A layer to use instead of the public Powertools layer, e.g. in the China or GovCloud partitions or a
   * region the data file does not list. It must bring `aws_lambda_powertools` and `aws_xray_sdk`.
   *
   * @default - the public Powertools v3 layer for the stack's region, the function's Python version and architecture
   */
  readonly layer?: lambda.ILayerVersion;

  /**
   * Take the newest Powertools v3 layer at deploy time from the public SSM parameter Powertools publishes
   * (`/aws/service/powertools/python/{architecture}/{pythonX.Y}/latest`), as the CloudFormation dynamic reference
   * `{{resolve:ssm:...}}`, instead of the version pinned in the library's data.
   *
   * Trade-off: the layer version can change on any deploy, without a change in your code or template, and
   * `cdk diff` does not show it; a new Powertools release reaches the function untested. Pinned (the default)
   * changes only when you upgrade this library or refresh its versions file (`cdk-traced-lambda layers --check --write`).
   * Cannot be combined with `layerVersion` or `layer`. AWS's OpenTelemetry layer has no such parameter.
   *
   * @default false - the pinned version
   */
  readonly latestLayerFromSsm?: boolean;
}
