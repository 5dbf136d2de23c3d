import { lockSyntaxError } from './helpers';
import { ErrorId } from '../../../lib';
import { parseConstraint, runtimeSatisfies, satisfies } from '../../../lib/layer/lock/pep440';

/**
 * PEP 440 specifiers as lock files write them in requires-python. Every expected answer is what packaging 26.2
 * says: `SpecifierSet(spec).contains(version, prereleases=True)` (checked 2026-12-03), which follows
 * https://packaging.python.org/en/latest/specifications/version-specifiers/: arbitrary equality (`===`),
 * the exclusive comparisons that leave out pre-, post- and local releases of the version named, the
 * pre-release spellings and their order (dev < a < b < rc < final < post), epochs, `~=` and wildcards.
 */
test.each([
  ['===1.0', '1.0', true],
  ['===1.0', '1.0.0', false],
  ['===1.0rc1', '1.0RC1', true],
  ['===1.0RC1', '1.0rc1', true],
  ['<=3.13', '3.13.0', true],
  ['<=3.13', '3.12.9', true],
  ['<=3.13', '3.13.1', false],
  ['>1.0', '1.0', false],
  ['>1.0', '1.1', true],
  ['>1.0', '1.0+local', false],
  ['>1.0', '1.1+local', true],
  ['>1.0', '1.0.post1', false],
  ['>1.0', '1.1.post1', true],
  ['>1.0.post1', '1.0.post2', true],
  ['>1.0rc1', '1.0', true],
  ['>1.0', '1!1.0.post1', true],
  ['<3.13', '3.12.0rc1', true],
  ['<3.13', '3.13.0rc1', false],
  ['<3.13', '3.13.0.dev0', false],
  ['<1.0.1', '1.0rc1', true],
  ['<1!1.0', '1.0rc1', true],
  ['<3.13rc1', '3.13.0b2', true],
  ['<3.13.dev5', '3.13.dev1', true],
  ['==1.0a1', '1.0alpha1', true],
  ['==1.0b1', '1.0beta1', true],
  ['==1.0rc1', '1.0c1', true],
  ['==1.0rc1', '1.0pre1', true],
  ['==1.0rc1', '1.0preview1', true],
  ['==1.0a0', '1.0a', true],
  ['==1.0A1', '1.0a1', true],
  ['<1.0b1', '1.0a1', true],
  ['<1.0rc1', '1.0b1', true],
  ['<1.0a2', '1.0a1', true],
  ['>=1.0', '1.0rc1', false],
  ['>=1.0rc1', '1.0', true],
  ['>=1.0rc1', '1.0.post1', true],
  ['>=1.0.dev2', '1.0a0.dev1', true],
  ['>=1.0.dev1', '1.0a1.dev0', true],
  ['>=1.0.dev2', '1.0.dev1', false],
  ['<1.0rc1.dev0', '1.0.dev1', true],
  ['==1.0.post1', '1.0-1', true],
  ['==1.0.post0', '1.0.post', true],
  ['==1.0.post1', '1.0.rev1', true],
  ['==1.0.post1', '1.0r1', true],
  ['>=1.0.post1', '1.0', false],
  ['>=1.0.post2', '1.0.post1', false],
  ['==1.0.dev0', '1.0.dev', true],
  ['==1.0.dev1+abc', '1.0.dev1+xyz', false],
  ['==1.0+abc', '1.0+ABC', true],
  ['==1.0', '1.0.0', true],
  ['==1.0', 'v1.0', true],
  ['<1!1.0', '2.0', true],
  ['>=1!1.0', '2.0', false],
  ['==1!1.*', '1.0', false],
  ['==1!1.*', '1!1.5', true],
  ['~=3.10', '3.10.0', true],
  ['~=3.10', '3.9.9', false],
  ['~=3.10', '4.0', false],
  ['~=3.10.2', '3.10.9', true],
  ['!=3.13.*', '3.12.1', true],
  ['!=3.9.1', '3.13.0', true],
  ['==3.12.*', '3.12', true],
  ['>=3.9,', '3.13', true],
  ['', '3.13', true],
  [' >=3.9 , <4 ', '3.13', true],
  // moved from markers.test.ts
  ['>=3.9,<4', '3.13.0', true],
  ['>=3.9, <3.13', '3.13.0', false],
  ['==3.12.*', '3.12.7', true],
  ['==3.12.*', '3.13.0', false],
  ['!=3.13.*', '3.13.2', false],
  ['~=3.10', '3.13.0', true],
  ['~=3.10.2', '3.11.0', false],
  ['>3.13', '3.13.0.post1', false],
  ['<3.13', '3.13.0rc1', false],
  ['>=1.0.dev0', '1.0a1', true],
  ['==1.0', '1.0+local', true],
  ['==1!2.0', '2.0', false],
])('PEP 440 %j matches %s: %s', (spec, version, expected) => {
  expect(satisfies(version, parseConstraint(spec))).toBe(expected);
});

