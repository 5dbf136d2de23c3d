import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';

/** One annotation of a synthesized stack: the construct path, its id (from `addWarningV2`/`addInfoV2`) and text. */
export interface Annotation {
  readonly path: string;
  readonly id: string | undefined;
  readonly message: string;
}

/**
 * The stack's annotations of one level, with the id that `addWarningV2`/`addInfoV2` append as `[ack: <id>]`.
 * Tests match these ids, never the wording, so a reworded message cannot make a test pass or fail.
 */
export function annotations(stack: Stack, level: 'warning' | 'info'): Annotation[] {
  const found = level === 'warning'
    ? Annotations.fromStack(stack).findWarning('*', Match.anyValue())
    : Annotations.fromStack(stack).findInfo('*', Match.anyValue());
  return found.map(m => {
    const message = String(m.entry.data);
    return { path: m.id, id: /\[ack: ([^\]]+)\]$/.exec(message)?.[1], message };
  });
}

/** The prefix of every `AnnotationId` of this library. */
const OUR_IDS = 'cdk-traced-lambda:';

/**
 * `<path> <id>` for each annotation of `level` whose id is one of this library's (`AnnotationId`), sorted:
 * what most tests compare. aws-cdk-lib's own annotations (e.g. on a test's stand-in bucket) are left out.
 */
export function annotationIds(stack: Stack, level: 'warning' | 'info'): string[] {
  return annotations(stack, level).filter(a => a.id?.startsWith(OUR_IDS)).map(a => `${a.path} ${a.id}`).sort();
}
