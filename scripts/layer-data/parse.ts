/**
 * Reads the layer facts out of the upstream files themselves and renders lib/tracing/layer-data.generated.ts.
 * Pure functions: the files' text in, data out. scripts/update-layer-data.ts fetches the files (or reads a
 * folder of copies) and writes the result; test/scripts/update-layer-data.test.ts runs these on real copies.
 *
 * Every value comes from the files: nothing is filled in. An upstream file that does not have the expected
 * shape stops the refresh with a message naming the file and what was missing (never its content).
 */

/** Where one upstream file came from. */
export interface UpstreamFile {
  /** GitHub repository, owner/name. */
  readonly repository: string;
  /** Path of the file in the repository. */
  readonly path: string;
  /** The commit read. */
  readonly commit: string;
  /** The tag, when the file was read at a tag. */
  readonly tag?: string;
  /** The commit's date (YYYY-MM-DD), when known. */
  readonly commitDate?: string;
  /** The file's text. */
  readonly text: string;
}

/** Everything a refresh reads. */
export interface UpstreamSnapshot {
  /** The day the files were read (YYYY-MM-DD). */
  readonly readOn: string;
  /** aws-otel/aws-otel.github.io src/config/lambdaLayerArns.js. */
  readonly otelArns: UpstreamFile;
  /** The ADOT Python release that table belongs to, and the evidence (the commit message naming it). */
  readonly otelRelease: { readonly release: string; readonly evidence: string };
  /** aws-otel/aws-otel.github.io src/config/supportedRuntimes.js (the docs page's runtime list). */
  readonly otelDocsRuntimes: UpstreamFile;
  /** aws-observability/aws-otel-python-instrumentation .github/workflows/release-build.yml at the release's tag. */
  readonly otelWorkflow: UpstreamFile;
  /** aws-powertools/powertools-lambda-python docs/getting-started/install.md. */
  readonly powertoolsInstall: UpstreamFile;
  /** aws-powertools/powertools-lambda-python docs/includes/_layer_homepage_x86.md (regional table). */
  readonly powertoolsRegions: UpstreamFile;
}

const OTEL_LAYER_NAME = 'AWSOpenTelemetryDistroPython';
const OTEL_ARN = /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):layer:AWSOpenTelemetryDistroPython:(\d+)$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const RELEASE = /^v\d+\.\d+\.\d+$/;
const PYTHON_RUNTIME = /^python3\.\d{1,2}$/;

/** Thrown when an upstream file does not say what the refresh needs. */
export class UpstreamFormatError extends Error {
  constructor(file: UpstreamFile, what: string) {
    super(`${file.repository} ${file.path}@${file.commit.slice(0, 12)}: ${what}. The refresh stops; nothing was written.`);
    this.name = 'UpstreamFormatError';
  }
}

