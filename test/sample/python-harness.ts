import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The sample functions' code: both handlers and the redaction module they share. */
export const FUNCTION_DIR = path.join(__dirname, '..', '..', 'function');

/**
 * Python that replaces boto3 (a Lambda client recording its calls), jsonpickle (json.dumps) and
 * aws_xray_sdk (patch_all recorded) by stubs, captures log records, and puts function/ on sys.path.
 * Defines `calls` and `records`.
 */
const PRELUDE = `
import json, logging, sys, types
calls = []
class Client:
    def get_account_settings(self):
        calls.append('GetAccountSettings')
        return {'AccountLimit': {}, 'AccountUsage': {'TotalCodeSize': 1234, 'FunctionCount': 3}}
boto3 = types.ModuleType('boto3'); boto3.client = lambda service: calls.append('client:' + service) or Client()
jsonpickle = types.ModuleType('jsonpickle'); jsonpickle.encode = lambda value: json.dumps(value, default=str)
xray = types.ModuleType('aws_xray_sdk'); core = types.ModuleType('aws_xray_sdk.core')
core.patch_all = lambda: calls.append('patch_all')
sys.modules.update({'boto3': boto3, 'jsonpickle': jsonpickle, 'aws_xray_sdk': xray, 'aws_xray_sdk.core': core})
records = []
class Capture(logging.Handler):
    def emit(self, record): records.append(record.getMessage())
logging.getLogger().addHandler(Capture())
sys.path.insert(0, ${JSON.stringify(FUNCTION_DIR)})
`;

/**
 * Runs `code` after the stub prelude (no AWS, no network) with `extraPath` first on sys.path, and
 * returns what it printed, parsed as JSON.
 */
export function runPython(code: string, extraPath: string[] = []): any {
  const env = { ...process.env, PYTHONPATH: extraPath.join(path.delimiter), PYTHONDONTWRITEBYTECODE: '1' };
  const result = spawnSync('python3', ['-c', PRELUDE + code], { encoding: 'utf8', env });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

/** The file:// package indexes pip is configured with on this machine (`pip config list`); never a network index. */
function localIndexUrls(): string[] {
  const out = execFileSync('python3', ['-m', 'pip', 'config', 'list'], { encoding: 'utf8' });
  return out.split('\n')
    .filter((line) => line.includes('index-url'))
    .flatMap((line) => line.split('=').slice(1).join('=').trim().replace(/^['"]|['"]$/g, '').split(/\s+/))
    .filter((url) => url.startsWith('file://'));
}

/**
 * Installs `opentelemetry-api` (what the ADOT layer provides at run time) from the machine's local indexes
 * into a new temporary folder, offline, and returns the folder. Fails when no local index has it.
 */
export function installOpenTelemetryApi(): string {
  const urls = localIndexUrls();
  if (urls.length === 0) throw new Error('no file:// package index in `pip config list`: cannot install opentelemetry-api offline');
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-api-'));
  execFileSync('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-compile',
    '--target', target, '--index-url', urls[0], ...urls.slice(1).flatMap((u) => ['--extra-index-url', u]),
    'opentelemetry-api'], { stdio: 'pipe' });
  return target;
}
