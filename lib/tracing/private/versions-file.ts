import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { ErrorId, TracingContract } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import { OTEL_PYTHON_LAYER, POWERTOOLS_PYTHON_LAYER } from '../layer-data';

/**
 * The app's layer versions file: the file named by the `cdk-traced-lambda:layerVersions` context key, written by
 * `cdk-traced-lambda layers --check --write FILE`. Format (docs/layer-data.md):
 *
 * ```json
 * { "format": "cdk-traced-lambda/layer-versions/1", "checkedOn": "2026-12-03T10:00:00.000Z",
 *   "layers": { "AWSOpenTelemetryDistroPython": { "us-east-1": { "version": 30, "release": "v0.19.0" } },
 *               "AWSLambdaPowertoolsPythonV3-python313-arm64": { "eu-west-1": { "version": 28 } } } }
 * ```
 *
 * The file is the user's, so it is checked like any input: a layer this library does not add, a region its data
 * does not know, a version that is not a positive whole number or a release that is not `vX.Y.Z` stop the synth
 * with the fix; its content is never echoed beyond the offending key.
 */
export interface LayerVersionsFile {
  /** The path as the context key gave it. */
  readonly path: string;
  /** When `layers --check` asked AWS (ISO date), as the file says. */
  readonly checkedOn: string;
  /** Layer name -> region -> version and, where known, release. */
  readonly layers: Record<string, Record<string, { readonly version: number; readonly release?: string }>>;
}

const CACHE = new Map<string, { mtimeMs: number; file: LayerVersionsFile }>();
const POWERTOOLS_NAME = new RegExp(`^${POWERTOOLS_PYTHON_LAYER.layerNamePrefix}-python3\\d{1,2}-(x86_64|arm64)$`);
const SAFE_KEY = /^[A-Za-z0-9_.-]{1,80}$/;

/** The versions file of `scope`'s app, or undefined when the context key is not set. Read once per file change. */
export function layerVersionsFile(scope: IConstruct): LayerVersionsFile | undefined {
  const named = scope.node.tryGetContext(TracingContract.LAYER_VERSIONS_CONTEXT_KEY);
  if (named === undefined) return undefined;
  const where = `the layer versions file named by context key ${TracingContract.LAYER_VERSIONS_CONTEXT_KEY}`;
  const fix = 'Fix: run `npx cdk-traced-lambda layers --check --write FILE` again and name that FILE in the context key, or remove the key to use the library\'s data.';
  if (typeof named !== 'string' || named.trim() === '') {
    throw new TracedLambdaError(ErrorId.LAYER_VERSIONS_FILE_INVALID, scope, `${where} must be a file path, but received ${JSON.stringify(named)?.slice(0, 80)}. ${fix}`);
  }
  const resolved = path.resolve(named);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(resolved);
  } catch {
    throw new TracedLambdaError(ErrorId.LAYER_VERSIONS_FILE_INVALID, scope, `${where} ('${named}', resolved to '${resolved}') does not exist. ${fix}`);
  }
  const cached = CACHE.get(resolved);
  if (cached && cached.mtimeMs === stat.mtimeMs) return cached.file;
  const file = parse(scope, named, resolved, where, fix);
  CACHE.set(resolved, { mtimeMs: stat.mtimeMs, file });
  return file;
}

function parse(scope: IConstruct, named: string, resolved: string, where: string, fix: string): LayerVersionsFile {
  const invalid = (what: string) => new TracedLambdaError(ErrorId.LAYER_VERSIONS_FILE_INVALID, scope, `${where} ('${named}') ${what}. ${fix}`);
  let json: any;
  try {
    json = JSON.parse(fs.readFileSync(resolved, 'utf-8'));
  } catch {
    throw invalid('is not readable JSON');
  }
  if (json === null || typeof json !== 'object' || json.format !== TracingContract.LAYER_VERSIONS_FORMAT) {
    throw invalid(`has no "format": "${TracingContract.LAYER_VERSIONS_FORMAT}"`);
  }
  if (typeof json.checkedOn !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(json.checkedOn) || typeof json.layers !== 'object' || json.layers === null) {
    throw invalid('needs "checkedOn" (an ISO date) and "layers" (an object)');
  }
  const layers: LayerVersionsFile['layers'] = {};
  for (const [name, regions] of Object.entries<any>(json.layers)) {
    if (!SAFE_KEY.test(name) || (name !== OTEL_PYTHON_LAYER.layerName && !POWERTOOLS_NAME.test(name))) {
      throw invalid(`names layer ${SAFE_KEY.test(name) ? `'${name}'` : '(a name with other characters)'}, which this library does not add; it knows ${OTEL_PYTHON_LAYER.layerName} and ${POWERTOOLS_PYTHON_LAYER.layerNamePrefix}-python3XY-<x86_64|arm64>`);
    }
    const known = name === OTEL_PYTHON_LAYER.layerName ? Object.keys(OTEL_PYTHON_LAYER.arns) : POWERTOOLS_PYTHON_LAYER.regions;
    layers[name] = {};
    for (const [region, entry] of Object.entries<any>(regions ?? {})) {
      if (!SAFE_KEY.test(region) || !known.includes(region)) {
        throw new TracedLambdaError(ErrorId.LAYER_VERSIONS_REGION_UNKNOWN, scope, `${where} ('${named}') names a version of ${name} for region `
          + `${SAFE_KEY.test(region) ? region : '(a name with other characters)'}, which the library's layer data (read ${OTEL_PYTHON_LAYER.readOn}) does not know, `
          + 'so the account that publishes the layer there is unknown. Fix: remove that region from the file; pass the layer for it yourself '
          + '(`layer: lambda.LayerVersion.fromLayerVersionArn(...)`); or upgrade cdk-traced-lambda once its data lists the region.');
      }
      const version = entry?.version;
      const release = entry?.release;
      if (!(Number.isInteger(version) && version > 0) || (release !== undefined && !(typeof release === 'string' && /^v\d+\.\d+\.\d+$/.test(release)))) {
        throw invalid(`gives ${name} in ${region} a version that is not a positive whole number, or a release that is not vX.Y.Z`);
      }
      layers[name][region] = release === undefined ? { version } : { version, release };
    }
  }
  return { path: named, checkedOn: json.checkedOn, layers };
}

/** The version the file gives `layerName` in `region`, with a description of where it came from. */
export function versionFromFile(file: LayerVersionsFile | undefined, layerName: string, region: string):
{ version: number; release?: string; source: string } | undefined {
  const entry = file?.layers[layerName]?.[region];
  if (!file || !entry) return undefined;
  return { ...entry, source: `layer versions file ${file.path} (checked ${file.checkedOn.slice(0, 10)})` };
}
