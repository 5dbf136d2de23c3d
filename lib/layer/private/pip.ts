import * as os from 'os';
import { fileURLToPath } from 'url';

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

/**
 * The local path a `file:` find-links URL names (pip reads `file:///srv/wheels` as the folder /srv/wheels), or
 * undefined when it names none (a host: `file://server/share`). Only for a location that starts with `file:`.
 */
export function fileUrlPath(location: string): string | undefined {
  try {
    return fileURLToPath(location);
  } catch {
    return undefined;
  }
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
 * The arguments after `python` for the pip install that builds a layer: isolated from the machine's pip
 * configuration (see `isolatedPipEnvironment`), binary wheels only, for the target Python version, ABI and
 * manylinux platform, no bytecode, no colour. `flags` are the extra flags of the requirements input (e.g.
 * `--require-hashes --no-deps` for a lock file); `transport` the options that only change how pip reaches an
 * index (`transportArgs`).
 */
export function pipInstallArgs(target: PipInstallTarget, pip: ResolvedPipOptions, flags: string[] = [], transport: string[] = []): string[] {
  const args = [
    '-m', 'pip', 'install', '--isolated',
    '-r', target.requirementsFile,
    '-t', target.targetDir,
    ...manylinuxPlatforms(target.pythonVersion, target.architecture).flatMap(p => ['--platform', p]),
    '--implementation', 'cp',
    '--python-version', target.pythonVersion,
    '--abi', `cp${target.pythonVersion.replace('.', '')}`,
    '--only-binary=:all:',
    '--no-compile',
    '--no-color',
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
  if (pip.requireHashes && !flags.includes('--require-hashes')) {
    args.push('--require-hashes');
  }
  args.push(...transport, ...flags, ...pip.extraArgs);
  return args;
}

/**
 * pip's settings that only change how it reaches an index (certificates, proxy, timeouts), never which files
 * it installs: taken from the machine's `PIP_*` variables as options, since `--isolated` ignores them. They are
 * not in the layer's key. Every other `PIP_*` variable and every pip.conf are ignored.
 */
const TRANSPORT_VARIABLES: ReadonlyArray<[string, string]> = [
  ['PIP_CERT', '--cert'],
  ['PIP_CLIENT_CERT', '--client-cert'],
  ['PIP_PROXY', '--proxy'],
  ['PIP_DEFAULT_TIMEOUT', '--timeout'],
  ['PIP_TIMEOUT', '--timeout'],
  ['PIP_RETRIES', '--retries'],
];

/** The transport options (`--cert`, `--proxy`, `--timeout`, `--retries`) from `env`'s `PIP_*` variables. */
export function transportArgs(env: NodeJS.ProcessEnv): string[] {
  const args: string[] = [];
  const seen = new Set<string>();
  for (const [variable, option] of TRANSPORT_VARIABLES) {
    const value = env[variable];
    if (value !== undefined && value !== '' && !seen.has(option)) {
      seen.add(option);
      args.push(option, value);
    }
  }
  return args;
}

/**
 * The environment pip runs in: this process's, without any `PIP_*` variable (except those the requirements refer to
 * as `${VAR}`, which pip expands, and whose values are in the key), and with `PIP_CONFIG_FILE` set to the null
 * device, which makes pip skip every configuration file (global, user, site). With `--isolated` (which ignores
 * `PIP_*` variables and the user's configuration), what pip installs depends only on its arguments and inputs.
 */
export function isolatedPipEnvironment(env: NodeJS.ProcessEnv, referenced: Record<string, string> = {}): NodeJS.ProcessEnv {
  const isolated: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (!/^PIP_/i.test(name) || name in referenced) {
      isolated[name] = value;
    }
  }
  isolated.PIP_CONFIG_FILE = os.devNull;
  return isolated;
}

/**
 * The arguments after `python` that compile a layer's `.py` files to bytecode reproducibly: the
 * pyc files carry a hash of their source, not a timestamp (`unchecked-hash`, so Lambda never
 * re-checks them), and the path Lambda sees (`/opt/python/...`), not the build directory.
 */
export function compileArgs(pythonDir: string): string[] {
  return ['-m', 'compileall', '-q', '-d', '/opt/python', '--invalidation-mode', 'unchecked-hash', pythonDir];
}

/** The SAM build image for a Python runtime name (`python3.13`) and Lambda architecture name. */
export function samBuildImage(runtimeName: string, architecture: string): string {
  return `public.ecr.aws/sam/build-${runtimeName}:latest-${architecture === 'arm64' ? 'arm64' : 'x86_64'}`;
}

/** Where the container reads a requirements text given through the environment. */
export const DOCKER_REQUIREMENTS_VARIABLE = 'CDK_TRACED_LAMBDA_REQUIREMENTS';

/** Inputs of a docker build of a layer. */
export interface DockerCommandInput {
  /** Path of the requirements file relative to the input directory (mounted at /asset-input); undefined when given as text. */
  readonly requirementsFile?: string;
  /** `3.13` */
  readonly pythonVersion: string;
  /** `x86_64` or `arm64` */
  readonly architecture: string;
  /** The pip options; local find-links directories must already be container paths. */
  readonly pip: ResolvedPipOptions;
  /** Extra flags of the requirements input. */
  readonly flags: string[];
  /** Compile bytecode with the image's Python after installing. */
  readonly compileBytecode: boolean;
}

/**
 * The command run in the SAM build image: pip installs into `/asset-output/python`, then
 * (optionally) compiles it. A requirements text comes in through `$CDK_TRACED_LAMBDA_REQUIREMENTS`.
 */
export function dockerCommand(input: DockerCommandInput): string[] {
  const steps: string[][] = [];
  let requirementsFile = `/asset-input/${input.requirementsFile}`;
  if (input.requirementsFile === undefined) {
    requirementsFile = '/tmp/requirements.txt';
  }
  steps.push(['python', ...pipInstallArgs({
    requirementsFile,
    targetDir: '/asset-output/python',
    pythonVersion: input.pythonVersion,
    architecture: input.architecture,
  }, input.pip, input.flags)]);
  if (input.compileBytecode) {
    steps.push(['python', ...compileArgs('/asset-output/python')]);
  }
  const script = steps.map(step => step.map(shellQuote).join(' ')).join(' && ');
  const writeText = input.requirementsFile === undefined
    ? `printf '%s\\n' "$${DOCKER_REQUIREMENTS_VARIABLE}" > /tmp/requirements.txt && ` : '';
  return ['bash', '-c', writeText + script];
}

/** The variables set in the build container besides the requirements' `${VAR}` values: pip reads no configuration file there either. */
export const DOCKER_PIP_ENVIRONMENT: Record<string, string> = { PIP_CONFIG_FILE: '/dev/null' };

/** Quotes a word for bash when it needs it. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, '\'\\\'\'')}'`;
}

/** What a refused pip option does: `editable` installs a local tree; `platform` lets pip build for this machine. */
export type RefusedPipOption = 'editable' | 'platform';

/**
 * Which of the options that would build for this machine instead of the Lambda platform `arg` spells, if any:
 * `-e`/`--editable` (`editable`), `--no-binary`, `--only-binary` other than `:all:` (`platform`). `next` is the
 * argument after it, the value of `--only-binary` when not attached with `=`. Read as pip's parser (optparse)
 * reads an argument, on the command line and in a requirements file alike: a long option also by a prefix of
 * its name (`--no-bin`, `--edit`; a prefix that pip finds ambiguous fails in pip anyway), a short option also in
 * a group of them and with its value attached (`-e./pkg`, `-qe`). One argument at a time: an argument that is
 * the value of the option before it (`-i -e`) is read as an option too, a refusal pip would not make.
 */
export function refusedPipOption(arg: string, next: string | undefined): RefusedPipOption | undefined {
  const long = /^(--[^=]+)(?:=(.*))?/s.exec(arg);
  const is = (option: string) => long !== null && option.startsWith(long[1]);
  if (is('--editable') || SHORT_EDITABLE.test(arg)) {
    return 'editable';
  }
  const onlyBinary = is('--only-binary') ? long![2] ?? next : undefined;
  return is('--no-binary') || (onlyBinary !== undefined && onlyBinary !== ':all:') ? 'platform' : undefined;
}

/**
 * A group of pip's short options that reaches `-e` before an option that takes a value (`-r`, `-c`, `-t`, `-C`, `-i`,
 * `-f`: the rest of the argument is that value): `-e`, `-e./pkg`, `-qe`, but not `-Ckey=e`.
 */
const SHORT_EDITABLE = /^-[^-rctCif]*e/;
