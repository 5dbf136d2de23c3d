"""Run one Lambda Python handler on this machine the way the Lambda runtime would, for `cdk-traced-lambda trace`.

Usage: python3 runner.py CONFIG_JSON_FILE

The config (written by process.ts beside this file) names the handler, the sys.path entries (code asset first, then
the layers' python/ directories), the event file, the trace ids and where to write the result. The Lambda
environment variables (LAMBDA_TASK_ROOT, AWS_XRAY_DAEMON_ADDRESS, ...) are already set by the caller, except
_X_AMZN_TRACE_ID: like the Lambda runtime, this runner sets it only for the invocation (and, with traceInit, for
the init phase too), so the X-Ray SDK's LambdaContext builds its FacadeSegment from it.

The X-Ray SDK in Lambda emits subsegments only: the function's segment comes from the Lambda service. This
runner plays that part: after the handler returns it sends the function segment (with Initialization and
Invocation subsegments) to the same UDP address, last, so the caller knows every datagram has been sent.

For a function instrumented with OpenTelemetry (config "otel"), _cdk_traced_lambda_otel.py beside this file
plays the exec wrapper: a tracer provider whose spans go to a JSON-lines file, the Lambda server span around the
handler (parented on the Invocation segment, as the X-Ray Lambda propagator does), botocore instrumentation.

Nothing the handler starts outlives the run: on Linux this runner makes itself a child subreaper
(prctl PR_SET_CHILD_SUBREAPER), so a child in a new session or a double-forked daemon stays below it in the
process tree; when the invocation ends the runner kills every descendant it finds in /proc and reports how many
("killedProcesses"). At a timeout, the CLI does the same from outside (reaper.ts).

Only the standard library is used here: the handler's own imports decide what else gets loaded.
"""
import ctypes
import ctypes.util
import importlib
import importlib.abc
import importlib.util
import json
import logging
import os
import signal
import socket
import sys
import time
import traceback

CONFIG = None


class _TouchFileRedirect(importlib.abc.MetaPathFinder):
    """In Lambda mode the X-Ray SDK touches /tmp/.aws-xray/initialized when it starts. Point it at this run's
    temporary directory instead, so local runs leave the machine's /tmp alone."""

    TARGET = 'aws_xray_sdk.core.lambda_launcher'

    def __init__(self, touch_dir):
        self.touch_dir = touch_dir

    def find_spec(self, fullname, path, target=None):
        if fullname != self.TARGET:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return None
        original_exec = spec.loader.exec_module
        touch_dir = self.touch_dir

        def exec_module(module):
            original_exec(module)
            module.TOUCH_FILE_DIR = touch_dir + os.sep
            module.TOUCH_FILE_PATH = os.path.join(touch_dir, 'initialized')

        spec.loader.exec_module = exec_module
        return spec


class FakeContext:
    """The context object the Lambda Python runtime passes to a handler."""

    def __init__(self, ctx, deadline):
        self.function_name = ctx['functionName']
        self.function_version = '$LATEST'
        self.invoked_function_arn = ctx['functionArn']
        self.memory_limit_in_mb = ctx['memoryLimitInMb']
        self.aws_request_id = ctx['requestId']
        self.log_group_name = '/aws/lambda/' + ctx['functionName']
        self.log_stream_name = time.strftime('%Y/%m/%d') + '/[$LATEST]' + ctx['requestId'].replace('-', '')
        self.identity = None
        self.client_context = None
        self._deadline = deadline

    def get_remaining_time_in_millis(self):
        return max(0, int((self._deadline - time.time()) * 1000))


def _user_frames(exc):
    """The exception's stack without local trace's own frames (this runner and its OpenTelemetry wrapper), as Lambda shows it."""
    here = os.path.dirname(os.path.abspath(__file__))
    return [f for f in traceback.extract_tb(exc.__traceback__) if os.path.dirname(os.path.abspath(f.filename)) != here]


def _format_exception(exc):
    frames = _user_frames(exc)
    head = ['Traceback (most recent call last):\n'] if frames else []
    return ''.join(head + traceback.format_list(frames) + traceback.format_exception_only(type(exc), exc))


def _exception_cause(exc, tb_text):
    stack = [{'path': f.filename, 'line': f.lineno, 'label': f.name} for f in _user_frames(exc)]
    return {
        'working_directory': os.getcwd(),
        'exceptions': [{'message': str(exc), 'type': type(exc).__name__, 'stack': stack[-10:]}],
        'text': tb_text,
    }


