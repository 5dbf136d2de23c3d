import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * What an instrumentation adds to a function (the answer of `Instrumentation._bind`). TracedFunction applies
 * it; a value the user set wins. Internal: users choose an instrumentation, they do not write one.
 */
export interface InstrumentationConfig {
  /** Layers to add to the function (none when undefined). */
  readonly layers?: lambda.ILayerVersion[];

  /** Environment variables to set on the function, unless the user set them already (none when undefined). */
  readonly environment?: { [key: string]: string };

  /**
   * Requirements of which at least one PythonDependencyLayer of the function must list one, e.g.
   * `aws-xray-sdk` or `aws-lambda-powertools[tracer]` (name, optionally with one extra in brackets).
   * If none does, TracedFunction warns (the function's own code asset may bundle the package).
   */
  readonly expectedRequirements?: string[];
}
