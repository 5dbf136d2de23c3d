import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CacheSigning, signatureMatches, signManifest, SIGNATURE_FILE } from './signature';
import { ErrorId } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import { shown } from '../../private/untrusted-text';

/**
 * The cross-`cdk.out` layer cache: `<cacheDir>/<assetHash>/` holds `python/` and `manifest.json`, the
 * sha256 of every file under `python/`, written after a build succeeded. An entry is reused only when
 * it verifies (see `verifyCacheEntry`); the cache is untrusted input (it may come from a CI cache). With a
 * signing key, `manifest.sig` holds an HMAC over the entry's key and manifest (see signature.ts).
 */

/** The manifest file inside a cache entry. */
export const MANIFEST_FILE = 'manifest.json';
const MANIFEST_VERSION = 1;
/** A `.building-*` directory older than this was left by a killed synth. */
export const STALE_BUILD_MS = 60 * 60 * 1000;

interface Manifest {
  readonly version: number;
  /** Path relative to the entry (`python/...`, `/` separated) to sha256 hex. */
  readonly files: Record<string, string>;
}

/** The outcome of verifying a cache entry: `ok`, or what differed. */
export interface CacheVerification {
  readonly ok: boolean;
  /** Why the entry cannot be used; empty when ok. */
  readonly problems: string[];
  /** Files hashed. */
  readonly files: number;
  /** Bytes hashed. */
  readonly bytes: number;
}

/** The cache entry directory for a hash. */
export function cacheEntryDir(cacheDir: string, assetHash: string): string {
  return path.join(cacheDir, assetHash);
}

/**
 * Checks that `entry` is a real directory (not a symlink) whose `python/` holds exactly the regular
 * files its manifest lists, each with the listed sha256, and, with `signing`, that its signature signs
 * the manifest for this key (checked before any file is read). Reads every file once.
 */
export function verifyCacheEntry(entry: string, signing?: CacheSigning): CacheVerification {
  const problems: string[] = [];
  let files = 0;
  let bytes = 0;
  const result = () => ({ ok: problems.length === 0, problems, files, bytes });
  const stat = fs.lstatSync(entry, { throwIfNoEntry: false });
  if (!stat) {
    return { ok: false, problems: ['the entry does not exist'], files, bytes };
  }
  if (stat.isSymbolicLink() || !stat.isDirectory()) {
    problems.push(stat.isSymbolicLink() ? 'the entry is a symlink' : 'the entry is not a directory');
    return result();
  }
  let manifest: Manifest;
  let manifestBytes: Buffer;
  try {
    manifestBytes = fs.readFileSync(path.join(entry, MANIFEST_FILE));
    manifest = JSON.parse(manifestBytes.toString('utf8'));
  } catch (e) {
    problems.push(fs.existsSync(path.join(entry, MANIFEST_FILE)) ? `${MANIFEST_FILE} is not valid JSON` : `${MANIFEST_FILE} is missing`);
    return result();
  }
  if (signing) {
    const signatureFile = path.join(entry, SIGNATURE_FILE);
    const signature = fs.lstatSync(signatureFile, { throwIfNoEntry: false })?.isFile() ? fs.readFileSync(signatureFile, 'utf8') : undefined;
    if (!signatureMatches(signing, manifestBytes, signature)) {
      problems.push(signature === undefined
        ? `${SIGNATURE_FILE} is missing (the entry is not signed, and CDK_TRACED_LAMBDA_CACHE_KEY is set)`
        : `${SIGNATURE_FILE} does not sign its manifest with this CDK_TRACED_LAMBDA_CACHE_KEY`);
      return result();
    }
  }
  if (manifest?.version !== MANIFEST_VERSION || typeof manifest.files !== 'object' || manifest.files === null) {
    problems.push(`${MANIFEST_FILE} has an unknown format`);
    return result();
  }
  const listed = new Map(Object.entries(manifest.files));
  if (listed.size === 0) {
    problems.push(`${MANIFEST_FILE} lists no files (an empty layer)`);
  }
  const found = new Set<string>();
  walk(entry, 'python', (rel, s) => {
    if (!s.isFile()) {
      problems.push(`${shown(rel)} is ${s.isSymbolicLink() ? 'a symlink' : 'not a regular file'}`);
      return;
    }
    found.add(rel);
    const expected = listed.get(rel);
    if (expected === undefined) {
      problems.push(`${shown(rel)} was added`);
      return;
    }
    const content = fs.readFileSync(path.join(entry, rel));
    files++;
    bytes += content.length;
    if (sha256(content) !== expected) {
      problems.push(`${shown(rel)} was changed`);
    }
  });
  for (const rel of listed.keys()) {
    if (!found.has(rel)) {
      problems.push(`${shown(rel)} was deleted`);
    }
  }
  return result();
}

