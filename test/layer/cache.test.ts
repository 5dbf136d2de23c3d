import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { captureStderr, eachTestInTempDir, listFiles, newStack, quickPip, requirements, stagedAsset, tempDir } from './helpers';
import { BundlingStrategy, ErrorId, PythonDependencyLayer } from '../../lib';
import { AnnotationId } from '../../lib/contract';
import { copyLayer, MANIFEST_FILE, prepareCacheDir, STALE_BUILD_MS, verifyCacheEntry, writeManifest } from '../../lib/layer/private/cache';
import { expectErrorId } from '../helpers/errors';

// The cross-cdk.out cache: an entry is reused only when it matches its manifest; anything else warns and rebuilds.
let dir: string;
let cacheDir: string;
eachTestInTempDir(d => ({ dir, cacheDir } = d));

const REJECTED = new RegExp(`\\[ack: ${AnnotationId.LAYER_CACHE_ENTRY_REJECTED}\\]`);


function synth(pip: { python: string }) {
  const { app, stack } = newStack();
  const { result: layer, stderr } = captureStderr(() => new PythonDependencyLayer(stack, 'Deps', {
    requirementsFile: requirements(dir, 'fakepkg\n'), pythonExecutable: pip.python, bundlingStrategy: BundlingStrategy.LOCAL, cacheDir,
  }));
  return { app, stack, layer, stderr, entry: path.join(cacheDir, layer.assetHash) };
}

/** A valid cache entry (`python/pkg/__init__.py` and `python/pkg/data.bin`, 5 bytes) with its manifest. */
function entry(): string {
  const e = path.join(tempDir(), 'entry');
  fs.mkdirSync(path.join(e, 'python', 'pkg'), { recursive: true });
  fs.writeFileSync(path.join(e, 'python', 'pkg', '__init__.py'), 'x');
  fs.writeFileSync(path.join(e, 'python', 'pkg', 'data.bin'), 'data');
  writeManifest(e);
  return e;
}

function readManifest(e: string): { version: unknown; files: Record<string, string> } {
  return JSON.parse(fs.readFileSync(path.join(e, MANIFEST_FILE), 'utf8'));
}

/** Replaces an entry's manifest with `edit` of it (what a cache written by another version, or by hand, may hold). */
function editManifest(e: string, edit: (manifest: ReturnType<typeof readManifest>) => unknown): void {
  fs.writeFileSync(path.join(e, MANIFEST_FILE), JSON.stringify(edit(readManifest(e))));
}

/** The node `fs` module itself (the test's `fs` is an import wrapper), to simulate the file system with spies. */
const realFs = jest.requireActual<typeof fs>('fs');

