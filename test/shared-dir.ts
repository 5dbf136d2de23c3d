/**
 * The environment variable naming the run's shared test directory: set by test/global-setup.ts (jest
 * `globalSetup`), inherited by the workers, removed by test/global-teardown.ts. Kept apart from the
 * helpers so the global setup loads nothing else.
 */
export const SHARED_DIR_VARIABLE = 'CDK_TRACED_LAMBDA_TEST_SHARED_DIR';

/** The TMPDIR before test/global-setup.ts pointed it into the shared directory ('' when it was unset). */
export const PREVIOUS_TMPDIR_VARIABLE = 'CDK_TRACED_LAMBDA_TEST_PREVIOUS_TMPDIR';
