import * as fs from 'fs';
import * as path from 'path';
import { ErrorId, TracingErrors } from '../../lib';
import { TracedLambdaError } from '../../lib/private/error';

/** Every `ErrorId` value, by constant name. */
const IDS = Object.entries(ErrorId as unknown as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string');

test('docs/errors.md lists every ErrorId, by constant name and value', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'errors.md'), 'utf-8');

  expect(IDS.length).toBeGreaterThan(10);
  const missing = IDS.filter(([name, id]) => !doc.includes(`| \`${name}\` (\`${id}\`) |`)).map(([name]) => name);
  expect(missing).toEqual([]);
});

test('every ErrorId is unique and has the contract\'s form', () => {
  const values = IDS.map(([, id]) => id);

  expect(new Set(values).size).toBe(values.length);
  for (const id of values) expect(id).toMatch(/^cdk-traced-lambda:[a-z][A-Za-z0-9]+$/);
});

test('an error starts with the path, ends with its id, and TracingErrors.idOf reads it from the error or its message', () => {
  const error = new TracedLambdaError(ErrorId.TRACING_DISABLED, 'Stack/Fn', 'what was wrong. Fix: this.');

  expect(error.message).toBe(`Stack/Fn: what was wrong. Fix: this. [${ErrorId.TRACING_DISABLED}]`);
  expect(TracingErrors.idOf(error)).toBe(ErrorId.TRACING_DISABLED);
  expect(TracingErrors.idOf(`RuntimeError: ${error.message}\n`)).toBe(ErrorId.TRACING_DISABLED);
  expect(TracingErrors.idOf(new Error('Stack/Fn: something else'))).toBeUndefined();
});
