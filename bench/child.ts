// One measurement, in a fresh process (compiled to JS by build.ts and run with bare `node`).
// Both variants load the same modules (aws-cdk-lib and this library), so only the constructs differ.
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PythonDependencyLayer, TracedFunction } from '../lib';
import { reportResult } from './util';

/** What run.ts asks a child to do. */
export interface ChildInput {
  /** `traced`: N TracedFunctions + one PythonDependencyLayer; `plain`: N lambda.Functions + one LayerVersion; `layers`: layers only. */
  readonly mode: 'traced' | 'plain' | 'layers';
  /** Number of functions (traced and plain). */
  readonly n: number;
  /** The cloud assembly directory (created fresh by the parent). */
  readonly outdir: string;
  /** traced / layers: requirements files, one PythonDependencyLayer each. */
  readonly requirementsFiles: string[];
  /** traced / layers: the offline wheelhouse (findLinks, with noIndex). */
  readonly wheelhouse: string;
  /** traced / layers: the layer cache directory. */
  readonly cacheDir: string;
  /** layers: the Python interpreter that runs pip (the counting wrapper). */
  readonly pythonExecutable?: string;
  /** plain: the prebuilt layer directory (holding `python/`). */
  readonly layerDir?: string;
}

/** What a child reports. */
export interface ChildResult {
  /** Construct + `app.synth()`, milliseconds. */
  readonly synthMs: number;
  /** Construction of the layer(s) alone (for a PythonDependencyLayer: hashing its inputs, and building it on a cache miss), milliseconds. */
  readonly layersMs: number;
  /** From process start until the measured part starts (node start-up and module loading), milliseconds. */
  readonly loadMs: number;
  /** `process.resourceUsage().maxRSS`, KiB. */
  readonly maxRssKb: number;
  /** Resources in the synthesized template. */
  readonly resources: number;
  /** Asset hashes of the PythonDependencyLayers (layers and traced mode). */
  readonly layerHashes: string[];
}

const CODE = 'def handler(event, context):\n    return {"ok": True}\n';

function main(input: ChildInput): ChildResult {
  const loadMs = performance.now();
  const app = new App({
    outdir: input.outdir,
    // One stack holds every function: lift CDK's 500-resource check (N = 500 makes 1,000-1,500 resources).
    context: { '@aws-cdk/core:stackResourceLimit': 0 },
  });
  const stack = new Stack(app, 'Bench');
  const runtime = lambda.Runtime.PYTHON_3_13;
  const layerHashes: string[] = [];

  let layer: lambda.ILayerVersion | undefined;
  const layersStart = performance.now();
  if (input.mode === 'plain') {
    layer = new lambda.LayerVersion(stack, 'Deps', {
      code: lambda.Code.fromAsset(input.layerDir!),
      compatibleRuntimes: [runtime],
      compatibleArchitectures: [lambda.Architecture.X86_64],
    });
  } else {
    input.requirementsFiles.forEach((requirementsFile, i) => {
      const built = new PythonDependencyLayer(stack, i === 0 ? 'Deps' : `Deps${i}`, {
        requirementsFile,
        runtime,
        findLinks: [input.wheelhouse],
        noIndex: true,
        cacheDir: input.cacheDir,
        pythonExecutable: input.pythonExecutable,
      });
      layerHashes.push(built.assetHash);
      layer = layer ?? built;
    });
  }

  const layersMs = performance.now() - layersStart;

  for (let i = 0; i < (input.mode === 'layers' ? 0 : input.n); i++) {
    const props: lambda.FunctionProps = {
      runtime,
      handler: 'index.handler',
      code: lambda.Code.fromInline(CODE),
      layers: [layer!],
    };
    if (input.mode === 'traced') {
      new TracedFunction(stack, `Fn${i}`, props);
    } else {
      new lambda.Function(stack, `Fn${i}`, { ...props, tracing: lambda.Tracing.ACTIVE });
    }
  }
  const assembly = app.synth();
  const synthMs = performance.now() - loadMs;

  const template = JSON.parse(fs.readFileSync(path.join(assembly.directory, stack.templateFile), 'utf8'));
  const resources = Object.keys(template.Resources ?? {}).length;
  return { synthMs, layersMs, loadMs, maxRssKb: process.resourceUsage().maxRSS, resources, layerHashes };
}

reportResult(main(JSON.parse(process.argv[2]) as ChildInput));
// End now: node's own teardown after this (freeing the validation engine's WebAssembly memory and the
// heap) takes about a second, is not measured, and would only make the benchmark slower. The result is
// already written (pipe writes are synchronous on Linux); runChild accepts this SIGKILL after a result.
// BENCH_PROFILE=1 lets the process end normally, so that `node --cpu-prof` can write its profile.
if (process.env.BENCH_PROFILE !== '1') {
  process.kill(process.pid, 'SIGKILL');
}
