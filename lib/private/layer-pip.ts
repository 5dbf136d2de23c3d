import * as path from 'path';

/** Pip options after merging props, CDK context and the requirements file. */
export interface ResolvedPipOptions {
  readonly indexUrl?: string;
  readonly extraIndexUrls: string[];
  /** Absolute local directories or URLs. */
  readonly findLinks: string[];
  readonly noIndex: boolean;
  readonly extraArgs: string[];
  readonly requireHashes: boolean;
}

/** Where and for what pip installs. */
export interface PipInstallTarget {
  /** The requirements file as pip sees it. */
  readonly requirementsFile: string;
  /** The directory pip installs into (`--target`). */
  readonly targetDir: string;
  /** `3.13` */
  readonly pythonVersion: string;
  /** Lambda architecture name: `x86_64` or `arm64`. */
  readonly architecture: string;
}

/** The pip platform machine name for a Lambda architecture name. */
export function pipMachine(architecture: string): string {
  return architecture === 'arm64' ? 'aarch64' : 'x86_64';
}

/** Whether a find-links entry is a URL rather than a local directory. */
export function isUrl(location: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location);
}

/**
 * The manylinux platforms whose wheels run on the Lambda runtime for `pythonVersion`: python3.12 and later
 * run on Amazon Linux 2023 (glibc 2.34), so manylinux_2_28 wheels fit; earlier ones run on Amazon Linux 2
 * (glibc 2.26), where a manylinux_2_28 wheel fails at import, so only manylinux2014 (glibc 2.17).
 */
export function manylinuxPlatforms(pythonVersion: string, architecture: string): string[] {
  const machine = pipMachine(architecture);
  const [major, minor] = pythonVersion.split('.').map(Number);
  const onAmazonLinux2023 = major > 3 || (major === 3 && minor >= 12);
  return onAmazonLinux2023
    ? [`manylinux2014_${machine}`, `manylinux_2_28_${machine}`]
    : [`manylinux2014_${machine}`];
}

/**
 * The arguments after `python` for the pip install that builds a layer: binary wheels only,
 * for the target Python version and manylinux platform, no bytecode.
 */
export function pipInstallArgs(target: PipInstallTarget, pip: ResolvedPipOptions): string[] {
  const args = [
    '-m', 'pip', 'install',
    '-r', target.requirementsFile,
    '-t', target.targetDir,
    ...manylinuxPlatforms(target.pythonVersion, target.architecture).flatMap(p => ['--platform', p]),
    '--implementation', 'cp',
    '--python-version', target.pythonVersion,
    '--only-binary=:all:',
    '--no-compile',
    '--disable-pip-version-check',
  ];
  if (pip.indexUrl !== undefined) {
    args.push('--index-url', pip.indexUrl);
  }
  for (const url of pip.extraIndexUrls) {
    args.push('--extra-index-url', url);
  }
  for (const location of pip.findLinks) {
    args.push('--find-links', location);
  }
  if (pip.noIndex) {
    args.push('--no-index');
  }
  if (pip.requireHashes) {
    args.push('--require-hashes');
  }
  args.push(...pip.extraArgs);
  return args;
}

/** The SAM build image for a Python runtime name (`python3.13`) and Lambda architecture name. */
export function samBuildImage(runtimeName: string, architecture: string): string {
  return `public.ecr.aws/sam/build-${runtimeName}:latest-${architecture === 'arm64' ? 'arm64' : 'x86_64'}`;
}

/** Inputs of a docker build of a layer. */
export interface DockerBuildInput {
  /** Absolute path of the requirements file; its directory is mounted read-only. */
  readonly requirementsFile: string;
  /** Absolute path of the directory that receives `python/`. */
  readonly outputDir: string;
  /** `python3.13` */
  readonly runtimeName: string;
  /** `3.13` */
  readonly pythonVersion: string;
  /** `x86_64` or `arm64` */
  readonly architecture: string;
  /** `linux/amd64` or `linux/arm64` */
  readonly dockerPlatform: string;
  readonly pip: ResolvedPipOptions;
  /** `uid:gid` to run as, so outputs belong to the user; omitted where there is no such thing. */
  readonly user?: string;
}

/**
 * The `docker` argv (without the binary) that builds a layer in the SAM build image.
 * Local find-links directories are mounted read-only at `/asset-find-links/<n>`.
 */
export function dockerRunArgs(input: DockerBuildInput): string[] {
  const mounts: string[] = [
    '-v', `${path.dirname(input.requirementsFile)}:/asset-input:ro`,
    '-v', `${input.outputDir}:/asset-output`,
  ];
  const findLinks = input.pip.findLinks.map((location, i) => {
    if (isUrl(location)) {
      return location;
    }
    mounts.push('-v', `${location}:/asset-find-links/${i}:ro`);
    return `/asset-find-links/${i}`;
  });
  const args = ['run', '--rm', '--platform', input.dockerPlatform];
  if (input.user) {
    args.push('-u', input.user);
  }
  args.push(...mounts, '-w', '/asset-input', '-e', 'HOME=/tmp', samBuildImage(input.runtimeName, input.architecture));
  args.push('python', ...pipInstallArgs({
    requirementsFile: `/asset-input/${path.basename(input.requirementsFile)}`,
    targetDir: '/asset-output/python',
    pythonVersion: input.pythonVersion,
    architecture: input.architecture,
  }, { ...input.pip, findLinks }));
  return args;
}
