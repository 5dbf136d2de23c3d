import { maskCredentials, printable, shown, shownOutput, stripAnsi } from '../../lib/layer/private/text';

// What messages do with untrusted text: escape control characters, mask URL credentials.
test.each([
  ['https://user:pass@host.example/simple', 'https://user:***@host.example/simple'],
  ['see http://token@h.example/x and git+https://a:b@c.example/r.git', 'see http://***@h.example/x and git+https://a:***@c.example/r.git'],
  ['https://host.example/simple', 'https://host.example/simple'],
  ['https://:token@host.example/', 'https://:***@host.example/'],
  ['user@host.example and /a@b', 'user@host.example and /a@b'],
])('masks the credentials of every URL in %j', (text, masked) => {
  expect(maskCredentials(text)).toBe(masked);
});

test('escapes C0, DEL, C1 and bidi controls; keeps newlines and tabs only in multi-line output', () => {
  expect(printable('a\x1b]52;c;ZXZpbA==\x07b\x7f\x9b\u202e\n\t')).toBe('a\\x1b]52;c;ZXZpbA==\\x07b\\x7f\\x9b\\u202e\\x0a\\x09');
  expect(printable('line 1\n\tline 2\r', true)).toBe('line 1\n\tline 2\\x0d');
  expect(printable('plain text: é ü 中')).toBe('plain text: é ü 中');
});

test('shown() masks and escapes one value; shownOutput() also drops colour codes and keeps lines', () => {
  expect(shown('https://u:p@h/\x1b[2J')).toBe('https://u:***@h/\\x1b[2J');
  expect(shownOutput('\x1b[31mERROR\x1b[0m: https://u:p@h/\n\x07next')).toBe('ERROR: https://u:***@h/\n\\x07next');
});

test('strips colours and other escape sequences from tool output', () => {
  expect(stripAnsi('\x1b[31mERROR:\x1b[0m no \x1b[1;33mmatching\x1b[0m\x1b]8;;http://x\x07link\x1b]8;;\x07')).toBe('ERROR: no matchinglink');
  expect(stripAnsi('\x1b[?25lhidden\x1b[?25h \x1b[2 qshape \x1b]0;title\x1b\\titled \x1bMup')).toBe('hidden shape titled up');
  expect(stripAnsi('pip [31m] 2>&1 ~ ok')).toBe('pip [31m] 2>&1 ~ ok');
});
