import { areaTable, score } from '../../scripts/mutation-table';

const zero = { killed: 0, survived: 0, noCoverage: 0, timeout: 0, ignored: 0, errors: 0 };

test('the score is Stryker\'s: detected (killed or timed out) over detected plus undetected, rounded down', () => {
  expect(score({ ...zero, killed: 8, timeout: 1, survived: 1 })).toBe('90.0 %');
  expect(score({ ...zero, killed: 899, survived: 100, noCoverage: 1 })).toBe('89.9 %'); // 89.9 exactly, never rounded up to 90
  expect(score({ ...zero, killed: 17999, survived: 2001 })).toBe('89.9 %'); // 89.995
  expect(score({ ...zero, ignored: 5, errors: 2 })).toBe('n/a');
  expect(score({ ...zero, killed: 1, ignored: 50, errors: 9 })).toBe('100.0 %');
});

test('one row per file, sorted, and the area\'s total; ignored and erroneous mutants stay out of the score', () => {
  const table = areaTable('lock', {
    files: {
      'lib/b.ts': { mutants: [{ status: 'Killed' }, { status: 'Survived' }, { status: 'Ignored' }] },
      'lib/a.ts': { mutants: [{ status: 'Timeout' }, { status: 'NoCoverage' }, { status: 'CompileError' }, { status: 'Killed' }] },
    },
  });
  expect(table.split('\n')).toEqual([
    '### `lock`: 60.0 %',
    '',
    '| file | score | killed | survived | no coverage | ignored (static, wording) |',
    '| --- | --- | --- | --- | --- | --- |',
    '| `lib/a.ts` | 66.6 % | 2 | 0 | 1 | 0 |',
    '| `lib/b.ts` | 50.0 % | 1 | 1 | 0 | 1 |',
    '| **all** | 60.0 % | 3 | 1 | 1 | 1 |',
    '',
  ]);
});
