#!/usr/bin/env python3
"""Checks the Python spelling of the public names of the tracing core and of the layer's BundlingStrategy
against jsii-pacmak's generated sources, and that the README's Python examples show each of them.

Usage: python3 scripts/check-python-names.py <artifacts/python-src/python> <README.md>
Run by `npx projen package:python` (so by .ci/run) after jsii-pacmak. Exit 1 names every mismatch.
"""
import pathlib
import re
import sys

# (Python name as a user writes it, a pattern that must occur in the generated sources).
EXPECTED = [
    ("TracedFunction", r"class TracedFunction\("),
    ("xray_permissions", r"\bxray_permissions: typing\.Optional\[\"?XRayPermissions\"?\]"),
    ("instrumentation", r"\binstrumentation: typing\.Optional\[\"?Instrumentation\"?\]"),
    ("XRayPermissions", r"class XRayPermissions\(enum\.Enum\)"),
    ("MANAGED_POLICY", r"\bMANAGED_POLICY = \"MANAGED_POLICY\""),
    ("LEAST_PRIVILEGE", r"\bLEAST_PRIVILEGE = \"LEAST_PRIVILEGE\""),
    ("Instrumentation", r"class Instrumentation\("),
    ("xray_sdk", r"def xray_sdk\("),
    ("adot", r"def adot\("),
    ("none", r"def none\("),
    ("open_telemetry", r"def open_telemetry\("),
    ("application_signals", r"\bapplication_signals: typing\.Optional\[builtins\.bool\]"),
    ("powertools", r"def powertools\("),
    ("OPEN_TELEMETRY", r"def OPEN_TELEMETRY\("),
    ("TracingAspect", r"class TracingAspect\("),
    ("exclude_paths", r"\bexclude_paths: typing\.Optional\["),
    ("exclude_cdk_internal_functions", r"\bexclude_cdk_internal_functions: typing\.Optional\["),
    ("TracingChecks", r"class TracingChecks\("),
    ("TracedLambdaNag", r"class TracedLambdaNag\("),
    ("acknowledge_xray_findings", r"def acknowledge_xray_findings\("),
    ("AnnotationId", r"class AnnotationId\("),
    ("XRAY_PERMISSIONS_KEPT", r"def XRAY_PERMISSIONS_KEPT\("),
    ("TracingContract", r"class TracingContract\("),
    ("INSTRUMENTATION_METADATA_KEY", r"def INSTRUMENTATION_METADATA_KEY\("),
    ("InstrumentationName", r"class InstrumentationName\("),
    # PythonDependencyLayer's strategy, an enum.Enum. jsii gives a Python member its name as value ("LOCAL"); the
    # JavaScript side gets the TypeScript value ("local"), which is what the layer's key is built from.
    ("bundling_strategy", r"\bbundling_strategy: typing\.Optional\[\"?BundlingStrategy\"?\]"),
    ("BundlingStrategy", r"class BundlingStrategy\(enum\.Enum\)"),
    ("AUTO", r"\bAUTO = \"AUTO\""),
    ("LOCAL", r"\bLOCAL = \"LOCAL\""),
    ("DOCKER", r"\bDOCKER = \"DOCKER\""),
]

# Spellings that must not appear: what jsii makes of an acronym written in capitals.
FORBIDDEN = [r"acknowledge_x_ray_findings", r"\bx_ray_permissions\b"]


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    src, readme = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    files = sorted(src.rglob("*.py"))
    if not files:
        print(f"check-python-names: no .py files under {src}. Fix: run jsii-pacmak --target python --code-only first.", file=sys.stderr)
        return 2
    generated = "\n".join(f.read_text(encoding="utf-8") for f in files)
    examples = "\n".join(re.findall(r"```python\n(.*?)```", readme.read_text(encoding="utf-8"), re.S))
    problems = []
    for name, pattern in EXPECTED:
        if not re.search(pattern, generated):
            problems.append(f"{name}: not in the generated Python sources (looked for /{pattern}/ under {src})")
        if not re.search(rf"\b{re.escape(name)}\b", examples):
            problems.append(f"{name}: not shown in a ```python example of {readme}")
    for pattern in FORBIDDEN:
        if re.search(pattern, generated):
            problems.append(f"/{pattern}/ occurs in the generated Python sources: rename the TypeScript member so jsii spells it as intended")
    for problem in problems:
        print(f"check-python-names: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"check-python-names: {len(EXPECTED)} public names match their Python spelling in {len(files)} generated files and the README")
    return 0


if __name__ == "__main__":
    sys.exit(main())
