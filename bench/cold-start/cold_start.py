#!/usr/bin/env python3
"""Cold-start benchmark: a handler making one boto3 call, per instrumentation, with and without bytecode.

Builds the folders offline (pip --target from pip's configured local file:// indexes and the bench
wheelhouse; never a network index), starts a stub Lambda API on 127.0.0.1 (HTTP) and a UDP socket
standing in for the X-Ray daemon, then runs every configuration RUNS times, each in a fresh
interpreter (`run_once.py`), the configurations rotated per round. Prints one JSON object.

Usage: cold_start.py --out DIR --python PYTHON --wheelhouse DIR [--runs N]
"""
import argparse
import http.server
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# Which folder each instrumentation's packages come from (None: no layer).
LAYERS = {'xray': ['--no-deps', 'aws-xray-sdk', 'wrapt'], 'otel': ['opentelemetry-api']}
CONFIGS = [('none', None), ('xray-patch-all', 'xray'), ('xray-botocore', 'xray'), ('otel-api', 'otel')]
# An X-Ray trace header in the documented format (Root=1-<8 hex time>-<24 hex>; Parent=<16 hex>; Sampled=1).
TRACE_HEADER = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1'


def local_indexes(python):
    """pip's configured file:// indexes as --index-url/--extra-index-url arguments (no network index)."""
    out = subprocess.run([python, '-m', 'pip', 'config', 'list'], capture_output=True, text=True).stdout
    urls = []
    for line in out.splitlines():
        if 'index-url' in line:
            urls += [u for u in line.split('=', 1)[1].strip().strip('\'"').split() if u.startswith('file://')]
    if not urls:
        raise SystemExit('cold_start.py: pip has no file:// index configured here (pip config list); cannot build the folders offline')
    return ['--index-url', urls[0]] + [a for u in urls[1:] for a in ('--extra-index-url', u)]


def pip_target(python, target, packages, indexes, wheelhouse):
    """Starts `pip install --target` (most of pip's time here is waiting, so the folders are built side by side)."""
    return subprocess.Popen([python, '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-compile', '--target', target,
                             *indexes, '--find-links', wheelhouse, *packages], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_all(procs):
    for target, proc in procs:
        output, _ = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f'cold_start.py: pip install --target {target} failed:\n{output}')


def compile_tree(python, folder):
    """What the layer's compileBytecode does: bytecode for this exact interpreter, checked by hash never."""
    subprocess.run([python, '-m', 'compileall', '-q', '-j', '0', '--invalidation-mode', 'unchecked-hash', folder],
                   check=True, capture_output=True, text=True)


def build(python, out, wheelhouse):
    indexes = local_indexes(python)
    runtime = os.path.join(out, 'runtime')
    plain = {name: os.path.join(out, f'{name}-plain', 'python') for name in LAYERS}
    # The runtime folder stands in for the boto3 that the Lambda Python runtime provides; it is compiled
    # in every configuration.
    wait_all([(runtime, pip_target(python, runtime, ['boto3'], indexes, wheelhouse))]
             + [(plain[name], pip_target(python, plain[name], packages, indexes, wheelhouse)) for name, packages in LAYERS.items()])
    compile_tree(python, runtime)
    folders = {}
    for name in LAYERS:
        compiled = os.path.join(out, f'{name}-bytecode', 'python')
        shutil.copytree(plain[name], compiled)
        compile_tree(python, compiled)
        folders[name] = {'plain': plain[name], 'bytecode': compiled}
    versions = sorted(d[:-len('.dist-info')] for f in [runtime] + list(plain.values())
                      for d in os.listdir(f) if d.endswith('.dist-info'))
    return runtime, folders, versions


