import * as os from 'os';
import * as path from 'path';
import { Fixtures } from './fixtures';
import { log, median, OUT, ROOT, run, spread, table } from './util';

/** One fresh-interpreter run of bench/cold-start/run_once.py. */
export interface ColdStartRun {
  readonly mode: string;
  /** null: no layer (no instrumentation); false / true: the layer folder without / with bytecode. */
  readonly bytecode: boolean | null;
  readonly round: number;
  /** Importing the handler module: the instrumentation's setup and the boto3 client, milliseconds. */
  readonly init_ms: number;
  /** The first call of the handler (one boto3 call to the stub, traced), milliseconds. */
  readonly invoke_ms: number;
  /** The whole process, interpreter start-up included, as the parent saw it, milliseconds. */
  readonly wall_ms: number;
  /** CPU time (user + system) of the same spans, milliseconds: what the figures are judged on, since it moves less with other load. */
  readonly init_cpu_ms: number;
  readonly invoke_cpu_ms: number;
  readonly process_cpu_ms: number;
  readonly modules: number;
  readonly layer_modules: number;
  readonly layer_pyc: number;
  readonly xray_datagrams: number;
  readonly spans: number;
}

export interface ColdStartResults {
  readonly python: string;
  readonly executable: string;
  readonly packages: string[];
  readonly runs: ColdStartRun[];
  readonly load_after: number[];
  readonly loadBefore: number[];
}

const MODES: { [mode: string]: string } = {
  'none': 'No instrumentation',
  'xray-patch-all': 'X-Ray SDK, `patch_all()`',
  'xray-botocore': 'X-Ray SDK, `patch([\'botocore\'])`',
  'otel-api': 'OpenTelemetry API + a recording tracer provider (span by hand)',
};

/**
 * Scenario 7: bench/cold-start/cold_start.py, which builds the folders offline and runs every
 * configuration `runs` times in fresh interpreters. The interpreter is this machine's python3 (the local
 * indexes hold wrapt's compiled wheel for CPython 3.11 only, and the Lambda runtime's boto3 must match it).
 */
export function runColdStart(fixtures: Fixtures, runs: number): ColdStartResults {
  const python = run('python3', ['-c', 'import sys; print(sys.executable)']).stdout.trim();
  const loadBefore = os.loadavg();
  const result = run('python3', [path.join(ROOT, 'bench', 'cold-start', 'cold_start.py'), '--out', path.join(OUT, 'cold-start'),
    '--python', python, '--wheelhouse', fixtures.wheelhouse, '--runs', String(runs)]);
  const parsed = JSON.parse(result.stdout.trim().split('\n').pop()!) as Omit<ColdStartResults, 'loadBefore'>;
  const out = { ...parsed, loadBefore };
  for (const row of coldStartRows(out)) {
    log(`cold start ${row.mode} ${row.bytecode === null ? '' : row.bytecode ? 'bytecode' : 'no bytecode'}: `
      + `init ${row.initCpu.toFixed(0)} ms CPU, first call ${row.invokeCpu.toFixed(0)} ms CPU`);
  }
  return out;
}

interface Row {
  readonly mode: string;
  readonly bytecode: boolean | null;
  readonly runs: ColdStartRun[];
  readonly init: number;
  readonly invoke: number;
  readonly wall: number;
  readonly initCpu: number;
  readonly invokeCpu: number;
  readonly processCpu: number;
}

export function coldStartRows(r: { runs: ColdStartRun[] }): Row[] {
  const rows: Row[] = [];
  for (const mode of Object.keys(MODES)) {
    for (const bytecode of mode === 'none' ? [null] : [false, true]) {
      const runs = r.runs.filter(x => x.mode === mode && x.bytecode === bytecode);
      if (runs.length === 0) continue;
      const m = (pick: (x: ColdStartRun) => number) => median(runs.map(pick));
      rows.push({
        mode,
        bytecode,
        runs,
        init: m(x => x.init_ms),
        invoke: m(x => x.invoke_ms),
        wall: m(x => x.wall_ms),
        initCpu: m(x => x.init_cpu_ms),
        invokeCpu: m(x => x.invoke_cpu_ms),
        processCpu: m(x => x.process_cpu_ms),
      });
    }
  }
  return rows;
}

