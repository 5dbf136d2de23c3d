import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeSources, findXRayPackages } from './analyze';
import { defaultLayerStory, layerStoryOf, tellForFunction } from './replacements';
import { FunctionMigration, MigrationReport, RemovablePackage, SourceReport } from './types';
import { AssemblyFunction, listFunctions, resolveFunction } from '../common/assembly';
import { LocalTraceUsageError, ToolErrorId } from '../common/errors';
import { safeLine } from '../common/safe-text';
import { InstrumentationName, TracingContract } from 'cdk-traced-lambda';

/**
 * Builds the migration report: which X-Ray SDK uses are where, what replaces them, and per function
 * what to change in the CDK app. Node-only.
 */

/** What to analyze. */
export interface MigrateOptions {
  /** A cloud assembly directory (cdk.out); not with `sourceDir`. */
  readonly assemblyDir?: string;
  /** Only the functions whose construct path or logical id contains this (case-insensitive). */
  readonly functionFilter?: string;
  /** A directory of Python sources; not with `assemblyDir`. */
  readonly sourceDir?: string;
  /** The Python interpreter that runs the analyzer. */
  readonly python?: string;
}

function isPython(fn: AssemblyFunction): boolean {
  return typeof fn.properties.Runtime === 'string' && fn.properties.Runtime.startsWith('python');
}

function constructPathOf(fn: AssemblyFunction): string {
  return fn.constructPath ?? `${fn.stackName}/${fn.logicalId}`;
}

/** Where a function's code and layers are on disk, and what could not be found. */
interface Located {
  readonly fn: AssemblyFunction;
  readonly codeDir?: string;
  readonly layers: Array<{ readonly dir: string; readonly label: string }>;
  readonly notes: string[];
  readonly tempDir?: string;
}

function layerLabel(fn: AssemblyFunction, dir: string): string {
  for (const [id, resource] of Object.entries<any>(fn.template.Resources ?? {})) {
    const assetPath = resource?.Metadata?.['aws:asset:path'];
    if (resource?.Type === 'AWS::Lambda::LayerVersion' && typeof assetPath === 'string'
      && path.resolve(fn.assemblyDir, assetPath) === dir) {
      return `layer ${resource.Metadata?.['aws:cdk:path'] ?? id}`;
    }
  }
  return `layer ${path.basename(dir)}`;
}

