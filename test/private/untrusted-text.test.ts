import { maskCredentials, printable, shown, SHOWN_MAX, shownList, shownOutput, stripAnsi } from '../../lib/private/untrusted-text';

// How every message of the library shows untrusted text: one escape form, one mask form, one quoting and cut.

test.each([
  ['https://user:pass@host.example/simple', 'https://user:***@host.example/simple'],
  ['see http://token@h.example/x and git+https://a:b@c.example/r.git', 'see http://***@h.example/x and git+https://a:***@c.example/r.git'],
  ['https://host.example/simple', 'https://host.example/simple'],
  ['https://:token@host.example/', 'https://:***@host.example/'],
  ['HTTPS://User:Pass@Host.example/', 'HTTPS://User:***@Host.example/'],
  ['user@host.example and /a@b and mailto:a@b', 'user@host.example and /a@b and mailto:a@b'],
  ['https://host.example/a@b', 'https://host.example/a@b'],
  ['x https://u:p@h/ y https://v:q@i/', 'x https://u:***@h/ y https://v:***@i/'],
])('masks the credentials of every URL in %j', (text, masked) => {
  expect(maskCredentials(text)).toBe(masked);
});

test('escapes C0, DEL, C1, bidi controls and line separators; keeps newlines and tabs only in multi-line output', () => {
  expect(printable('a\x1b]52;c;ZXZpbA==\x07b\x7f\x9b\u202e\n\t')).toBe('a\\x1b]52;c;ZXZpbA==\\x07b\\x7f\\x9b\\u202e\\x0a\\x09');
  expect(printable('\x00\x1f\x80\x9f\u200e\u200f\u2028\u2029\u202a\u2066\u2069')).toBe('\\x00\\x1f\\x80\\x9f\\u200e\\u200f\\u2028\\u2029\\u202a\\u2066\\u2069');
  expect(printable('line 1\n\tline 2\r', true)).toBe('line 1\n\tline 2\\x0d');
  expect(printable('plain text: é ü 中 \x20 \xa0 \u2030 \u206a ~')).toBe('plain text: é ü 中 \x20 \xa0 \u2030 \u206a ~');
});

test('shown() quotes one value, masks, escapes and cuts it at SHOWN_MAX characters', () => {
  expect(shown('plain')).toBe("'plain'");
  expect(shown(7)).toBe("'7'");
  expect(shown('https://u:p@h/\x1b[2J\u2028')).toBe("'https://u:***@h/\\x1b[2J\\u2028'");
  expect(shown('x'.repeat(SHOWN_MAX))).toBe(`'${'x'.repeat(SHOWN_MAX)}'`);
  expect(shown('x'.repeat(SHOWN_MAX + 1))).toBe(`'${'x'.repeat(SHOWN_MAX)}…'`);
  expect(shown('x'.repeat(100 * SHOWN_MAX))).toBe(`'${'x'.repeat(SHOWN_MAX)}…'`);
  // Cut after masking: the secret is gone even when the URL is long, and the cut never splits an escape.
  expect(shown(`https://user:s3cret@example.com/${'p'.repeat(3 * SHOWN_MAX)}`)).not.toContain('s3cret');
  expect(shown(`${'x'.repeat(SHOWN_MAX - 1)}\x1b[2J`)).toBe(`'${'x'.repeat(SHOWN_MAX - 1)}\\x1b…'`);
});

test('shownList() lists at most a few values, saying how many more', () => {
  expect(shownList([])).toBe('none');
  expect(shownList(['a', 'b'])).toBe("'a', 'b'");
  expect(shownList(['a', 'b', 'c'], 2)).toBe("'a', 'b' and 1 more");
  expect(shownList(['a', 'b'], 2)).toBe("'a', 'b'");
  expect(shownList(['1', '2', '3', '4', '5', '6', '7'])).toBe("'1', '2', '3', '4', '5' and 2 more");
});

test('shownOutput() drops colour codes, masks, escapes other controls and keeps lines', () => {
  expect(shownOutput('\x1b[31mERROR\x1b[0m: https://u:p@h/\n\x07next')).toBe('ERROR: https://u:***@h/\n\\x07next');
});

test('strips colours and other escape sequences from tool output', () => {
  expect(stripAnsi('\x1b[31mERROR:\x1b[0m no \x1b[1;33mmatching\x1b[0m\x1b]8;;http://x\x07link\x1b]8;;\x07')).toBe('ERROR: no matchinglink');
  expect(stripAnsi('\x1b[?25lhidden\x1b[?25h \x1b[2 qshape \x1b]0;title\x1b\\titled \x1bMup')).toBe('hidden shape titled up');
  expect(stripAnsi('pip [31m] 2>&1 ~ ok')).toBe('pip [31m] 2>&1 ~ ok');
});
