import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { isUrl, ResolvedPipOptions, samBuildImage } from './pip';

/**
 * Salt for the asset hash: bump it whenever the way layers are built or post-processed changes,
 * so every cached and deployed layer is rebuilt.
 */
export const LAYER_BUILD_LOGIC_VERSION = '5';

/**
 * What pip installs: a requirements file or a generated requirements text, the flags it needs and
 * everything it depends on. A requirements.txt fills it from `parseRequirements`; a lock-file reader
 * fills it with a pinned, hashed text, `--require-hashes --no-deps` and the lock file's content.
 */
export interface RequirementsInput {
  /** Absolute path of the requirements file pip reads; undefined when `text` is given. */
  readonly file?: string;
  /** A generated requirements text, when there is no file pip can read. */
  readonly text?: string;
  /** The user's file this input comes from, for messages. */
  readonly origin: string;
  /** Extra pip flags the input needs, e.g. `--require-hashes`, `--no-deps`. */
  readonly flags: string[];
  /** Normalized names of the direct requirements: they and everything they require are kept. */
  readonly names: string[];
  /** Everything the text depends on besides `findLinks`: file names and contents, `${VAR}` values. */
  readonly hashInputs: unknown;
  /** Absolute local find-links directories named inside the input: their contents count in the hash. */
  readonly findLinks: string[];
  /** Environment variables the input refers to (`${VAR}`); passed into Docker. */
  readonly environment: Record<string, string>;
  /** Runtime-provided packages the input already left out before pip ran (a lock file's), for the build line. */
  readonly leftOut?: string[];
}

/** How a layer is built: after AUTO chose, or `auto` for a stack that is not bundled (nothing is built). */
export type BuildMethod = 'local' | 'docker' | 'auto';

/** Everything that decides what a layer build produces, and where it goes. */
export interface LayerBuildSpec {
  readonly constructPath: string;
  readonly input: RequirementsInput;
  /** `python3.13` */
  readonly runtimeName: string;
  /** `3.13` */
  readonly pythonVersion: string;
  /** `x86_64` or `arm64` */
  readonly architecture: string;
  /** `linux/amd64` or `linux/arm64` */
  readonly dockerPlatform: string;
  readonly method: BuildMethod;
  readonly pythonExecutable: string;
  readonly pip: ResolvedPipOptions;
  readonly keepRuntimeProvidedPackages: boolean;
  readonly compileBytecode: boolean;
  /** Absolute path. */
  readonly cacheDir: string;
  /** The key that signs and verifies cache entries (`CDK_TRACED_LAMBDA_CACHE_KEY`); never hashed or stored. */
  readonly signingKey?: string;
}

/**
 * The custom asset hash (sha256, hex) of a layer: every input that changes what gets built. pip runs isolated
 * from the machine's configuration (pip.ts), so nothing outside these inputs decides what it installs.
 */
export function layerAssetHash(spec: LayerBuildSpec, salt: string = LAYER_BUILD_LOGIC_VERSION): string {
  const inputs = {
    salt,
    requirements: spec.input.hashInputs,
    requirementsText: spec.input.text,
    requirementsFlags: spec.input.flags,
    requirementsFindLinks: spec.input.findLinks.map(directoryFingerprint),
    pythonVersion: spec.pythonVersion,
    architecture: spec.architecture,
    method: spec.method,
    dockerImage: spec.method === 'docker' ? samBuildImage(spec.runtimeName, spec.architecture) : undefined,
    pip: {
      indexUrl: spec.pip.indexUrl,
      extraIndexUrls: spec.pip.extraIndexUrls,
      findLinks: spec.pip.findLinks.map(l => isUrl(l) ? l : directoryFingerprint(l)),
      noIndex: spec.pip.noIndex,
      extraArgs: spec.pip.extraArgs,
      requireHashes: spec.pip.requireHashes,
    },
    keepRuntimeProvidedPackages: spec.keepRuntimeProvidedPackages,
    compileBytecode: spec.compileBytecode,
  };
  return crypto.createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}

const fileHashMemo = new Map<string, string>();

/**
 * Names and content hashes of the files directly in `location` (what pip's --find-links sees of a directory), or
 * of the wheel file it names; not its path.
 */
function directoryFingerprint(location: string): string[][] {
  if (!fs.statSync(location).isDirectory()) {
    return [[path.basename(location), fileDigest(location)]];
  }
  return fs.readdirSync(location, { withFileTypes: true })
    .filter(e => e.isFile())
    .map(e => e.name)
    .sort()
    .map(name => [name, fileDigest(path.join(location, name))]);
}

/** The sha256 of a file, memoized by its identity and times (a wheelhouse is hashed once per process). */
function fileDigest(file: string): string {
  const stat = fs.statSync(file);
  const key = `${file}\0${stat.size}\0${stat.mtimeMs}\0${stat.ctimeMs}\0${stat.ino}`;
  let digest = fileHashMemo.get(key);
  if (digest === undefined) {
    digest = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    fileHashMemo.set(key, digest);
  }
  return digest;
}
