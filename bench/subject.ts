// The one module through which the benchmarks reach this library's API, and the parts of the
// benchmarks that follow the library's choices (the instrumentations compared, the cache verifier).
// When the library's API changes (a construct moves, an instrumentation is added or becomes the
// default), this is the file to edit; the scenarios import from here only.
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { Instrumentation } from '../lib';
import { VerifyStats } from './cache-verify-fallback';
import { MANIFEST_FILE, verifyCacheEntry as libraryVerify, writeManifest } from '../lib/layer/private/cache';

export { Instrumentation, PythonDependencyLayer, TracedFunction, TracingChecks } from '../lib';

/** One instrumentation the overhead scenario compares with its hand-written equivalent. */
export interface InstrumentationCase {
  /** Short name, used in tables and on the command line (`bench/overhead-child.ts`). */
  readonly name: string;
  /** What the table says about it (e.g. that it is a stand-in). */
  readonly label: string;
  /**
   * The instrumentation TracedFunction gets, made once per stack (`scope`). Its hand-written
   * equivalent adds whatever layers and environment variables this instrumentation puts on a function,
   * read from a probe TracedFunction (see overhead-child.ts), so no list here can drift from the library.
   */
  readonly make: (scope: Construct) => Instrumentation;
}

/** The instrumentations compared, in this order: every choice TracedFunction offers that synthesizes offline. */
export function instrumentationCases(): InstrumentationCase[] {
  return [
    { name: 'none', label: '`Instrumentation.none()`', make: () => Instrumentation.none() },
    { name: 'xray-sdk', label: '`Instrumentation.xraySdk()`', make: () => Instrumentation.xraySdk() },
    { name: 'open-telemetry', label: '`Instrumentation.openTelemetry()` (the default)', make: () => Instrumentation.openTelemetry() },
  ];
}

/**
 * Layer cache verification (issue 14.4): the library verifies every cache hit against the manifest it
 * wrote after the build (lib/layer/private/cache.ts). The "without" variant of the warm synth sets
 * VERIFICATION_OFF_ENV, which only bench/verify-app.ts reads: it replaces the library's verifier with
 * one that accepts every entry, in that benchmark process only. The library itself has no switch to
 * skip verification.
 */
export const LIBRARY_VERIFIES_CACHE = true;

/** Read by bench/verify-app.ts only (never by the library): skip the verifier in that process. */
export const VERIFICATION_OFF_ENV: { [key: string]: string } = { CDK_TRACED_LAMBDA_BENCH_SKIP_VERIFY: '1' };

/** Makes cache entry `dir` (with a `python/` folder) verifiable: writes its manifest the way the library does after a build. */
export function prepareVerification(dir: string, _manifestFile: string): void {
  if (!fs.existsSync(path.join(dir, MANIFEST_FILE))) {
    writeManifest(dir);
  }
}

/** Verifies cache entry `dir` with the library's verifier (timed); throws if it does not match. */
export function verifyCacheEntry(dir: string, _manifestFile: string): VerifyStats {
  const result = libraryVerify(dir);
  if (!result.ok) {
    throw new Error(`bench: cache entry ${dir} failed verification: ${result.problems.join('; ')}`);
  }
  return { files: result.files, bytes: result.bytes };
}
