/**
 * How a `PythonDependencyLayer` runs `pip install`.
 */
export class BundlingStrategy {
  /**
   * Use a local `python3` with pip when one is found, else Docker.
   */
  public static readonly AUTO = new BundlingStrategy('auto');

  /**
   * Always use the local Python interpreter (`pythonExecutable`) and its pip.
   * Cross-platform wheels are selected with `--platform`, `--python-version` and `--only-binary=:all:`.
   */
  public static readonly LOCAL = new BundlingStrategy('local');

  /**
   * Always run pip inside the AWS SAM build image for the runtime and architecture
   * (`public.ecr.aws/sam/build-python3.X:latest-<arch>`). The `CDK_DOCKER` environment
   * variable chooses the docker binary, as in aws-cdk-lib.
   */
  public static readonly DOCKER = new BundlingStrategy('docker');

  /**
   * @param name the strategy's name: `auto`, `local` or `docker`
   */
  private constructor(public readonly name: string) {}

  /** The strategy's name. */
  public toString(): string {
    return this.name;
  }
}
