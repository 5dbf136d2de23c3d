// Runs the sample app (bin/app.js, pre-transpiled) with or without layer cache verification, for
// scenario 8. Input (argv[2], JSON): { verify: boolean, entries: [{ dir, manifestFile }] }.
// The library verifies every cache hit itself (bench/subject.ts: LIBRARY_VERIFIES_CACHE); the variant
// without verification replaces the library's verifier in this process only.
import * as path from 'path';
import { LIBRARY_VERIFIES_CACHE, verifyCacheEntry } from './subject';

interface VerifyAppInput {
  readonly verify: boolean;
  readonly entries: { dir: string; manifestFile: string }[];
}

const input = JSON.parse(process.argv[2]) as VerifyAppInput;
if (!input.verify && LIBRARY_VERIFIES_CACHE && process.env.CDK_TRACED_LAMBDA_BENCH_SKIP_VERIFY === '1') {
  // The "without verification" variant: the library's verifier accepts every entry, in this process only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled module the app below uses
  const cache = require(path.join(__dirname, '..', 'lib', 'layer', 'private', 'cache.js'));
  cache.verifyCacheEntry = () => ({ ok: true, problems: [], files: 0, bytes: 0 });
}
if (input.verify && !LIBRARY_VERIFIES_CACHE) {
  for (const entry of input.entries) {
    verifyCacheEntry(entry.dir, entry.manifestFile);
  }
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- runs the compiled app in this process, as `node bin/app.js` would
require(path.join(__dirname, '..', 'bin', 'app.js'));
