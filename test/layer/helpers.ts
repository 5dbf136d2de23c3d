import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { LayerBuildSpec, RequirementsInput } from '../../lib/layer/private/hash';
import { makeWheel } from '../helpers/wheels';

/** A fresh temporary directory, removed by `cleanTempDirs()`. */
const temps: string[] = [];
export function tempDir(prefix = 'layer-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
export function cleanTempDirs(): void {
  for (const dir of temps.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A layer test's folders: a fresh temporary `dir`, and `cacheDir` (not created) inside it. */
export interface LayerTestDirs {
  readonly dir: string;
  readonly cacheDir: string;
}

/**
 * Gives every test of the calling file fresh folders (through `use`, before each test) and removes them after it:
 * `let dir, cacheDir; eachTestInTempDir(d => ({ dir, cacheDir } = d));`.
 */
export function eachTestInTempDir(use: (dirs: LayerTestDirs) => void): void {
  beforeEach(() => {
    const dir = tempDir();
    use({ dir, cacheDir: path.join(dir, 'cache') });
  });
  afterEach(cleanTempDirs);
}

/** The real interpreter behind `python3` (skips the pyenv shim's start-up cost). */
export const REAL_PYTHON = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();

/** Writes an executable script and returns its path. */
export function script(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, body, { mode: 0o755 });
  return file;
}

/** A python wrapper that appends one line to `counterFile` per `pip install`, then runs the real python. */
export function countingPython(dir: string): { python: string; pipInstalls: () => number } {
  const counter = path.join(dir, 'pip-installs.log');
  const python = script(dir, 'counting-python', `#!/bin/sh
case " $* " in *" install "*) echo run >> "${counter}";; esac
exec "${REAL_PYTHON}" "$@"
`);
  return {
    python,
    pipInstalls: () => fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8').split('\n').filter(l => l).length : 0,
  };
}

/**
 * A fake python whose "pip install" records its argv and runs `shellBody` with $TARGET set to the
 * `-t` directory. `installs()` returns the argv of every install so far.
 */
export function fakePython(dir: string, shellBody: string): { python: string; installs: () => string[][] } {
  const log = path.join(dir, 'fake-pip-args.log');
  const python = script(dir, 'fake-python', `#!/bin/sh
case " $* " in *" install "*) ;; *) exit 0;; esac
TARGET=""
PREV=""
for a in "$@"; do
  if [ "$PREV" = "-t" ]; then TARGET="$a"; fi
  PREV="$a"
  printf '%s\\n' "$a" >> "${log}"
done
echo "--END--" >> "${log}"
mkdir -p "$TARGET"
${shellBody}
`);
  return {
    python,
    installs: () => !fs.existsSync(log) ? [] : fs.readFileSync(log, 'utf8').split('--END--\n').filter(c => c)
      .map(c => c.split('\n').filter(a => a)),
  };
}

/**
 * A fake pip that installs the package `fakepkg` (`fakepkg/__init__.py`, plus `files`, paths under the target):
 * fast, for tests about the construct rather than pip.
 */
export function quickPip(dir: string, files: string[] = []): { python: string; installs: () => string[][] } {
  const all = ['fakepkg/__init__.py', ...files];
  return fakePython(dir, all.map(f => `mkdir -p "$TARGET/${path.posix.dirname(f)}"; echo x > "$TARGET/${f}"`).join('\n'));
}

/**
 * A fake pip like `quickPip` that also keeps the text of the file it was given with `-r` (a lock's requirements
 * are a temporary file, gone after the build): `requirementsTexts()` holds one per install.
 */
export function readingPip(dir: string): { python: string; installs: () => string[][]; requirementsTexts: () => string[] } {
  const texts = path.join(dir, 'fake-pip-requirements.log');
  const pip = fakePython(dir, [
    'R=""; P=""; for a in "$@"; do if [ "$P" = "-r" ]; then R="$a"; fi; P="$a"; done',
    `cat "$R" >> "${texts}"; echo "--END--" >> "${texts}"`,
    'mkdir -p "$TARGET/fakepkg"; echo x > "$TARGET/fakepkg/__init__.py"',
  ].join('\n'));
  return { ...pip, requirementsTexts: () => fs.existsSync(texts) ? fs.readFileSync(texts, 'utf8').split('--END--\n').filter(t => t) : [] };
}

/** The names a requirements text pins (`name==version ...` lines), in order. */
export function pinnedNames(text: string): string[] {
  return text.split('\n').map(l => /^([^#\s=]+)==/.exec(l)?.[1]).filter((n): n is string => n !== undefined);
}

/** An installed distribution for `distPip`: its module `<name>/__init__.py`, METADATA (with `requires`) and RECORD. */
export interface FakeDist {
  readonly name: string;
  readonly requires?: string[];
}

/** A fake pip that installs `dists` as pip does (a package folder and a `.dist-info` with METADATA and RECORD). */
export function distPip(dir: string, dists: FakeDist[]): { python: string; installs: () => string[][] } {
  return fakePython(dir, dists.map(d => {
    const info = `$TARGET/${d.name}-1.0.dist-info`;
    const metadata = [`Name: ${d.name}`, 'Version: 1.0', ...(d.requires ?? []).map(r => `Requires-Dist: ${r}`)].join('\\n');
    return [
      `mkdir -p "$TARGET/${d.name}" "${info}"`,
      `echo x > "$TARGET/${d.name}/__init__.py"`,
      `printf 'Metadata-Version: 2.1\\n${metadata}\\n' > "${info}/METADATA"`,
      `printf '${d.name}/__init__.py,,\\n${d.name}-1.0.dist-info/METADATA,,\\n${d.name}-1.0.dist-info/RECORD,,\\n' > "${info}/RECORD"`,
    ].join('\n');
  }).join('\n'));
}

/** A package of a hand-written pylock.toml: its name, and optionally a PEP 508 marker and what it depends on. */
export interface PylockPackage {
  readonly name: string;
  readonly marker?: string;
  readonly dependencies?: string[];
}

/**
 * Writes a pylock.toml (PEP 751) of `packages` into `dir`, each version 1.0 with one wheel whose sha256 is made up
 * (a fake pip checks none), the lock's `dependency-groups` and `extras` being `groups` and `extras`; and, with
 * `dependencies`, a pyproject.toml whose project names them. Returns the lock's path.
 */
export function pylock(dir: string, packages: PylockPackage[],
  options: { dependencies?: string[]; groups?: string[]; extras?: string[] } = {}): string {
  const quoted = (names: string[]) => names.map(n => `'${n}'`).join(', ');
  const entries = packages.map((p, i) => [
    '', '[[packages]]', `name = '${p.name}'`, "version = '1.0'",
    ...p.marker ? [`marker = "${p.marker}"`] : [],
    ...p.dependencies ? [`dependencies = [${p.dependencies.map(d => `{name = '${d}'}`).join(', ')}]`] : [],
    `wheels = [{name = '${p.name.replace(/-/g, '_')}-1.0-py3-none-any.whl', url = 'https://files.example/${p.name}.whl', `
      + `hashes = {sha256 = '${String(i + 1).padStart(64, '0')}'}}]`,
  ].join('\n'));
  const lock = requirements(dir, ["lock-version = '1.0'", "created-by = 'test'", `dependency-groups = [${quoted(options.groups ?? [])}]`, `extras = [${quoted(options.extras ?? [])}]`,
    "default-groups = ['default']", ...entries].join('\n') + '\n', 'pylock.toml');
  if (options.dependencies) {
    requirements(dir, `[project]\nname = "app"\nversion = "0.1.0"\ndependencies = [${options.dependencies.map(d => `"${d}"`).join(', ')}]\n`,
      'pyproject.toml');
  }
  return lock;
}

/**
 * A build spec for tests of the build steps below the construct: a requirements file `/src/requirements.txt` naming
 * `six`, python3.13 on x86_64 with local pip and no pip options; `input` and the other fields override.
 */
export function buildSpec(overrides: Partial<Omit<LayerBuildSpec, 'input'>> & { input?: Partial<RequirementsInput> } = {}): LayerBuildSpec {
  const { input, ...rest } = overrides;
  return {
    constructPath: 'Stack/Deps',
    input: {
      file: '/src/requirements.txt',
      origin: '/src/requirements.txt',
      flags: [],
      names: ['six'],
      hashInputs: { sources: [{ name: 'requirements.txt', content: 'six\n' }], environment: {} },
      findLinks: [],
      environment: {},
      ...input,
    },
    runtimeName: 'python3.13',
    pythonVersion: '3.13',
    architecture: 'x86_64',
    dockerPlatform: 'linux/amd64',
    method: 'local',
    pythonExecutable: 'python3',
    pip: { extraIndexUrls: [], findLinks: [], noIndex: false, extraArgs: [], requireHashes: false },
    keepRuntimeProvidedPackages: false,
    compileBytecode: false,
    cacheDir: '/cache',
    ...rest,
  };
}

/** A wheelhouse with fake runtime-provided packages and packages that depend on them. */
export function wheelhouse(dir: string): string {
  const wh = path.join(dir, 'wheelhouse');
  makeWheel(wh, { name: 'botocore', version: '9.9', requires: ['jmespath', 'python-dateutil'] });
  makeWheel(wh, { name: 'jmespath', version: '9.9' });
  makeWheel(wh, { name: 'python-dateutil', version: '9.9', requires: ['six'] });
  makeWheel(wh, { name: 'six', version: '9.9' });
  makeWheel(wh, { name: 'boto3', version: '9.9', requires: ['botocore'] });
  makeWheel(wh, { name: 'Fake_App', version: '1.0', requires: ['boto3'] });
  makeWheel(wh, { name: 'tiny-dep', version: '1.0' });
  return wh;
}

/** Writes a requirements file and returns its path. */
export function requirements(dir: string, content: string, name = 'requirements.txt'): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** A new app and stack, with an outdir of its own. */
export function newStack(context?: Record<string, unknown>): { app: App; stack: Stack } {
  const app = new App({ outdir: tempDir('cdk-out-'), context });
  return { app, stack: new Stack(app, 'Stack') };
}

/** Relative paths of all files under `dir`, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        walk(full);
      } else {
        out.push(path.relative(dir, full).split(path.sep).join('/'));
      }
    }
  };
  walk(dir);
  return out.sort();
}

/** The layer's staged asset directory in the synthesized cloud assembly (one layer per app). */
export function stagedAsset(app: App): string {
  const outdir = app.synth().directory;
  const assets = fs.readdirSync(outdir).filter(e => e.startsWith('asset.'));
  if (assets.length !== 1) {
    throw new Error(`expected one asset in ${outdir}, found ${assets.join(', ')}`);
  }
  return path.join(outdir, assets[0]);
}

/** Captures what is written to stderr while `fn` runs. */
export function captureStderr<T>(fn: () => T): { result: T; stderr: string } {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    return { result: fn(), stderr: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

/**
 * Runs every test of the calling file without the machine's `PIP_*` variables (this machine sets PIP_FIND_LINKS,
 * PIP_CERT, PIP_DEFAULT_TIMEOUT), restoring them after each test; tests that need one set it themselves.
 */
export function withoutPipVariablesInEachTest(): void {
  let saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    saved = {};
    for (const name of Object.keys(process.env).filter(n => n.startsWith('PIP_'))) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterEach(() => {
    for (const name of Object.keys(process.env).filter(n => n.startsWith('PIP_'))) {
      delete process.env[name];
    }
    Object.assign(process.env, saved);
  });
}

/** Restores `process.env[name]` after each test of the calling file, so tests may set it freely. */
export function restoreEnvAfterEach(name: string): void {
  const previous = process.env[name];
  afterEach(() => {
    if (previous === undefined) {
      delete process.env[name];
    } else {
      process.env[name] = previous;
    }
  });
}

/** The argv of every run an `argv log` (one argument a line, `--END--` after each run) recorded. */
function readArgvLog(log: string): string[][] {
  return !fs.existsSync(log) ? [] : fs.readFileSync(log, 'utf8').split('--END--\n').filter(c => c)
    .map(c => c.split('\n').filter(a => a));
}

/**
 * A python named `name` in `dir` that is Python `version` (`3.13`) as far as the layer build can tell: a `-c` program
 * runs in the real interpreter with `sys.version_info` set to it; `-m compileall` is recorded and runs in the real
 * interpreter (or runs `compileBody`, a shell script, when given); anything else goes to `pip` (e.g. a
 * `quickPip(...).python`), or fails when there is none. It needs nothing on the PATH, so a test may empty it.
 * `compiles()` returns the argv of every compile.
 */
export function pythonOfVersion(dir: string, name: string, version: string, options: { pip?: string; compileBody?: string } = {}):
{ python: string; compiles: () => string[][] } {
  const [major, minor] = version.split('.');
  const log = path.join(dir, `${name}-compiles.log`);
  const python = script(dir, name, `#!/bin/sh
PATH="$PATH:/usr/bin:/bin"; export PATH
if [ "$1" = "-c" ]; then
  exec "${REAL_PYTHON}" -c "import sys; sys.version_info = (${major}, ${minor}, 0)
$2"
fi
if [ "$1" = "-m" ] && [ "$2" = "compileall" ]; then
  for a in "$@"; do printf '%s\\n' "$a" >> "${log}"; done
  echo "--END--" >> "${log}"
  ${options.compileBody ?? `exec "${REAL_PYTHON}" "$@"`}
fi
${options.pip ? `exec "${options.pip}" "$@"` : 'exit 1'}
`);
  return { python, compiles: () => readArgvLog(log) };
}
