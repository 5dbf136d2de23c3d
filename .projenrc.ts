import { awscdk, javascript, JsonFile } from 'projen';
import { addLayerDataWorkflow } from './projenrc/layer-data-workflow';
import { addMutationTasks } from './projenrc/mutation';
import { ReleaseWorkflowFixes } from './projenrc/release-workflows';

// The Python the test suite needs on a GitHub runner, as this project's machines have it: python3 is 3.11 with
// pip, boto3, aws-xray-sdk and wrapt (the sample handlers run under it), python3.12 and python3.13 exist (layer
// bytecode is compiled with the target version), and setuptools/wheel build the offline wheel (package:python).
// setup-python puts every listed version on PATH and makes the last one `python3`.
const PYTHON_FOR_TESTS = [
  { name: 'Set up Python', uses: 'actions/setup-python@v7.0.0', with: { 'python-version': '3.13\n3.12\n3.11' } },
  { name: 'Python packages for the tests', run: 'python3 -m pip install boto3 aws-xray-sdk wrapt setuptools wheel' },
];

// The single source of truth for package.json, tsconfig*.json, the jest config and the tasks.
// Change this file, run `npx projen`, commit both.
const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-traced-lambda',
  description: 'AWS CDK constructs for X-Ray traced Python Lambda functions: active tracing, X-Ray permissions, '
    + 'X-Ray SDK or ADOT instrumentation and cached dependency layers built from requirements.txt.',
  author: 'cdk-traced-lambda developers',
  authorAddress: 'dev@example.com',
  repositoryUrl: 'https://github.com/example/cdk-traced-lambda.git',
  keywords: ['cdk', 'aws-cdk', 'lambda', 'x-ray', 'tracing', 'python', 'opentelemetry', 'adot'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Versions: aws-cdk-lib pinned exactly, TypeScript kept below 7 (7 breaks ts-node and ts-jest).
  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',

  // Layout.
  srcdir: 'lib',
  libdir: 'dist',
  artifactsDirectory: 'artifacts',
  entrypoint: 'dist/index.js',
  entrypointTypes: 'dist/index.d.ts',

  // Release like a Construct Hub library: projen generates the GitHub Actions workflows (.github/workflows/): build on
  // every pull request, release on every push to main (bump the 0.x version from the commits, build, tag, GitHub
  // release, then publish the same artifacts to npm and PyPI), and a weekly dependency-upgrade pull request.
  // .ci/run stays the offline CI of record and validates these workflows (action-validator). Secrets the
  // workflows read: NPM_TOKEN, TWINE_USERNAME/TWINE_PASSWORD, PROJEN_GITHUB_TOKEN (docs/development.md).
  release: true,
  github: true,
  buildWorkflow: true,
  releaseToNpm: true,
  // 0.x until the API is declared stable: breaking changes bump the minor version.
  majorVersion: 0,
  // The workflows run the Node this project is developed and tested on (Stryker 9.6 and the tests target 20).
  workflowNodeVersion: '20.x',
  // The release task's version bump. 13.x needs Node 22; 12.x runs on the workflows' Node 20.
  bumpPackage: 'commit-and-tag-version@^12',
  // The build and release jobs run the whole test suite, which runs pip, Python handlers and bytecode compiles:
  // give them what this project's own machines have (docs/development.md, "CI").
  buildWorkflowOptions: { preBuildSteps: PYTHON_FOR_TESTS },
  releaseWorkflowSetupSteps: PYTHON_FOR_TESTS,
  depsUpgrade: true,
  depsUpgradeOptions: {
    // aws-cdk-lib and constructs are the minimum versions users need (peer dependencies), moved on purpose;
    // jsii and TypeScript move together, by hand (jsii 6.0 compiles TypeScript 6.0); Stryker 9.6 is the last line
    // for Node 20.
    exclude: ['aws-cdk-lib', 'constructs', 'jsii', 'jsii-rosetta', 'typescript', '@stryker-mutator/core', '@stryker-mutator/jest-runner'],
    workflowOptions: { schedule: javascript.UpgradeDependenciesSchedule.WEEKLY },
  },
  // No pull-request template or mergify: reviews are by hand. The PR title lint (conventional commits) stays
  // off: the changelog is kept by hand in CHANGELOG.md, not generated from commit titles.
  pullRequestTemplate: false,
  githubOptions: { mergify: false, pullRequestLint: false },

  publishToPypi: {
    distName: 'cdk-traced-lambda',
    module: 'cdk_traced_lambda',
  },

  // `npx cdk-traced-lambda <command>`: the command-line tool (tool/), compiled to dist/tool/ by the compile task;
  // the launcher runs that build only.
  bin: { 'cdk-traced-lambda': 'tool/bin/cdk-traced-lambda.js' },
  // bin/ holds the sample app, not executables to publish.
  autoDetectBin: false,

  // 3.0.2: acknowledgements made with aws-cdk-lib >= 2.262.1 (Annotation:: prefix) and on parent scopes count.
  peerDeps: ['cdk-nag@^3.0.2'],
  // Lock-file readers (lib/layer/lock/): a small, dependency-free TOML 1.0 parser, bundled so jsii consumers get it.
  bundledDeps: ['smol-toml@^1.9.1'],
  devDeps: [
    'aws-cdk@~2.1148.0',
    'cdk-nag@^3.0.2',
    'ts-node@^10.9.2',
    'ts-jest@^29.4.0',
    '@types/jest@^29',
    '@types/node@^20',
    'jest@^29',
    // ts-jest requires jest-util itself; npm otherwise leaves it nested under @jest/* only.
    'jest-util@^29',
    // `npm run mutation` (not in CI). 9.6: the last line that supports Node 20 (10.x needs Node 22).
    '@stryker-mutator/core@~9.6.0',
    '@stryker-mutator/jest-runner@~9.6.0',
    // The message-wording ignorer's test parses code as Stryker does (Stryker's own parser is Babel 7).
    '@babel/core@^7.29.0',
    // Validates the generated GitHub workflows offline in .ci/run (WebAssembly, no download at run time).
    '@action-validator/cli@^0.6.0',
    // `cdk-traced-lambda layers --check` (tool/layers/): AWS SDK for JavaScript v3, loaded lazily by the tool only.
    // Not a dependency: jsii would have to bundle it (and its ~60 packages) into every install, Python users
    // included, for one optional command; the command says `npm i -D @aws-sdk/client-lambda` when it is missing.
    '@aws-sdk/client-lambda',
  ],

  jestOptions: {
    // A changed template must fail the run, never rewrite the snapshot.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestVersion: '^29',
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '/dist/'],
      // Stryker's sandboxes are copies of this package: with one on disk (a mutation run in progress), jest's
      // module map would find two `cdk-traced-lambda` packages and fail every suite that imports it by name.
      modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
      // Layer builds run pip; give them room on a 2-core machine.
      testTimeout: 120_000,
      // Two workers on the 2-core CI machine: most suites wait on pip, python or a synth, so two at once
      // take 4.8 min instead of 7.4 (jest's default is one worker there: cores - 1).
      maxWorkers: 2,
      // One temporary directory per run where the sample's wheelhouse and layer cache are built once and
      // shared by the workers (test/sample/shared-sample.ts); removed at the end.
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      // No line coverage in `npm test`: v8 coverage doubled the time of the CPU-bound suites (test/tracing: 29 s
      // against 13.6 s, measured 2026-12-03), and this project's measure of its tests is mutation testing
      // (docs/mutation.md). `npm run test:coverage` collects it.
      collectCoverage: false,
      coverageReporters: ['text-summary', 'lcov'],
      // The tool (tool/) imports the library by its package name, as a user would; the tests run it against
      // the library's sources.
      moduleNameMapper: { '^cdk-traced-lambda$': '<rootDir>/lib/index.ts' },
    },
  },

  gitignore: [
    // Also a symlink named node_modules (a worktree sharing this clone's): `node_modules/` matches folders only.
    '/node_modules',
    'cdk.out/',
    '/.cdk-cache/',
    '/.wheelhouse/',
    '/artifacts/',
    '/bench/out/',
    '/reports/mutation/',
    '/.stryker-tmp/',
    '/trace.html',
    '/.otel/',
    '__pycache__/',
    '*.pyc',
  ],

  // The sample app, the benchmarks and the scripts may import devDependencies (ts-node, cdk-nag, typescript).
  eslintOptions: { dirs: ['lib', 'tool'], devdirs: ['test', 'build-tools', 'bin', 'bench', 'scripts'] },

  tsconfigDev: {
    include: ['../tool/**/*.ts', '../bin/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts'],
    compilerOptions: {},
  },
});

