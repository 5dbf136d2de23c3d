import { IConstruct } from 'constructs';

/**
 * The one error class this library throws at synth time (aws-cdk-lib's `ValidationError` is internal to it).
 *
 * Each error carries a public id from `ErrorId` (lib/contract.ts) and the path of the construct it is about.
 * The message starts with the path, says what was wrong, the value received and the fix, and ends with the
 * id in brackets, so Python users (who see a jsii `RuntimeError` with the message only) can match it too.
 *
 * Not exported from the package: match errors with `TracingErrors.idOf(error)`, which also reads the id of
 * an error that crossed the jsii boundary.
 */
export class TracedLambdaError extends Error {
  /** The error's id, one of the `ErrorId` values. */
  public readonly id: string;
  /** The path of the construct the error is about (or the prop/context key when there is no construct). */
  public readonly constructPath: string;

  /**
   * @param id one of the `ErrorId` values
   * @param scope the construct the error is about, or its path
   * @param message what was wrong, the value received and the fix; without the path, which is prefixed
   */
  constructor(id: string, scope: IConstruct | string, message: string) {
    const where = typeof scope === 'string' ? scope : scope.node.path;
    super(`${where}: ${message} [${id}]`);
    this.name = 'TracedLambdaError';
    this.id = id;
    this.constructPath = where;
    Object.setPrototypeOf(this, TracedLambdaError.prototype);
  }
}

/** The id at the end of a TracedLambdaError's message (`... [cdk-traced-lambda:someId]`), or undefined. */
export function errorIdOf(error: unknown): string | undefined {
  if (error instanceof TracedLambdaError) {
    return error.id;
  }
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
  return message?.match(/\[(cdk-traced-lambda:[A-Za-z0-9]+)\]\s*$/)?.[1];
}
