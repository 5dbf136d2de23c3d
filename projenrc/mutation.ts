import { JsonFile, Project } from 'projen';

/**
 * Mutation testing (Stryker, jest runner, per-test coverage), split by area so each run finishes on 2 cores:
 * `npm run mutation:<area>` runs one area, `npm run mutation` all of them in turn. Every file of lib/ except
 * the re-exports in lib/index.ts is in exactly one area. Each area runs only the suites that exercise it.
 * Not part of CI (the whole list takes well over an hour on 2 cores); per-file scores go to docs/mutation.md.
 */
export const MUTATION_AREAS: Record<string, { readonly mutate: string[]; readonly tests: string[] }> = {
  // The nag pack: rules, their template readers, the acknowledgement helper and the pack itself.
  'nag': {
    mutate: ['lib/nag/**/*.ts'],
    tests: ['test/nag/**/*.test.ts'],
  },
  // lib/tracing in four areas, each against the suites written for its files: almost every tracing suite imports
  // lib/index.ts, so jest counts each of them related to every tracing file, and loads each one for every mutant
  // before it filters the covering tests by name (one list for all of lib/tracing: 2,249 mutants at about 5 a minute).
  // A mutant that only a suite of another area would kill counts as survived here: the split can only lower a score.
  // TracedFunction, Instrumentation and TracingAccountSetup: the constructs.
  'tracing': {
    mutate: ['lib/tracing/traced-function.ts', 'lib/tracing/instrumentation.ts', 'lib/tracing/instrumentation-options.ts',
      'lib/tracing/tracing-account-setup.ts', 'lib/tracing/private/at-synthesis.ts', 'lib/tracing/private/instrumentation-config.ts'],
    tests: ['test/tracing/traced-function.test.ts', 'test/tracing/instrumentation.test.ts', 'test/tracing/instrumentation-matrix.test.ts',
      'test/tracing/tracing-account-setup.test.ts', 'test/tracing/traced-function-layer.test.ts', 'test/tracing/open-telemetry.test.ts',
      'test/tracing/at-synthesis.test.ts'],
  },
  // The facts about AWS's layers and runtimes: layer data and ARNs, the versions file, runtimes, Powertools, the
  // X-Ray SDK notice. Not the generated layer data: a value, not logic (test/scripts/ checks it against the upstream files).
  'layer-facts': {
    mutate: ['lib/tracing/layer-data.ts', 'lib/tracing/published-layers.ts', 'lib/tracing/runtime-data.ts',
      'lib/tracing/private/layer-arns.ts', 'lib/tracing/private/layer-names.ts', 'lib/tracing/private/versions-file.ts',
      'lib/tracing/private/runtimes.ts', 'lib/tracing/private/powertools.ts', 'lib/tracing/private/xray-sdk-notice.ts'],
    tests: ['test/tracing/layer-data.test.ts', 'test/tracing/versions-file.test.ts', 'test/tracing/runtimes.test.ts',
      'test/tracing/traced-function-layer.test.ts', 'test/tracing/powertools.test.ts', 'test/tracing/powertools-ssm.test.ts',
      'test/tracing/legacy-adot.test.ts', 'test/tracing/instrumentation.test.ts', 'test/tracing/layer-arns.test.ts'],
  },
  // What the ADOT layer's wrapper does with each variable, the instrumentations, and the conflicts warned at synth;
  // with the nag suite that shares that reading, and the versions-file suite (the release of a version from the file).
  'otel': {
    mutate: ['lib/tracing/otel-wrapper-data.ts', 'lib/tracing/otel-wrapper.ts', 'lib/tracing/private/otel*.ts',
      'lib/tracing/private/application-signals.ts'],
    tests: ['test/tracing/open-telemetry.test.ts', 'test/tracing/otel-conflicts.test.ts', 'test/tracing/otel-instrumentations.test.ts',
      'test/otel-wrapper/**/*.test.ts', 'test/nag/otel-rules.test.ts', 'test/tracing/versions-file.test.ts'],
  },
  // The X-Ray grant (one per role), the role policies read from the template, and the aspect.
  'roles': {
    mutate: ['lib/tracing/private/role-policy.ts', 'lib/tracing/private/xray-grant.ts', 'lib/tracing/xray-permissions.ts',
      'lib/tracing/tracing-aspect.ts'],
    tests: ['test/tracing/role-policy.test.ts', 'test/tracing/xray-grant.test.ts', 'test/tracing/tracing-aspect.test.ts',
      'test/tracing/tracing-aspect-traced-function.test.ts'],
  },
  // The contract, the error class, the stack index, the CloudFormation readers and the Python name parser.
  'private': {
    mutate: ['lib/contract.ts', 'lib/private/**/*.ts'],
    tests: ['test/private/**/*.test.ts', 'test/nag/**/*.test.ts', 'test/tracing/**/*.test.ts', 'test/layer/requirements.test.ts'],
  },
  // The layer pipeline, in four areas, each against the suites written for its files: for each mutant, jest loads
  // every related suite of the area's list before it filters the covering tests by name, and most layer suites
  // build layers (one list for the whole pipeline measured 8 mutants a minute: over three hours).
  // The requirements reader and the layer's key (hashing).
  'requirements': {
    mutate: ['lib/layer/private/requirements.ts', 'lib/layer/private/hash.ts'],
    tests: ['test/layer/requirements.test.ts', 'test/layer/hash.test.ts'],
  },
  // The cache: verification of an entry, signing, and the post-processing that the manifest seals.
  'cache': {
    mutate: ['lib/layer/private/cache.ts', 'lib/layer/private/signature.ts', 'lib/layer/private/post-process.ts'],
    tests: ['test/layer/cache.test.ts', 'test/layer/cache-signing.test.ts', 'test/layer/post-process.test.ts'],
  },
  // pip's argv and isolation, its options and context keys, and the fix chosen for a pip failure.
  'pip': {
    mutate: ['lib/layer/private/pip.ts', 'lib/layer/private/pip-failure.ts', 'lib/layer/private/context.ts', 'lib/layer/pip-options.ts'],
    tests: ['test/layer/pip.test.ts', 'test/layer/pip-context.test.ts', 'test/layer/pip-failure.test.ts', 'test/layer/pip-isolation.test.ts'],
  },
  // PythonDependencyLayer itself: props, inputs, the bundling choice, local and Docker builds. Not
  // compile.test.ts and python-dependency-layer-packages.test.ts, which build real layers with real pip and
  // Python for seconds per test (npm test runs them).
  'layer': {
    mutate: ['lib/layer/python-dependency-layer.ts', 'lib/layer/bundling-strategy.ts', 'lib/layer/private/props.ts',
      'lib/layer/private/inputs.ts', 'lib/layer/private/bundling.ts', 'lib/layer/private/build.ts'],
    tests: ['test/layer/python-dependency-layer.test.ts', 'test/layer/python-dependency-layer-errors.test.ts',
      'test/layer/python-dependency-layer-docker.test.ts', 'test/layer/inputs.test.ts', 'test/layer/bundling-strategy.test.ts',
      'test/layer/build.test.ts'],
  },
  // The lock-file readers, against the readers' own suites: not layer.test.ts and sample-lock.test.ts, which build
  // layers from locks with real pip (seconds per mutant, hours for the area); a reader's behaviour is asserted
  // by the reader suites, the layer built from a lock by those two in npm test.
  'lock': {
    mutate: ['lib/layer/lock/**/*.ts'],
    tests: ['test/layer/lock/**/*.test.ts', '!**/test/layer/lock/layer.test.ts', '!**/test/layer/lock/sample-lock.test.ts'],
  },
};

