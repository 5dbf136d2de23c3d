#!/usr/bin/env node
// Launcher for `npx cdk-traced-lambda <command>`: runs the compiled command line, dist/tool/cli.js (built from
// tool/ by `npx projen compile`, which `npm test` runs first). It never compiles or picks sources at run time:
// a missing build is reported as such.
'use strict';
const fs = require('fs');
const path = require('path');

const built = path.join(__dirname, '..', '..', 'dist', 'tool', 'cli.js');
if (!fs.existsSync(built)) {
  process.stderr.write(`cdk-traced-lambda: [cdk-traced-lambda:toolNotBuilt] ${built} does not exist; `
    + 'in a clone of the repository, run `npx projen compile` first.\n');
  process.exit(2);
}

require(built).main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    // A bug, not a usage problem: one line, the stack only on request.
    const debug = process.env.CDK_TRACED_LAMBDA_DEBUG === '1';
    process.stderr.write(`cdk-traced-lambda: internal error: ${debug && err && err.stack ? err.stack : (err && err.message) || err}`
      + `${debug ? '' : ' (set CDK_TRACED_LAMBDA_DEBUG=1 for the stack trace)'}\n`);
    process.exitCode = 3;
  },
);
