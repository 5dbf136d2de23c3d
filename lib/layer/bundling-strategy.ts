/**
 * How a `PythonDependencyLayer` runs `pip install`.
 *
 * The values are part of every layer's key only through the method they pick (local pip or Docker), so
 * they are kept as they were: `auto`, `local`, `docker`.
 */
export enum BundlingStrategy {
  /**
   * Use a local `python3` with pip when one is found, else Docker.
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
