import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };

// smol-toml is an ES module package with a CommonJS build (`exports.require`). TypeScript's node16 resolution
// refuses a value import of it from this CommonJS library, so load the CommonJS build with require and take
// only the types from the import.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const smolToml: typeof SmolToml = require('smol-toml');

/** Parses TOML 1.0 text; throws an error with `line` and `column` on invalid input. */
export function parseToml(text: string): Record<string, unknown> {
  return smolToml.parse(text) as Record<string, unknown>;
}

/** The line of a TOML syntax error, when `e` is one. */
export function tomlErrorLine(e: unknown): number | undefined {
  return e instanceof smolToml.TomlError ? e.line : undefined;
}
