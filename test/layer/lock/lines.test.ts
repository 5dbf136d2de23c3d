import { LineIndex } from '../../../lib/layer/lock/lines';
import { list, LockSyntaxError, str, table, where } from '../../../lib/layer/lock/model';

// The one-pass line index the readers name lines with (test/private/untrusted-text.test.ts: how messages show values).
const TOML = [
  '[[package]]',
  'name = "Foo_Bar"',
  'version = "1.0"',
  '',
  '[[package]]',
  '  name = \'foo-bar\'',
  '  version = \'2.0\'',
  '',
  '[[package]]',
  'name = "other"',
  'dependencies = [{ name = "foo-bar" }]',
].join('\n');

test('names a file, and a file and line', () => {
  expect(where('/x/uv.lock')).toBe("'/x/uv.lock'");
  expect(where('/x/uv.lock', 3)).toBe("'/x/uv.lock' line 3");
});

test('finds a TOML package entry by its normalized name, preferring the entry of the given version', () => {
  const index = new LineIndex(TOML);

  expect(index.tomlPackage('foo.bar')).toBe(2);
  expect(index.tomlPackage('foo-bar', '2.0')).toBe(6);
  expect(index.tomlPackage('foo-bar', '3.0')).toBe(2);
  expect(index.tomlPackage('other')).toBe(10);
  expect(index.tomlPackage('missing')).toBeUndefined();
});

test('finds the first JSON key that starts a line, and the line of an offset', () => {
  const text = '{\n    "_meta": {\n        "pipfile-spec": 6\n    },\n    "default": {\n        "requests": {},\n        "pipfile-spec": 1\n    }\n}\n';
  const index = new LineIndex(text);

  expect(index.jsonKey('pipfile-spec')).toBe(3);
  expect(index.jsonKey('requests')).toBe(6);
  expect(index.jsonKey('absent')).toBeUndefined();
  expect([0, 1, 2, text.indexOf('"requests"'), text.length].map(o => index.lineAt(o))).toEqual([1, 1, 2, 6, 10]);
  expect(index.firstLine(/"default"/)).toBe(5);
  expect(index.firstLine(/nowhere/)).toBeUndefined();
});

test('a name with entries with and without a version line: without a version asked, the first entry', () => {
  const index = new LineIndex('[[package]]\nname = "dup"\nversion = "1.0"\n\n[[package]]\nname = "dup"\nsource = { virtual = "." }\n');

  expect(index.tomlPackage('dup')).toBe(2);
  expect(index.tomlPackage('dup', '1.0')).toBe(2);
});

test('the first line and a text that starts with a line break count from line 1', () => {
  const index = new LineIndex('\n"default": {\n');

  expect(index.firstLine(/^$/)).toBe(1);
  expect(index.firstLine(/default/)).toBe(2);
  expect([0, 1, 13].map(o => index.lineAt(o))).toEqual([1, 2, 2]);
  expect(index.lineAt(14)).toBe(3);
});

// Parsed lock data is untrusted: a value of the wrong type reads as absent.
test.each([
  ['a string', 'x', 'x', undefined, []],
  ['a number', 7, undefined, undefined, []],
  ['null', null, undefined, undefined, []],
  ['a list', ['x'], undefined, undefined, ['x']],
  ['a table', { a: 1 }, undefined, { a: 1 }, []],
])('%s is a string, a table or a list only when it is one', (_what, value, asString, asTable, asList) => {
  expect([str(value), table(value), list(value)]).toEqual([asString, asTable, asList]);
});

test('a marker or specifier error says what it is by its name', () => {
  const error = new LockSyntaxError('cdk-traced-lambda:lockMarkerInvalid', 'environment marker', 'os_name ==', 'no value');

  expect(error).toBeInstanceOf(LockSyntaxError);
  expect(error.name).toBe('LockSyntaxError');
  expect(String(error)).toMatch(/^LockSyntaxError: /);
});
