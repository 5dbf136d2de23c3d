/**
 * AWS Lambda's Python runtimes and their deprecation dates.
 *
 * Source: AWS Lambda Developer Guide, "Lambda runtimes" (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html,
 * tables "Supported runtimes" and "Deprecated runtimes": deprecation date, block function create, block function
 * update). The page could not be read in full from the machine this data was written on, so the dates are taken
 * from its machine-readable copy that AWS's own CloudFormation linter keeps:
 * aws-cloudformation/cfn-lint src/cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json at commit
 * afd7953b0c15ff362086946fb6417f6ec65539ac (2026-06-02, "Update Lambda runtime lifecycle dates from AWS docs", #4532;
 * unchanged up to 217397c8 of 2026-08-19), read 2026-12-03. A re:Post answer of the same period gives the same
 * python3.9 dates (block create 2027-02-01, block update 2027-03-03). Where the page and this copy disagree, the page wins:
 * correct the row and its citation.
 *
 * A runtime missing here (python3.15 today) is in neither table: a preview, or newer than this data.
 */
export const PYTHON_RUNTIMES_SOURCE = {
  url: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html',
  copy: 'aws-cloudformation/cfn-lint src/cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json@afd7953b0c15 (2026-06-02)',
  readOn: '2026-12-03',
};

/** One runtime's lifecycle dates (YYYY-MM-DD). */
export interface RuntimeLifecycle {
  /** The runtime identifier, e.g. `python3.13`. */
  readonly runtime: string;
  /** From this day AWS no longer patches the runtime (deprecation). */
  readonly deprecated: string;
  /** From this day AWS refuses to create functions with it. */
  readonly blockCreate: string;
  /** From this day AWS refuses to update functions with it. */
  readonly blockUpdate: string;
}

/** The Python runtimes, oldest first. */
export const PYTHON_RUNTIMES: readonly RuntimeLifecycle[] = [
  { runtime: 'python2.7', deprecated: '2021-07-15', blockCreate: '2021-07-15', blockUpdate: '2022-05-30' },
  { runtime: 'python3.6', deprecated: '2022-07-18', blockCreate: '2022-07-18', blockUpdate: '2022-08-29' },
  { runtime: 'python3.7', deprecated: '2023-12-04', blockCreate: '2024-01-09', blockUpdate: '2027-03-03' },
  { runtime: 'python3.8', deprecated: '2024-10-14', blockCreate: '2027-02-01', blockUpdate: '2027-03-03' },
  { runtime: 'python3.9', deprecated: '2025-12-15', blockCreate: '2027-02-01', blockUpdate: '2027-03-03' },
  { runtime: 'python3.10', deprecated: '2026-10-31', blockCreate: '2027-02-01', blockUpdate: '2027-03-03' },
  { runtime: 'python3.11', deprecated: '2027-06-30', blockCreate: '2027-07-31', blockUpdate: '2027-08-31' },
  { runtime: 'python3.12', deprecated: '2028-10-31', blockCreate: '2028-11-30', blockUpdate: '2029-01-10' },
  { runtime: 'python3.13', deprecated: '2029-06-30', blockCreate: '2029-07-31', blockUpdate: '2029-08-31' },
  { runtime: 'python3.14', deprecated: '2029-06-30', blockCreate: '2029-07-31', blockUpdate: '2029-08-31' },
];
