import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { migrate, migrateJson, sites } from './helpers';

// `migrate` reads regular files only (tool/migrate/source_files.py): a FIFO named *.py once made it wait forever
// for a writer.
let dir: string;
let server: net.Server | undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-special-'));
  fs.writeFileSync(path.join(dir, 'handler.py'), 'from aws_xray_sdk.core import xray_recorder\n');
  execFileSync('mkfifo', [path.join(dir, 'x.py')]);
  fs.mkdirSync(path.join(dir, 'pkg'));
  execFileSync('mkfifo', [path.join(dir, 'pkg', 'y.py')]);
  // A socket named *.py
  server = net.createServer();
  await new Promise<void>((resolve) => server!.listen(path.join(dir, 'sock.py'), resolve));
  // A device, through a symbolic link
  fs.symlinkSync('/dev/zero', path.join(dir, 'zero.py'));
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a FIFO, a socket and a device named *.py are skipped and listed as such; the regular file is analyzed', async () => {
  const started = Date.now();
  const report = await migrateJson(dir);

  expect(Date.now() - started).toBeLessThan(20_000);
  expect(report.directory!.files).toEqual(['handler.py']);
  expect(sites(report.directory!.uses)).toEqual(['handler.py:1 import']);
  const skipped = Object.fromEntries(report.directory!.errors.map((e) => [e.file, e.message]));
  expect(skipped).toEqual({
    'x.py': 'a FIFO, not a regular file: skipped',
    'pkg/y.py': 'a FIFO, not a regular file: skipped',
    'sock.py': 'a socket, not a regular file: skipped',
    'zero.py': 'a device, not a regular file: skipped',
  });
});

test('the text report lists the FIFO too', async () => {
  const run = await migrate(dir);
  expect(run.stdout).toContain('x.py');
  expect(run.stdout).toContain('FIFO');
});

test('read_source: regular files only, bounded in size', () => {
  const big = path.join(dir, '..', `${path.basename(dir)}-big.txt`);
  fs.writeFileSync(big, 'x'.repeat(2000));
  try {
    const script = [
      'import sys, json',
      `sys.path.insert(0, ${JSON.stringify(path.join(__dirname, '..', '..', '..', 'tool', 'migrate'))})`,
      'from source_files import read_source',
      'out = []',
      `for p, limit in ((${JSON.stringify(path.join(dir, 'x.py'))}, 100), (${JSON.stringify(big)}, 100), (${JSON.stringify(big)}, 5000)):`,
      '    try:',
      '        out.append(len(read_source(p, max_bytes=limit)))',
      '    except ValueError as e:',
      '        out.append(str(e))',
      'print(json.dumps(out))',
    ].join('\n');
    const out = JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf-8', timeout: 20_000 }));
    expect(out).toEqual(['not a regular file', 'larger than 100 bytes: not read', 2000]);
  } finally {
    fs.rmSync(big, { force: true });
  }
});
