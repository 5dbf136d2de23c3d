import { Annotations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { OpenTelemetryInstrumentationOptions, PowertoolsInstrumentationOptions } from './instrumentation-options';
import { AnnotationId, ErrorId, InstrumentationName, TracingContract } from '../contract';
import { InstrumentationConfig } from './private/instrumentation-config';
import { bindOpenTelemetry, checkOpenTelemetryOptions } from './private/otel';
import { bindPowertools, checkPowertoolsOptions } from './private/powertools';
import { noteXRaySdkUse } from './private/xray-sdk-notice';
import { TracedLambdaError } from '../private/error';

/**
 * Options for `Instrumentation.adot()`.
 */
export interface AdotInstrumentationOptions {
  /**
   * The version of aws-cdk-lib's ADOT Lambda layer for Python to use.
   *
   * Ignored if you pass `layer`; passing both is an error.
   *
   * @default lambda.AdotLambdaLayerPythonSdkVersion.LATEST
   */
  readonly version?: lambda.AdotLambdaLayerPythonSdkVersion;

  /**
   * A layer to use instead of aws-cdk-lib's ADOT layer. For AWS's current AWSOpenTelemetryDistroPython
   * layer, prefer `Instrumentation.openTelemetry()`, which looks it up per region.
   *
   * The layer must provide the `/opt/otel-instrument` wrapper script.
   *
   * @default - aws-cdk-lib's ADOT Python SDK layer for `version`, the stack's region and the function's architecture
   */
  readonly layer?: lambda.ILayerVersion;
}

/**
 * How a traced Python function creates its own trace segments and subsegments, on top of the
 * segments that Lambda's active tracing records.
 */
export abstract class Instrumentation {
  /**
   * AWS's current OpenTelemetry layer, AWSOpenTelemetryDistroPython (the default of TracedFunction):
   * adds the layer for the stack's region, sets `AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument`, and
   * optionally turns on CloudWatch Application Signals. Spans go to X-Ray without a collector.
   *
   * Needs a runtime the layer's release declares (python3.10 to python3.14 today: docs/layer-data.md), unless you pass your own `layer`.
   * A region-agnostic stack looks the layer up per region at deploy time (a `CfnMapping`).
   *
   * @param options Application Signals, the layer version or your own layer, which instrumentations load (changes to the
   *   layer's default), fast start; see docs/opentelemetry.md
   */
  public static openTelemetry(options: OpenTelemetryInstrumentationOptions = {}): Instrumentation {
    checkOpenTelemetryOptions(options);
    return new OpenTelemetryInstrumentation(options);
  }

  /**
   * Powertools for AWS Lambda (Python) v3: adds the public Powertools layer for the stack's region, the
   * function's Python version and architecture, and sets `POWERTOOLS_SERVICE_NAME` (and the Tracer's
   * capture settings). The code uses `aws_lambda_powertools.Tracer`, which is built on the AWS X-Ray SDK
   * (see `TracingContract.XRAY_SDK_END_OF_SUPPORT_NOTICE`).
   *
   * Commercial regions only (China and GovCloud layers come from other accounts): pass `layer` there.
   *
   * @param options service name, Tracer capture settings, the layer version or your own layer
   */
  public static powertools(options: PowertoolsInstrumentationOptions = {}): Instrumentation {
    checkPowertoolsOptions(options);
    return new PowertoolsInstrumentation(options);
  }

  /**
   * The function's code or layers bring the AWS X-Ray SDK for Python (`aws-xray-sdk`, or
   * `aws-lambda-powertools[tracer]`), which sends subsegments through Lambda's X-Ray daemon.
   *
   * The X-Ray SDKs are in maintenance mode (`TracingContract.XRAY_SDK_END_OF_SUPPORT_NOTICE`):
   * prefer `Instrumentation.openTelemetry()` for new functions. The stack gets one info
   * (`AnnotationId.XRAY_SDK_END_OF_SUPPORT`) naming its functions that use the SDK (this one and `powertools()`).
   */
  public static xraySdk(): Instrumentation {
    return new XRaySdkInstrumentation();
  }

  /**
   * Legacy: aws-cdk-lib's ADOT Lambda layer for Python with its embedded collector (frozen at the
   * OpenTelemetry Python SDK 1.29.0), and `AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument`.
   * Prefer `Instrumentation.openTelemetry()`, AWS's current layer; this one stays for functions that
   * rely on the collector's configuration.
   *
   * @param options which ADOT layer to use
   */
  public static adot(options: AdotInstrumentationOptions = {}): Instrumentation {
    if (options.version !== undefined && options.layer !== undefined) {
      throw new TracedLambdaError(ErrorId.INSTRUMENTATION_LAYER_CONFLICT, 'Instrumentation.adot()',
        'pass either `version` (aws-cdk-lib\'s ADOT layer) or `layer` (your own layer), not both, '
        + `but received both version and layer '${options.layer.node.path}'. Fix: remove one of them.`);
    }
    return new AdotInstrumentation(options);
  }

  /**
   * Active tracing only: Lambda records its own segments; the code adds nothing.
   *
   * Works with any runtime.
   */
  public static none(): Instrumentation {
    return new NoInstrumentation();
  }

  /**
   * Short name of this choice (one of the `InstrumentationName` values), recorded in the function's
   * `TracingContract.INSTRUMENTATION_METADATA_KEY` metadata.
   */
  public abstract readonly name: string;

  /**
   * Whether this instrumentation only works with a Python runtime.
   */
  public abstract readonly requiresPythonRuntime: boolean;

  /**
   * Creates what this instrumentation needs for `fn` (its children go under `scope`, the function itself).
   * Called once, by TracedFunction's constructor. Internal, like aws-cdk-lib's own hooks of this kind.
   *
   * @internal
   */
  public abstract _bind(scope: Construct, fn: lambda.Function): InstrumentationConfig;

  /**
   * The name of this choice.
   */
  public toString(): string {
    return this.name;
  }
}

class XRaySdkInstrumentation extends Instrumentation {
  public readonly name = InstrumentationName.XRAY_SDK;
  public readonly requiresPythonRuntime = true;

  /** @internal */
  public _bind(_scope: Construct, fn: lambda.Function): InstrumentationConfig {
    noteXRaySdkUse(fn, 'Instrumentation.xraySdk()');
    return { expectedRequirements: [...TracingContract.XRAY_SDK_REQUIREMENTS] };
  }
}

class AdotInstrumentation extends Instrumentation {
  public readonly name = InstrumentationName.ADOT;
  public readonly requiresPythonRuntime = true;

  constructor(private readonly options: AdotInstrumentationOptions) {
    super();
  }

  /** @internal */
  public _bind(scope: Construct, fn: lambda.Function): InstrumentationConfig {
    Annotations.of(fn).addInfoV2(AnnotationId.ADOT_LEGACY_LAYER, `${fn.node.path}: Instrumentation.adot() adds aws-cdk-lib's legacy ADOT layer with an embedded collector; `
      + 'AWS\'s current layer is AWSOpenTelemetryDistroPython: use Instrumentation.openTelemetry() (no collector, Application Signals optional).');
    return {
      layers: [this.options.layer ?? this.defaultLayer(scope, fn)],
      environment: { [TracingContract.EXEC_WRAPPER_VARIABLE]: TracingContract.OTEL_EXEC_WRAPPER },
    };
  }

  private defaultLayer(scope: Construct, fn: lambda.Function): lambda.ILayerVersion {
    const version = this.options.version ?? lambda.AdotLambdaLayerPythonSdkVersion.LATEST;
    let arn: string;
    try {
      arn = version.layerArn(fn, fn.architecture);
    } catch (e) {
      throw new TracedLambdaError(ErrorId.INSTRUMENTATION_LAYER_NOT_FOUND, fn,
        `Instrumentation.adot() has no ADOT layer for this function: ${(e as Error).message}. `
        + 'Fix: pass the layer for your region yourself: Instrumentation.adot({ layer: lambda.LayerVersion.fromLayerVersionArn(this, \'Adot\', \'<ARN of an ADOT or AWSOpenTelemetryDistroPython layer>\') }), '
        + 'deploy the stack to a region that has the ADOT layer, or use Instrumentation.xraySdk().');
    }
    // Same construct id as aws-cdk-lib's own `adotInstrumentation` prop.
    return lambda.LayerVersion.fromLayerVersionArn(scope, 'AdotLayer', arn);
  }
}

class OpenTelemetryInstrumentation extends Instrumentation {
  public readonly name = InstrumentationName.OPEN_TELEMETRY;
  public readonly requiresPythonRuntime = true;

  constructor(private readonly options: OpenTelemetryInstrumentationOptions) {
    super();
  }

  /** @internal */
  public _bind(scope: Construct, fn: lambda.Function): InstrumentationConfig {
    return bindOpenTelemetry(scope, fn, this.options);
  }
}

class PowertoolsInstrumentation extends Instrumentation {
  public readonly name = InstrumentationName.POWERTOOLS;
  public readonly requiresPythonRuntime = true;

  constructor(private readonly options: PowertoolsInstrumentationOptions) {
    super();
  }

  /** @internal */
  public _bind(scope: Construct, fn: lambda.Function): InstrumentationConfig {
    return bindPowertools(scope, fn, this.options);
  }
}

class NoInstrumentation extends Instrumentation {
  public readonly name = InstrumentationName.NONE;
  public readonly requiresPythonRuntime = false;

  /** @internal */
  public _bind(_scope: Construct, _fn: lambda.Function): InstrumentationConfig {
    return {};
  }
}

