/**
 * Text from outside the tool (a handler's output, a datagram, a span, a template, pip, a URL) made safe to print:
 * control characters escaped so a terminal shows them instead of obeying them (an OSC 52 clipboard write, a
 * screen clear, a cursor move that hides a line), and credentials in URLs masked.
 */

/**
 * C0 controls but tab and newline, DEL, C1 controls (0x80-0x9f: 0x9b is a one-byte CSI for some terminals), and
 * the Unicode bidirectional overrides and isolates, which reorder what a terminal shows (CVE-2021-42574).
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same with newline and tab, for text that must stay on one line. */
const UNSAFE_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control character but newline and tab written as an escape (`\x1b`, `\x07`, `\r`, `\u202e`),
 * so printing it cannot change the terminal's state. Plain text passes unchanged.
 */
export function safeText(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** `text` on one line: newlines and tabs escaped too. */
export function safeLine(text: string): string {
  return text.replace(UNSAFE_ONE_LINE, escapeOne);
}

/**
 * JSON for a file a user may `cat`: JSON.stringify escapes C0 controls, this escapes DEL, C1 controls and the
 * bidirectional overrides too (as `\u00XX`, still the same JSON value).
 */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, undefined, indent).replace(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `scheme://userinfo@`: the user and password in a URL's authority (RFC 3986 userinfo holds no `/`, `?`, `#`). */
const URL_USERINFO = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s/?#@]*@/g;

/** Every URL in `text` with its userinfo (`user:password@`) replaced by `***@`. */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_USERINFO, '$1***@');
}

/** A URL object as text with its userinfo masked (URL.href would show the password). */
export function maskedHref(url: URL): string {
  if (!url.username && !url.password) return url.href;
  const copy = new URL(url.href);
  copy.username = '***';
  copy.password = '';
  return copy.href;
}
