import { TracingErrors } from '../../lib';

/**
 * Runs `action`, expects it to throw an error of this library with `id` (an `ErrorId` value), and that
 * the message names every one of `values` (the construct path, the value received, ...). Never matches wording.
 * Returns the error for further assertions.
 */
export function expectErrorId(action: () => unknown, id: string, ...values: Array<string | RegExp>): Error {
  let thrown: unknown;
  try {
    action();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) {
    throw new Error(`expected an error with id ${id}, but nothing was thrown`);
  }
  expect({ id: TracingErrors.idOf(thrown), message: (thrown as Error).message })
    .toEqual({ id, message: expect.any(String) });
  for (const value of values) {
    expect((thrown as Error).message).toEqual(typeof value === 'string' ? expect.stringContaining(value) : expect.stringMatching(value));
  }
  return thrown as Error;
}

/** The async form of `expectErrorId`, for a promise that must reject. */
export async function expectRejectsWithId(action: Promise<unknown>, id: string, ...values: Array<string | RegExp>): Promise<Error> {
  let thrown: unknown;
  await action.then(() => undefined, (e) => { thrown = e; });
  return expectErrorId(() => { if (thrown !== undefined) throw thrown; }, id, ...values);
}
