// The stand-in for the layer cache's manifest check until the library's own verifier is merged: a
// sha256 of every file of a cache entry, compared with a manifest taken when the entry was built.
// Same work as a manifest check (read and hash every byte, compare the file list), so its time is a
// fair estimate of the real one. bench/subject.ts decides which verifier the benchmark uses.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** Relative path -> sha256 (hex) of every regular file under a directory. */
export type Manifest = { [relativePath: string]: string };

/** What one verification read. */
export interface VerifyStats {
  readonly files: number;
  readonly bytes: number;
}

function walk(root: string, visit: (relative: string, full: string) => void, dir = root): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      walk(root, visit, full);
    } else if (entry.isFile()) {
      visit(path.relative(root, full), full);
    } else {
      throw new Error(`bench: cache entry ${root} holds ${path.relative(root, full)}, which is neither a file nor a directory`);
    }
  }
}

/** The manifest of `dir` now (taken once, untimed, before the verifications). */
export function takeManifest(dir: string): Manifest {
  const manifest: Manifest = {};
  walk(dir, (relative, full) => {
    manifest[relative] = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
  });
  return manifest;
}

/** Hashes every file of `dir` and compares with `manifest`; throws naming the first difference. */
export function verifyAgainstManifest(dir: string, manifest: Manifest): VerifyStats {
  let files = 0;
  let bytes = 0;
  walk(dir, (relative, full) => {
    const data = fs.readFileSync(full);
    const digest = createHash('sha256').update(data).digest('hex');
    if (manifest[relative] !== digest) {
      throw new Error(`bench: cache entry ${dir}: ${relative} ${manifest[relative] === undefined ? 'is not in the manifest' : 'does not match its sha256'}`);
    }
    files += 1;
    bytes += data.length;
  });
  if (files !== Object.keys(manifest).length) {
    throw new Error(`bench: cache entry ${dir} has ${files} files, its manifest ${Object.keys(manifest).length}`);
  }
  return { files, bytes };
}
