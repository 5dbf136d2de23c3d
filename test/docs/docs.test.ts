import * as fs from 'fs';
import * as path from 'path';
import { ErrorId } from '../../lib';

// The README and docs/ must stay true: the README short enough to read, every error id it names a real
// ErrorId with the value it shows, every relative link pointing at a file (and heading) that exists.

const ROOT = path.join(__dirname, '..', '..');
const README = path.join(ROOT, 'README.md');

function read(file: string): string {
  return fs.readFileSync(file, 'utf-8');
}

/** README.md, CHANGELOG.md and every page of docs/. */
function documents(): string[] {
  const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter(f => f.endsWith('.md')).map(f => path.join(ROOT, 'docs', f));
  return [README, path.join(ROOT, 'CHANGELOG.md'), ...docs];
}

/** Markdown outside fenced code blocks (a link-like text in a code sample is not a link). */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

/** GitHub's anchor for a heading: lower case, punctuation other than '-' and '_' dropped, spaces to '-'. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  return new Set(prose(markdown).split('\n').filter(l => /^#{1,6} /.test(l)).map(l => anchorOf(l.replace(/^#+ /, ''))));
}

/** Relative link targets of a document: [text](target), without web and mail links. */
function relativeLinks(markdown: string): string[] {
  const links = [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)].map(m => m[1]);
  return links.filter(l => !/^(https?:|mailto:)/.test(l));
}

describe('README.md', () => {
  test('is at most 300 lines (the rest belongs in docs/)', () => {
    expect(read(README).split('\n').length).toBeLessThanOrEqual(300);
  });

  test('names each troubleshooting error id as ErrorId spells it, with its value', () => {
    const table = read(README).split('## Troubleshooting')[1]?.split('\n## ')[0] ?? '';
    const rows = [...table.matchAll(/^\| `([A-Z0-9_]+)`<br>`([^`]+)` \|/gm)].map(m => ({ name: m[1], value: m[2] }));
    expect(rows.length).toBeGreaterThanOrEqual(8);
    const ids = ErrorId as unknown as Record<string, unknown>;
    for (const row of rows) {
      expect({ name: row.name, value: ids[row.name] }).toEqual({ name: row.name, value: row.value });
    }
  });
});

describe('links in README.md, CHANGELOG.md and docs/', () => {
  test.each(documents().map(f => [path.relative(ROOT, f), f]))('%s: every relative link resolves', (_name, file) => {
    const broken: string[] = [];
    for (const link of relativeLinks(read(file))) {
      const [target, anchor] = link.split('#');
      const resolved = target === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(target));
      if (!fs.existsSync(resolved)) {
        broken.push(`${link} (no such file)`);
      } else if (anchor && resolved.endsWith('.md') && !anchorsOf(read(resolved)).has(anchor)) {
        broken.push(`${link} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  test('a heading gives the anchor GitHub gives it', () => {
    expect(anchorOf('Cold start per instrumentation')).toBe('cold-start-per-instrumentation');
    expect(anchorOf('`TracedFunction` in detail')).toBe('tracedfunction-in-detail');
    expect(anchorOf('From `lambda.Function` to `TracedFunction`')).toBe('from-lambdafunction-to-tracedfunction');
    expect(anchorOf('OTLP output: `--otlp-out FILE`, `--otlp-endpoint URL`')).toBe('otlp-output---otlp-out-file---otlp-endpoint-url');
  });
});