def _send(address, document):
    host, port = address.rsplit(':', 1)
    data = ('{"format":"json","version":1}\n' + json.dumps(document)).encode('utf-8')
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.sendto(data, (host, int(port)))
    finally:
        sock.close()


def _set_trace_header(parent_id):
    os.environ['_X_AMZN_TRACE_ID'] = 'Root=%s;Parent=%s;Sampled=1' % (CONFIG['traceId'], parent_id)


def _reset_xray_context():
    """Between init and invocation the Lambda runtime changes _X_AMZN_TRACE_ID. The SDK's LambdaContext only
    notices a new trace id, not a new parent, so drop its cached facade when we traced the init phase."""
    core = sys.modules.get('aws_xray_sdk.core')
    if core is not None:
        try:
            core.xray_recorder.context.clear_trace_entities()
        except Exception:  # an SDK without this method: subsegments keep the init parent, still in this trace
            pass


class _RequestIdFilter(logging.Filter):
    def __init__(self, request_id):
        super().__init__()
        self.request_id = request_id

    def filter(self, record):
        record.aws_request_id = self.request_id
        return True


def _configure_logging(request_id):
    """The Lambda Python runtime gives the root logger a handler that writes to stdout in this format."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter('[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n',
                                           '%Y-%m-%dT%H:%M:%S'))
    handler.addFilter(_RequestIdFilter(request_id))
    logging.getLogger().addHandler(handler)


def _load_handler(handler):
    module_name, _, func_name = handler.rpartition('.')
    if not module_name or not func_name:
        raise ValueError('Handler "%s" is not of the form module.function' % handler)
    module = importlib.import_module(module_name.replace('/', '.'))
    func = getattr(module, func_name, None)
    if func is None:
        raise AttributeError('Handler "%s": module "%s" has no attribute "%s"' % (handler, module_name, func_name))
    return func


class _no_phase:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _xray_sdk_origin():
    module = sys.modules.get('aws_xray_sdk')
    return getattr(module, '__file__', None) if module else None


def _load_otel_support():
    """Load _cdk_traced_lambda_otel.py from beside this file (sys.path is the function's, not ours)."""
    spec = importlib.util.spec_from_file_location(
        '_cdk_traced_lambda_otel', os.path.join(os.path.dirname(os.path.abspath(__file__)), '_cdk_traced_lambda_otel.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>


def _become_subreaper():
    """Linux: orphans of the handler's processes are re-parented to this runner, not to init. False elsewhere."""
    if not sys.platform.startswith('linux'):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library('c') or 'libc.so.6', use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _process_parents():
    """pid -> parent pid of every live process /proc lists (zombies left out)."""
    parents = {}
    try:
        entries = os.listdir('/proc')
    except OSError:
        return parents
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry, encoding='utf-8', errors='replace') as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(')') + 2:].split(' ')
        if len(fields) > 1 and fields[0] != 'Z':
            parents[int(entry)] = int(fields[1])
    return parents


def _descendants(root):
    children = {}
    for pid, ppid in _process_parents().items():
        children.setdefault(ppid, []).append(pid)
    out, queue = [], list(children.get(root, []))
    while queue:
        pid = queue.pop(0)
        if pid not in out:
            out.append(pid)
            queue.extend(children.get(pid, []))
    return out


def _kill_descendants():
    """Stop every process below this runner (until no new one appears), kill them, reap them; how many."""
    me = os.getpid()
    stopped = set()
    for _ in range(20):
        found = [pid for pid in _descendants(me) if pid not in stopped]
        if not found:
            break
        for pid in found:
            try:
                os.kill(pid, signal.SIGSTOP)
                stopped.add(pid)
            except OSError:
                pass
    for pid in stopped:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    # As their subreaper, this runner reaps them (and any earlier orphan), so none is left a zombie.
    deadline = time.time() + 2
    while time.time() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(0.01)
    return len(stopped)


def _write_outcome(outcome):
    with open(CONFIG['resultFile'], 'w', encoding='utf-8') as f:
        json.dump(outcome, f)


def main():
    global CONFIG
    subreaper = _become_subreaper()
    with open(sys.argv[1], encoding='utf-8') as f:
        CONFIG = json.load(f)
    otel_support = _load_otel_support() if CONFIG.get('otel') else None
    # Lambda's sys.path: /var/task, then the layers' /opt/python dirs, then the runtime's own packages.
    sys.path[:] = CONFIG['sysPath'] + [p for p in sys.path[1:] if p] + CONFIG.get('extraPath', [])
    sys.meta_path.insert(0, _TouchFileRedirect(CONFIG['touchDir']))
    os.environ.pop('_X_AMZN_TRACE_ID', None)

    with open(CONFIG['eventFile'], encoding='utf-8') as f:
        event = json.load(f)

    _configure_logging(CONFIG['context']['requestId'])
    address = os.environ['AWS_XRAY_DAEMON_ADDRESS']
    ids = CONFIG['ids']
    outcome = {'phase': 'init', 'succeeded': False, 'notes': []}
    otel = None
    if otel_support is not None:
        otel_support.environment_defaults(CONFIG)
        try:
            otel = otel_support.Otel(CONFIG, outcome['notes'])
        except otel_support.MissingApi as exc:
            _write_outcome({'setupError': 'otel-api-missing', 'detail': str(exc)})
            return 2
        outcome['otelMode'] = otel.mode
    start = time.time()
    init_end = invoke_start = end = None
    error = None
    try:
        if CONFIG.get('traceInit'):
            _set_trace_header(ids['init'])
        if otel is not None:
            # Spans made while the module is imported have no parent in Lambda (a trace of their own), unless traceInit.
            with (otel.phase(ids['init']) if CONFIG.get('traceInit') else _no_phase()):
                func = _load_handler(CONFIG['handler'])
                module_name, _, func_name = CONFIG['handler'].rpartition('.')
                func = otel.instrument_handler(module_name.replace('/', '.'), func_name, ids['invoke'])
        else:
            func = _load_handler(CONFIG['handler'])
        init_end = time.time()
        if CONFIG.get('traceInit'):
            _reset_xray_context()
        outcome['phase'] = 'invoke'
        # The SDK's subsegments hang under Invocation (and, with traceInit, under Initialization), so the
        # timeline shows which phase a call belongs to.
        _set_trace_header(ids['invoke'])
        invoke_start = time.time()
        context = FakeContext(CONFIG['context'], invoke_start + CONFIG['context']['timeoutSeconds'])
        result = func(event, context)
        end = time.time()
        outcome['result'] = json.dumps(result)
        outcome['succeeded'] = True
    except BaseException as exc:  # the handler's exception is the result, whatever it is
        end = time.time()
        if init_end is None:
            init_end = end
        tb_text = _format_exception(exc)
        error = _exception_cause(exc, tb_text)
        outcome.update(errorType=type(exc).__name__, errorMessage=str(exc), traceback=tb_text)

    if otel is not None:
        otel.flush()
    outcome['xraySdkFile'] = _xray_sdk_origin()
    otel_module = sys.modules.get('opentelemetry.trace')
    outcome['otelApiFile'] = getattr(otel_module, '__file__', None) if otel_module else None
    outcome['pythonVersion'] = 'python%d.%d' % sys.version_info[:2]
    outcome['timing'] = {'start': start, 'initEnd': init_end, 'invokeStart': invoke_start, 'end': end}

    # The segments the Lambda service would record for this invocation.
    root = {
        'name': CONFIG['context']['functionName'], 'id': ids['root'], 'trace_id': CONFIG['traceId'],
        'start_time': start, 'end_time': end, 'origin': 'AWS::Lambda::Function',
        'aws': {'request_id': CONFIG['context']['requestId'], 'function_arn': CONFIG['context']['functionArn']},
        'subsegments': [], 'local_trace': {'synthesized': True},
    }
    init = {'name': 'Initialization', 'id': ids['init'], 'start_time': start, 'end_time': init_end}
    root['subsegments'].append(init)
    if invoke_start is not None:
        invocation = {'name': 'Invocation', 'id': ids['invoke'], 'start_time': invoke_start, 'end_time': end}
        root['subsegments'].append(invocation)
        failed = invocation
    else:
        failed = init
    if error is not None:
        for entity in (root, failed):
            entity['fault'] = True
            entity['cause'] = {k: v for k, v in error.items() if k != 'text'}

    # The invocation has ended: nothing it started keeps running (Lambda freezes or ends the sandbox).
    outcome['killedProcesses'] = _kill_descendants()
    outcome['subreaper'] = subreaper
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        _write_outcome(outcome)
        _send(address, root)
    return 0 if outcome['succeeded'] else 1


if __name__ == '__main__':
    sys.exit(main())
