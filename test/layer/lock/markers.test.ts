import { lockSyntaxError } from './helpers';
import { ErrorId } from '../../../lib';
import { evaluateMarker, lambdaEnvironment } from '../../../lib/layer/lock/markers';

// Built inside each test (not at load time), so that a mutation run counts the tests that use them.
const x86 = () => lambdaEnvironment({ pythonVersion: '3.13', architecture: 'x86_64' });
const arm = () => lambdaEnvironment({ pythonVersion: '3.13', architecture: 'arm64' }, ['Socks'], ['dev']);

test.each([
  ['python_version >= "3.9"', true],
  ['python_version < "3.10"', false],
  ["python_version < '3.13.1'", true],
  ['python_full_version >= "3.13.0" and python_full_version < "3.14"', true],
  ['python_version > "3.9"', true], // PEP 440, not string comparison ("3.13" < "3.9" as strings)
  ['python_version in "3.12 3.13"', true],
  ['python_version not in "3.12 3.13"', false],
  ['sys_platform == "linux" and platform_system == "Linux" and os_name == "posix"', true],
  ['sys_platform == "win32" or sys_platform == "darwin"', false],
  ['platform_machine == "x86_64"', true],
  ['platform_machine == "aarch64"', false],
  ['implementation_name == "cpython" and platform_python_implementation == "CPython"', true],
  ['platform_python_implementation == "PyPy"', false],
  ['(sys_platform == "win32" or python_version >= "3.8") and platform_machine != "arm64"', true],
  ['sys_platform == "win32" or python_version >= "3.8" and platform_machine == "aarch64"', false], // and binds tighter
  ['extra == "socks"', false],
  ['"3.8" < python_version', true],
])('x86_64 python3.13: %s is %s', (marker, expected) => {
  expect(evaluateMarker(marker, x86())).toBe(expected);
});

test('the environment is the Lambda Python runtime\'s: Linux, CPython, the architecture\'s machine, no extras or groups unless chosen', () => {
  expect(lambdaEnvironment({ pythonVersion: '3.12', architecture: 'arm64', pythonFullVersion: '3.12.8' })).toEqual({
    python_version: '3.12',
    python_full_version: '3.12.8',
    implementation_version: '3.12.8',
    os_name: 'posix',
    sys_platform: 'linux',
    platform_system: 'Linux',
    platform_machine: 'aarch64',
    platform_python_implementation: 'CPython',
    implementation_name: 'cpython',
    platform_release: '',
    platform_version: '',
    extra: new Set(),
    extras: new Set(),
    dependency_groups: new Set(),
  });
});

/**
 * More markers, each answer as packaging 26.2 gives it (`Marker(m).evaluate(env)` with the same environment,
 * checked 2026-12-03): PEP 345's dotted names, `===`, `!=`, surrounding blanks, `not in` spelled with more
 * than one blank, and ordered comparisons of strings that are no versions where PEP 508's "Python's string
 * comparison" and packaging 26 agree (at and beyond equality).
 */
test.each([
  [' python_version >= "3.9" ', true],
  ['python_version not  in "3.12 3.13"', false],
  ['python_version not\tin "3.12 3.13"', false],
  ['python_version === "3.13"', true],
  ['python_full_version === "3.13"', false],
  ['platform_machine != "x86_64"', false],
  ['platform_machine != "aarch64"', true],
  ['platform_machine < "x86_64"', false],
  ['platform_machine > "x86_64"', false],
  ['platform_machine <= "x86_64"', true],
  ['platform_machine >= "x86_64"', true],
  ['platform_machine <= "aarch64"', false],
  ['platform_machine >= "z"', false],
  ['extra != "socks"', true],
  ['platform_release >= "5"', false],
  ['python_version == "linux"', false],
  ['os.name == "posix" and sys.platform == "linux"', true],
  ['platform.machine == "x86_64" and platform.python_implementation == "CPython"', true],
  ['python_implementation == "CPython" and platform.version == ""', true],
])('x86_64 python3.13, more: %j is %s', (marker, expected) => {
  expect(evaluateMarker(marker, x86())).toBe(expected);
});

test.each([
  ['platform_machine == "aarch64"', true],
  ['extra != "socks"', false],
  ['extra == "socks"', true],
  ['extra == "SOCKS"', true],
  ["'socks' in extras and 'dev' in dependency_groups", true],
  ["'docs' in dependency_groups", false],
  ["'docs' not in dependency_groups", true],
])('arm64 with extra socks and group dev: %s is %s', (marker, expected) => {
  expect(evaluateMarker(marker, arm())).toBe(expected);
});

test.each([
  ['python_version >= ', undefined],
  ['python_version >= "3.9" and', undefined],
  ['(python_version >= "3.9"', undefined],
  ['python_versions >= "3.9"', "'python_versions'"],
  ['python_version "3.9"', "'python_version'"],
  ['python_version >= "3.9" ~ 1', "'~ 1'"],
  ['python_version', "'python_version'"],
  ['== "3.9"', "'=='"],
  ['python_version >= (', "'('"],
  ['python_version >= )', "')'"],
  ['python_version >= and', "'and'"],
  ['python_version >= or', "'or'"],
  ['python_version >= "3.9" )', "')'"],
  ['python_version >= "3.9" "3.10"', "'3.10'"],
  // ~= needs a version of two segments or more; packaging 26.2 raises UndefinedComparison for these.
  ['python_version ~= "3"', "'python_version'"],
  ['platform_machine ~= "x86_64"', "'x86_64'"],
])('fails when the marker is malformed: %s', (marker, named) => {
  const e = lockSyntaxError(() => evaluateMarker(marker, x86()));

  expect({ id: e.id, value: e.value }).toEqual({ id: ErrorId.LOCK_MARKER_INVALID, value: marker });
  expect(e.message).toContain(`'${marker}'`);
  expect({ what: e.what, problem: e.problem }).toEqual({ what: expect.stringMatching(/\w/), problem: expect.stringMatching(/\w/) });
  if (named) {
    expect(e.problem).toContain(named);
  }
});

test('a malformed marker is echoed with its control characters escaped and cut to a bounded length', () => {
  const e = lockSyntaxError(() => evaluateMarker(`python_version >= "3.9" and \u001b[31mred\u0007 ${'x'.repeat(500)}`, x86()));

  expect(e.message).not.toMatch(/[\u0000-\u001f]/);
  expect(e.message).toContain('\\x1b[31mred\\x07');
  expect(e.message.length).toBeLessThan(600);
});
