import * as fs from 'fs';
import * as path from 'path';
import { buildSpec, cleanTempDirs, fakePython, listFiles, tempDir } from './helpers';
import { LayerBundler } from '../../lib/layer/private/build';
import { verifyCacheEntry } from '../../lib/layer/private/cache';
import { layerAssetHash } from '../../lib/layer/private/hash';

// The seam for lock files: the pip step takes a requirements text, extra flags and the inputs to hash.
afterEach(cleanTempDirs);

test('a generated requirements text is installed with its flags, hashed, and leaves no requirements file behind', () => {
  // GIVEN a fake pip that copies the file it was given with -r into the layer, so the test can read it
  const dir = tempDir();
  const pip = fakePython(dir, [
    'R=""; P=""; for a in "$@"; do if [ "$P" = "-r" ]; then R="$a"; fi; P="$a"; done',
    'mkdir -p "$TARGET/pinned"; cp "$R" "$TARGET/pinned/requirements.txt"',
  ].join('\n'));
  const text = 'six==1.17.0 --hash=sha256:4721f391ed90541fddacab5acf947aa0d3dc7d27b2e1e8eda2be8970586c3274\n';
  const spec = buildSpec({
    input: { file: undefined, text, origin: '/src/uv.lock', flags: ['--require-hashes', '--no-deps'], hashInputs: { lockFile: 'content' } },
    pythonExecutable: pip.python,
    cacheDir: path.join(dir, 'cache'),
  });
  const hash = layerAssetHash(spec);
  const out = path.join(dir, 'out');
  fs.mkdirSync(out);

  // WHEN
  expect(new LayerBundler(spec, hash).tryBundle(out)).toBe(true);

  // THEN pip read exactly the text, with the input's flags
  expect(fs.readFileSync(path.join(out, 'python', 'pinned', 'requirements.txt'), 'utf8')).toBe(text);
  const args = pip.installs()[0];
  expect(args.slice(-2)).toEqual(['--require-hashes', '--no-deps']);
  // AND the cache entry holds only the verified layer
  const entry = path.join(dir, 'cache', hash);
  expect(listFiles(entry)).toEqual(['manifest.json', 'python/pinned/requirements.txt']);
  expect(verifyCacheEntry(entry).ok).toBe(true);
});
