import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { captureStderr, eachTestInTempDir, listFiles, newStack, quickPip, requirements, stagedAsset, tempDir } from './helpers';
import { BundlingStrategy, ErrorId, PythonDependencyLayer } from '../../lib';
import { AnnotationId } from '../../lib/contract';
import { verifyCacheEntry, writeManifest } from '../../lib/layer/private/cache';
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

describe('verifyCacheEntry', () => {
  function entry(): string {
    const e = path.join(tempDir(), 'entry');
    fs.mkdirSync(path.join(e, 'python', 'pkg'), { recursive: true });
    fs.writeFileSync(path.join(e, 'python', 'pkg', '__init__.py'), 'x');
    fs.writeFileSync(path.join(e, 'python', 'pkg', 'data.bin'), 'data');
    writeManifest(e);
    return e;
  }

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

  test.each([
    ['is a file', () => {
      fs.writeFileSync(cacheDir, 'x');
      return cacheDir;
    }, [/cache' /]],
    ['cannot be created (inside a file)', () => {
      fs.writeFileSync(cacheDir, 'x');
      return path.join(cacheDir, 'sub');
    }, [/cache\/sub' /, 'ENOTDIR']],
  ])('fails when the cache directory %s, naming it and the fix', (_, make, values) => {
    const target = make();
    const pip = quickPip(dir, ['fakepkg/sub/mod.py']);
    expectErrorId(() => new PythonDependencyLayer(newStack().stack, 'Deps', {
      requirementsFile: requirements(dir, 'fakepkg\n'), pythonExecutable: pip.python, bundlingStrategy: BundlingStrategy.LOCAL, cacheDir: target,
    }), ErrorId.LAYER_CACHE_DIR_UNUSABLE, /^Stack\/Deps: /, ...values, 'cacheDir', 'CDK_TRACED_LAMBDA_CACHE_DIR');
    expect(pip.installs()).toHaveLength(0);
  });
});
