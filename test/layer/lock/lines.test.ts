import { LineIndex } from '../../../lib/layer/lock/lines';
import { where } from '../../../lib/layer/lock/model';

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