describe('verifyCacheEntry', () => {
  test('accepts an entry whose files match its manifest, counting what it read', () => {
    expect(verifyCacheEntry(entry())).toEqual({ ok: true, problems: [], files: 2, bytes: 5 });
  });

  test.each<[string, (e: string) => void, string]>([
    ['a file was added', e => fs.writeFileSync(path.join(e, 'python', 'pkg', 'evil.py'), 'x'), "'python/pkg/evil.py' was added"],
    ['a file was deleted', e => fs.rmSync(path.join(e, 'python', 'pkg', 'data.bin')), "'python/pkg/data.bin' was deleted"],
    ['a file was changed', e => fs.writeFileSync(path.join(e, 'python', 'pkg', 'data.bin'), 'DATA'), "'python/pkg/data.bin' was changed"],
    ['a file became a symlink', e => {
      fs.rmSync(path.join(e, 'python', 'pkg', 'data.bin'));
      fs.symlinkSync('/etc/passwd', path.join(e, 'python', 'pkg', 'data.bin'));
    }, "'python/pkg/data.bin' is a symlink"],
    ['the manifest is missing', e => fs.rmSync(path.join(e, 'manifest.json')), 'manifest.json is missing'],
    ['the manifest is not JSON', e => fs.writeFileSync(path.join(e, 'manifest.json'), '{'), 'manifest.json is not valid JSON'],
    ['the entry is empty', e => fs.rmSync(e, { recursive: true }) ?? fs.mkdirSync(e), 'manifest.json is missing'],
    // build.ts verifies the entry again after a rename into place failed: it may not exist
    ['the entry does not exist', e => fs.rmSync(e, { recursive: true }), 'the entry does not exist'],
    ['the entry is a file', e => fs.rmSync(e, { recursive: true }) ?? fs.writeFileSync(e, '{}'), 'the entry is not a directory'],
    ['python/ is missing (only the manifest is left)', e => fs.rmSync(path.join(e, 'python'), { recursive: true }), "'python/pkg/data.bin' was deleted"],
    ['the manifest lists no files (an empty layer)', e => {
      fs.rmSync(path.join(e, 'python'), { recursive: true });
      fs.mkdirSync(path.join(e, 'python'));
      writeManifest(e);
    }, 'manifest.json lists no files (an empty layer)'],
    ['the manifest has another version (another release wrote it)', e => editManifest(e, m => ({ ...m, version: 2 })), 'manifest.json has an unknown format'],
    ['the manifest is null', e => editManifest(e, () => null), 'manifest.json has an unknown format'],
    ['the manifest\'s files are null', e => editManifest(e, m => ({ ...m, files: null })), 'manifest.json has an unknown format'],
    ['the manifest\'s files are a string', e => editManifest(e, m => ({ ...m, files: 'python/pkg/__init__.py' })), 'manifest.json has an unknown format'],
    ['a FIFO is under python/ (never read)', e => {
      expect(spawnSync('mkfifo', [path.join(e, 'python', 'pkg', 'pipe')]).status).toBe(0);
    }, "'python/pkg/pipe' is not a regular file"],
  ])('rejects an entry when %s', (_, tamper, problem) => {
    const e = entry();
    tamper(e);
    const result = verifyCacheEntry(e);
    expect(result.ok).toBe(false);
    expect(result.problems).toContain(problem);
  });

  test('with signing: accepts only the signature of this key, for this asset hash, over these manifest bytes', () => {
    const signing = { key: 'k1', assetHash: 'a'.repeat(64) };
    const e = entry();
    writeManifest(e, signing);
    const signature = fs.readFileSync(path.join(e, 'manifest.sig'), 'utf8');
    expect(signature).toMatch(/^hmac-sha256:[0-9a-f]{64}\n$/);
    expect(verifyCacheEntry(e, signing)).toEqual({ ok: true, problems: [], files: 2, bytes: 5 });
    for (const other of [{ ...signing, key: 'k2' }, { ...signing, assetHash: 'b'.repeat(64) }]) {
      expect(verifyCacheEntry(e, other)).toEqual({ ok: false, problems: ['manifest.sig does not sign its manifest with this CDK_TRACED_LAMBDA_CACHE_KEY'], files: 0, bytes: 0 });
    }
    // one byte more in the manifest (same JSON meaning) is another manifest
    fs.appendFileSync(path.join(e, 'manifest.json'), ' ');
    expect(verifyCacheEntry(e, signing).ok).toBe(false);
    // a signature of the right length but other content, and a truncated one, fail without throwing
    fs.writeFileSync(path.join(e, 'manifest.sig'), signature.replace(/[0-9a-f](?=\n)/, c => (c === '0' ? '1' : '0')));
    expect(verifyCacheEntry(e, signing).ok).toBe(false);
    fs.writeFileSync(path.join(e, 'manifest.sig'), signature.slice(0, 20));
    expect(verifyCacheEntry(e, signing).ok).toBe(false);
  });

  test('rejects an entry that is a symlink to a valid entry', () => {
    const link = path.join(tempDir(), 'link');
    fs.symlinkSync(entry(), link);
    expect(verifyCacheEntry(link)).toMatchObject({ ok: false, problems: ['the entry is a symlink'] });
  });

  test('the manifest lists regular files only: symlinks under python/ (even dangling ones) are left out and reject the entry', () => {
    const e = entry();
    fs.symlinkSync('data.bin', path.join(e, 'python', 'pkg', 'link.bin'));
    fs.symlinkSync('missing', path.join(e, 'python', 'pkg', 'dangling'));
    writeManifest(e);
    expect(Object.keys(readManifest(e).files)).toEqual(['python/pkg/__init__.py', 'python/pkg/data.bin']);
    expect(verifyCacheEntry(e)).toEqual({
      ok: false, problems: ["'python/pkg/dangling' is a symlink", "'python/pkg/link.bin' is a symlink"], files: 2, bytes: 5,
    });
  });

  test('lists files and problems in path order, whatever order the file system returns names in (ext4: hash order)', () => {
    const e = entry();
    const readdir = realFs.readdirSync;
    const reversed = jest.spyOn(realFs, 'readdirSync')
      .mockImplementation(((d: fs.PathLike) => (readdir(d) as string[]).slice().reverse()) as unknown as typeof realFs.readdirSync);
    try {
      writeManifest(e);
      expect(Object.keys(readManifest(e).files)).toEqual(['python/pkg/__init__.py', 'python/pkg/data.bin']);
      fs.writeFileSync(path.join(e, 'python', 'pkg', 'a.py'), 'x');
      fs.writeFileSync(path.join(e, 'python', 'pkg', 'z.py'), 'x');
      expect(verifyCacheEntry(e).problems).toEqual(["'python/pkg/a.py' was added", "'python/pkg/z.py' was added"]);
      expect(reversed).toHaveBeenCalled();
    } finally {
      reversed.mockRestore();
    }
  });
});

