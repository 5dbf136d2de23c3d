import { LockTarget } from './markers';

/**
 * Whether a wheel can be installed on the Lambda runtime, judged by its file name tags
 * (https://packaging.python.org/en/latest/specifications/binary-distribution-format/ and
 * https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/, read 2026-11-27),
 * with the same manylinux ceiling pip is given for the layer: glibc 2.28 (manylinux_2_28) from python3.12 on
 * (Amazon Linux 2023), glibc 2.17 (manylinux2014) before (Amazon Linux 2).
 */

/** Python, ABI and platform tags of a wheel file name, each a set (`py2.py3`), or undefined when it is no wheel name. */
export function wheelTags(fileName: string): { python: string[]; abi: string[]; platform: string[] } | undefined {
  const m = /^([^-]+)-([^-]+)(?:-(\d[^-]*))?-([^-]+)-([^-]+)-([^-]+)\.whl$/i.exec(fileName);
  if (!m) {
    return undefined;
  }
  return { python: m[4].split('.'), abi: m[5].split('.'), platform: m[6].split('.') };
}

/** The highest glibc minor version the runtime's wheels may need. */
function glibcCeiling(pythonVersion: string): number {
  const [major, minor] = pythonVersion.split('.').map(Number);
  return major > 3 || (major === 3 && minor >= 12) ? 28 : 17;
}

function platformFits(platform: string, machine: string, ceiling: number): boolean {
  if (platform === 'any') {
    return true;
  }
  const legacy = /^(manylinux1|manylinux2010|manylinux2014)_(.+)$/.exec(platform);
  if (legacy) {
    // manylinux1, 2010 and 2014 need glibc 2.5, 2.12 and 2.17: at or below every runtime's ceiling.
    return legacy[2] === machine;
  }
  const modern = /^manylinux_(\d+)_(\d+)_(.+)$/.exec(platform);
  return modern !== null && modern[3] === machine && Number(modern[1]) === 2 && Number(modern[2]) <= ceiling;
}

function pythonFits(python: string, abi: string, minor: number): boolean {
  const cp = /^cp3(\d+)$/.exec(python);
  const py = /^py3(\d*)$/.exec(python);
  if (abi === 'none') {
    // pure or platform-only wheels: py3, py3X (X <= minor), cp3<minor>. Number('') is 0: py3 fits every minor.
    return (py !== null && Number(py[1]) <= minor) || (cp !== null && Number(cp[1]) === minor);
  }
  if (abi === 'abi3') {
    return cp !== null && Number(cp[1]) <= minor && Number(cp[1]) >= 2;
  }
  // The interpreter's own ABI (cp313); not the free-threaded one (cp313t), which Lambda does not run.
  return cp !== null && Number(cp[1]) === minor && abi === `cp3${minor}`;
}

/** Whether the wheel `fileName` installs on the Lambda Python runtime of `target`. */
export function wheelFitsTarget(fileName: string, target: LockTarget): boolean {
  const tags = wheelTags(fileName);
  if (!tags) {
    return false;
  }
  const minor = Number(target.pythonVersion.split('.')[1]);
  const machine = target.architecture === 'arm64' ? 'aarch64' : 'x86_64';
  const ceiling = glibcCeiling(target.pythonVersion);
  return tags.python.some(python => tags.abi.some(abi => pythonFits(python, abi, minor)))
    && tags.platform.some(platform => platformFits(platform, machine, ceiling));
}
