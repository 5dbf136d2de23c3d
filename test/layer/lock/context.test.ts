import { X86 } from './helpers';
import { ErrorId } from '../../../lib';
import { ReaderContext } from '../../../lib/layer/lock/context';
import { evaluateMarker, lambdaEnvironment } from '../../../lib/layer/lock/markers';
import { LockSyntaxError } from '../../../lib/layer/lock/model';
import { expectErrorId } from '../../helpers/errors';

// ReaderContext: what every reader shares (markers for the target, requires-python, the project's requirement names).
const FILE = '/project/pylock.toml';
const context = () => new ReaderContext(FILE, '', X86, [], [], '');

test('a marker remembered for the target is never the answer for another environment, nor the reverse', () => {
  const marker = "'dev' in dependency_groups";
  const dev = lambdaEnvironment(X86, [], ['dev']);

  const targetFirst = context();
  expect([targetFirst.marker(marker), targetFirst.marker(marker, undefined, dev), targetFirst.marker(marker)]).toEqual([false, true, false]);
  const otherFirst = context();
  expect([otherFirst.marker(marker, undefined, dev), otherFirst.marker(marker), otherFirst.marker(marker, undefined, dev)])
    .toEqual([true, false, true]);
});

test.each([undefined, '', '   '])('no marker (%j) applies to every target', marker => {
  expect(context().marker(marker)).toBe(true);
});

test('a marker that cannot be read fails with its own id, naming the file and line, then what markers.ts says', () => {
  const marker = 'python_version <';
  let syntax: LockSyntaxError | undefined;
  try {
    evaluateMarker(marker, lambdaEnvironment(X86));
  } catch (e) {
    syntax = e as LockSyntaxError;
  }

  expectErrorId(() => context().marker(marker, 7), syntax!.id, `'${FILE}' line 7: ${syntax!.message}. `);
});

test('an error that is not a marker or specifier error passes through unchanged', () => {
  const bug = new TypeError('a bug');

  expect(() => context().syntaxError(bug, 'Fix: none.')).toThrow(bug);
});

test('requires-python is a PEP 440 specifier, or Poetry\'s syntax only when the reader says so; an unreadable one names its field', () => {
  const ctx = context();

  expect(() => ctx.checkRequiresPython('^3.11', 'poetry.lock python-versions', true)).not.toThrow();
  expectErrorId(() => ctx.checkRequiresPython('^3.11', 'uv.lock requires-python'), ErrorId.LOCK_SPECIFIER_INVALID,
    'uv.lock requires-python', "'^3.11'");
  expectErrorId(() => ctx.checkRequiresPython('>=3.14', 'uv.lock requires-python'), ErrorId.LOCK_PYTHON_MISMATCH, "'>=3.14'", 'python3.13');
  expect(() => ctx.checkRequiresPython(' ', 'uv.lock requires-python')).not.toThrow();
});

test('the project\'s requirement names: PEP 508 strings canonical, anything else ignored', () => {
  const ctx = context();

  expect(ctx.requirementSpecs(['Requests[Socks,a] (>=2) ; python_version < "4"', 7, '', '-x', null, 'fake_app'])).toEqual(['requests[a,socks]', 'fake-app']);
  expect(ctx.requirementSpecs('fake-app')).toEqual([]);
  expect(ctx.tableSpecs({ Fake_App: { version: '*', extras: ['B', 'a'] }, python: '^3.11' }, ['python'])).toEqual(['fake-app[a,b]']);
  expect(ctx.tableSpecs({ python: '^3.11' })).toEqual(['python']);
});