/** One Stryker config per area (stryker/<area>.json), its tasks, and `mutation` running every area. */
export function addMutationTasks(project: Project): void {
  const all = project.addTask('mutation', {
    description: 'Mutation testing of every area of lib/, one area after another (npm run mutation:<area> for one); over an hour on 2 cores',
  });
  for (const [area, { mutate, tests }] of Object.entries(MUTATION_AREAS)) {
    const file = `stryker/${area}.json`;
    new JsonFile(project, file, {
      // No "//" marker key: Stryker warns about every key it does not know.
      marker: false,
      obj: {
        $schema: '../node_modules/@stryker-mutator/core/schema/stryker-schema.json',
        packageManager: 'npm',
        testRunner: 'jest',
        coverageAnalysis: 'perTest',
        ignoreStatic: true,
        // Fixed message wording is not mutated: tests assert ids and the values a message names, never its wording
        // (stryker/message-wording.cjs says exactly what it ignores; test/projenrc/message-wording-ignorer.test.ts).
        plugins: ['@stryker-mutator/*', './stryker/message-wording.cjs'],
        ignorers: ['message-wording'],
        mutate,
        jest: {
          projectType: 'custom',
          // Merged over package.json's jest config: only this area's suites, no coverage or junit reports.
          config: {
            collectCoverage: false,
            reporters: ['default'],
            testMatch: tests.map(t => t.startsWith('!') ? t : `<rootDir>/${t}`),
            testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '/dist/'],
            testTimeout: 120_000,
            maxWorkers: 2,
          },
          // Per mutant, only the suites that import the mutated file (and of those, only the tests that cover it).
          enableFindRelatedTests: true,
        },
        concurrency: 2,
        // Added to 1.5 times the covering tests' own time: a mutant that loops forever (an index walk that never
        // advances) costs this much, so it stays short; a timeout counts as detected.
        timeoutMS: 15_000,
        // Not copied into Stryker's sandbox: build and benchmark output (bench/out holds symlinks to folders,
        // which Stryker cannot copy), reports and caches.
        // `/.stryker-tmp`: Stryker leaves out only its own area's sandbox, so another area's would be copied in.
        ignorePatterns: ['/bench/out', '/reports', '/cdk.out', '/dist', '/artifacts', '/lib/**/*.js', '/.cdk-cache', '/.wheelhouse', '/.jsii', '/.stryker-tmp'],
        tempDirName: `.stryker-tmp/${area}`,
        // Incremental: a rerun tests only the mutants whose code or covering tests changed since the last run of the
        // area (its results are kept in reports/mutation/<area>/); `npm run mutation:<area> -- --force` tests all.
        incremental: true,
        incrementalFile: `reports/mutation/${area}/stryker-incremental.json`,
        reporters: ['clear-text', 'progress', 'html', 'json'],
        htmlReporter: { fileName: `reports/mutation/${area}/index.html` },
        jsonReporter: { fileName: `reports/mutation/${area}/mutation.json` },
        thresholds: { high: 90, low: 80, break: null },
      },
    });
    const task = project.addTask(`mutation:${area}`, {
      description: `Mutation testing of ${mutate.join(', ')} against ${tests.join(', ')}`,
      exec: `stryker run ${file}`,
      receiveArgs: true,
    });
    all.spawn(task);
  }
  project.addTask('mutation:table', {
    description: 'Per-file mutation scores of every area with a report (reports/mutation/<area>/mutation.json), as in docs/mutation.md',
    exec: 'ts-node --transpile-only scripts/mutation-table.ts',
  });
  project.addPackageIgnore('/stryker/');
}
