import * as fs from 'fs';
import * as path from 'path';
import { MUTATION_AREAS } from '../../projenrc/mutation';

const ROOT = path.join(__dirname, '..', '..');

/** The glob forms the areas use (`**` for any folders, `*` within a name) as a regular expression. */
function globRegExp(glob: string): RegExp {
  const body = glob.split('**/').map(part => part.split('*').map(s => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('(?:.*/)?');
  return new RegExp(`^${body}$`);
}

/** Whether `file` is matched by `patterns` (later `!` patterns take files out). */
function matches(patterns: readonly string[], file: string): boolean {
  const included = patterns.filter(p => !p.startsWith('!')).some(p => globRegExp(p).test(file));
  const excluded = patterns.filter(p => p.startsWith('!')).some(p => globRegExp(p.slice(1).replace(/^\*\*\//, '')).test(file)
    || globRegExp(p.slice(1)).test(`/${file}`));
  return included && !excluded;
}

function files(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter(e => e.isFile() && e.name.endsWith('.ts'))
    .map(e => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

test('every file of lib/ (but the re-exports and the generated layer data) is mutated in exactly one area', () => {
  const areasOf = (file: string) => Object.entries(MUTATION_AREAS).filter(([, a]) => matches(a.mutate, file)).map(([name]) => name);
  const wrong = files('lib')
    .filter(f => f !== 'lib/index.ts' && !f.endsWith('.d.ts'))
    .map(f => [f, areasOf(f)] as const)
    .filter(([f, areas]) => areas.length !== (f === 'lib/tracing/layer-data.generated.ts' ? 0 : 1));
  expect(wrong).toEqual([]);
});

test('every test pattern of every area names at least one suite, and every suite it names exists', () => {
  const suites = files('test').filter(f => f.endsWith('.test.ts'));
  for (const [name, area] of Object.entries(MUTATION_AREAS)) {
    for (const pattern of area.tests.filter(p => !p.startsWith('!'))) {
      expect([name, pattern, suites.some(s => matches([pattern], s))]).toEqual([name, pattern, true]);
    }
    for (const pattern of area.tests.filter(p => p.startsWith('!'))) {
      expect([name, pattern, suites.some(s => matches([pattern.slice(1).replace(/^\*\*\//, '')], s))]).toEqual([name, pattern, true]);
    }
  }
});

test('the glob reading agrees with the forms used', () => {
  expect(matches(['lib/nag/**/*.ts'], 'lib/nag/rules/X.ts')).toBe(true);
  expect(matches(['lib/nag/**/*.ts'], 'lib/nag/x.ts')).toBe(true);
  expect(matches(['lib/layer/*.ts'], 'lib/layer/private/x.ts')).toBe(false);
  expect(matches(['lib/tracing/**/*.ts', '!lib/tracing/layer-data.generated.ts'], 'lib/tracing/layer-data.generated.ts')).toBe(false);
  expect(matches(['test/layer/lock/**/*.test.ts', '!**/test/layer/lock/layer.test.ts'], 'test/layer/lock/layer.test.ts')).toBe(false);
  expect(matches(['test/layer/lock/**/*.test.ts', '!**/test/layer/lock/layer.test.ts'], 'test/layer/lock/uv-lock.test.ts')).toBe(true);
});
