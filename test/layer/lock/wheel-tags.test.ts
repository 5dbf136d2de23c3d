import { wheelFitsTarget } from '../../../lib/layer/lock/wheel-tags';

/**
 * Which wheels a lock may pick for the Lambda Python runtime. Every expected answer is packaging 26.2's
 * (checked 2026-12-03): the file name parsed by `packaging.utils.parse_wheel_filename` (invalid names fit
 * nothing), and fitting when one of its tags is in `cpython_tags((3, minor), ['cp3<minor>'], platforms) |
 * compatible_tags(...)`, with platforms the manylinux tags up to the runtime's glibc (2.28 from python3.12 on,
 * Amazon Linux 2023; 2.17 before, Amazon Linux 2) and their legacy aliases (manylinux2014, 2010, 1), as pip
 * is given them for the layer. Specs: https://packaging.python.org/en/latest/specifications/binary-distribution-format/
 * and .../platform-compatibility-tags/.
 */
test.each([
  ['pkg-1.0-py3-none-any.whl.metadata', '3.13', 'x86_64', false],
  ['pkg-1.0-extra-py3-none-any.whl', '3.13', 'x86_64', false],
  ['pkg-1.0-cp311-cp311-manylinux2014_x86_64.whl', '3.11', 'x86_64', true],
  ['pkg-1.0-cp311-cp311-manylinux2014_aarch64.whl', '3.11', 'x86_64', false],
  ['pkg-1.0-cp311-cp311-manylinux2010_x86_64.whl', '3.11', 'x86_64', true],
  ['pkg-1.0-cp311-cp311-manylinux1_x86_64.whl', '3.11', 'x86_64', true],
  ['pkg-1.0-cp313-cp313-manylinux1_x86_64.whl', '3.13', 'x86_64', true],
  ['pkg-1.0-cp313-cp313-xmanylinux2014_x86_64.whl', '3.13', 'x86_64', false],
  ['pkg-1.0-cp313-cp313-xmanylinux_2_17_x86_64.whl', '3.13', 'x86_64', false],
  ['pkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl', '3.11', 'x86_64', true],
  ['pkg-1.0-cp311-cp311-manylinux_2_24_x86_64.whl', '3.11', 'x86_64', false],
  ['pkg-1.0-cp312-cp312-manylinux_2_28_x86_64.whl', '3.12', 'x86_64', true],
  ['pkg-1.0-cp312-cp312-manylinux_2_28_aarch64.whl', '3.12', 'arm64', true],
  ['pkg-1.0-cp313-cp313-manylinux_2_28_aarch64.whl', '3.13', 'x86_64', false],
  ['pkg-1.0-py311-none-any.whl', '3.13', 'x86_64', true],
  ['pkg-1.0-py313-none-any.whl', '3.13', 'x86_64', true],
  ['pkg-1.0-py314-none-any.whl', '3.13', 'x86_64', false],
  ['pkg-1.0-py3-none-manylinux_2_17_x86_64.whl', '3.13', 'x86_64', true],
  ['pkg-1.0-cp313-none-any.whl', '3.13', 'x86_64', true],
  ['pkg-1.0-cp312-none-any.whl', '3.13', 'x86_64', false],
  ['pkg-1.0-cp313-none-manylinux_2_17_x86_64.whl', '3.13', 'x86_64', true],
  ['pkg-1.0-cp32-abi3-manylinux_2_17_x86_64.whl', '3.13', 'x86_64', true],
  ['pkg-1.0-cp31-abi3-manylinux_2_17_x86_64.whl', '3.13', 'x86_64', false],
  ['pkg-1.0-cp313-abi3-manylinux_2_17_x86_64.whl', '3.13', 'x86_64', true],
  ['pkg-1.0-cp314-abi3-manylinux_2_17_x86_64.whl', '3.13', 'x86_64', false],
  ['pkg-1.0-py3-abi3-manylinux_2_17_x86_64.whl', '3.13', 'x86_64', false],
  ['pkg-1.0-pp310-pypy310_pp73-manylinux_2_17_x86_64.whl', '3.10', 'x86_64', false],
  ['pkg-1.0-cp312-cp313-manylinux_2_17_x86_64.whl', '3.13', 'x86_64', false],
  ['pkg-1.0-cp313-cp313t.cp313-manylinux_2_17_x86_64.whl', '3.13', 'x86_64', true],
  ['pkg-1.0-cp313-cp313-manylinux_2_17_x86_64.musllinux_1_2_x86_64.whl', '3.13', 'x86_64', true],
  ['pkg-1.0-cp313-cp313-musllinux_1_2_x86_64.manylinux_2_17_x86_64.whl', '3.13', 'x86_64', true],
  // moved from markers.test.ts
  ['six-1.16.0-py2.py3-none-any.whl', '3.13', 'x86_64', true],
  ['numpy-2.2.3-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', '3.13', 'x86_64', true],
  ['numpy-2.2.3-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', '3.13', 'arm64', false],
  ['numpy-2.2.3-cp313-cp313-manylinux_2_17_aarch64.manylinux2014_aarch64.whl', '3.13', 'arm64', true],
  ['numpy-2.2.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', '3.13', 'x86_64', false],
  ['cryptography-44.0.0-cp39-abi3-manylinux_2_28_x86_64.whl', '3.13', 'x86_64', true],
  ['cryptography-44.0.0-cp39-abi3-manylinux_2_28_x86_64.whl', '3.11', 'x86_64', false], // AL2: glibc 2.26
  ['cryptography-44.0.0-cp39-abi3-manylinux_2_34_x86_64.whl', '3.13', 'x86_64', false],
  ['pkg-1.0-cp313-cp313t-manylinux_2_17_x86_64.whl', '3.13', 'x86_64', false],
  ['pkg-1.0-cp313-cp313-musllinux_1_2_x86_64.whl', '3.13', 'x86_64', false],
  ['pkg-1.0-cp313-cp313-win_amd64.whl', '3.13', 'x86_64', false],
  ['pkg-1.0-1build-py3-none-any.whl', '3.13', 'x86_64', true],
  ['pkg-1.0.tar.gz', '3.13', 'x86_64', false],
])('wheel %s fits python%s %s: %s', (file, pythonVersion, architecture, expected) => {
  expect(wheelFitsTarget(file, { pythonVersion, architecture })).toBe(expected);
});