export function renderColdStart(r: ColdStartResults): string[] {
  const rows = coldStartRows(r);
  const base = rows.find(x => x.mode === 'none');
  const lines: string[] = [];
  lines.push('## 7. Cold start per instrumentation (Python, this machine)', '');
  lines.push('A handler that makes one boto3 call (`lambda.get_account_settings()` against a stub Lambda API on 127.0.0.1, fake credentials), '
    + `run in a fresh \`python -S\` process per run (\`bench/cold-start/run_once.py\`), ${Math.max(...r.runs.map(x => x.round)) + 1} rounds, the `
    + 'configurations rotated per round. **Python ' + r.python + '** (`' + r.executable + '`); packages: ' + r.packages.join(', ') + '.', '');
  lines.push('- **Init**: importing the handler module: the instrumentation\'s set-up (`patch_all()`, `patch([\'botocore\'])`, '
    + '`set_tracer_provider(...)`) and `boto3.client(\'lambda\')`. **First call**: the first `handler(event, context)`. **Process**: the whole '
    + 'process as the parent saw it, interpreter start-up included.', '');
  lines.push('- The layer folder is installed with `pip install --target <dir> --no-compile` from pip\'s local indexes; "bytecode" is the same folder '
    + 'after `python -m compileall --invalidation-mode unchecked-hash` with this interpreter (what `compileBytecode` does). `PYTHONDONTWRITEBYTECODE=1` '
    + 'stands in for Lambda\'s read-only `/opt`, so a folder without bytecode is compiled again on every cold start. boto3/botocore come from a separate '
    + 'folder, compiled in every configuration (the Lambda runtime provides them).', '');
  lines.push('- Checked on every run: exactly one request reached the stub; the X-Ray runs sent at least one datagram to the UDP socket standing in for the '
    + 'daemon; the OpenTelemetry run recorded one span; every layer module loaded from a `.pyc` with bytecode and none without.', '');
  const label = (x: Row) => [MODES[x.mode], x.bytecode === null ? '– (no layer)' : x.bytecode ? 'compiled' : 'none'];
  const r2 = (a: number, b: number | undefined) => (b ? (a / b).toFixed(2) : '–');
  lines.push('CPU time of the process (`time.process_time()` inside it; for the whole process, the parent\'s `RUSAGE_CHILDREN`), medians and spread. '
    + 'CPU time is the figure to compare on a shared machine: wall time (second table) also counts the time other work held the CPU.', '');
  lines.push(table(['Instrumentation', 'Layer bytecode', 'Init CPU (median, spread)', 'Init ratio', 'First call CPU (median, spread)', 'First call ratio',
    'Process CPU (median)', 'Process ratio'],
  rows.map(x => [...label(x),
    `${x.initCpu.toFixed(0)} ms (${spread(x.runs.map(y => y.init_cpu_ms), 0)})`, r2(x.initCpu, base?.initCpu),
    `${x.invokeCpu.toFixed(1)} ms (${spread(x.runs.map(y => y.invoke_cpu_ms), 1)})`, r2(x.invokeCpu, base?.invokeCpu),
    `${x.processCpu.toFixed(0)} ms`, r2(x.processCpu, base?.processCpu)])), '');
  lines.push('Wall time of the same runs:', '');
  lines.push(table(['Instrumentation', 'Layer bytecode', 'Init (median, spread)', 'Init ratio', 'First call (median, spread)', 'First call ratio',
    'Process (median)', 'Process ratio'],
  rows.map(x => [...label(x),
    `${x.init.toFixed(0)} ms (${spread(x.runs.map(y => y.init_ms), 0)})`, r2(x.init, base?.init),
    `${x.invoke.toFixed(1)} ms (${spread(x.runs.map(y => y.invoke_ms), 1)})`, r2(x.invoke, base?.invoke),
    `${x.wall.toFixed(0)} ms`, r2(x.wall, base?.wall)])), '');
  lines.push(`Load average (1, 5, 15 min) before: ${r.loadBefore.map(l => l.toFixed(2)).join(', ')}; after: ${r.load_after.map(l => l.toFixed(2)).join(', ')}.`, '');
  lines.push('**Not measured here**: the ADOT / AWSOpenTelemetryDistroPython layers\' auto-instrumentation (`AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument`: '
    + 'the layers cannot be downloaded without an AWS account, and their `opentelemetry-sdk` needs `opentelemetry-semantic-conventions`, which the local '
    + 'indexes lack, so `from opentelemetry.sdk.trace import TracerProvider` fails with `No module named \'opentelemetry.semconv\'`), and real Lambda '
    + '(Firecracker start-up, the runtime\'s own init, the X-Ray daemon, network). The figures above are ratios of this machine\'s local interpreter runs only.', '');
  lines.push('Every run, in order (init / first call CPU ms, then wall ms):', '');
  lines.push(table(['Instrumentation', 'Layer bytecode', 'Runs'], rows.map(x => [x.mode, x.bytecode === null ? '–' : String(x.bytecode),
    x.runs.map(y => `${y.init_cpu_ms.toFixed(0)} / ${y.invoke_cpu_ms.toFixed(1)} (${y.init_ms.toFixed(0)} / ${y.invoke_ms.toFixed(1)})`).join(', ')])), '');
  return lines;
}
