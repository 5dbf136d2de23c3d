/**
 * Text that goes into the layer's messages. Requirements files, pip's output, cache folders and URLs are
 * untrusted: a message shows them with control characters escaped and credentials masked, never raw.
 */

/** Removes ANSI escape sequences (colours, cursor moves) from a tool's output. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g, '');
}

/**
 * `text` with every control character (C0 except newline and tab, DEL, C1, and the bidi overrides) written as
 * `\xNN` / `\uNNNN`, so that nothing in a message can move the cursor, set the title, write the clipboard
 * (OSC 52) or reorder what the reader sees. Newlines are kept only when `multiline`.
 */
export function printable(text: string, multiline = false): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, c => {
    if (multiline && (c === '\n' || c === '\t')) {
      return c;
    }
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** `https://user:***@host/...`: the password (or a lone token) of a URL's userinfo masked, wherever URLs occur in `text`. */
export function maskCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@'"]+)@/gi, (_, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon < 0 ? `${scheme}***@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}

/** A value for a message: credentials masked, control characters escaped, on one line. */
export function shown(value: string): string {
  return printable(maskCredentials(value));
}

/** A tool's output for a message: escape codes removed, credentials masked, other control characters escaped. */
export function shownOutput(text: string): string {
  return printable(maskCredentials(stripAnsi(text)), true);
}