for (const pattern of ['/bin/', '/cdk.json', '/function/', '/bench/', '/.ci/', '/scripts/', 'cdk.out/', '/.cdk-cache/', '/.wheelhouse/']) {
  project.addPackageIgnore(pattern);
}

// Two products, one package. lib/ is the construct library, exactly what the jsii assembly publishes. tool/ is
// the Node-only command-line tool (`trace`, `migrate`, `layers`), compiled with a tsconfig of its own into
// dist/tool/ after the library, which it imports by the package name (its public entry point), never by path.
// Its Python files ship beside the compiled TypeScript that starts them, in the same folder layout.
new JsonFile(project, 'tool/tsconfig.json', {
  obj: {
    extends: '../tsconfig.json',
    compilerOptions: { rootDir: '.', outDir: '../dist/tool', declaration: true },
    include: ['**/*.ts'],
    exclude: ['bin'],
  },
});
project.compileTask.exec('tsc -p tool/tsconfig.json');
project.compileTask.exec('cd tool && find . -name "*.py" -not -path "*/__pycache__/*" -exec cp --parents {} ../dist/tool/ ";"');
project.package.addField('exports', {
  '.': { types: './dist/index.d.ts', default: './dist/index.js' },
  // LocalTrace, the programmatic form of `trace` (Node-only, not in the jsii assembly).
  './local-trace': { types: './dist/tool/trace/index.d.ts', default: './dist/tool/trace/index.js' },
  './package.json': './package.json',
  './.jsii': './.jsii',
});
project.addPackageIgnore('/tool/');
project.addPackageIgnore('!/tool/bin/');
project.addPackageIgnore('!/dist/tool/**/*.py');
// For TypeScript users still on `moduleResolution: node`, which does not read `exports`.
project.package.addField('typesVersions', { '*': { 'local-trace': ['dist/tool/trace/index.d.ts'] } });
// `npm test` on a fresh clone: the library and the tool are built first, because the tool's tests run the
// launcher, which runs the build only.
project.testTask.prependSpawn(project.compileTask);

