/**
 * Lock-file readers: uv.lock, poetry.lock, Pipfile.lock and pylock.toml read natively into pinned, hashed
 * requirements for a Lambda target. Internal to the layer (not part of the jsii API); see README.md here.
 */
export { readLockFile, lockFormatOf, LOCK_FILE_NAMES, LOCK_READER_VERSION } from './read-lock-file';
export { readLockFileCached, lockReadKey, lastLockReadSource, clearLockReadMemo } from './cached-read';
export type { LockReadMemoOptions, LockReadSource } from './cached-read';
export { LockSyntaxError } from './model';
export type { LockFormat, LockHashInputs, LockReadResult, PinnedPackage, ReadLockOptions, SkippedPackage } from './model';
export type { LockTarget } from './markers';
