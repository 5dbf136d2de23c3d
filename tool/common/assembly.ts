import * as fs from 'fs';
import * as path from 'path';
import { LocalTraceUsageError, ToolErrorId } from './errors';
import { safeLine } from './safe-text';
import { InstrumentationName, TracingContract } from 'cdk-traced-lambda';

/**
 * Reads a synthesized cloud assembly (cdk.out) and finds what a local run of a Lambda function needs:
 * its code and layer asset directories, handler, runtime and plain-string environment.
 * Not part of the jsii API (it is not exported from lib/index.ts).
 */

/** One `AWS::Lambda::Function` found in the assembly. */
export interface AssemblyFunction {
  readonly stackName: string;
  readonly logicalId: string;
  /** Construct path without the leading slash, e.g. `MyStack/MyFunction/Resource`, if known. */
  readonly constructPath?: string;
  readonly properties: Record<string, any>;
  readonly metadata: Record<string, any>;
  /** Absolute directory of the stack's template, for asset paths. */
  readonly assemblyDir: string;
  readonly template: Record<string, any>;
  readonly assetManifest?: Record<string, any>;
}

/** Everything the runner needs about one function. */
export interface ResolvedFunction {
  readonly fn: AssemblyFunction;
  readonly functionName: string;
  readonly handler: string;
  readonly runtime: string;
  readonly codeDir: string;
  /** Directories to put on sys.path after the code dir, in Lambda's precedence order. */
  readonly layerPaths: string[];
  readonly environment: Record<string, string>;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** How the function records its trace: the X-Ray SDK (or none) through the daemon, or OpenTelemetry. */
  readonly tracing: 'x-ray' | 'opentelemetry';
  /** Why the function counts as OpenTelemetry-instrumented, e.g. `metadata cdk-traced-lambda:instrumentation=adot`. */
  readonly tracingReason?: string;
  /** Things that differ from Lambda, for the user to read. */
  readonly notes: string[];
}


function readJson(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch (e) {
    throw new LocalTraceUsageError(ToolErrorId.NO_CLOUD_ASSEMBLY, `Cannot read ${file} (${(e as Error).message}); synthesize the app again (\`npx cdk synth\`).`);
  }
}