describe('copyLayer', () => {
  test('copies python/ without the manifest, and a relative symlink stays relative (it never points into the cache)', () => {
    const e = entry();
    fs.symlinkSync('data.bin', path.join(e, 'python', 'pkg', 'alias.bin'));
    const out = path.join(dir, 'asset');
    fs.mkdirSync(out);
    copyLayer(e, out);
    expect(listFiles(out)).toEqual(['python/pkg/__init__.py', 'python/pkg/alias.bin', 'python/pkg/data.bin']);
    expect(fs.readlinkSync(path.join(out, 'python', 'pkg', 'alias.bin'))).toBe('data.bin');
    expect(fs.readFileSync(path.join(out, 'python', 'pkg', 'alias.bin'), 'utf8')).toBe('data');
  });
});

describe('a tampered cache entry is never shipped', () => {
  test.each<[string, (entry: string) => void, RegExp]>([
    ['a file added', e => fs.writeFileSync(path.join(e, 'python', 'evil.py'), 'import os'), /'python\/evil\.py' was added/],
    ['a file deleted', e => fs.rmSync(path.join(e, 'python', 'fakepkg', 'sub', 'mod.py')), /'python\/fakepkg\/sub\/mod\.py' was deleted/],
    ['an empty entry', e => {
      fs.rmSync(e, { recursive: true });
      fs.mkdirSync(e);
    }, /manifest\.json is missing/],
    ['a symlink entry', e => {
      const elsewhere = path.join(dir, 'elsewhere');
      fs.cpSync(e, elsewhere, { recursive: true });
      fs.writeFileSync(path.join(elsewhere, 'python', 'evil.py'), 'import os');
      fs.rmSync(e, { recursive: true });
      fs.symlinkSync(elsewhere, e);
    }, /the entry is a symlink/],
  ])('with %s: warns naming the entry and what differed, rebuilds, and deploys the rebuilt layer', (_, tamper, problem) => {
    // GIVEN a built, cached layer
    const pip = quickPip(dir, ['fakepkg/sub/mod.py']);
    const first = synth(pip);
    const good = listFiles(stagedAsset(first.app));
    expect(good).toEqual(['python/fakepkg/__init__.py', 'python/fakepkg/sub/mod.py']);
    // WHEN the entry is tampered with and the app synthesized again
    tamper(first.entry);
    const second = synth(pip);
    // THEN a warning names the entry and the difference, pip ran again, and the asset is the rebuilt layer
    Annotations.fromStack(second.stack).hasWarning('/Stack/Deps', Match.stringLikeRegexp(REJECTED.source));
    const warning = Annotations.fromStack(second.stack).findWarning('/Stack/Deps', Match.anyValue())[0].entry.data as string;
    expect(warning).toContain(first.entry);
    expect(warning).toMatch(problem);
    expect(pip.installs()).toHaveLength(2);
    expect(listFiles(stagedAsset(second.app))).toEqual(good);
    expect(verifyCacheEntry(first.entry).ok).toBe(true);
    expect(fs.lstatSync(first.entry).isSymbolicLink()).toBe(false);
    // AND the next synth uses the repaired entry silently
    const third = synth(pip);
    expect(pip.installs()).toHaveLength(2);
    Annotations.fromStack(third.stack).hasNoWarning('/Stack/Deps', Match.stringLikeRegexp(REJECTED.source));
  });
});