/**
 * Poetry's constraint syntax, as https://python-poetry.org/docs/dependency-specification/ (read 2026-12-03)
 * defines it: `^1.2.3` is `>=1.2.3,<2.0.0`, `^0.2.3` `>=0.2.3,<0.3.0`, `^0.0` `>=0.0.0,<0.1.0`, `^0` `>=0.0.0,<1.0.0`;
 * `~1.2.3` is `>=1.2.3,<1.3.0`, `~1.2` `>=1.2.0,<1.3.0`, `~1` `>=1.0.0,<2.0.0`; a bare version is `==`; `,` or a
 * space means and, `||` (or `|`) means or.
 */
test.each([
  ['^10.1', '10.5', true],
  ['^10.1', '11.0', false],
  ['^0.0', '0.0.5', true],
  ['^0.0', '0.1.0', false],
  ['^0', '0.9', true],
  ['^0', '1.0', false],
  ['~3', '3.13', true],
  ['~3', '4.0', false],
  ['~3.11', '3.11.5', true],
  ['~3.11', '3.10', false],
  ['~3.11.4', '3.11.9', true],
  ['~3.11.4', '3.12.0', false],
  ['~10.1', '10.1.5', true],
  ['3.11', '3.11.0', true],
  ['3.11', '3.12', false],
  ['10.1', '10.1', true],
  ['3.11.4', '3.11.4', true],
  ['>= 3.9, < 4.0', '3.13', true],
  ['>=  3.9', '3.13', true],
  ['>=3.8,<3.9||>=3.12', '3.13', true],
  ['>=3.8,<3.9||>=3.12', '3.10', false],
  ['>=3.8,<3.9 | >=3.12', '3.13', true],
  ['>=3.8,<3.9 | >=3.12', '3.10', false],
  // moved from markers.test.ts
  ['^3.11', '3.13', true],
  ['^3.11', '4.0', false],
  ['^0.2.3', '0.3.0', false],
  ['^0.0.3', '0.0.3', true],
  ['~3.11', '3.12', false],
  ['>=3.9 <4.0', '3.13', true],
  ['>= 3.9, < 3.12', '3.13', false],
  ['>=3.8,<3.9 || >=3.12', '3.13', true],
  ['3.11.*', '3.11.4', true],
  ['*', '3.13', true],
])('Poetry %j matches %s: %s', (spec, version, expected) => {
  expect(satisfies(version, parseConstraint(spec, true))).toBe(expected);
});

// packaging 26.2 rejects the PEP 440 ones (InvalidSpecifier); the Poetry ones are no Poetry syntax either.
test.each([
  ['==3.*.1', false, "'==3.*.1'"],
  ['>=3.9, three', false, "'three'"],
  ['v^3.11', true, "'v^3.11'"],
  ['^3.11garbage', true, "'^3.11garbage'"],
  ['x~3.11', true, "'x~3.11'"],
  ['~3.11garbage', true, "'~3.11garbage'"],
  ['3.11garbage', true, "'3.11garbage'"],
])('%j is no version constraint (Poetry syntax: %s)', (spec, poetry, named) => {
  const e = lockSyntaxError(() => parseConstraint(spec, poetry));

  expect({ id: e.id, value: e.value }).toEqual({ id: ErrorId.LOCK_SPECIFIER_INVALID, value: spec });
  expect(e.what).toMatch(/\w/);
  expect(e.problem).toContain(named);
});

test('a requires-python that needs a newer patch release still fits the runtime, one below it does not', () => {
  expect(runtimeSatisfies('3.13', parseConstraint('>=3.13.2'))).toBe(true);
  expect(runtimeSatisfies('3.13', parseConstraint('<3.13'))).toBe(false);
  const e = lockSyntaxError(() => parseConstraint('>=3.9, >= three'));
  expect({ id: e.id, value: e.value }).toEqual({ id: ErrorId.LOCK_SPECIFIER_INVALID, value: '>=3.9, >= three' });
  expect(e.problem).toContain("'>= three'");
});
