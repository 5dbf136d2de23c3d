import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
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

describe('TracedLambdaError fields', () => {
  test('a construct scope gives its path as a string; a string scope is kept as it is', () => {
    const stack = new Stack(new App(), 'Stack');
    const fn = new Construct(stack, 'Fn');

    const fromConstruct = new TracedLambdaError(ErrorId.TRACING_DISABLED, fn, 'what was wrong.');
    const fromString = new TracedLambdaError(ErrorId.TRACING_DISABLED, 'cdk-traced-lambda:someContextKey', 'what was wrong.');

    expect(fromConstruct.constructPath).toBe('Stack/Fn');
    expect(fromConstruct.message.startsWith('Stack/Fn: ')).toBe(true);
    expect(fromString.constructPath).toBe('cdk-traced-lambda:someContextKey');
    expect(fromConstruct.id).toBe(ErrorId.TRACING_DISABLED);
    expect(fromConstruct.name).toBe('TracedLambdaError');
    expect(fromConstruct).toBeInstanceOf(TracedLambdaError);
    expect(fromConstruct).toBeInstanceOf(Error);
  });

  test('the id field wins over the message, which code above us may have rewritten', () => {
    const error = new TracedLambdaError(ErrorId.TRACING_DISABLED, 'Stack/Fn', 'what was wrong.');
    error.message = `wrapped by a caller: ${error.message} (while synthesizing)`;

    expect(TracingErrors.idOf(error)).toBe(ErrorId.TRACING_DISABLED);
  });
});

describe('TracingErrors.idOf on errors that are not ours', () => {
  test.each([
    ['a plain Error whose message ends with an id', new Error(`Stack/Fn: x [${ErrorId.TRACING_DISABLED}]`), ErrorId.TRACING_DISABLED],
    ['a jsii RuntimeError message with trailing whitespace', `Stack/Fn: x [${ErrorId.TRACING_DISABLED}] \n\t`, ErrorId.TRACING_DISABLED],
    ['an id that is not at the end', new Error(`Stack/Fn: x [${ErrorId.TRACING_DISABLED}] and more`), undefined],
    ['an id of another library', new Error('Stack/Fn: x [other-lib:someId]'), undefined],
    ['a number', 42, undefined],
    ['undefined', undefined, undefined],
    ['an object with a message but not an Error', { message: `x [${ErrorId.TRACING_DISABLED}]` }, undefined],
  ])('%s', (_what, error, expected) => {
    expect(TracingErrors.idOf(error)).toBe(expected);
  });
});
