import { Annotations, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { Instrumentation } from './instrumentation';
import { noteAtSynthesis } from './private/at-synthesis';
import { reportExecWrapperConflict } from './private/otel-conflicts';
import { isPowertoolsLayer } from './private/powertools';
import { checkRuntimeNotBlocked, warnAboutRuntime } from './private/runtimes';
import { grantXRayWrite } from './private/xray-grant';
import { XRayPermissions } from './xray-permissions';
import { AnnotationId, ErrorId, TracingContract } from '../contract';
import { PythonDependencyLayer } from '../layer/python-dependency-layer';
import { TracedLambdaError } from '../private/error';
import { parseRequirementName } from '../private/python-names';
import { StackIndex } from '../private/stack-index';

/**
 * Properties for a TracedFunction.
 *
 * Everything `lambda.FunctionProps` takes, with other defaults: `tracing` defaults to `Tracing.ACTIVE`
 * (`Tracing.DISABLED` is an error), and `adotInstrumentation` is replaced by `instrumentation`.
 * (`tracing` is not re-declared here: jsii forbids re-declared members.)
 */
export interface TracedFunctionProps extends lambda.FunctionProps {
  /**
   * How the execution role gets permission to write traces to X-Ray.
   *
   * A role gets one grant: if the role you pass already has X-Ray write access in any form (another
   * function's grant, an AWS managed X-Ray policy, a statement allowing both write actions), that grant
   * stands and an info (`AnnotationId.XRAY_PERMISSIONS_KEPT`) says so when it differs from this choice.
   *
   * @default XRayPermissions.MANAGED_POLICY
   */
  readonly xrayPermissions?: XRayPermissions;

  /**
   * How the function's code creates its own spans or segments. All but `none()` need a Python runtime.
   *
   * @default Instrumentation.openTelemetry()
   */
  readonly instrumentation?: Instrumentation;
}

/**
 * A Lambda function with X-Ray tracing, exactly one X-Ray write grant on its execution role, and
 * OpenTelemetry (AWS's AWSOpenTelemetryDistroPython layer, the default), Powertools, X-Ray SDK or legacy
 * ADOT instrumentation for Python.
 *
 * `tracing` defaults to `Tracing.ACTIVE`. `Tracing.PASS_THROUGH` is allowed: Lambda then records a segment
 * only when the caller sampled the request (the caller's sampling decision in the trace header), so the
 * role still gets the grant, and the TracingChecks pack reports it as a warning, not an error.
 *
 * PythonDependencyLayers attached to it (through `layers` or `addLayers`) must match its Python
 * version and architecture.
 */
export class TracedFunction extends lambda.Function {
  /**
   * Whether `x` is a TracedFunction (works across copies of this library).
   *
   * @param x any value
   */
  public static isTracedFunction(x: any): x is TracedFunction {
    return x !== null && typeof x === 'object' && TRACED_FUNCTION_SYMBOL in x;
  }

  /** Lambda's tracing mode for this function. */
  public readonly tracing: lambda.Tracing;

  /** How the execution role was asked to get X-Ray write access (an earlier grant on a shared role stands). */
  public readonly xrayPermissions: XRayPermissions;

  /** How the function's code creates its own segments. */
  public readonly instrumentation: Instrumentation;

  constructor(scope: Construct, id: string, props: TracedFunctionProps) {
    // Tracing is configured below, not by lambda.Function: its `tracing` prop would add a second,
    // inline X-Ray grant to the role next to the one `xrayPermissions` chose.
    super(scope, id, { ...checkProps(scope, id, props), tracing: undefined });
    Object.defineProperty(this, TRACED_FUNCTION_SYMBOL, { value: true });

    this.tracing = props.tracing ?? lambda.Tracing.ACTIVE;
    this.xrayPermissions = props.xrayPermissions ?? XRayPermissions.MANAGED_POLICY;
    this.instrumentation = props.instrumentation ?? Instrumentation.openTelemetry();

    warnAboutRuntime(this, this.runtime.name);

    const resource = this.node.defaultChild as lambda.CfnFunction;
    resource.tracingConfig = { mode: this.tracing };
    // lambda.Function already makes the function depend on its role and everything under it (its
    // DefaultPolicy, or the Policy added to a mutable imported role), so the grant is in place
    // before Lambda checks the role.
    // One grant per role, whatever grants it already. A role this function just created can only hold what
    // `initialPolicy` put there; a role passed in may be granted anywhere in the stack.
    grantXRayWrite(this, this.role, this.xrayPermissions, undefined, {
      freshRole: props.role === undefined && (props.initialPolicy ?? []).length === 0,
      index: props.role === undefined ? undefined : StackIndex.build(Stack.of(this)),
    });

    const config = this.instrumentation._bind(this, this);
    if (config.layers && config.layers.length > 0) {
      this.addLayers(...config.layers);
    }
    for (const [key, value] of Object.entries(config.environment ?? {})) {
      if (props.environment?.[key] === undefined) {
        this.addEnvironment(key, value);
      }
    }
    // A wrapper and layers that do not fit (the user's AWS_LAMBDA_EXEC_WRAPPER, layers added later): read at synthesis.
    noteAtSynthesis(this, () => reportExecWrapperConflict(this));
    const expected = config.expectedRequirements ?? [];
    if (expected.length > 0) {
      // At synthesis, after the aspects: layers may still be added after construction. A validation, not
      // an aspect: an aspect per function made aws-cdk-lib walk every function's subtree once more.
      noteAtSynthesis(this, () => warnIfRequirementsMissing(this, expected));
    }

    // Published versions are immutable: a new tracing mode or instrumentation needs a new version.
    this.invalidateVersionBasedOn(`cdk-traced-lambda:tracing=${this.tracing};instrumentation=${this.instrumentation.name}`);
    resource.addMetadata(TracingContract.INSTRUMENTATION_METADATA_KEY, this.instrumentation.name);
  }

  /**
   * Adds layers to the function. A PythonDependencyLayer must match the function's Python version
   * and architecture. (aws-cdk-lib's `lambda.Function` enforces Lambda's limit of 5 layers, the one the
   * instrumentation adds included.)
   *
   * @param layers the layers to add
   */
  public addLayers(...layers: lambda.ILayerVersion[]): void {
    // Also called by lambda.Function's constructor for `props.layers`, before this class's fields
    // exist: keep the bookkeeping in a WeakMap, not in a field.
    const attached = attachedLayers(this);
    for (const layer of layers) {
      if (PythonDependencyLayer.isPythonDependencyLayer(layer)) {
        this.checkLayerFits(layer);
      }
    }
    super.addLayers(...layers);
    attached.push(...layers);
  }

  private checkLayerFits(layer: PythonDependencyLayer) {
    const runtimeFits = layer.runtime.name === this.runtime.name;
    const architectureFits = layer.architecture.name === this.architecture.name;
    if (runtimeFits && architectureFits) {
      return;
    }
    throw new TracedLambdaError(ErrorId.DEPENDENCY_LAYER_MISMATCH, this, `PythonDependencyLayer '${layer.node.path}' was built for `
      + `${layer.runtime.name} on ${layer.architecture.name}, but this function runs ${this.runtime.name} on ${this.architecture.name}. `
      + `Fix: build the layer with runtime ${this.runtime.name} and architecture ${this.architecture.name}, `
      + 'or give the function the layer\'s runtime and architecture.');
  }

  /** @internal */
  public _pythonDependencyLayers(): PythonDependencyLayer[] {
    return attachedLayers(this).filter(l => PythonDependencyLayer.isPythonDependencyLayer(l)) as PythonDependencyLayer[];
  }
}

const TRACED_FUNCTION_SYMBOL = Symbol.for('cdk-traced-lambda.TracedFunction');

const LAYERS = new WeakMap<TracedFunction, lambda.ILayerVersion[]>();

function attachedLayers(fn: TracedFunction): lambda.ILayerVersion[] {
  let layers = LAYERS.get(fn);
  if (!layers) {
    layers = [];
    LAYERS.set(fn, layers);
  }
  return layers;
}

function describeLayer(layer: lambda.ILayerVersion): string {
  return `'${layer.node.path}'`;
}

/** Checks the props that must be right before lambda.Function builds anything. */
function checkProps(scope: Construct, id: string, props: TracedFunctionProps): TracedFunctionProps {
  const path = scope.node.path ? `${scope.node.path}/${id}` : id;
  if (props.tracing === lambda.Tracing.DISABLED) {
    throw new TracedLambdaError(ErrorId.TRACING_DISABLED, path, 'TracedFunction needs X-Ray tracing, but received tracing: Tracing.DISABLED. '
      + 'Fix: use Tracing.ACTIVE (the default) or Tracing.PASS_THROUGH, or use lambda.Function for an untraced function.');
  }
  if (props.adotInstrumentation !== undefined) {
    throw new TracedLambdaError(ErrorId.ADOT_INSTRUMENTATION_PROP, path,
      'TracedFunction does not take lambda.Function\'s adotInstrumentation prop, but received adotInstrumentation. '
      + 'Fix: use instrumentation: Instrumentation.openTelemetry() (AWS\'s current layer), or Instrumentation.adot({ version }) for aws-cdk-lib\'s legacy ADOT layer.');
  }
  checkRuntimeNotBlocked(path, props.runtime.name);
  const instrumentation = props.instrumentation ?? Instrumentation.openTelemetry();
  if (instrumentation.requiresPythonRuntime && props.runtime.family !== lambda.RuntimeFamily.PYTHON) {
    throw new TracedLambdaError(ErrorId.INSTRUMENTATION_NEEDS_PYTHON, path,
      `instrumentation '${instrumentation.name}' needs a Python runtime, but received runtime ${props.runtime.name}. `
      + 'Fix: use a Python runtime (e.g. lambda.Runtime.PYTHON_3_13), or instrumentation: Instrumentation.none() for active tracing only.');
  }
  return props;
}

/** Warns if no PythonDependencyLayer of the function lists one of the expected requirements (run at synthesis). */
function warnIfRequirementsMissing(fn: TracedFunction, expected: string[]): void {
  const layers = fn._pythonDependencyLayers();
  const found = layers.some(layer => expected.some(req => {
    const parsed = parseRequirementName(req);
    return parsed !== undefined && layer.hasRequirement(parsed.name, parsed.extras[0]);
  }));
  // The public Powertools layer brings the X-Ray SDK (its Tracer's dependency). Looked for last: reading
  // a layer's ARN resolves it.
  if (found || attachedLayers(fn).some(l => !PythonDependencyLayer.isPythonDependencyLayer(l) && isPowertoolsLayer(l))) {
    return;
  }
  const where = layers.length === 0
    ? 'the function has no PythonDependencyLayer'
    : `none of its PythonDependencyLayers (${layers.map(describeLayer).join(', ')}) lists one in its requirements`;
  Annotations.of(fn).addWarningV2(AnnotationId.XRAY_SDK_NOT_IN_LAYERS,
    `${fn.node.path}: instrumentation '${fn.instrumentation.name}' needs one of ${expected.join(', ')} at runtime, but ${where}. `
    + 'Add it to a PythonDependencyLayer\'s requirements file; if the code asset bundles it, silence this with '
    + `Annotations.of(fn).acknowledgeWarning('${AnnotationId.XRAY_SDK_NOT_IN_LAYERS}'); or use Instrumentation.openTelemetry().`);
}