/** The `python` tab's region -> layer version ARN map of lambdaLayerArns.js, in the file's order, checked. */
export function parseOtelArns(file: UpstreamFile): Record<string, string> {
  const tab = /\bpython:\s*\{[^{}]*?\barns:\s*\{([^{}]*)\}/.exec(file.text);
  if (!tab) throw new UpstreamFormatError(file, 'no `python: { ... arns: { ... } }` block');
  const arns: Record<string, string> = {};
  const entry = /"([^"\n]*)"\s*:\s*"([^"\n]*)"/g;
  for (const m of tab[1].matchAll(entry)) {
    const [, region, arn] = m;
    const parsed = OTEL_ARN.exec(arn);
    if (!REGION.test(region) || !parsed || parsed[2] !== region) {
      throw new UpstreamFormatError(file, `an entry of the python table is not "<region>": "arn:...:layer:${OTEL_LAYER_NAME}:<n>" for that region`);
    }
    if (region in arns) throw new UpstreamFormatError(file, `region ${region} is listed twice`);
    arns[region] = arn;
  }
  if (Object.keys(arns).length === 0) throw new UpstreamFormatError(file, 'the python table lists no ARN');
  return arns;
}

/** The Python runtimes the docs page lists (`{ runtime: 'Python 3.13' }` rows of the python tab). */
export function parseDocsRuntimes(file: UpstreamFile): string[] {
  const tab = /\bpython:\s*\{[^{}]*?\bdata:\s*\[([^\]]*)\]/.exec(file.text);
  if (!tab) throw new UpstreamFormatError(file, 'no `python: { ... data: [ ... ] }` block');
  const runtimes = [...tab[1].matchAll(/runtime:\s*'Python (3\.\d{1,2})'/g)].map(m => `python${m[1]}`);
  if (runtimes.length === 0) throw new UpstreamFormatError(file, 'the python tab lists no runtime');
  return runtimes;
}

/** What the release workflow publishes: `--compatible-runtimes` and `--compatible-architectures` of the layer. */
export function parseReleaseWorkflow(file: UpstreamFile): { runtimes: string[]; architectures: string[]; command: string } {
  if (!new RegExp(`LAYER_NAME:\\s*${OTEL_LAYER_NAME}\\s*$`, 'm').test(file.text)) {
    throw new UpstreamFormatError(file, `no \`LAYER_NAME: ${OTEL_LAYER_NAME}\``);
  }
  const runtimesLine = /--compatible-runtimes ([^\\\n]+)/.exec(file.text);
  const archLine = /--compatible-architectures ([^\\\n]+)/.exec(file.text);
  if (!runtimesLine || !archLine) throw new UpstreamFormatError(file, 'no --compatible-runtimes / --compatible-architectures in the publish-layer-version call');
  const runtimes = runtimesLine[1].trim().split(/\s+/);
  const architectures = archLine[1].trim().split(/\s+/).map(a => a.replace(/^"|"$/g, ''));
  if (!runtimes.every(r => PYTHON_RUNTIME.test(r)) || !architectures.every(a => a === 'x86_64' || a === 'arm64')) {
    throw new UpstreamFormatError(file, 'the compatible runtimes or architectures are not Python runtimes and x86_64/arm64');
  }
  return { runtimes, architectures: [...architectures].sort(), command: `--compatible-runtimes ${runtimes.join(' ')}` };
}

/** Powertools' layer table: publishing account and version, the SSM parameter, the Python versions of the SAR table. */
export function parsePowertoolsInstall(file: UpstreamFile): { account: string; version: number; runtimes: string[]; ssmParameter: string } {
  const arn = /`arn:aws:lambda:\{region\}:(\d{12}):layer:AWSLambdaPowertoolsPythonV3-\{python_version\}-x86_64:(\d+)`/.exec(file.text);
  const armArn = /`arn:aws:lambda:\{region\}:(\d{12}):layer:AWSLambdaPowertoolsPythonV3-\{python_version\}-arm64:(\d+)`/.exec(file.text);
  if (!arn || !armArn) throw new UpstreamFormatError(file, 'no x86_64 and arm64 row in the "Lambda Layer" table');
  if (arn[1] !== armArn[1] || arn[2] !== armArn[2]) throw new UpstreamFormatError(file, 'the x86_64 and arm64 rows name different accounts or versions');
  const ssm = /resolve:ssm:(\/aws\/service\/powertools\/python\/)\$\{Architecture\}\/\$\{PythonVersion\}\/latest/.exec(file.text);
  if (!ssm) throw new UpstreamFormatError(file, 'no `{{resolve:ssm:/aws/service/powertools/python/${Architecture}/${PythonVersion}/latest}}` example');
  const rows = [...file.text.matchAll(/^\| (3\.\d{1,2}) \| (x86_64|ARM64) \|/gm)];
  const versions = (arch: string) => rows.filter(r => r[2] === arch).map(r => `python${r[1]}`);
  const x86 = versions('x86_64');
  if (x86.length === 0 || x86.join() !== versions('ARM64').join()) {
    throw new UpstreamFormatError(file, 'the SAR table does not list the same Python versions for x86_64 and ARM64');
  }
  return { account: arn[1], version: Number(arn[2]), runtimes: x86, ssmParameter: `${ssm[1]}{architecture}/{runtime}/latest` };
}

/** The commercial regions of Powertools' regional table (the first tab; every tab lists the same ones). */
export function parsePowertoolsRegions(file: UpstreamFile, account: string): string[] {
  const rows = [...file.text.matchAll(/\| \*\*`([a-z0-9-]+)`\*\*\s+\| \*\*arn:aws:lambda:([a-z0-9-]+):(\d{12}):layer:AWSLambdaPowertoolsPythonV3-python(\d+)-x86_64:\d+\*\*/g)];
  const first = rows[0]?.[4];
  const regions = rows.filter(r => r[4] === first).map(r => {
    if (r[1] !== r[2] || r[3] !== account || !REGION.test(r[1])) throw new UpstreamFormatError(file, `a row names another region or account than ${account}`);
    return r[1];
  });
  if (regions.length === 0) throw new UpstreamFormatError(file, 'no regional row');
  return regions;
}

/** One file's provenance, as the data records it. */
function cite(file: UpstreamFile, readOn: string) {
  return {
    repository: file.repository,
    path: file.path,
    commit: file.commit,
    ...(file.tag ? { tag: file.tag } : {}),
    ...(file.commitDate ? { commitDate: file.commitDate } : {}),
    readOn,
  };
}

/** The layer data, from the upstream files. */
export function buildLayerData(s: UpstreamSnapshot) {
  if (!RELEASE.test(s.otelRelease.release)) throw new UpstreamFormatError(s.otelArns, 'the release of the table is not vX.Y.Z');
  const arns = parseOtelArns(s.otelArns);
  const docsRuntimes = parseDocsRuntimes(s.otelDocsRuntimes);
  const workflow = parseReleaseWorkflow(s.otelWorkflow);
  const powertools = parsePowertoolsInstall(s.powertoolsInstall);
  const regions = parsePowertoolsRegions(s.powertoolsRegions, powertools.account);
  return {
    readOn: s.readOn,
    openTelemetryPython: {
      layerName: OTEL_LAYER_NAME,
      release: s.otelRelease.release,
      runtimes: workflow.runtimes,
      architectures: workflow.architectures,
      arns: Object.fromEntries(Object.keys(arns).sort().map(r => [r, arns[r]])),
      runtimesFrom: 'the release workflow: it is the command that publishes the layer with its compatible runtimes, '
        + 'while the docs page is written by hand and lags it',
      docsRuntimes,
      sources: {
        arns: { ...cite(s.otelArns, s.readOn), release: s.otelRelease.release, releaseEvidence: s.otelRelease.evidence },
        runtimes: { ...cite(s.otelWorkflow, s.readOn), statement: workflow.command },
        docsRuntimes: cite(s.otelDocsRuntimes, s.readOn),
      },
    },
    powertoolsPython: {
      layerNamePrefix: 'AWSLambdaPowertoolsPythonV3',
      partition: 'aws',
      account: powertools.account,
      version: powertools.version,
      runtimes: powertools.runtimes,
      architectures: ['arm64', 'x86_64'],
      regions: [...regions].sort(),
      ssmParameter: powertools.ssmParameter,
      sources: {
        version: cite(s.powertoolsInstall, s.readOn),
        regions: cite(s.powertoolsRegions, s.readOn),
      },
    },
  };
}

/** The layer data's type. */
export type LayerData = ReturnType<typeof buildLayerData>;

/** lib/tracing/layer-data.generated.ts for `data`. */
export function renderLayerData(data: LayerData): string {
  return [
    '// Generated by scripts/update-layer-data.ts (`npm run update-layer-data`) from the upstream files each entry',
    '// cites under `sources`. Do not edit: change the script, or let the weekly workflow open a pull request.',
    '// docs/layer-data.md says how the data is read and which source wins where two disagree.',
    '/* eslint-disable */',
    `export const LAYER_DATA = ${JSON.stringify(data, null, 2)} as const;`,
    '',
  ].join('\n');
}