// Type-check the sample app, benchmarks and scripts as part of the build (cdk synth runs them with
// ts-node --transpile-only, so this is where their types are checked).
project.compileTask.exec('tsc --noEmit -p test/tsconfig.json');

// Python bindings, offline: jsii-pacmak's full Python build needs PyPI, so it emits the Python sources
// only, and a python3 that has setuptools and wheel builds the wheel without an index (the script says
// which one and why). Then the public names are checked in their Python spelling.
const packagePython = project.tasks.tryFind('package:python')!;
packagePython.reset('rm -rf artifacts/python-src artifacts/python && mkdir -p artifacts/python');
packagePython.exec('jsii-pacmak --target python --code-only --outdir artifacts/python-src');
packagePython.exec('scripts/python-wheel.sh artifacts/python artifacts/python-src/python');
packagePython.exec('python3 scripts/check-python-names.py artifacts/python-src/python README.md');
packagePython.description = 'Create the Python wheel offline (jsii-pacmak --code-only + pip wheel --no-build-isolation) and check the Python names';

// No task that updates snapshots: a changed template must fail `npm test`. To accept a reviewed change,
// run `npx jest -u test/sample` by hand.
project.tasks.removeTask('test:update');

// Line coverage, when wanted (not part of `npm test`, see jestConfig.collectCoverage): coverage/lcov.info.
project.addTask('test:coverage', {
  description: 'Run the tests with line coverage (coverage/)',
  exec: 'jest --ci --coverage',
  receiveArgs: true,
});

// Benchmarks against plain aws-cdk-lib (bench/): `npm run bench` or `npm run bench -- --quick`.
project.addTask('bench', {
  description: 'Benchmark synth cost, layer caching and layer size against plain aws-cdk-lib (writes bench/results.md)',
  exec: 'ts-node --transpile-only bench/run.ts',
  receiveArgs: true,
});

// Layer facts (docs/layer-data.md): regenerate lib/tracing/layer-data.generated.ts from the upstream files.
project.addTask('update-layer-data', {
  description: 'Regenerate the layer data (lib/tracing/layer-data.generated.ts) from aws-otel.github.io, the ADOT Python release workflow and the Powertools docs',
  exec: 'ts-node --transpile-only scripts/update-layer-data.ts',
  receiveArgs: true,
});

// Weekly refresh of the layer data with a pull request (projenrc/layer-data-workflow.ts); nothing while `github: false`.
addLayerDataWorkflow(project);

addMutationTasks(project);

// Lint the sample app and the benchmarks too. eslint's project service takes each file's nearest
// tsconfig.json, so bin/, bench/ and scripts/ get one of their own (type-checking only, like test/).
project.eslint?.addLintPattern('bin');
project.eslint?.addLintPattern('bench');
for (const dir of ['bin', 'bench', 'scripts']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..', isolatedModules: true },
      include: ['**/*.ts'],
    },
  });
}

// The release workflow's publishing jobs, fixed for an artifacts directory other than dist/, and setuptools/wheel
// for the offline package:python task in the jobs that build the Python wheel (projenrc/release-workflows.ts).
new ReleaseWorkflowFixes(project);

project.synth();
