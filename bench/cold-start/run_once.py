"""One cold start, in a fresh interpreter: import the handler (init), then invoke it once.

Prints one JSON line: init_ms (importing the handler module, which sets up the instrumentation and
the boto3 client), invoke_ms (the first call of the handler), and what the instrumentation recorded.
"""
import time

STARTED = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

init_start, init_cpu = time.perf_counter(), time.process_time()
import handler  # noqa: E402

init_ms = (time.perf_counter() - init_start) * 1000
init_cpu_ms = (time.process_time() - init_cpu) * 1000
invoke_start, invoke_cpu = time.perf_counter(), time.process_time()
result = handler.handler({}, None)
invoke_ms = (time.perf_counter() - invoke_start) * 1000
invoke_cpu_ms = (time.process_time() - invoke_cpu) * 1000

layer = os.environ.get('BENCH_LAYER_DIR')
# Python source modules only (an extension module such as wrapt's _wrappers.so has no bytecode).
layer_modules = [m for m in list(sys.modules.values())
                 if layer and (getattr(getattr(m, '__spec__', None), 'origin', None) or '').startswith(layer + os.sep)
                 and m.__spec__.origin.endswith('.py')]
spans = 0
if handler.MODE == 'otel-api':
    import recording_tracer
    spans = len(recording_tracer.FINISHED)
print(json.dumps({
    'init_ms': init_ms,
    'invoke_ms': invoke_ms,
    # CPU time of this process over the same spans (time.process_time): less sensitive to other load.
    'init_cpu_ms': init_cpu_ms,
    'invoke_cpu_ms': invoke_cpu_ms,
    'ok': result['ok'],
    'spans': spans,
    'modules': len(sys.modules),
    # Source modules loaded from the layer folder, and how many of them came from bytecode (a .pyc present).
    'layer_modules': sum(1 for m in layer_modules),
    'layer_pyc': sum(1 for m in layer_modules if m.__spec__.cached and os.path.exists(m.__spec__.cached)),
}))
