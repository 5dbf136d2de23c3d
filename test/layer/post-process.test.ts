import * as fs from 'fs';
import * as path from 'path';
import { cleanTempDirs, listFiles, tempDir } from './helpers';
import { ErrorId } from '../../lib';
import { checkLayerSize, removeRuntimeProvidedPackages, stripBytecode } from '../../lib/layer/private/post-process';
import { expectErrorId } from '../helpers/errors';

afterEach(cleanTempDirs);

function write(dir: string, file: string, content = 'x') {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), content);
}

/** Installs a fake dist the way pip does: files plus a dist-info whose RECORD lists them. */
function installDist(dir: string, name: string, files: string[], requires: string[] = []) {
  const distInfo = `${name.replace(/-/g, '_')}-1.0.dist-info`;
  for (const f of files) {
    write(dir, f);
  }
  write(dir, `${distInfo}/METADATA`, `Metadata-Version: 2.1\nName: ${name}\nVersion: 1.0\n${requires.map(r => `Requires-Dist: ${r}\n`).join('')}`);
  write(dir, `${distInfo}/RECORD`, [...files, `${distInfo}/METADATA`, `${distInfo}/RECORD`].map(f => `${f},,`).join('\n') + '\n');
}

test('removes runtime-provided packages through their RECORD, never touching files outside the layer', () => {
  const dir = tempDir();
  const outside = path.join(path.dirname(dir), `${path.basename(dir)}-outside`);
  fs.writeFileSync(outside, 'keep me');
  try {
    installDist(dir, 'urllib3', ['urllib3/__init__.py', 'urllib3/util/retry.py', `../${path.basename(outside)}`]);
    installDist(dir, 'mylib', ['mylib/__init__.py']);
    expect(removeRuntimeProvidedPackages(dir, ['mylib'])).toEqual(['urllib3']);
    expect(listFiles(dir)).toEqual(['mylib-1.0.dist-info/METADATA', 'mylib-1.0.dist-info/RECORD', 'mylib/__init__.py']);
    expect(fs.existsSync(outside)).toBe(true);
  } finally {
    fs.rmSync(outside, { force: true });
  }
});

test('removes the console scripts pip --target put in bin/ (RECORD lists them as ../../bin/...)', () => {
  const dir = tempDir();
  installDist(dir, 'jmespath', ['jmespath/__init__.py']);
  write(dir, 'bin/jp.py');
  const record = path.join(dir, 'jmespath-1.0.dist-info/RECORD');
  fs.appendFileSync(record, '../../bin/jp.py,sha256=x,1\n');
  installDist(dir, 'mylib', ['mylib/__init__.py']);
  write(dir, 'bin/mylib-cli');

  expect(removeRuntimeProvidedPackages(dir, ['mylib'])).toEqual(['jmespath']);
  expect(listFiles(dir)).toEqual(['bin/mylib-cli', 'mylib-1.0.dist-info/METADATA', 'mylib-1.0.dist-info/RECORD', 'mylib/__init__.py']);
});

test('leaves out a runtime-provided package that only a non-runtime package needs; keeps a named one with what it needs', () => {
  // GIVEN mylib -> helper -> botocore -> urllib3 (a Requires-Dist with an extra counts too), and six
  const dir = tempDir();
  installDist(dir, 'mylib', ['mylib/__init__.py'], ['helper']);
  installDist(dir, 'helper', ['helper/__init__.py'], ['botocore>=1; extra == "aws"']);
  installDist(dir, 'botocore', ['botocore/__init__.py'], ['urllib3<3']);
  installDist(dir, 'urllib3', ['urllib3/__init__.py']);
  installDist(dir, 'six', ['six.py']);
  // WHEN only mylib is named, THEN every runtime-provided package goes: the runtime provides them
  expect(removeRuntimeProvidedPackages(dir, ['MyLib'])).toEqual(['botocore', 'six', 'urllib3']);
  expect(fs.readdirSync(dir).sort()).toEqual(['helper', 'helper-1.0.dist-info', 'mylib', 'mylib-1.0.dist-info']);
});

test('keeps a named runtime-provided package and the runtime-provided packages it requires, PEP 503 normalized', () => {
  const dir = tempDir();
  installDist(dir, 'mylib', ['mylib/__init__.py'], ['botocore']);
  installDist(dir, 'botocore', ['botocore/__init__.py'], ['urllib3<3']);
  installDist(dir, 'urllib3', ['urllib3/__init__.py']);
  installDist(dir, 'six', ['six.py']);
  expect(removeRuntimeProvidedPackages(dir, ['mylib', 'BotoCore'])).toEqual(['six']);
  expect(fs.readdirSync(dir).sort()).toEqual([
    'botocore', 'botocore-1.0.dist-info', 'mylib', 'mylib-1.0.dist-info', 'urllib3', 'urllib3-1.0.dist-info',
  ]);
});

test('removes the bytecode of a left-out package with it', () => {
  const dir = tempDir();
  installDist(dir, 'six', ['six.py', 'sixpkg/mod.py']);
  write(dir, '__pycache__/six.cpython-313.pyc');
  write(dir, 'sixpkg/__pycache__/mod.cpython-313.pyc');
  installDist(dir, 'mylib', ['mylib/__init__.py']);
  write(dir, '__pycache__/other.cpython-313.pyc');
  expect(removeRuntimeProvidedPackages(dir, ['mylib'])).toEqual(['six']);
  expect(listFiles(dir)).toEqual(['__pycache__/other.cpython-313.pyc', 'mylib-1.0.dist-info/METADATA', 'mylib-1.0.dist-info/RECORD', 'mylib/__init__.py']);
});

test('strips __pycache__ directories and .pyc files at any depth', () => {
  const dir = tempDir();
  write(dir, 'pkg/__init__.py');
  write(dir, 'pkg/__pycache__/__init__.cpython-313.pyc');
  write(dir, 'pkg/sub/mod.pyc');
  write(dir, 'pkg/sub/mod.py');
  stripBytecode(dir);
  expect(listFiles(dir)).toEqual(['pkg/__init__.py', 'pkg/sub/mod.py']);
});

test('accepts a layer at the limit and returns its size', () => {
  const dir = tempDir();
  write(dir, 'a/x', '12345');
  expect(checkLayerSize(dir, 'S/L', 'req.txt', 5)).toBe(5);
});

test('fails when a layer is over the limit, listing the five largest packages with sizes', () => {
  const dir = tempDir();
  const sizes: Record<string, number> = { numpy: 90_000_000, scipy: 120_000_000, pandas: 60_000_000, pyarrow: 30_000_000, tiny: 10, small: 2_000 };
  for (const [name, size] of Object.entries(sizes)) {
    fs.mkdirSync(path.join(dir, name));
    fs.closeSync(fs.openSync(path.join(dir, name, 'blob'), 'w'));
    fs.truncateSync(path.join(dir, name, 'blob'), size); // sparse: cheap on disk
  }
  write(dir, 'huge-1.0.dist-info/RECORD', 'x'.repeat(10));
  expectErrorId(() => checkLayerSize(dir, 'Stack/Deps', '/src/requirements.txt'), ErrorId.LAYER_TOO_LARGE, /^Stack\/Deps: /,
    '/src/requirements.txt', '300.0 MB (300002020 bytes)', '262144000 bytes',
    "'scipy' (120.0 MB), 'numpy' (90.0 MB), 'pandas' (60.0 MB), 'pyarrow' (30.0 MB), 'small' (2.0 KB).");
});
