import * as fs from 'fs';
import * as path from 'path';
import { cleanTempDirs, listFiles, tempDir } from './helpers';
import { ErrorId } from '../../lib';
import { checkLayerSize, checkRequiresPython, formatBytes, removeRuntimeProvidedPackages, stripBytecode } from '../../lib/layer/private/post-process';
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

/**
 * RECORD as pip 23.2.1 wrote it for `pip install --target t six-1.0-py3-none-any.whl`, a test wheel with a console script
 * (`sixcli`), a script and a data file in its `.data` folder, and file names holding `,` and `"`: CSV rows ending in CRLF,
 * sorted, a path quoted when it holds `,` or `"` (`""` for `"`), bytecode after its source, and scripts and data files
 * relative to the temporary home's lib/python (pip then moved them to t/bin and t/share).
 */
const PIP_RECORD = [
  '../../bin/sixcli,sha256=VpjTTFR1D2T_V7_VhFItQHomaN90bBr1pNdtQUllEK0,226',
  '../../bin/sixtool,sha256=6OwEvuvvrRyogHPJORezdHNqttxLuR0OBv74jbPhSCg,52',
  '../../share/six/doc.txt,,',
  '__pycache__/six.cpython-311.pyc,,',
  'six-1.0.dist-info/INSTALLER,sha256=zuuue4knoyJ-UwPPXg8fezS7VCrXJQrAP7zeNuwvFQg,4',
  'six-1.0.dist-info/METADATA,,',
  'six-1.0.dist-info/RECORD,,',
  'six-1.0.dist-info/REQUESTED,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0',
  'six-1.0.dist-info/WHEEL,,',
  'six-1.0.dist-info/direct_url.json,sha256=4RfBDiT7p1dK7fgonynd6IP4Fk1soCQk-MwBKpRIjTI,248',
  'six-1.0.dist-info/entry_points.txt,,',
  'six.py,,',
  '"sixpkg/"",lead.py",,',
  '"sixpkg/__pycache__/"",lead.cpython-311.pyc",,',
  '"sixpkg/__pycache__/odd,name.cpython-311.pyc",,',
  '"sixpkg/__pycache__/q"""",c.cpython-311.pyc",,',
  '"sixpkg/__pycache__/quo""te.cpython-311.pyc",,',
  '"sixpkg/odd,name.py",,',
  '"sixpkg/q"""",c.py",,',
  '"sixpkg/quo""te.py",,',
].map(row => `${row}\r\n`).join('');

/** The files pip's install above left in t/ (`find t -type f`). */
const PIP_INSTALLED = [
  '__pycache__/six.cpython-311.pyc', 'bin/sixcli', 'bin/sixtool', 'share/six/doc.txt',
  ...['INSTALLER', 'METADATA', 'REQUESTED', 'WHEEL', 'direct_url.json', 'entry_points.txt'].map(f => `six-1.0.dist-info/${f}`),
  'six.py', 'sixpkg/",lead.py', 'sixpkg/odd,name.py', 'sixpkg/q"",c.py', 'sixpkg/quo"te.py',
  'sixpkg/__pycache__/",lead.cpython-311.pyc', 'sixpkg/__pycache__/odd,name.cpython-311.pyc',
  'sixpkg/__pycache__/q"",c.cpython-311.pyc', 'sixpkg/__pycache__/quo"te.cpython-311.pyc',
];

test('removes every file of a RECORD as pip writes it: CRLF rows, quoted paths with "," and "", bytecode, scripts and data files', () => {
  // GIVEN six as pip installed it (the paths Python's csv.reader reads from PIP_RECORD), beside mylib's script and data file
  const dir = tempDir();
  for (const f of PIP_INSTALLED) {
    write(dir, f);
  }
  write(dir, 'six-1.0.dist-info/METADATA', 'Metadata-Version: 2.1\nName: six\nVersion: 1.0\n');
  write(dir, 'six-1.0.dist-info/RECORD', PIP_RECORD);
  installDist(dir, 'mylib', ['mylib/__init__.py', 'bin/mylib-cli', 'share/mylib/x.txt']);

  // WHEN six is left out, THEN none of it is left, not even an empty folder; mylib's files in bin/ and share/ stay
  expect(removeRuntimeProvidedPackages(dir, ['mylib'])).toEqual(['six']);
  expect(listFiles(dir)).toEqual([
    'bin/mylib-cli', 'mylib-1.0.dist-info/METADATA', 'mylib-1.0.dist-info/RECORD', 'mylib/__init__.py', 'share/mylib/x.txt',
  ]);
  expect(fs.readdirSync(dir).sort()).toEqual(['bin', 'mylib', 'mylib-1.0.dist-info', 'share']);
  expect(fs.readdirSync(path.join(dir, 'share'))).toEqual(['mylib']);
});

