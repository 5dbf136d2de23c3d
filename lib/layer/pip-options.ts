/**
 * Options that change how pip finds packages for a `PythonDependencyLayer`.
 *
 * pip runs isolated from the machine's configuration (`--isolated`, no `PIP_*` variables, no pip.conf), so
 * these options, the context keys below and the requirements file are the only places it looks.
 *
 * App-wide defaults can be set through CDK context, so an app can be pointed at an offline
 * wheelhouse without code changes: `cdk-traced-lambda:pipIndexUrl` (a URL),
 * `cdk-traced-lambda:pipFindLinks` (a comma-separated string or a list of paths, relative
 * paths resolved against the current working directory) and `cdk-traced-lambda:pipNoIndex`
 * (`true`). A value set here always wins over the context.
 */
export interface PipOptions {
  /**
   * Base URL of the package index (`pip --index-url`).
   * @default - the `cdk-traced-lambda:pipIndexUrl` context value, else pip's default index (PyPI); pip.conf and `PIP_INDEX_URL` are not read
   */
  readonly indexUrl?: string;

  /**
   * Additional package indexes (`pip --extra-index-url`, once per URL).
   * @default - none
   */
  readonly extraIndexUrls?: string[];

  /**
   * Local directories (a wheelhouse), wheel files or URLs to look for wheels in (`pip --find-links`).
   * Relative paths are resolved against the current working directory, and a `file:` URL is the path it
   * names. The contents of local directories and wheel files are part of the layer's asset hash.
   * @default - the `cdk-traced-lambda:pipFindLinks` context value, else none
   */
  readonly findLinks?: string[];

  /**
   * Ignore package indexes and only use `findLinks` (`pip --no-index`).
   * @default - the `cdk-traced-lambda:pipNoIndex` context value, else false
   */
  readonly noIndex?: boolean;

  /**
   * Extra arguments appended to `pip install`, an escape hatch for options not modelled here.
   * @default - none
   */
  readonly pipExtraArgs?: string[];
}