/** Writes the manifest of `entry/python` (every file's sha256) and, with `signing`, its signature. */
export function writeManifest(entry: string, signing?: CacheSigning): void {
  const files: Record<string, string> = {};
  walk(entry, 'python', (rel, s) => {
    if (s.isFile()) {
      files[rel] = sha256(fs.readFileSync(path.join(entry, rel)));
    }
  });
  const manifest: Manifest = { version: MANIFEST_VERSION, files };
  const bytes = Buffer.from(JSON.stringify(manifest, undefined, 1));
  fs.writeFileSync(path.join(entry, MANIFEST_FILE), bytes);
  if (signing) {
    fs.writeFileSync(path.join(entry, SIGNATURE_FILE), signManifest(signing, bytes));
  }
}

/**
 * Makes sure `cacheDir` is a writable directory, creating it when missing, and removes `.building-*`
 * directories older than an hour (left by a killed synth).
 */
export function prepareCacheDir(cacheDir: string, constructPath: string): void {
  const fix = 'Fix: set cacheDir (or $CDK_TRACED_LAMBDA_CACHE_DIR) to a writable directory, or remove what is in the way.';
  const cannotWrite = (e: unknown) => new TracedLambdaError(ErrorId.LAYER_CACHE_DIR_UNUSABLE, constructPath,
    `the layer cache directory ${shown(cacheDir)} cannot be written (${(e as NodeJS.ErrnoException).code}). ${fix}`);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(cacheDir, { throwIfNoEntry: false });
  } catch (e) {
    throw cannotWrite(e); // ENOTDIR: a parent is a file
  }
  if (stat && !stat.isDirectory()) {
    throw new TracedLambdaError(ErrorId.LAYER_CACHE_DIR_UNUSABLE, constructPath, `the layer cache directory ${shown(cacheDir)} is not a directory. ${fix}`);
  }
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.accessSync(cacheDir, fs.constants.W_OK);
    fs.accessSync(cacheDir, fs.constants.X_OK);
  } catch (e) {
    throw cannotWrite(e);
  }
  const now = Date.now();
  for (const name of fs.readdirSync(cacheDir)) {
    if (!name.startsWith('.building-')) {
      continue;
    }
    const full = path.join(cacheDir, name);
    const s = fs.lstatSync(full, { throwIfNoEntry: false });
    if (s && now - s.mtimeMs > STALE_BUILD_MS) {
      fs.rmSync(full, { recursive: true, force: true });
    }
  }
}

/** Copies `entry/python` into `outputDir/python` (the manifest stays in the cache). */
export function copyLayer(entry: string, outputDir: string): void {
  fs.cpSync(path.join(entry, 'python'), path.join(outputDir, 'python'), { recursive: true, verbatimSymlinks: true });
}

function walk(root: string, rel: string, visit: (rel: string, stat: fs.Stats) => void): void {
  const full = path.join(root, rel);
  const stat = fs.lstatSync(full, { throwIfNoEntry: false });
  if (!stat) {
    return;
  }
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(full).sort()) {
      walk(root, `${rel}/${name}`, visit);
    }
  } else {
    visit(rel, stat);
  }
}

function sha256(content: Buffer): string {
  return crypto.createHash('sha256').update(content).digest('hex');
}