test('removes a left-out package\'s .dist-info whole, with files its RECORD does not list', () => {
  const dir = tempDir();
  installDist(dir, 'six', ['six.py']);
  write(dir, 'six-1.0.dist-info/licenses/LICENSE');
  expect(removeRuntimeProvidedPackages(dir, [])).toEqual(['six']);
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('removes only the bytecode compiled from a removed module, and a __pycache__ it leaves empty', () => {
  // GIVEN six.py beside mylib's six_compat.py, whose bytecode name also starts with "six"
  const dir = tempDir();
  installDist(dir, 'six', ['six.py', 'sixpkg/mod.py']);
  write(dir, '__pycache__/six.cpython-313.pyc');
  write(dir, '__pycache__/six.cpython-313.opt-1.pyc');
  write(dir, 'sixpkg/__pycache__/mod.cpython-313.pyc');
  installDist(dir, 'mylib', ['six_compat.py']);
  write(dir, '__pycache__/six_compat.cpython-313.pyc');

  expect(removeRuntimeProvidedPackages(dir, ['mylib'])).toEqual(['six']);
  expect(listFiles(dir)).toEqual([
    '__pycache__/six_compat.cpython-313.pyc', 'mylib-1.0.dist-info/METADATA', 'mylib-1.0.dist-info/RECORD', 'six_compat.py',
  ]);
  expect(fs.existsSync(path.join(dir, 'sixpkg'))).toBe(false);
});

test('finds distributions by their .dist-info only: a folder named like a runtime-provided package that mylib installed stays', () => {
  const dir = tempDir();
  installDist(dir, 'mylib', ['mylib/__init__.py', 'six/__init__.py']); // a vendored copy at the top level
  expect(removeRuntimeProvidedPackages(dir, ['mylib'])).toEqual([]);
  expect(listFiles(dir)).toEqual(['mylib-1.0.dist-info/METADATA', 'mylib-1.0.dist-info/RECORD', 'mylib/__init__.py', 'six/__init__.py']);
});

test('names a distribution by its METADATA Name, else by its folder {name}-{version}.dist-info; returns the names sorted', () => {
  // GIVEN a .dist-info folder named otherwise, whose METADATA says `Name:Six` (Python 3.11's importlib.metadata
  // finds legacy.dist-info and reads its Name as 'Six'), and one without METADATA, named as the wheel spec names it
  const dir = tempDir();
  write(dir, 'six.py');
  write(dir, 'legacy.dist-info/METADATA', 'Metadata-Version: 2.1\nName:Six\nVersion: 1.0\n');
  write(dir, 'legacy.dist-info/RECORD', 'six.py,,\nlegacy.dist-info/METADATA,,\nlegacy.dist-info/RECORD,,\n');
  write(dir, 'dateutil/__init__.py');
  write(dir, 'python_dateutil-2.9.0.post0.dist-info/RECORD', 'dateutil/__init__.py,,\npython_dateutil-2.9.0.post0.dist-info/RECORD,,\n');

  expect(removeRuntimeProvidedPackages(dir, [])).toEqual(['python-dateutil', 'six']);
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('keeps what a named package requires through the Requires-Dist header fields only, names normalized', () => {
  // GIVEN botocore's METADATA read as Python 3.11's email.message_from_string reads it: Requires-Dist is
  // ['Python_Dateutil (>=2.1) ; python_version >= "3"', '[jmespath]'] (the folded Description line and the body after
  // the blank line are no fields); packaging's Requirement() names python-dateutil in the first and rejects the second
  const dir = tempDir();
  installDist(dir, 'botocore', ['botocore/__init__.py']);
  write(dir, 'botocore-1.0.dist-info/METADATA', 'Metadata-Version: 1.2\nName: botocore\nVersion: 1.0\n'
    + 'Description: Low-level client.\n        Requires-Dist: s3transfer\n'
    + 'Requires-Dist:Python_Dateutil (>=2.1) ; python_version >= "3"\nRequires-Dist: [jmespath]\n'
    + '\nRequires-Dist: six\n');
  installDist(dir, 'python-dateutil', ['dateutil/__init__.py']);
  for (const name of ['jmespath', 's3transfer', 'six']) {
    installDist(dir, name, [`${name}/__init__.py`]);
  }

  expect(removeRuntimeProvidedPackages(dir, ['botocore'])).toEqual(['jmespath', 's3transfer', 'six']);
  expect(fs.readdirSync(dir).sort()).toEqual(['botocore', 'botocore-1.0.dist-info', 'dateutil', 'python_dateutil-1.0.dist-info']);
});

test('keeps a named package whose requirements form a cycle', () => {
  const dir = tempDir();
  installDist(dir, 'botocore', ['botocore/__init__.py'], ['urllib3']);
  installDist(dir, 'urllib3', ['urllib3/__init__.py'], ['botocore']);
  installDist(dir, 'six', ['six.py']);
  expect(removeRuntimeProvidedPackages(dir, ['botocore'])).toEqual(['six']);
  expect(fs.readdirSync(dir).sort()).toEqual(['botocore', 'botocore-1.0.dist-info', 'urllib3', 'urllib3-1.0.dist-info']);
});

test('a named runtime-provided package that pip did not install (its marker did not match) keeps nothing', () => {
  const dir = tempDir();
  installDist(dir, 'six', ['six.py']);
  expect(removeRuntimeProvidedPackages(dir, ['boto3'])).toEqual(['six']);
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('strips each __pycache__ folder whole, with what is not bytecode in it', () => {
  const dir = tempDir();
  write(dir, 'pkg/__init__.py');
  write(dir, 'pkg/__pycache__/__init__.cpython-313.pyc');
  write(dir, 'pkg/__pycache__/__init__.cpython-313.pyc.140234'); // left by an interrupted atomic write of importlib
  stripBytecode(dir);
  expect(fs.readdirSync(path.join(dir, 'pkg'))).toEqual(['__init__.py']);
});

test('fails when a layer is over the limit, naming its packages but never their .dist-info folders', () => {
  const dir = tempDir();
  write(dir, 'pkg/blob', 'x'.repeat(100));
  write(dir, 'pkg-1.0.dist-info/RECORD', 'x'.repeat(40));
  const error = expectErrorId(() => checkLayerSize(dir, 'S/L', 'req.txt', 99), ErrorId.LAYER_TOO_LARGE,
    '140 B (140 bytes)', '99 bytes', "'pkg' (100 B)");
  expect(error.message).not.toContain('dist-info');
});

test('formats sizes in decimal units, switching at 1,000 and 1,000,000 bytes', () => {
  expect([999, 1_000, 999_999, 1_000_000, 123_456_789].map(formatBytes)).toEqual(['999 B', '1.0 KB', '1000.0 KB', '1.0 MB', '123.5 MB']);
});

describe('checkRequiresPython: what the installed packages declare against the layer\'s Python', () => {
  /** A dist-info with the METADATA `header` lines. */
  function dist(dir: string, folder: string, header: string) {
    write(dir, `${folder}/METADATA`, `Metadata-Version: 2.1\n${header}\n\nLong description\nRequires-Python: <3\n`);
  }

  test('passes packages whose Requires-Python some 3.13.z meets, or that have none or one pip ignores', () => {
    const dir = tempDir();
    dist(dir, 'a-1.0.dist-info', 'Name: a\nVersion: 1.0\nRequires-Python: >=3.9');
    dist(dir, 'b-1.0.dist-info', 'Name: b\nVersion: 1.0\nRequires-Python: >=3.13.2,<4');
    dist(dir, 'c-1.0.dist-info', 'Name: c\nVersion: 1.0');
    dist(dir, 'd-1.0.dist-info', 'Name: d\nVersion: 1.0\nRequires-Python: not a specifier');
    dist(dir, 'e-1.0.dist-info', 'Name: e\nVersion: 1.0\nRequires-Python: ');
    write(dir, 'f-1.0.dist-info/RECORD', '');
    write(dir, 'pkg/METADATA', 'Requires-Python: <3');
    expect(() => checkRequiresPython(dir, '3.13', 'Stack/Deps')).not.toThrow();
  });

  test('fails by id naming each package, its version and Requires-Python, and the layer\'s Python', () => {
    const dir = tempDir();
    dist(dir, 'old_py-2.0.dist-info', 'Name: old-py\nVersion: 2.0\nRequires-Python: <3.12');
    dist(dir, 'fine-1.0.dist-info', 'Name: fine\nVersion: 1.0\nRequires-Python: >=3.8');
    dist(dir, 'pinned-1.0.dist-info', 'Name: pinned\nVersion: 1.0\nRequires-Python: ==3.11.*');
    const error = expectErrorId(() => checkRequiresPython(dir, '3.13', 'Stack/Deps'), ErrorId.LAYER_PACKAGE_PYTHON_MISMATCH, /^Stack\/Deps: /,
      "'old-py 2.0 (Requires-Python: <3.12)'", "'pinned 1.0 (Requires-Python: ==3.11.*)'", 'Python 3.13', '24.2');
    expect(error.message).not.toContain('fine');
  });

  test('reads the headers by their whole names, trims values, lists packages by folder name, and names a package without Name by its folder', () => {
    const dir = tempDir();
    dist(dir, 'zed-1.0.dist-info', 'Summary: Name: fake, Version: 9\nName: zed\nVersion: 1.0\nX-Requires-Python: <3\nRequires-Python:   <3.12  ');
    dist(dir, 'alpha-2.0.dist-info', 'Requires-Python: <3.12');
    dist(dir, 'fine-1.0.dist-info', 'Name: fine\nVersion: 1.0\nX-Requires-Python: <3');
    dist(dir, 'nover-1.0.dist-info', 'Name: nover\nRequires-Python: <3');
    const error = expectErrorId(() => checkRequiresPython(dir, '3.13', 'Stack/Deps'), ErrorId.LAYER_PACKAGE_PYTHON_MISMATCH,
      "'alpha-2.0.dist-info (Requires-Python: <3.12)', 'nover (Requires-Python: <3)', 'zed 1.0 (Requires-Python: <3.12)'");
    expect(error.message).not.toContain('fake');
    expect(error.message).not.toContain('fine');
  });

  test('the body of METADATA (after the first blank line) is not read', () => {
    const dir = tempDir();
    dist(dir, 'a-1.0.dist-info', 'Name: a\nVersion: 1.0');
    expect(() => checkRequiresPython(dir, '3.13', 'Stack/Deps')).not.toThrow();
  });
});