function locate(fn: AssemblyFunction): Located {
  const zipFile = fn.properties.Code?.ZipFile;
  if (typeof zipFile === 'string') {
    // Code.fromInline: Lambda writes the source to index.py; analyze the same file.
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-traced-lambda-migrate-'));
    fs.writeFileSync(path.join(tempDir, 'index.py'), zipFile);
    return { fn, codeDir: tempDir, tempDir, layers: [], notes: ['Inline code (Code.fromInline): analyzed as index.py.'] };
  }
  // Only the code and layer directories resolveFunction finds are needed here: it gets the function without
  // the instrumentation metadata and environment, which only decide how local trace would run it.
  const { Environment: _environment, ...properties } = fn.properties;
  try {
    const resolved = resolveFunction({ ...fn, metadata: {}, properties }, {});
    const layerDirs = resolved.layerPaths.filter((p) => path.basename(p) === 'python').map((p) => path.dirname(p)).reverse();
    return {
      fn,
      codeDir: resolved.codeDir,
      layers: layerDirs.map((dir) => ({ dir, label: layerLabel(fn, dir) })),
      notes: resolved.notes.filter((n) => n.startsWith('Layer ')).map((n) => n.replace('not available locally, left out', 'not inspected')),
    };
  } catch (e) {
    if (e instanceof LocalTraceUsageError) return { fn, layers: [], notes: [`Code not analyzed: ${e.message}`] };
    throw e;
  }
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function instrumentationOf(fn: AssemblyFunction): string | null {
  const value = fn.metadata[TracingContract.INSTRUMENTATION_METADATA_KEY];
  return typeof value === 'string' ? value : null;
}

const TARGET = 'instrumentation: Instrumentation.openTelemetry()';

/** What to do next for one function, most important first. */
export function nextSteps(instrumentation: string | null, source: SourceReport, packages: RemovablePackage[]): string[] {
  const hasWork = source.uses.length > 0 || packages.length > 0 || source.errors.length > 0;
  const switchTo = ({
    [InstrumentationName.XRAY_SDK]: `Set \`${TARGET}\` on the TracedFunction (it is Instrumentation.xraySdk()).`,
    [InstrumentationName.POWERTOOLS]: `Set \`${TARGET}\` on the TracedFunction (Instrumentation.powertools() brings the Powertools Tracer, built on the X-Ray SDK).`,
    [InstrumentationName.ADOT]: `Set \`${TARGET}\` on the TracedFunction (Instrumentation.adot() is aws-cdk-lib's legacy ADOT layer).`,
  } as Record<string, string>)[instrumentation ?? ''];
  if (!hasWork) {
    return [switchTo ?? 'Nothing to migrate: no X-Ray SDK use and no X-Ray SDK package.'];
  }
  const steps: string[] = [];
  if (switchTo) {
    steps.push(switchTo);
  } else if (instrumentation === InstrumentationName.OPEN_TELEMETRY) {
    // Both take the trace from Lambda's _X_AMZN_TRACE_ID: the layer's otel_wrapper.py (custom_event_context_extractor,
    // aws-observability/aws-otel-python-instrumentation lambda-layer/src/otel_wrapper.py at v0.18.0 and v0.19.0) and the
    // X-Ray SDK's LambdaContext (aws/aws-xray-sdk-python aws_xray_sdk/core/lambda_launcher.py, 2.15.0). `trace` shows the same.
    steps.push('The construct already uses Instrumentation.openTelemetry(): remove the X-Ray SDK below. Its subsegments join the same '
      + 'trace as the layer\'s spans (both take it from Lambda\'s _X_AMZN_TRACE_ID), so every call both instrument is recorded twice.');
  } else {
    steps.push(`Use a TracedFunction with \`${TARGET}\` (this function ${instrumentation ? `has instrumentation ${instrumentation}` : 'is not a TracedFunction'}).`);
  }
  if (source.callSites > 0) {
    const files = new Set(source.uses.map((u) => u.file)).size;
    steps.push(`Replace the X-Ray SDK call sites (${source.callSites} in ${plural(files, 'file')}) by their OpenTelemetry replacements, listed with the uses, and remove the imports.`);
  } else if (source.uses.length > 0) {
    steps.push(`Remove the ${plural(source.uses.length, 'X-Ray SDK import')} (no call sites remain).`);
  }
  for (const where of new Set(packages.map((p) => p.location))) {
    steps.push(where === 'code'
      ? 'Stop bundling aws-xray-sdk with the function code.'
      : `Drop aws-xray-sdk from the requirements of ${where} (the layer stays for its other packages).`);
  }
  if (source.errors.length > 0) {
    steps.push(`Fix or remove the ${plural(source.errors.length, 'file')} Python could not parse (see errors), so every use is found.`);
  }
  return steps;
}

/** `3 files`, `1 file`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function totals(sources: SourceReport[], packages: number): MigrationReport['totals'] {
  return {
    uses: sources.reduce((n, s) => n + s.uses.length, 0),
    callSites: sources.reduce((n, s) => n + s.callSites, 0),
    filesWithUses: sources.reduce((n, s) => n + new Set(s.uses.map((u) => u.file)).size, 0),
    parseErrors: sources.reduce((n, s) => n + s.errors.length, 0),
    removablePackages: packages,
  };
}

function emptySource(codeDir: string): SourceReport {
  return { codeDir, files: [], uses: [], callSites: 0, errors: [] };
}

/** Build the report for a cloud assembly or a source directory. Throws LocalTraceUsageError for bad input. */
export function buildReport(options: MigrateOptions): MigrationReport {
  if (options.sourceDir !== undefined) {
    const dir = path.resolve(options.sourceDir);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new LocalTraceUsageError(ToolErrorId.SOURCE_DIR_NOT_FOUND, `Source directory ${safeLine(dir)} does not exist or is not a directory; `
        + 'pass the directory of your Python files, or --app DIR for the functions of a cloud assembly.');
    }
    const [source] = analyzeSources([dir], options.python);
    const packages = findXRayPackages(dir, 'code');
    return {
      schemaVersion: 1,
      input: { kind: 'directory', path: dir },
      functions: [],
      directory: { ...source, removablePackages: packages },
      totals: totals([source], packages.length),
    };
  }
  const assemblyDir = path.resolve(options.assemblyDir ?? 'cdk.out');
  if (!fs.existsSync(assemblyDir) || !fs.statSync(assemblyDir).isDirectory()) {
    throw new LocalTraceUsageError(ToolErrorId.NO_CLOUD_ASSEMBLY, `No cloud assembly at ${safeLine(assemblyDir)}: the directory does not exist. `
      + 'Run `npx cdk synth` first, or pass --app DIR or a source directory.');
  }
  // listFunctions throws NO_CLOUD_ASSEMBLY itself for a manifest or template that is missing or not JSON.
  let functions = listFunctions(assemblyDir).filter(isPython);
  if (options.functionFilter !== undefined) {
    const wanted = options.functionFilter.toLowerCase();
    const all = functions;
    functions = functions.filter((f) => `${constructPathOf(f)} ${f.logicalId}`.toLowerCase().includes(wanted));
    if (functions.length === 0) {
      throw new LocalTraceUsageError(ToolErrorId.FUNCTION_NOT_SELECTED, 'No Python Lambda function matches --function '
        + `"${safeLine(options.functionFilter)}"; ${all.length === 0 ? 'the app has none (migrate reads Python functions only)'
          : `pass part of one of the app's: ${all.map((f) => safeLine(constructPathOf(f))).join(', ')}`}.`);
    }
  }
  const located = functions.map(locate);
  try {
    const withCode = located.filter((l) => l.codeDir !== undefined);
    const sources = analyzeSources(withCode.map((l) => l.codeDir!), options.python);
    const sourceOf = new Map(withCode.map((l, i) => [l, sources[i]]));
    const reports: FunctionMigration[] = located.map((l) => {
      const source = sourceOf.get(l) ?? emptySource('');
      const packages = [
        ...(l.codeDir && !l.tempDir ? findXRayPackages(l.codeDir, 'code') : []),
        ...l.layers.flatMap((layer) => findXRayPackages(layer.dir, layer.label)),
      ];
      const instrumentation = instrumentationOf(l.fn);
      const layer = layerStoryOf(asArray(l.fn.properties.Layers), l.fn.properties.Environment?.Variables ?? {}) ?? defaultLayerStory();
      const handler = String(l.fn.properties.Handler ?? '');
      return {
        constructPath: constructPathOf(l.fn),
        stackName: l.fn.stackName,
        logicalId: l.fn.logicalId,
        runtime: String(l.fn.properties.Runtime),
        handler: String(l.fn.properties.Handler ?? ''),
        instrumentation,
        ...source,
        uses: tellForFunction(source.uses, layer, handler),
        openTelemetryLayer: layer,
        codeDir: l.tempDir ? '(inline code)' : source.codeDir,
        removablePackages: packages,
        nextSteps: nextSteps(instrumentation, source, packages),
        notes: l.notes,
      };
    });
    return {
      schemaVersion: 1,
      input: { kind: 'assembly', path: assemblyDir },
      functions: reports,
      totals: totals(reports, reports.reduce((n, r) => n + r.removablePackages.length, 0)),
    };
  } finally {
    for (const l of located) if (l.tempDir) fs.rmSync(l.tempDir, { recursive: true, force: true });
  }
}