class Stub(http.server.BaseHTTPRequestHandler):
    """Answers every request like Lambda's GetAccountSettings."""
    requests = 0
    BODY = json.dumps({'AccountLimit': {'TotalCodeSize': 80530636800, 'CodeSizeUnzipped': 262144000, 'CodeSizeZipped': 52428800,
                                        'ConcurrentExecutions': 1000, 'UnreservedConcurrentExecutions': 1000},
                       'AccountUsage': {'TotalCodeSize': 0, 'FunctionCount': 0}}).encode()

    def do_GET(self):
        Stub.requests += 1
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(self.BODY)))
        self.end_headers()
        self.wfile.write(self.BODY)

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--out', required=True)
    parser.add_argument('--python', required=True)
    parser.add_argument('--wheelhouse', required=True)
    parser.add_argument('--runs', type=int, default=10)
    args = parser.parse_args()
    args.out = os.path.abspath(args.out)
    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(args.out)
    runtime, folders, versions = build(args.python, args.out, args.wheelhouse)

    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(('127.0.0.1', 0))
    udp.settimeout(0.2)
    datagrams = []

    def drain():
        while True:
            try:
                datagrams.append(udp.recv(65536))
            except socket.timeout:
                continue
            except OSError:
                return
    threading.Thread(target=drain, daemon=True).start()

    variants = [(mode, layer, bytecode) for mode, layer in CONFIGS for bytecode in ([None] if layer is None else [False, True])]
    base_env = {
        'PATH': os.environ.get('PATH', '/usr/bin:/bin'),
        'PYTHONDONTWRITEBYTECODE': '1',  # like Lambda's read-only /opt: nothing is compiled on the fly and kept
        'AWS_ACCESS_KEY_ID': 'AKIAFAKEFAKEFAKEFAKE', 'AWS_SECRET_ACCESS_KEY': 'fake', 'AWS_DEFAULT_REGION': 'us-east-1',
        'AWS_ENDPOINT_URL_LAMBDA': f'http://127.0.0.1:{server.server_address[1]}',
        'AWS_CONFIG_FILE': '/dev/null', 'AWS_SHARED_CREDENTIALS_FILE': '/dev/null', 'AWS_EC2_METADATA_DISABLED': 'true',
        'AWS_MAX_ATTEMPTS': '1',
        'AWS_XRAY_DAEMON_ADDRESS': f'127.0.0.1:{udp.getsockname()[1]}', 'AWS_XRAY_CONTEXT_MISSING': 'LOG_ERROR',
        'LAMBDA_TASK_ROOT': HERE, 'AWS_LAMBDA_FUNCTION_NAME': 'bench', '_X_AMZN_TRACE_ID': TRACE_HEADER,
    }
    runs = []
    for round_ in range(args.runs):
        k = round_ % len(variants)
        for mode, layer, bytecode in variants[k:] + variants[:k]:
            layer_dir = folders[layer]['bytecode' if bytecode else 'plain'] if layer else None
            env = dict(base_env, BENCH_INSTRUMENTATION=mode,
                       PYTHONPATH=os.pathsep.join([HERE] + ([layer_dir] if layer_dir else []) + [runtime]),
                       BENCH_LAYER_DIR=layer_dir or '')
            before_requests, before_datagrams = Stub.requests, len(datagrams)
            started = time.perf_counter()
            children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            proc = subprocess.run([args.python, '-S', os.path.join(HERE, 'run_once.py')], env=env, capture_output=True, text=True)
            wall_ms = (time.perf_counter() - started) * 1000
            children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
            process_cpu_ms = ((children_after.ru_utime - children_before.ru_utime) + (children_after.ru_stime - children_before.ru_stime)) * 1000
            if proc.returncode != 0:
                raise SystemExit(f'cold_start.py: {mode} failed:\n{proc.stdout}\n{proc.stderr}')
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            time.sleep(0.05)  # let the drain thread read this run's datagrams
            result.update(mode=mode, bytecode=bytecode, round=round_, wall_ms=wall_ms, process_cpu_ms=process_cpu_ms,
                          stub_requests=Stub.requests - before_requests, xray_datagrams=len(datagrams) - before_datagrams)
            if not result['ok'] or result['stub_requests'] != 1:
                raise SystemExit(f'cold_start.py: {mode} did not make exactly one call to the stub: {result}')
            if mode.startswith('xray') and result['xray_datagrams'] == 0:
                raise SystemExit(f'cold_start.py: {mode} sent no X-Ray datagram to the local daemon socket: {result}\n{proc.stderr}')
            if mode == 'otel-api' and result['spans'] != 1:
                raise SystemExit(f'cold_start.py: {mode} recorded {result["spans"]} spans, expected 1: {result}')
            if layer and bytecode and result['layer_pyc'] != result['layer_modules']:
                raise SystemExit(f'cold_start.py: {mode} with bytecode loaded modules without a .pyc: {result}')
            if layer and not bytecode and result['layer_pyc'] != 0:
                raise SystemExit(f'cold_start.py: {mode} without bytecode found a .pyc: {result}')
            runs.append(result)
    server.shutdown()
    udp.close()
    version = subprocess.run([args.python, '-c', 'import sys; print(sys.version.split()[0])'], capture_output=True, text=True).stdout.strip()
    print(json.dumps({'python': version, 'load_after': os.getloadavg(), 'executable': args.python, 'packages': versions, 'runs': runs}))


if __name__ == '__main__':
    main()
