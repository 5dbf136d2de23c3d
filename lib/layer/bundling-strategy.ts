// The values are the names the strategy had as a class: the method they pick (local pip, Docker, or `auto`
// in a stack that is not bundled) is in every layer's asset hash, so they must not change
// (test/layer/bundling-strategy.test.ts pins them).

/**
 * How a `PythonDependencyLayer` runs `pip install`.
 */
export enum BundlingStrategy {
  /**
   * Use local pip when `pythonExecutable` (default `python3`) has pip, else Docker.
   */
  AUTO = 'auto',

  /**
   * Always use the local Python interpreter (`pythonExecutable`) and its pip.
   *
   * Cross-platform wheels are selected with `--platform`, `--python-version` and `--only-binary=:all:`.
   */
  LOCAL = 'local',

  /**
   * Always run pip inside the AWS SAM build image for the runtime and architecture
   * (`public.ecr.aws/sam/build-python3.X:latest-<arch>`).
   *
   * The `CDK_DOCKER` environment variable chooses the docker binary, as in aws-cdk-lib.
   */
  DOCKER = 'docker',
}
