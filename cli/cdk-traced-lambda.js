#!/usr/bin/env node
// Launcher for `npx cdk-traced-lambda <command>` (lib/local-trace/cli.ts): the built CLI from dist/ (the
// published package, which has no lib/), else the TypeScript sources through ts-node, so a fresh clone works
// without a build and a checkout whose dist/ is older than its sources runs the sources.
// CDK_TRACED_LAMBDA_FROM_SOURCE=1 forces the sources (tests use it, so a stale dist/ is never what they test).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const built = path.join(root, 'dist', 'local-trace', 'cli.js');
const sources = [path.join(root, 'lib', 'local-trace'), path.join(root, 'lib', 'contract.ts')];

/** The newest modification time under `p` (files and folders), 0 when it does not exist. */
function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(p).reduce((max, f) => Math.max(max, newest(path.join(p, f))), stat.mtimeMs);
}

function builtIsCurrent() {
  if (!fs.existsSync(built)) return false;
  return sources.every((s) => newest(s) <= fs.statSync(built).mtimeMs);
}

let cli;
if (process.env.CDK_TRACED_LAMBDA_FROM_SOURCE !== '1' && builtIsCurrent()) {
  cli = require(built);
} else {
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  cli = require(path.join(root, 'lib', 'local-trace', 'cli.ts'));
}

cli.main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    // A bug, not a usage problem: one line, the stack only on request.
    const debug = process.env.CDK_TRACED_LAMBDA_DEBUG === '1';
    process.stderr.write(`cdk-traced-lambda: internal error: ${debug && err && err.stack ? err.stack : (err && err.message) || err}`
      + `${debug ? '' : ' (set CDK_TRACED_LAMBDA_DEBUG=1 for the stack trace)'}\n`);
    process.exitCode = 3;
  },
);
