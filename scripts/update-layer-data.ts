/**
 * `npm run update-layer-data [-- --from MANIFEST] [--out FILE] [--read-on YYYY-MM-DD] [--check]`
 *
 * Regenerates lib/tracing/layer-data.generated.ts from the upstream files (scripts/layer-data/parse.ts reads them):
 * - aws-otel/aws-otel.github.io src/config/lambdaLayerArns.js and supportedRuntimes.js at the default branch's
 *   newest commit; the ADOT Python release of the table is the newest commit of lambdaLayerArns.js whose message
 *   names a Python release ("Update Lambda layer ARNs for Python release v0.18.0");
 * - aws-observability/aws-otel-python-instrumentation .github/workflows/release-build.yml at that release's tag;
 * - aws-powertools/powertools-lambda-python docs/getting-started/install.md and docs/includes/_layer_homepage_x86.md.
 *
 * Without `--from` it reads them from GitHub (GITHUB_TOKEN is used if set); with `--from MANIFEST` it reads a
 * JSON manifest naming local copies and their provenance (test/fixtures/upstream/*.sources.json), so a refresh
 * can be reproduced exactly. `--check` writes nothing and exits 1 if the file would change.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildLayerData, renderLayerData, UpstreamFile, UpstreamSnapshot } from './layer-data/parse';

const DEFAULT_OUT = path.join(__dirname, '..', 'lib', 'tracing', 'layer-data.generated.ts');

/** A manifest entry: an UpstreamFile with `file` (relative to the manifest) instead of its text. */
type ManifestFile = Omit<UpstreamFile, 'text'> & { file: string };

/** Reads a snapshot from a manifest of local copies. */
export function snapshotFromManifest(manifestPath: string, readOn?: string): UpstreamSnapshot {
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf-8'));
  const dir = path.dirname(manifestPath);
  const load = (f: ManifestFile): UpstreamFile => {
    const { file, ...rest } = f;
    return { ...rest, text: fs.readFileSync(path.resolve(dir, file), 'utf-8') };
  };
  return {
    readOn: readOn ?? manifest.readOn,
    otelRelease: manifest.otelRelease,
    otelArns: load(manifest.otelArns),
    otelDocsRuntimes: load(manifest.otelDocsRuntimes),
    otelWorkflow: load(manifest.otelWorkflow),
    powertoolsInstall: load(manifest.powertoolsInstall),
    powertoolsRegions: load(manifest.powertoolsRegions),
  };
}

async function github(url: string): Promise<any> {
  const headers: Record<string, string> = { 'Accept': 'application/vnd.github+json', 'User-Agent': 'cdk-traced-lambda-update-layer-data' };
  if (process.env.GITHUB_TOKEN) headers.Authorization = `Bearer ${process.env.GITHUB_TOKEN}`;
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response.json();
}

async function raw(repository: string, ref: string, file: string): Promise<string> {
  const url = `https://raw.githubusercontent.com/${repository}/${ref}/${file}`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response.text();
}

async function headCommit(repository: string, file?: string): Promise<any[]> {
  const query = file ? `?path=${encodeURIComponent(file)}&per_page=100` : '?per_page=1';
  return github(`https://api.github.com/repos/${repository}/commits${query}`);
}

/** Reads the snapshot from GitHub. */
export async function snapshotFromGitHub(readOn: string): Promise<UpstreamSnapshot> {
  const docs = 'aws-otel/aws-otel.github.io';
  const arnsPath = 'src/config/lambdaLayerArns.js';
  const [head] = await headCommit(docs);
  const history = await headCommit(docs, arnsPath);
  const named = history.find((c: any) => /python release v\d+\.\d+\.\d+/i.test(c.commit.message));
  if (!named) throw new Error(`${docs} ${arnsPath}: no commit in the last 100 names a Python release; pass --from with the release named by hand`);
  const release = /python release (v\d+\.\d+\.\d+)/i.exec(named.commit.message)![1];
  const date = (c: any) => String(c.commit.committer.date).slice(0, 10);
  const file = async (repository: string, commit: any, p: string, tag?: string): Promise<UpstreamFile> => ({
    repository,
    path: p,
    commit: commit.sha,
    commitDate: date(commit),
    ...(tag ? { tag } : {}),
    text: await raw(repository, tag ?? commit.sha, p),
  });
  const instrumentation = 'aws-observability/aws-otel-python-instrumentation';
  const tagCommit = await github(`https://api.github.com/repos/${instrumentation}/commits/${release}`);
  const powertools = 'aws-powertools/powertools-lambda-python';
  const [powertoolsHead] = await headCommit(powertools);
  return {
    readOn,
    otelRelease: { release, evidence: `commit ${named.sha.slice(0, 12)} of ${date(named)}: "${named.commit.message.split('\n')[0].slice(0, 120)}"` },
    otelArns: await file(docs, head, arnsPath),
    otelDocsRuntimes: await file(docs, head, 'src/config/supportedRuntimes.js'),
    otelWorkflow: await file(instrumentation, tagCommit, '.github/workflows/release-build.yml', release),
    powertoolsInstall: await file(powertools, powertoolsHead, 'docs/getting-started/install.md'),
    powertoolsRegions: await file(powertools, powertoolsHead, 'docs/includes/_layer_homepage_x86.md'),
  };
}

async function main(argv: string[]): Promise<number> {
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const readOn = flag('--read-on') ?? new Date().toISOString().slice(0, 10);
  const out = flag('--out') ?? DEFAULT_OUT;
  const from = flag('--from');
  const snapshot = from ? snapshotFromManifest(from, flag('--read-on')) : await snapshotFromGitHub(readOn);
  const text = renderLayerData(buildLayerData(snapshot));
  const before = fs.existsSync(out) ? fs.readFileSync(out, 'utf-8') : undefined;
  if (argv.includes('--check')) {
    process.stdout.write(before === text ? `${out} is current\n` : `${out} would change: run npm run update-layer-data\n`);
    return before === text ? 0 : 1;
  }
  fs.writeFileSync(out, text);
  process.stdout.write(before === text ? `${out} unchanged\n` : `${out} written\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(code => process.exit(code), (e: Error) => {
    process.stderr.write(`update-layer-data: ${e.message}\n`);
    process.exit(2);
  });
}
