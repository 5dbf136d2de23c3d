#!/usr/bin/env node
// Launcher for `npx cdk-traced-lambda trace`: the built CLI when dist/ exists (the published package),
// else the TypeScript sources through ts-node, so a fresh clone works without a build.
// CDK_TRACED_LAMBDA_FROM_SOURCE=1 forces the sources (tests use it, so a stale dist/ is never what they test).
'use strict';
const fs = require('fs');
const path = require('path');

const built = path.join(__dirname, '..', 'dist', 'local-trace', 'cli.js');
let cli;
if (fs.existsSync(built) && process.env.CDK_TRACED_LAMBDA_FROM_SOURCE !== '1') {
  cli = require(built);
} else {
  require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
  cli = require(path.join(__dirname, '..', 'lib', 'local-trace', 'cli.ts'));
}

cli.main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`cdk-traced-lambda: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 3; },
);
