import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { defaultLayerStory, replacementFor } from './replacements';
import { ParseError, RemovablePackage, SourceReport, XRayUsage, XRayUsageKind } from './types';
import { LocalTraceUsageError, ToolErrorId } from '../common/errors';
import { safeLine } from '../common/safe-text';
import { TracingContract } from 'cdk-traced-lambda';

/**
 * Runs xray_usage.py (Python's own `ast` parser) over directories of Python sources, and finds the
 * packages in a directory that bring the X-Ray SDK. Node-only.
 */

/** The analyzer script (with source_files.py and xray_api.py beside it): the build copies it beside this file. */
export function analyzerScript(): string {
  const script = path.join(__dirname, 'xray_usage.py');
  if (!fs.existsSync(script)) {
    throw new LocalTraceUsageError(ToolErrorId.ANALYZER_MISSING, `cdk-traced-lambda is missing its analyzer script ${safeLine(script)}; `
      + 'rebuild it (`npx projen compile`) in a clone, or reinstall the package.');
  }
  return script;
}

/**
 * The PEP 503 normalized name and extras at the start of a requirements.txt line. The library's full parser
 * is private to it; this only has to recognize the two packages the X-Ray SDK comes with.
 */
function requirementName(spec: string): { name: string; extras: string[] } | undefined {
  const match = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?/.exec(spec);
  const normalize = (n: string) => n.trim().replace(/[-_.]+/g, '-').toLowerCase();
  return match ? { name: normalize(match[1]), extras: (match[2] ?? '').split(',').filter(e => e.trim()).map(normalize) } : undefined;
}

interface RawRoot {
  readonly root: string;
  readonly files: string[];
  readonly uses: Array<Omit<XRayUsage, 'replacement' | 'reference'>>;
  readonly errors: ParseError[];
}

/** Analyze each directory (one Python process for all of them); the reports are in the same order. */
export function analyzeSources(dirs: string[], python = 'python3'): SourceReport[] {
  if (dirs.length === 0) return [];
  const run = spawnSync(python, [analyzerScript(), ...dirs], {
    encoding: 'utf-8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 300_000,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' },
  });
  const code = (run.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'EACCES') {
    throw new LocalTraceUsageError(ToolErrorId.PYTHON_NOT_FOUND, `Cannot start the Python interpreter "${safeLine(python)}" (${code}); `
      + 'install python3 or pass --python PATH.');
  }
  const failed = (why: string) => new LocalTraceUsageError(ToolErrorId.ANALYZER_FAILED,
    `The analyzer could not run with "${safeLine(python)}": ${why}. Pass --python PATH (Python 3.8 or newer).`);
  if (run.error || run.status !== 0) {
    // The last line of Python's stderr (the exception), shortened: enough to act on, never a whole traceback.
    const last = run.error?.message ?? (run.stderr.trim().split('\n').pop() || `exit status ${run.status ?? run.signal}`);
    throw failed(safeLine(last.length > 300 ? `${last.slice(0, 300)}...` : last));
  }
  let roots: RawRoot[];
  try {
    roots = JSON.parse(run.stdout).roots;
  } catch {
    roots = [];
  }
  if (!Array.isArray(roots) || roots.length !== dirs.length) {
    throw failed(`it printed no report for the ${dirs.length === 1 ? 'directory' : `${dirs.length} directories`}`);
  }
  const story = defaultLayerStory();
  return roots.map((root, i) => {
    const uses: XRayUsage[] = root.uses.map((u) => ({
      ...u,
      file: u.file.split(path.sep).join('/'),
      ...replacementFor(u.kind as XRayUsageKind, u.detail, story),
    }));
    return {
      codeDir: path.resolve(dirs[i]),
      files: root.files.map((f) => f.split(path.sep).join('/')),
      uses,
      callSites: uses.filter((u) => u.kind !== 'import').length,
      errors: root.errors.map((e) => ({ ...e, file: e.file.split(path.sep).join('/') })),
    };
  });
}

/** The directories Python imports packages from in a layer (`python/`, `python/lib/<runtime>/site-packages`) or a code asset (its root). */
function siteDirs(dir: string): string[] {
  const out = [dir, path.join(dir, 'python')];
  const lib = path.join(dir, 'python', 'lib');
  if (fs.existsSync(lib)) {
    for (const version of fs.readdirSync(lib)) out.push(path.join(lib, version, 'site-packages'));
  }
  return out.filter((d) => fs.existsSync(d) && fs.statSync(d).isDirectory());
}

const XRAY_SDK = TracingContract.XRAY_SDK_PACKAGE;
const POWERTOOLS = TracingContract.POWERTOOLS_PACKAGE;

/**
 * The packages in `dir` (a layer or code asset) that exist for the X-Ray SDK: an installed `aws_xray_sdk`
 * (its package directory or `*.dist-info`), and requirements files that name `aws-xray-sdk` or
 * `aws-lambda-powertools[tracer]` (whose `tracer` extra is what brings the X-Ray SDK).
 */
export function findXRayPackages(dir: string, location: string): RemovablePackage[] {
  const found: RemovablePackage[] = [];
  for (const site of siteDirs(dir)) {
    const entries = fs.readdirSync(site);
    const distInfo = entries.find((e) => /^aws_xray_sdk-[^-]+\.dist-info$/i.test(e));
    if (distInfo || entries.includes('aws_xray_sdk')) {
      const powertools = entries.some((e) => /^aws_lambda_powertools-[^-]+\.dist-info$/i.test(e));
      found.push({
        name: XRAY_SDK,
        version: distInfo ? distInfo.replace(/^aws_xray_sdk-/i, '').replace(/\.dist-info$/, '') : undefined,
        location,
        path: site,
        note: powertools ? `${POWERTOOLS} is installed beside it: if it came with ${POWERTOOLS}[tracer], drop the [tracer] extra` : undefined,
      });
    }
  }
  for (const file of ['requirements.txt', path.join('python', 'requirements.txt')]) {
    const full = path.join(dir, file);
    if (!fs.existsSync(full) || !fs.statSync(full).isFile()) continue;
    for (const line of fs.readFileSync(full, 'utf-8').split(/\r?\n/)) {
      const spec = line.replace(/#.*$/, '').trim();
      if (!spec || spec.startsWith('-')) continue;
      const req = requirementName(spec);
      if (req?.name === XRAY_SDK) {
        found.push({ name: XRAY_SDK, location, path: full, note: `listed in ${file}: remove the line` });
      } else if (req?.name === POWERTOOLS && req.extras.includes('tracer')) {
        found.push({ name: XRAY_SDK, location, path: full, note: `brought by ${POWERTOOLS}[tracer] in ${file}: drop the [tracer] extra` });
      }
    }
  }
  return found;
}
