/**
 * Untrusted text in messages: the one place that decides how a value from a requirements file, a lock file,
 * a cache folder, a URL or a tool's output appears in an error or an annotation.
 *
 * A message never shows such text raw: control characters are escaped (one form, `\xNN` up to U+00FF and
 * `\uNNNN` above), the password or token of every URL's userinfo is masked (one form, `user:***@` or
 * `***@`), and a single value is quoted and cut at SHOWN_MAX characters.
 */

/** Longest value a message shows from an untrusted source; a longer one is cut and ends with `…`. */
export const SHOWN_MAX = 240;

/** How much of a value is read before it is masked and cut (masking sees the whole userinfo of a URL near the cut). */
const READ_MAX = 4 * SHOWN_MAX;

/**
 * C0 (except newline and tab when multi-line), DEL, C1, the bidi marks, embeddings, overrides and isolates,
 * and the line and paragraph separators: anything that can move the cursor, set the title, write the
 * clipboard (OSC 52), break a line or reorder what the reader sees.
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Removes ANSI escape sequences (colours, cursor moves, OSC strings) from a tool's output. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g, '');
}

/** `text` with every control character escaped; newlines and tabs are kept only when `multiline`. */
export function printable(text: string, multiline = false): string {
  return text.replace(CONTROLS, c => {
    if (multiline && (c === '\n' || c === '\t')) {
      return c;
    }
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Every URL in `text` with the secret of its userinfo masked: `https://user:secret@host` becomes
 * `https://user:***@host`, `https://token@host` becomes `https://***@host`.
 */
export function maskCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@'"]+)@/gi, (_, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon < 0 ? `${scheme}***@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}

/** One untrusted value for a message: in single quotes, credentials masked, at most SHOWN_MAX characters, escaped. */
export function shown(value: unknown): string {
  const text = maskCredentials(String(value).slice(0, READ_MAX));
  const cut = text.length > SHOWN_MAX ? `${text.slice(0, SHOWN_MAX)}…` : text;
  return `'${printable(cut)}'`;
}

/** The first `max` of `values`, each `shown`, joined, with how many more there are; `none` when empty. */
export function shownList(values: readonly unknown[], max = 5): string {
  const head = values.slice(0, max).map(shown).join(', ');
  return values.length > max ? `${head} and ${values.length - max} more` : head || 'none';
}

/** A tool's output for a message: escape codes removed, credentials masked, other control characters escaped, lines kept. */
export function shownOutput(text: string): string {
  return printable(maskCredentials(stripAnsi(text)), true);
}