/** List every Lambda function in the assembly (nested stage assemblies included). */
export function listFunctions(assemblyDir: string): AssemblyFunction[] {
  const dir = path.resolve(assemblyDir);
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new LocalTraceUsageError(ToolErrorId.NO_CLOUD_ASSEMBLY, `No cloud assembly at ${dir}: ${manifestFile} does not exist. `
      + 'Synthesize the app first (`npx cdk synth`) or pass --app <cdk.out directory>.');
  }
  const manifest = readJson(manifestFile);
  const out: AssemblyFunction[] = [];
  for (const [artifactId, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      out.push(...listFunctions(path.join(dir, artifact.properties.directoryName)));
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const template = readJson(path.join(dir, artifact.properties.templateFile));
    const stackName = artifact.properties.stackName ?? artifact.displayName ?? artifactId;
    const pathByLogicalId = new Map<string, string>();
    const metadataEntries: Record<string, any[]> = { ...(artifact.metadata ?? {}) };
    if (artifact.additionalMetadataFile && fs.existsSync(path.join(dir, artifact.additionalMetadataFile))) {
      Object.assign(metadataEntries, readJson(path.join(dir, artifact.additionalMetadataFile)));
    }
    for (const [constructPath, entries] of Object.entries(metadataEntries)) {
      for (const entry of entries ?? []) {
        if (entry?.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
          pathByLogicalId.set(entry.data, constructPath.replace(/^\//, ''));
        }
      }
    }
    const assetManifest = findAssetManifest(dir, manifest, artifact);
    for (const [logicalId, resource] of Object.entries<any>(template.Resources ?? {})) {
      if (resource?.Type !== 'AWS::Lambda::Function') continue;
      const metadata = resource.Metadata ?? {};
      out.push({
        stackName,
        logicalId,
        constructPath: metadata['aws:cdk:path'] ?? pathByLogicalId.get(logicalId),
        properties: resource.Properties ?? {},
        metadata,
        assemblyDir: dir,
        template,
        assetManifest,
      });
    }
  }
  return out;
}

function findAssetManifest(dir: string, manifest: any, stackArtifact: any): Record<string, any> | undefined {
  for (const dep of stackArtifact.dependencies ?? []) {
    const artifact = manifest.artifacts?.[dep];
    if (artifact?.type === 'cdk:asset-manifest' && artifact.properties?.file) {
      const file = path.join(dir, artifact.properties.file);
      if (fs.existsSync(file)) return readJson(file);
    }
  }
  return undefined;
}

function describe(fn: AssemblyFunction): string {
  return `${fn.constructPath ?? `${fn.stackName}/${fn.logicalId}`} (${fn.logicalId}, ${fn.properties.Runtime ?? 'no runtime'})`;
}

function isPython(fn: AssemblyFunction): boolean {
  return typeof fn.properties.Runtime === 'string' && fn.properties.Runtime.startsWith('python');
}

/** Up to 10 items on one line, then how many more (`--list` shows them all). */
function oneLineList(items: string[]): string {
  if (items.length === 0) return '(none)';
  const shown = items.slice(0, 10).join('; ');
  return items.length > 10 ? `${shown}; and ${items.length - 10} more (--list shows them all)` : shown;
}

/** Pick one function by construct path, logical id or unique substring; the only Python function by default. */
export function selectFunction(functions: AssemblyFunction[], functionId: string | undefined): AssemblyFunction {
  const list = oneLineList(functions.map(describe));
  if (!functionId) {
    const python = functions.filter(isPython);
    if (python.length === 1) return python[0];
    throw new LocalTraceUsageError(ToolErrorId.FUNCTION_NOT_SELECTED, `${python.length === 0 ? 'The app has no Python Lambda function' : `The app has ${python.length} Python Lambda functions`}; `
      + `choose one with --function <construct path | logical id | unique substring>. Functions: ${list}`);
  }
  const exact = functions.filter((f) => f.logicalId === functionId || f.constructPath === functionId.replace(/^\//, '')
    || f.constructPath === `${functionId.replace(/^\//, '')}/Resource`);
  if (exact.length === 1) return exact[0];
  const candidates = exact.length > 1 ? exact : functions.filter((f) =>
    `${f.constructPath ?? ''} ${f.logicalId}`.toLowerCase().includes(functionId.toLowerCase()));
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    throw new LocalTraceUsageError(ToolErrorId.FUNCTION_NOT_SELECTED, `No Lambda function matches "${safeLine(functionId)}". Functions: ${list}`);
  }
  throw new LocalTraceUsageError(ToolErrorId.FUNCTION_NOT_SELECTED, `"${safeLine(functionId)}" matches ${candidates.length} functions; use a longer construct path or the logical id: `
    + oneLineList(candidates.map(describe)));
}

/** The asset directory of a Code/Content property: resource metadata first, then the asset manifest by S3 key. */
function assetDir(fn: AssemblyFunction, resource: any, codeProp: any, what: string): string {
  const metaPath = resource?.Metadata?.['aws:asset:path'];
  if (typeof metaPath === 'string') return path.resolve(fn.assemblyDir, metaPath);
  const key = codeProp?.S3Key;
  if (typeof key === 'string') {
    const hash = key.replace(/\.zip$/, '').split('/').pop()!;
    const source = fn.assetManifest?.files?.[hash]?.source;
    if (source?.path) return path.resolve(fn.assemblyDir, source.path);
  }
  if (codeProp?.ZipFile !== undefined) {
    throw new LocalTraceUsageError(ToolErrorId.CODE_NOT_LOCAL, `${what} uses inline code (Code.fromInline); local trace needs an asset directory (Code.fromAsset).`);
  }
  throw new LocalTraceUsageError(ToolErrorId.CODE_NOT_LOCAL, `Cannot find the asset directory of ${what}: no aws:asset:path metadata and no asset `
    + `manifest entry for its S3 key (${JSON.stringify(codeProp?.S3Key)}). Synthesize with \`npx cdk synth\`.`);
}

const OTEL_INSTRUMENTATIONS: string[] = [InstrumentationName.ADOT, InstrumentationName.OPEN_TELEMETRY];

/** Whether the function is instrumented with OpenTelemetry (`openTelemetry()`, legacy `adot()`, or the OTel exec wrapper), and why. */
export function otelInstrumentation(fn: AssemblyFunction): string | undefined {
  const instrumentation = fn.metadata[TracingContract.INSTRUMENTATION_METADATA_KEY];
  if (typeof instrumentation === 'string' && OTEL_INSTRUMENTATIONS.includes(instrumentation)) {
    return `metadata ${TracingContract.INSTRUMENTATION_METADATA_KEY}=${instrumentation}`;
  }
  const wrapper = fn.properties.Environment?.Variables?.[TracingContract.EXEC_WRAPPER_VARIABLE];
  if (wrapper === TracingContract.OTEL_EXEC_WRAPPER) return `${TracingContract.EXEC_WRAPPER_VARIABLE}=${TracingContract.OTEL_EXEC_WRAPPER}`;
  return undefined;
}

/** Resolve code, layers and environment of a Python function. */
export function resolveFunction(fn: AssemblyFunction, envOverrides: Record<string, string>): ResolvedFunction {
  const p = fn.properties;
  if (!isPython(fn)) {
    throw new LocalTraceUsageError(ToolErrorId.FUNCTION_NOT_PYTHON, `${describe(fn)} is not a Python function; local trace runs Python handlers only.`);
  }
  const tracingReason = otelInstrumentation(fn);
  const notes: string[] = [];
  const resources = fn.template.Resources ?? {};
  const codeDir = assetDir(fn, resources[fn.logicalId], p.Code, `function ${fn.logicalId}`);

  // Lambda extracts layers into /opt in order, a later layer overwriting an earlier one's files:
  // so on sys.path a later layer comes first.
  const layerPaths: string[] = [];
  (p.Layers ?? []).forEach((layer: any, i: number) => {
    const ref = layer?.Ref;
    const resource = typeof ref === 'string' ? resources[ref] : undefined;
    if (resource?.Type !== 'AWS::Lambda::LayerVersion') {
      notes.push(`Layer ${i + 1} (${describeLayerReference(layer)}) is not a layer asset of this stack: not available locally, left out.`);
      return;
    }
    const dir = assetDir(fn, resource, resource.Properties?.Content, `layer ${ref}`);
    layerPaths.unshift(path.join(dir, 'python', 'lib', p.Runtime, 'site-packages'), path.join(dir, 'python'));
  });

  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries<any>(p.Environment?.Variables ?? {})) {
    if (typeof value === 'string') {
      environment[key] = value;
    } else if (!(key in envOverrides)) {
      notes.push(`Environment variable ${key} is ${JSON.stringify(value)}, resolved only at deploy time: left out (set it with --env ${key}=VALUE).`);
    }
  }
  Object.assign(environment, envOverrides);

  const functionName = typeof p.FunctionName === 'string' ? p.FunctionName : fn.logicalId;
  return {
    fn,
    functionName,
    handler: String(p.Handler ?? ''),
    runtime: p.Runtime,
    codeDir,
    layerPaths,
    environment,
    memoryMb: typeof p.MemorySize === 'number' ? p.MemorySize : 128,
    timeoutSeconds: typeof p.Timeout === 'number' ? p.Timeout : 3,
    tracing: tracingReason ? 'opentelemetry' : 'x-ray',
    tracingReason,
    notes,
  };
}

/**
 * A layer reference for a note: an ARN as written; one built at deploy time from a mapping (as
 * `Instrumentation.openTelemetry()` does in a region-agnostic stack) by its layer name and mapping, not as raw JSON.
 */
export function describeLayerReference(layer: unknown): string {
  if (typeof layer === 'string') return layer;
  const text = JSON.stringify(layer) ?? String(layer);
  const name = /:layer:([A-Za-z0-9_-]+)/.exec(text)?.[1];
  const mapping = /"Fn::FindInMap":\["([^"]+)"/.exec(text)?.[1];
  if (name && mapping) return `${name}, its ARN looked up per region in the mapping ${mapping} at deploy time`;
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
