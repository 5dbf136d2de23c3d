import * as fs from 'fs';
import * as path from 'path';
import { Fixtures } from './fixtures';
import { freshDir, run, treeSize } from './util';

/** Sizes of one layer directory (the one holding `python/`). */
export interface LayerSize {
  readonly unzippedBytes: number;
  readonly zippedBytes: number;
  readonly files: number;
  /** The largest entries directly under `python/`, bytes. */
  readonly largest: { name: string; bytes: number }[];
}

/** Scenario 3's result. */
export interface LayerSizeResult {
  readonly ours: LayerSize;
  readonly naive: LayerSize;
  /** How the archives were made. */
  readonly zipper: string;
  /** The naive command. */
  readonly naiveCommand: string;
}

/**
 * Scenario 3: our layer (built by PythonDependencyLayer from the sample's requirements; runtime-provided
 * packages and bytecode left out) against a naive `pip install -r requirements.txt -t <dir>` from
 * the same offline wheelhouse, both laid out as `python/...` and zipped the same deterministic way.
 */
export function measureLayerSize(fixtures: Fixtures, ourLayerDir: string): LayerSizeResult {
  const naiveDir = freshDir('naive-layer');
  const args = ['-m', 'pip', 'install', '-r', fixtures.sampleRequirements, '-t', path.join(naiveDir, 'python'),
    '--no-index', '--find-links', fixtures.wheelhouse, '--disable-pip-version-check', '--quiet'];
  run('python3', args);
  const zipDir = freshDir('layer-zips');
  const zipper = hasZip() ? 'zip -qr -X (Info-ZIP, deflate level 6)' : 'python3 zipfile (ZIP_DEFLATED, level 6)';
  return {
    ours: measure(ourLayerDir, path.join(zipDir, 'ours.zip')),
    naive: measure(naiveDir, path.join(zipDir, 'naive.zip')),
    zipper,
    naiveCommand: `python3 ${args.map(a => a.replace(fixtures.wheelhouse, '<wheelhouse>')
      .replace(fixtures.sampleRequirements, 'function/requirements.txt')
      .replace(path.join(naiveDir, 'python'), '<dir>/python')).join(' ')}`,
  };
}

function measure(layerDir: string, zipFile: string): LayerSize {
  const { bytes, files } = treeSize(path.join(layerDir, 'python'));
  zip(layerDir, zipFile);
  const pythonDir = path.join(layerDir, 'python');
  const largest = fs.readdirSync(pythonDir)
    .filter(name => !name.endsWith('.dist-info'))
    .map(name => ({ name, bytes: treeSize(path.join(pythonDir, name)).bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 4);
  return { unzippedBytes: bytes, zippedBytes: fs.statSync(zipFile).size, files, largest };
}

function hasZip(): boolean {
  try {
    run('zip', ['-v']);
    return true;
  } catch {
    return false;
  }
}

/** Zips `python/` of `layerDir` into `zipFile` without extra file attributes (`-X`), so the size is the same for anyone. */
function zip(layerDir: string, zipFile: string): void {
  if (hasZip()) {
    run('zip', ['-qr', '-X', zipFile, 'python'], { cwd: layerDir });
    return;
  }
  run('python3', ['-c', [
    'import os, sys, zipfile',
    'with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:',
    '    for root, dirs, files in os.walk("python"):',
    '        dirs.sort()',
    '        for f in sorted(files): z.write(os.path.join(root, f))',
  ].join('\n'), zipFile], { cwd: layerDir });
}
