#!/usr/bin/env node
// Launcher for `npx cdk-traced-lambda trace`: the built CLI from dist/ (the published package, which
// has no lib/), else the TypeScript sources through ts-node, so a fresh clone works without a build and a
// checkout whose dist/ is older than its sources runs the sources.
// CDK_TRACED_LAMBDA_FROM_SOURCE=1 forces the sources (tests use it, so a stale dist/ is never what they test).
'use strict';
const fs = require('fs');
const path = require('path');

const built = path.join(__dirname, '..', 'dist', 'local-trace', 'cli.js');
const sources = path.join(__dirname, '..', 'lib', 'local-trace');

function builtIsCurrent() {
  if (!fs.existsSync(built)) return false;
  if (!fs.existsSync(sources)) return true;
  const builtAt = fs.statSync(built).mtimeMs;
  return fs.readdirSync(sources).every((f) => fs.statSync(path.join(sources, f)).mtimeMs <= builtAt);
}

let cli;
if (process.env.CDK_TRACED_LAMBDA_FROM_SOURCE !== '1' && builtIsCurrent()) {
  cli = require(built);
} else {
  require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
  cli = require(path.join(__dirname, '..', 'lib', 'local-trace', 'cli.ts'));
}

cli.main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`cdk-traced-lambda: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 3; },
);
