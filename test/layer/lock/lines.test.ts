import { LineIndex } from '../../../lib/layer/lock/lines';
import { shown, shownList, where, withoutCredentials } from '../../../lib/layer/lock/model';

// The one-pass line index the readers name lines with, and how messages show values from a lock.
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

test('shows a value quoted, with control, separator and bidi characters escaped and long values cut', () => {
  expect(shown('plain')).toBe("'plain'");
  expect(shown('a\u001b[2Jb\u0007\u2028\u202e\u0085')).toBe("'a\\u001b[2Jb\\u0007\\u2028\\u202e\\u0085'");
  expect(shown('x'.repeat(500))).toBe(`'${'x'.repeat(160)}…'`);
  expect(shown('x'.repeat(160))).toBe(`'${'x'.repeat(160)}'`);
  expect(shown(7)).toBe("'7'");
});

test('removes the user and password of URLs, also in a long value', () => {
  expect(withoutCredentials('git+https://user:s3cret@github.com/x.git and http://token@host/')).toBe('git+https://***@github.com/x.git and http://***@host/');
  expect(shown(`https://user:s3cret@example.com/${'p'.repeat(300)}`)).not.toContain('s3cret');
  expect(shown('https://example.com/a@b')).toBe("'https://example.com/a@b'");
});

test('lists at most a few values, saying how many more', () => {
  expect(shownList([])).toBe('none');
  expect(shownList(['a', 'b'])).toBe("'a', 'b'");
  expect(shownList(['a', 'b', 'c'], 2)).toBe("'a', 'b' and 1 more");
  expect(shownList(['a', 'b'], 2)).toBe("'a', 'b'");
});
