import * as fs from 'fs';
import { SHARED_DIR_VARIABLE } from './shared-dir';

/** jest `globalTeardown`: removes the run's shared directory (test/global-setup.ts). */
export default function globalTeardown(): void {
  const dir = process.env[SHARED_DIR_VARIABLE];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  delete process.env[SHARED_DIR_VARIABLE];
}
