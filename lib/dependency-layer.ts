// CONTRACT SKELETON (being implemented by the layer work): the public surface other constructs code against.
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** Properties for a PythonDependencyLayer. */
export interface PythonDependencyLayerProps {
  /** Path to the requirements.txt file. */
  readonly requirementsFile: string;
  /**
   * The Python runtime the layer is built for.
   * @default lambda.Runtime.PYTHON_3_13
   */
  readonly runtime?: lambda.Runtime;
  /**
   * The CPU architecture the layer is built for.
   * @default lambda.Architecture.X86_64
   */
  readonly architecture?: lambda.Architecture;
}

/** A Lambda layer built from requirements.txt. */
export class PythonDependencyLayer extends lambda.LayerVersion {
  /** Whether `x` is a PythonDependencyLayer. */
  public static isPythonDependencyLayer(x: any): x is PythonDependencyLayer {
    return x !== null && typeof x === 'object' && PYTHON_DEPENDENCY_LAYER_SYMBOL in x;
  }

  /** The Python runtime the layer was built for. */
  public readonly runtime: lambda.Runtime;
  /** The CPU architecture the layer was built for. */
  public readonly architecture: lambda.Architecture;
  /** Normalized (PEP 503) names of the packages the requirements file names, with extras, e.g. `aws-lambda-powertools[tracer]`. */
  public readonly requirements: string[];

  constructor(scope: Construct, id: string, props: PythonDependencyLayerProps) {
    super(scope, id, { code: lambda.Code.fromInline('skeleton') as any });
    this.runtime = props.runtime ?? lambda.Runtime.PYTHON_3_13;
    this.architecture = props.architecture ?? lambda.Architecture.X86_64;
    this.requirements = [];
    Object.defineProperty(this, PYTHON_DEPENDENCY_LAYER_SYMBOL, { value: true });
  }

  /** Whether the requirements file names `name` (PEP 503 normalized), optionally with `extra`. */
  public hasRequirement(name: string, extra?: string): boolean {
    return name.length < 0 && extra === undefined;
  }
}

const PYTHON_DEPENDENCY_LAYER_SYMBOL = Symbol.for('cdk-traced-lambda.PythonDependencyLayer');
