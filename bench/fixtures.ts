import * as fs from 'fs';
import * as path from 'path';
import { freshDir, run, ROOT } from './util';

/** The offline inputs every scenario shares. */
export interface Fixtures {
  /** Wheelhouse: the sample's requirements (from scripts/offline-wheelhouse.py) plus bench-pkg 1.0 and 1.1. */
  readonly wheelhouse: string;
  /** The sample's requirements file (aws-xray-sdk + jsonpickle; aws-xray-sdk pulls in botocore). */
  readonly sampleRequirements: string;
  /** A Python wrapper that appends its arguments to `pythonCounter`, then execs python3. */
  readonly countingPython: string;
  /** One line per run of `countingPython`. */
  readonly pythonCounter: string;
}

/** The first python3 on the PATH, resolved to a file, for the wrapper to exec. */
function realPython(): string {
  return run('python3', ['-c', 'import sys; print(sys.executable)']).stdout.trim();
}

/** Makes the wheelhouse and the counting Python wrapper under bench/out. */
export function makeFixtures(): Fixtures {
  const wheelhouse = freshDir('wheelhouse');
  run('python3', [path.join(ROOT, 'scripts', 'offline-wheelhouse.py'), wheelhouse]);
  for (const version of ['1.0', '1.1']) {
    run('python3', [path.join(ROOT, 'bench', 'make-wheel.py'), wheelhouse, 'bench-pkg', version]);
  }

  const tools = freshDir('tools');
  const pythonCounter = path.join(tools, 'python-runs.log');
  const countingPython = path.join(tools, 'counting-python');
  fs.writeFileSync(countingPython, [
    '#!/bin/sh',
    '# Counts how often the layer build runs Python (pip), then runs the real interpreter.',
    `echo "$*" >> '${pythonCounter}'`,
    `exec '${realPython()}' "$@"`,
    '',
  ].join('\n'), { mode: 0o755 });

  return {
    wheelhouse,
    sampleRequirements: path.join(ROOT, 'function', 'requirements.txt'),
    countingPython,
    pythonCounter,
  };
}

/** The runs of the counting wrapper so far: all of them, and the `pip install`s among them. */
export function pythonRuns(fixtures: Fixtures): { all: number; installs: number } {
  if (!fs.existsSync(fixtures.pythonCounter)) {
    return { all: 0, installs: 0 };
  }
  const lines = fs.readFileSync(fixtures.pythonCounter, 'utf8').split('\n').filter(l => l.trim());
  return { all: lines.length, installs: lines.filter(l => /-m pip install/.test(l)).length };
}
