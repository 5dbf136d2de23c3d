import * as crypto from 'crypto';

/**
 * Signed cache entries, for caches that others can write to (a CI cache shared between branches or forks).
 *
 * Without a key, an entry is verified against its own manifest: that catches corruption, partial writes and
 * edits of files, but not someone who rewrites a file AND its sha256 in the manifest. With a key (the
 * `CDK_TRACED_LAMBDA_CACHE_KEY` environment variable, a secret of the CI system), each entry also holds an
 * HMAC-SHA256 over its key (the asset hash, which digests every build input) and its manifest, written when it is
 * built and checked before it is reused; whoever lacks the key cannot make an entry that passes. The key itself is
 * never written anywhere: not to the cache, the asset hash, the template or a message.
 */

/** The environment variable that holds the cache signing key. */
export const CACHE_KEY_VARIABLE = 'CDK_TRACED_LAMBDA_CACHE_KEY';

/** The file of a cache entry that holds its signature. */
export const SIGNATURE_FILE = 'manifest.sig';

const SCHEME = 'hmac-sha256';

/** A signing key and what it signs for. */
export interface CacheSigning {
  /** The secret. */
  readonly key: string;
  /** The entry's key (asset hash): a signed entry cannot be moved to another key. */
  readonly assetHash: string;
}

/** The signing key of this synth, if the environment gives one. Read once per layer; never stored. */
export function signingKey(): string | undefined {
  const key = process.env[CACHE_KEY_VARIABLE];
  return key === undefined || key.length === 0 ? undefined : key;
}

/** The signature file's content for a manifest's exact bytes. */
export function signManifest(signing: CacheSigning, manifest: Buffer): string {
  const mac = crypto.createHmac('sha256', signing.key).update(`${signing.assetHash}\n`).update(manifest).digest('hex');
  return `${SCHEME}:${mac}\n`;
}

/** Whether `signature` (a signature file's content, or undefined when missing) signs `manifest` for `signing`. */
export function signatureMatches(signing: CacheSigning, manifest: Buffer, signature: string | undefined): boolean {
  if (signature === undefined) {
    return false;
  }
  const expected = Buffer.from(signManifest(signing, manifest));
  const actual = Buffer.from(signature);
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}