describe('the cache directory', () => {
  test('removes .building-* directories older than an hour on the next build, and keeps fresh ones', () => {
    fs.mkdirSync(path.join(cacheDir, '.building-old-1'), { recursive: true });
    fs.mkdirSync(path.join(cacheDir, '.building-new-1'), { recursive: true });
    const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
    fs.utimesSync(path.join(cacheDir, '.building-old-1'), twoHoursAgo, twoHoursAgo);
    synth(quickPip(dir, ['fakepkg/sub/mod.py']));
    expect(fs.readdirSync(cacheDir).filter(e => e.startsWith('.building-'))).toEqual(['.building-new-1']);
  });

  test('keeps cache entries of any age: only .building-* directories expire', () => {
    // GIVEN a cached layer last written two hours ago
    const pip = quickPip(dir, ['fakepkg/sub/mod.py']);
    const first = synth(pip);
    const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
    fs.utimesSync(first.entry, twoHoursAgo, twoHoursAgo);
    // WHEN the app is synthesized again
    const second = synth(pip);
    // THEN the entry is a cache hit: pip did not run again, and the entry is still there
    expect(pip.installs()).toHaveLength(1);
    expect(listFiles(stagedAsset(second.app))).toEqual(['python/fakepkg/__init__.py', 'python/fakepkg/sub/mod.py']);
    expect(verifyCacheEntry(first.entry).ok).toBe(true);
  });

  test('a .building-* directory expires when it is more than STALE_BUILD_MS old, not at exactly that age', () => {
    const mtime = 1_700_000_000; // seconds
    for (const [name, seconds] of [['.building-at-limit', mtime], ['.building-past-limit', mtime - 1]] as const) {
      fs.mkdirSync(path.join(cacheDir, name, 'python'), { recursive: true });
      fs.utimesSync(path.join(cacheDir, name), seconds, seconds);
    }
    jest.spyOn(Date, 'now').mockReturnValue(mtime * 1000 + STALE_BUILD_MS);
    try {
      prepareCacheDir(cacheDir, 'Stack/Deps');
    } finally {
      jest.restoreAllMocks();
    }
    expect(fs.readdirSync(cacheDir)).toEqual(['.building-at-limit']);
  });

  test.each<[string, () => jest.SpyInstance]>([
    ['between the listing and the stat', () => {
      const readdir = realFs.readdirSync;
      return jest.spyOn(realFs, 'readdirSync').mockImplementation(((d: fs.PathLike) => {
        const names = readdir(d);
        fs.rmSync(path.join(cacheDir, '.building-other-1'), { recursive: true });
        return names;
      }) as unknown as typeof realFs.readdirSync);
    }],
    ['between the stat and the removal', () => {
      const lstat = realFs.lstatSync;
      const other = path.join(cacheDir, '.building-other-1');
      let removed = false;
      return jest.spyOn(realFs, 'lstatSync').mockImplementation(((p: fs.PathLike, o?: fs.StatSyncOptions) => {
        const stat = lstat(p, o);
        if (p === other && !removed) {
          removed = true; // (rmSync itself calls lstatSync)
          fs.rmSync(other, { recursive: true });
        }
        return stat;
      }) as typeof realFs.lstatSync);
    }],
  ])('does not fail when another synth removes a stale .building-* directory %s', (_, race) => {
    // GIVEN two stale build directories, one of which a concurrent synth removes while this one looks at it
    const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
    for (const name of ['.building-other-1', '.building-mine-1']) {
      fs.mkdirSync(path.join(cacheDir, name, 'python'), { recursive: true });
      fs.utimesSync(path.join(cacheDir, name), twoHoursAgo, twoHoursAgo);
    }
    const spy = race();
    try {
      // WHEN the cache directory is prepared THEN nothing is thrown, and both are gone
      prepareCacheDir(cacheDir, 'Stack/Deps');
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    expect(fs.readdirSync(cacheDir)).toEqual([]);
  });

  test.each([
    ['is a file', () => {
      fs.writeFileSync(cacheDir, 'x');
      return cacheDir;
    }, [/cache' /]],
    ['cannot be created (inside a file)', () => {
      fs.writeFileSync(cacheDir, 'x');
      return path.join(cacheDir, 'sub');
    }, [/cache\/sub' /, 'ENOTDIR']],
    ['is a symlink to nowhere (cannot be created)', () => {
      fs.symlinkSync(path.join(dir, 'unmounted'), cacheDir);
      return cacheDir;
    }, [/cache' /, 'ENOENT']],
  ])('fails when the cache directory %s, naming it and the fix', (_, make, values) => {
    const target = make();
    const pip = quickPip(dir, ['fakepkg/sub/mod.py']);
    expectErrorId(() => new PythonDependencyLayer(newStack().stack, 'Deps', {
      requirementsFile: requirements(dir, 'fakepkg\n'), pythonExecutable: pip.python, bundlingStrategy: BundlingStrategy.LOCAL, cacheDir: target,
    }), ErrorId.LAYER_CACHE_DIR_UNUSABLE, /^Stack\/Deps: /, ...values, 'cacheDir', 'CDK_TRACED_LAMBDA_CACHE_DIR');
    expect(pip.installs()).toHaveLength(0);
  });
});
