// Runs the sample app (bin/app.js, pre-transpiled) with or without layer cache verification, for
// scenario 8. Input (argv[2], JSON): { verify: boolean, entries: [{ dir, manifestFile }] }.
// Until the library verifies cache hits itself (bench/subject.ts: LIBRARY_VERIFIES_CACHE), the
// verified variant checks every cache entry with the stand-in verifier before the app runs: the same
// work a warm synth with verification does, in the same process.
import * as path from 'path';
import { LIBRARY_VERIFIES_CACHE, verifyCacheEntry } from './subject';

interface VerifyAppInput {
  readonly verify: boolean;
  readonly entries: { dir: string; manifestFile: string }[];
}

const input = JSON.parse(process.argv[2]) as VerifyAppInput;
if (input.verify && !LIBRARY_VERIFIES_CACHE) {
  for (const entry of input.entries) {
    verifyCacheEntry(entry.dir, entry.manifestFile);
  }
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- runs the compiled app in this process, as `node bin/app.js` would
require(path.join(__dirname, '..', 'bin', 'app.js'));
