import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { captureStderr, eachTestInTempDir, listFiles, newStack, quickPip, requirements, restoreEnvAfterEach, stagedAsset } from './helpers';
import { AnnotationId, BundlingStrategy, PythonDependencyLayer } from '../../lib';
import { verifyCacheEntry, writeManifest } from '../../lib/layer/private/cache';

// Signed cache entries (CDK_TRACED_LAMBDA_CACHE_KEY): someone who can write the cache but lacks the key cannot make
// an entry that ships. Without a key, verification catches corruption and edits, not a rewritten entry + manifest.
let dir: string;
let cacheDir: string;
eachTestInTempDir(d => ({ dir, cacheDir } = d));
restoreEnvAfterEach('CDK_TRACED_LAMBDA_CACHE_KEY');

const KEY = 'a-secret-of-the-ci-system-0123456789';
const TAMPERED = 'import os; os.system("curl evil")\n';

function synth(pip: { python: string }) {
  const { app, stack } = newStack();
  const { result: layer } = captureStderr(() => new PythonDependencyLayer(stack, 'Deps', {
    requirementsFile: requirements(dir, 'fakepkg\n'), pythonExecutable: pip.python, bundlingStrategy: BundlingStrategy.LOCAL, cacheDir,
  }));
  return { stack, layer, entry: path.join(cacheDir, layer.assetHash), asset: () => stagedAsset(app) };
}

/** What an attacker with write access to the cache does: change a file and put its new sha256 into the manifest. */
function rewriteEntryAndManifest(entry: string) {
  const file = path.join(entry, 'python', 'fakepkg', '__init__.py');
  fs.writeFileSync(file, TAMPERED);
  const manifest = JSON.parse(fs.readFileSync(path.join(entry, 'manifest.json'), 'utf8'));
  manifest.files['python/fakepkg/__init__.py'] = crypto.createHash('sha256').update(TAMPERED).digest('hex');
  fs.writeFileSync(path.join(entry, 'manifest.json'), JSON.stringify(manifest, undefined, 1));
}

function rejection(stack: ReturnType<typeof synth>['stack']): string[] {
  return Annotations.fromStack(stack).findWarning('/Stack/Deps', Match.stringLikeRegexp(AnnotationId.LAYER_CACHE_ENTRY_REJECTED))
    .map(w => w.entry.data as string);
}

test('with a key: an entry rewritten together with its manifest is rejected by id, rebuilt, and never shipped', () => {
  // GIVEN a layer built and signed with the key
  process.env.CDK_TRACED_LAMBDA_CACHE_KEY = KEY;
  const pip = quickPip(dir);
  const first = synth(pip);
  expect(listFiles(first.entry)).toEqual(['manifest.json', 'manifest.sig', 'python/fakepkg/__init__.py']);
  // AND the key itself is stored nowhere in the cache
  for (const file of listFiles(cacheDir)) {
    expect(fs.readFileSync(path.join(cacheDir, file), 'utf8')).not.toContain(KEY);
  }

  // WHEN someone rewrites a file and its sha256 in the manifest (manifest-only verification cannot tell)
  rewriteEntryAndManifest(first.entry);
  expect(verifyCacheEntry(first.entry).ok).toBe(true);
  const second = synth(pip);

  // THEN the entry is rejected by id, naming the signature, pip ran again, and the rebuilt layer ships
  expect(rejection(second.stack)).toEqual([expect.stringContaining(`${first.entry}': manifest.sig does not sign its manifest`)]);
  expect(pip.installs()).toHaveLength(2);
  expect(fs.readFileSync(path.join(second.asset(), 'python', 'fakepkg', '__init__.py'), 'utf8')).toBe('x\n');
  // AND the repaired entry is used silently next time
  const third = synth(pip);
  expect(rejection(third.stack)).toEqual([]);
  expect(pip.installs()).toHaveLength(2);
});

test('without a key: verification catches an edited file, but not a file rewritten together with its manifest (the documented limit)', () => {
  delete process.env.CDK_TRACED_LAMBDA_CACHE_KEY;
  const pip = quickPip(dir);
  const first = synth(pip);
  expect(listFiles(first.entry)).toEqual(['manifest.json', 'python/fakepkg/__init__.py']);

  // an edit of the file alone is caught
  fs.writeFileSync(path.join(first.entry, 'python', 'fakepkg', '__init__.py'), TAMPERED);
  expect(rejection(synth(pip).stack)).toEqual([expect.stringContaining("'python/fakepkg/__init__.py' was changed")]);
  expect(pip.installs()).toHaveLength(2);

  // a rewrite of the file and its manifest is not: the entry ships as it is
  rewriteEntryAndManifest(first.entry);
  const third = synth(pip);
  expect(rejection(third.stack)).toEqual([]);
  expect(pip.installs()).toHaveLength(2);
  expect(fs.readFileSync(path.join(third.asset(), 'python', 'fakepkg', '__init__.py'), 'utf8')).toBe(TAMPERED);
});

test.each<[string, (entry: string) => void, string]>([
  ['unsigned (built without a key)', entry => fs.rmSync(path.join(entry, 'manifest.sig')), 'manifest.sig is missing'],
  ['signed with another key', entry => writeManifest(entry, { key: 'another key', assetHash: path.basename(entry) }),
    'manifest.sig does not sign its manifest'],
  ['signed for another key of the cache (an entry moved)', entry => writeManifest(entry, { key: KEY, assetHash: 'f'.repeat(64) }),
    'manifest.sig does not sign its manifest'],
  ['a signature that is a symlink to a valid one', entry => {
    fs.renameSync(path.join(entry, 'manifest.sig'), path.join(dir, 'elsewhere.sig'));
    fs.symlinkSync(path.join(dir, 'elsewhere.sig'), path.join(entry, 'manifest.sig'));
  }, 'manifest.sig is missing'],
])('with a key: an entry %s is rejected and rebuilt', (_, tamper, problem) => {
  process.env.CDK_TRACED_LAMBDA_CACHE_KEY = KEY;
  const pip = quickPip(dir);
  const first = synth(pip);
  tamper(first.entry);
  const second = synth(pip);
  expect(rejection(second.stack)).toEqual([expect.stringContaining(problem)]);
  expect(pip.installs()).toHaveLength(2);
  expect(verifyCacheEntry(first.entry, { key: KEY, assetHash: first.layer.assetHash }).ok).toBe(true);
});

test('an empty CDK_TRACED_LAMBDA_CACHE_KEY is no key: entries are not signed', () => {
  process.env.CDK_TRACED_LAMBDA_CACHE_KEY = '';
  expect(listFiles(synth(quickPip(dir)).entry)).toEqual(['manifest.json', 'python/fakepkg/__init__.py']);
});

test('the key does not change the layer\'s asset hash (the template and S3 key stay the same with or without it)', () => {
  const pip = quickPip(dir);
  delete process.env.CDK_TRACED_LAMBDA_CACHE_KEY;
  const unsigned = synth(pip).layer.assetHash;
  process.env.CDK_TRACED_LAMBDA_CACHE_KEY = KEY;
  expect(synth(pip).layer.assetHash).toBe(unsigned);
});
