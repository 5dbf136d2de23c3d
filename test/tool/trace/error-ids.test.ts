import * as fs from 'fs';
import * as path from 'path';
import { ErrorId } from '../../../lib/contract';
import { ToolErrorId } from '../../../tool/common/errors';

const ids = Object.entries(ToolErrorId).filter(([, v]) => typeof v === 'string') as Array<[string, string]>;

test('the tool\'s error ids are distinct, of the form cdk-traced-lambda:camelCase, and apart from the library\'s', () => {
  expect(ids.length).toBeGreaterThan(20);
  expect(new Set(ids.map(([, v]) => v)).size).toBe(ids.length);
  for (const [, id] of ids) expect(id).toMatch(/^cdk-traced-lambda:[a-z][A-Za-z0-9]+$/);
  const library = new Set(Object.values(ErrorId).filter((v) => typeof v === 'string'));
  expect(ids.filter(([, id]) => library.has(id))).toEqual([]);
});

test('docs/local-trace.md lists every id', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'local-trace.md'), 'utf-8');
  expect(ids.filter(([, id]) => !doc.includes(`| \`${id}\` |`)).map(([name]) => name)).toEqual([]);
});
