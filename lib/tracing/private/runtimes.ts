import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AnnotationId, ErrorId } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import { PYTHON_RUNTIMES, PYTHON_RUNTIMES_SOURCE, RuntimeLifecycle } from '../runtime-data';

/** Today as YYYY-MM-DD (UTC), read through Date.now() so tests can fix the day. */
export function today(): string {
  return new Date(Date.now()).toISOString().slice(0, 10);
}

/** The lifecycle row of a Python runtime, or undefined when AWS's table (as read) does not list it. */
export function runtimeLifecycle(runtime: string): RuntimeLifecycle | undefined {
  return PYTHON_RUNTIMES.find(r => r.runtime === runtime);
}

/** The newest listed runtime that is not deprecated on `day`: what a blocked or deprecated runtime should move to. */
export function newestSupportedRuntime(day: string = today(), among?: readonly string[]): string | undefined {
  const candidates = PYTHON_RUNTIMES.filter(r => day < r.deprecated && (among === undefined || among.includes(r.runtime)));
  return candidates[candidates.length - 1]?.runtime;
}

const SOURCE = `AWS Lambda runtimes (${PYTHON_RUNTIMES_SOURCE.url}, via ${PYTHON_RUNTIMES_SOURCE.copy}, read ${PYTHON_RUNTIMES_SOURCE.readOn})`;

/**
 * Throws when AWS blocks creating functions with the Python `runtime` on the day of the synth (`ErrorId.RUNTIME_BLOCKED`).
 * Called before the function is built. Other runtime families are not in the table and pass.
 */
export function checkRuntimeNotBlocked(path: string, runtime: string): void {
  const row = runtimeLifecycle(runtime);
  const day = today();
  if (row && day >= row.blockCreate) {
    throw new TracedLambdaError(ErrorId.RUNTIME_BLOCKED, path, `runtime ${runtime} is blocked by AWS Lambda: no function can be created with it `
      + `since ${row.blockCreate} (updates ${day >= row.blockUpdate ? 'are blocked too since' : 'stay possible until'} ${row.blockUpdate}; ${SOURCE}). `
      + `Fix: use a supported runtime, ${successorAdvice(day, successor => `e.g. runtime: lambda.Runtime.${constantName(successor)}`)}.`);
  }
}

/**
 * Warns by id when the Python `runtime` of `fn` is deprecated on the day of the synth (`AnnotationId.RUNTIME_DEPRECATED`,
 * naming the dates), or when AWS's table does not list it (`AnnotationId.RUNTIME_NOT_GENERALLY_AVAILABLE`).
 */
export function warnAboutRuntime(fn: IConstruct, runtime: string): void {
  if (!/^python\d/.test(runtime)) return;
  const row = runtimeLifecycle(runtime);
  const day = today();
  // Only a warning needs it: a supported runtime (the common case, once per function) reads the table once.
  const advice = () => successorAdvice(day, successor => `use ${successor}`);
  if (!row) {
    Annotations.of(fn).addWarningV2(AnnotationId.RUNTIME_NOT_GENERALLY_AVAILABLE, `${fn.node.path}: runtime ${runtime} is not in AWS Lambda's `
      + `supported or deprecated runtimes as this library read them (${SOURCE}): a preview runtime, or one newer than the data. `
      + `Public layers may not support it yet. For production, ${advice()}, or acknowledge this warning.`);
    return;
  }
  if (day >= row.deprecated) {
    Annotations.of(fn).addWarningV2(AnnotationId.RUNTIME_DEPRECATED, `${fn.node.path}: runtime ${runtime} is deprecated by AWS Lambda since ${row.deprecated} `
      + `(no more security patches); creating functions with it is blocked from ${row.blockCreate}, updating them from ${row.blockUpdate} (${SOURCE}). `
      + `Fix: ${advice()}.`);
  }
}

/**
 * What to move to on `day`: `advice(runtime)` for the newest runtime the table lists as supported, or, when the
 * table lists none (a synth long after this library's data was read), to upgrade the library for newer data.
 */
function successorAdvice(day: string, advice: (runtime: string) => string): string {
  const successor = newestSupportedRuntime(day);
  return successor !== undefined ? advice(successor)
    : `one that AWS supports today (this library's runtime data, read ${PYTHON_RUNTIMES_SOURCE.readOn}, lists none still supported on ${day}: upgrade cdk-traced-lambda)`;
}

/** `python3.14` -> `PYTHON_3_14`. */
function constantName(runtime: string): string {
  return runtime.toUpperCase().replace('PYTHON', 'PYTHON_').replace('.', '_');
}
