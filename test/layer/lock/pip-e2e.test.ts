import * as fs from 'fs';
import * as path from 'path';
import { buildWheelhouse, cleanTemps, installedDistributions, pipInstall, projectFromFixture, tempDir } from './helpers';
import { readLockFile } from '../../../lib/layer/lock';
import { makeWheel } from '../../helpers/wheels';

// Real pip, offline, installing what each lock yields the way the layer does (--require-hashes --no-deps,
// wheels only, manylinux x86_64, Python 3.13): exactly the main packages, and a tampered wheel refused.
let wheelhouse: string;
let tampered: string;
beforeAll(() => {
  wheelhouse = buildWheelhouse();
  // Same file names, one wheel with different bytes: fake-lib's module says something else.
  tampered = buildWheelhouse(tempDir('lock-tampered-'));
  makeWheel(tampered, { name: 'fake-lib', files: [{ path: 'fake_lib/evil.py', content: 'import os\n' }] });
});
afterAll(cleanTemps);

describe.each(['uv', 'poetry', 'pipfile', 'pylock'])('%s', format => {
  let requirements: string;
  beforeAll(() => {
    const result = readLockFile(projectFromFixture(format, wheelhouse), { pythonVersion: '3.13', architecture: 'x86_64' });
    requirements = path.join(tempDir(), 'requirements.lock.txt');
    fs.writeFileSync(requirements, result.requirementsText);
  });

  test('pip installs exactly the main packages, hash-checked', () => {
    const target = tempDir('lock-target-');

    const result = pipInstall(requirements, wheelhouse, target);

    expect(result.stderr).not.toMatch(/ERROR/);
    expect(result.status).toBe(0);
    expect(installedDistributions(target)).toEqual(['fake-app', 'fake-lib', 'fake-x86']);
  });

  test('pip refuses a wheel whose bytes differ from the lock, naming the package', () => {
    const target = tempDir('lock-target-');

    const result = pipInstall(requirements, tampered, target);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE/);
    expect(result.stderr).toMatch(/fake-lib==1\.0 from .*fake_lib-1\.0-py3-none-any\.whl/);
  });
});
