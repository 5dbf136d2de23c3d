import { normalizeName } from '../../private/python-names';

/** A TOML `name = "x"` line, and the version on the line after it. */
const NAME_LINE = /^[ \t]*name[ \t]*=[ \t]*["']([^"'\r\n]*)["']/;
const VERSION_LINE = /^[ \t]*version[ \t]*=[ \t]*["']([^"'\r\n]*)["']/;
/** A JSON object key at the start of a line: `    "requests": {`. */
const JSON_KEY_LINE = /^[ \t]*"((?:[^"\\\r\n]|\\.)*)"[ \t]*:/;

/**
 * Line numbers of a lock's package entries, for messages, found in one pass over the text when first asked
 * (the readers used to search the whole text once per package, which made reading a lock quadratic in its
 * size). Names are compared PEP 503 normalized, as the readers hold them.
 */
export class LineIndex {
  private starts?: number[];
  private tomlNames?: Map<string, { line: number; version?: string }[]>;
  private jsonKeys?: Map<string, number>;

  constructor(private readonly text: string) {}

  /** The 1-based line of character `offset` (binary search over the line starts). */
  public lineAt(offset: number): number {
    const starts = this.lineStarts();
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (starts[mid] <= offset) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low + 1;
  }

  /**
   * The line of a TOML package entry's `name = "<name>"`: the first one followed by `version = "<version>"`
   * when `version` is given and such a line exists, else the first one with that name.
   */
  public tomlPackage(name: string, version?: string): number | undefined {
    if (this.tomlNames === undefined) {
      this.tomlNames = new Map();
      const lines = this.lines();
      for (let i = 0; i < lines.length; i++) {
        const m = NAME_LINE.exec(lines[i]);
        if (m) {
          const key = normalizeName(m[1]);
          const entries = this.tomlNames.get(key) ?? [];
          entries.push({ line: i + 1, version: VERSION_LINE.exec(lines[i + 1] ?? '')?.[1] });
          this.tomlNames.set(key, entries);
        }
      }
    }
    const entries = this.tomlNames.get(normalizeName(name));
    return (entries?.find(e => version !== undefined && e.version === version) ?? entries?.[0])?.line;
  }

  /** The line of the first JSON object key `"<key>":` that starts a line (as the tools indent their locks). */
  public jsonKey(key: string): number | undefined {
    if (this.jsonKeys === undefined) {
      this.jsonKeys = new Map();
      const lines = this.lines();
      for (let i = 0; i < lines.length; i++) {
        const m = JSON_KEY_LINE.exec(lines[i]);
        if (m && !this.jsonKeys.has(m[1])) {
          this.jsonKeys.set(m[1], i + 1);
        }
      }
    }
    return this.jsonKeys.get(key);
  }

  /** The line of the first line matching `pattern` (tested line by line, without the `m` flag's pitfalls). */
  public firstLine(pattern: RegExp): number | undefined {
    const index = this.lines().findIndex(l => pattern.test(l));
    return index < 0 ? undefined : index + 1;
  }

  private lines(): string[] {
    return this.text.split('\n');
  }

  private lineStarts(): number[] {
    if (this.starts === undefined) {
      this.starts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) {
        this.starts.push(i + 1);
      }
    }
    return this.starts;
  }
}
