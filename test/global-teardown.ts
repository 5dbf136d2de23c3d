import * as fs from 'fs';
import { PREVIOUS_TMPDIR_VARIABLE, SHARED_DIR_VARIABLE } from './shared-dir';

/**
 * jest `globalTeardown`: removes the run's shared directory, with every temporary directory of the run, and
 * gives TMPDIR back (test/global-setup.ts): a mutation run starts jest again in the same process.
 */
export default function globalTeardown(): void {
  const dir = process.env[SHARED_DIR_VARIABLE];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  delete process.env[SHARED_DIR_VARIABLE];
  const previous = process.env[PREVIOUS_TMPDIR_VARIABLE];
  if (previous !== undefined) {
    if (previous === '') delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    delete process.env[PREVIOUS_TMPDIR_VARIABLE];
  }
}
