"""Lists every use of the AWS X-Ray SDK for Python (and of the Powertools Tracer, which wraps it) in a
directory of Python sources, for `cdk-traced-lambda migrate`.

Usage: python3 xray_usage.py ROOT [ROOT...]
Prints one JSON document on stdout: {"roots": [{"root", "files", "uses", "errors"}]}.

The sources are parsed with Python's own `ast` module: imports are followed with their aliases
(`from aws_xray_sdk.core import xray_recorder as rec`, `import aws_xray_sdk.core as x`), names bound to
the recorder, to its segments and subsegments (`current_subsegment()`, `with ... as sub`) and to a
Powertools `Tracer()` are tracked through assignments, and module-level names imported from another
module of the same ROOT are resolved too. A file that does not parse is reported in "errors", never
raised. Packages vendored into ROOT (listed in a *.dist-info/RECORD) are third-party code and skipped.
Reads files only; never imports or runs them.
"""
import ast
import json
import os
import sys

from ast_names import attribute_path, is_xray_qual, string_list, unparse  # beside this script, first on sys.path
from source_files import module_name_of, python_files, read_source
from xray_api import (
    RECORDER_QUALS,
    RECORDER_CLASSES,
    PATCH_ALL,
    PATCH,
    POWERTOOLS_TRACER,
    STAR_EXPORTS,
    RECORDER_METHODS,
    CONTEXT_CLASSES,
    CONTEXT_METHODS,
    RETURNS_ENTITY,
    YIELDS_ENTITY,
    ENTITY_METHODS,
    TRACER_METHODS,
    CONFIGURE_KEYWORDS,
)


class Module:
    """One parsed file: its import aliases and the types of the names it binds."""

    def __init__(self, rel, module_name, tree, lines):
        self.rel = rel
        self.module_name = module_name
        self.tree = tree
        self.lines = lines
        self.aliases = {}  # name -> qualified name of what an import bound
        self.types = {}  # name (or dotted attribute, `self.recorder`) -> "recorder" | "entity" | "tracer" | "context"
        self.local_imports = []  # (name, module, attr): `from <module> import <attr> as <name>`, resolved later

    @property
    def package(self):
        parts = self.module_name.split(".")
        return parts if self.rel.endswith("__init__.py") else parts[:-1]


def collect_imports(mod, module_names):
    for node in ast.walk(mod.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    mod.aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    mod.aliases[top] = top
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = mod.package
                if node.level - 1 > len(package):
                    continue
                package = package[: len(package) - (node.level - 1)]
                base = ".".join(package + ([base] if base else []))
            for alias in node.names:
                if alias.name == "*":
                    # `from aws_xray_sdk.core import *` binds the names the package exports.
                    for name in STAR_EXPORTS.get(base, ()):
                        mod.aliases[name] = base + "." + name
                    continue
                name = alias.asname or alias.name
                if base in module_names:
                    mod.local_imports.append((name, base, alias.name))
                else:
                    mod.aliases[name] = base + "." + alias.name if base else alias.name


class Resolver:
    def __init__(self, mod, exports=None):
        self.mod = mod
        self.exports = exports or {}

    def qual(self, node):
        """The qualified name an import chain stands for (`rec.capture` -> aws_xray_sdk.core.xray_recorder.capture)."""
        if isinstance(node, ast.Name):
            return self.mod.aliases.get(node.id) if node.id not in self.mod.types else None
        if isinstance(node, ast.Attribute):
            base = self.qual(node.value)
            return base + "." + node.attr if base else None
        return None

    def type_of(self, node):
        """"recorder", "entity", "tracer" or None."""
        q = self.qual(node)
        if q in RECORDER_QUALS:
            return "recorder"
        if isinstance(node, ast.Name):
            return self.mod.types.get(node.id)
        if isinstance(node, ast.Attribute):
            receiver = self.type_of(node.value)
            if node.attr == "provider" and receiver == "tracer":
                return "recorder"
            if node.attr == "context" and receiver == "recorder":
                return "context"
            # An attribute this module assigned (`self.recorder = xray_recorder`), or a name another module of
            # the same root binds (`import tracing` ... `tracing.recorder`).
            dotted = attribute_path(node)
            if dotted is not None and dotted in self.mod.types:
                return self.mod.types[dotted]
            module = self.local_module(node.value)
            if module is not None:
                return self.exports.get(module, {}).get("types", {}).get(node.attr)
            return None
        if isinstance(node, ast.Call):
            fq = self.qual(node.func)
            if fq in RECORDER_CLASSES:
                return "recorder"
            if fq in POWERTOOLS_TRACER:
                return "tracer"
            if fq in CONTEXT_CLASSES:
                return "context"
            if isinstance(node.func, ast.Attribute) and self.type_of(node.func.value) == "recorder":
                if node.func.attr in RETURNS_ENTITY:
                    return "entity"
        return None

    def local_module(self, node):
        """The module of the same root that `node` names (`import tracing` ... `tracing`), or None."""
        if isinstance(node, ast.Name) and node.id not in self.mod.types:
            name = self.mod.aliases.get(node.id)
            return name if name in self.exports else None
        return None

    def yielded_type(self, node):
        """The type a `with <node> as x` target gets."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in YIELDS_ENTITY and self.type_of(node.func.value) == "recorder":
                return "entity"
        return None


def bind_types(mod, exports):
    """Give names their types, to a fixed point (an assignment may use a name bound further down)."""
    for name, module, attr in mod.local_imports:
        exported = exports.get(module, {})
        if attr in exported.get("types", {}):
            mod.types[name] = exported["types"][attr]
        elif attr in exported.get("aliases", {}):
            mod.aliases[name] = exported["aliases"][attr]
    resolver = Resolver(mod, exports)
    for _ in range(5):
        changed = False

        def bind(target, value_type):
            nonlocal changed
            key = target.id if isinstance(target, ast.Name) else attribute_path(target) if isinstance(target, ast.Attribute) else None
            if key is not None and value_type and mod.types.get(key) != value_type:
                mod.types[key] = value_type
                changed = True

        for node in ast.walk(mod.tree):
            if isinstance(node, ast.Assign):
                t = resolver.type_of(node.value)
                for target in node.targets:
                    bind(target, t)
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                bind(node.target, resolver.type_of(node.value))
            elif isinstance(node, ast.NamedExpr):
                bind(node.target, resolver.type_of(node.value))
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None:
                        bind(item.optional_vars, resolver.yielded_type(item.context_expr))
        if not changed:
            break


def module_exports(mod):
    return {"types": dict(mod.types), "aliases": dict(mod.aliases)}


class UseFinder(ast.NodeVisitor):
    """Visits one module and records each X-Ray SDK / Powertools Tracer use once."""

    def __init__(self, mod, exports=None):
        self.mod = mod
        self.resolver = Resolver(mod, exports)
        self.uses = []
        self.decorators = {}  # id(decorator node) -> name of the function it decorates

    def add(self, node, kind, symbol, detail=None, line=None, decorates=None):
        line = line or node.lineno
        text = self.mod.lines[line - 1].strip() if 0 < line <= len(self.mod.lines) else ""
        use = {"line": line, "column": node.col_offset + 1, "kind": kind, "symbol": symbol, "text": text[:160]}
        if detail:
            use["detail"] = detail
        if decorates:
            use["decorates"] = decorates
        self.uses.append(use)

    # A decorator (`@rec.capture("x")`, `@tracer.capture_lambda_handler`) is reported with the function it decorates.
    def visit_FunctionDef(self, node):
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            self.decorators[id(target)] = node.name
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    # Imports: each statement that brings in the X-Ray SDK (or the Powertools Tracer) is one use.
    def visit_Import(self, node):
        if any(is_xray_qual(a.name) for a in node.names):
            self.add(node, "import", unparse(node))

    def visit_ImportFrom(self, node):
        module = node.module or ""
        if node.level == 0 and is_xray_qual(module):
            self.add(node, "import", unparse(node))
        elif node.level == 0 and any(module + "." + a.name in POWERTOOLS_TRACER for a in node.names):
            self.add(node, "import", unparse(node))

    def visit_Call(self, node):
        func = node.func
        # configure(...): its sampling and plugin keywords are reported on their own lines.
        if isinstance(func, ast.Attribute) and func.attr == "configure" and self.resolver.type_of(func.value) == "recorder":
            for kw in node.keywords:
                if kw.arg in CONFIGURE_KEYWORDS:
                    self.add(kw.value, CONFIGURE_KEYWORDS[kw.arg], "configure(%s=...)" % kw.arg,
                             line=getattr(kw, "lineno", kw.value.lineno))
        q = self.resolver.qual(func)
        if q in PATCH and node.args:
            libraries = string_list(node.args[0])
            if libraries:
                self.add(func, "patch", unparse(func), detail=", ".join(libraries))
                self.visit_children_except(node, func)
                return
        self.generic_visit(node)

    def visit_children_except(self, node, skipped):
        for child in ast.iter_child_nodes(node):
            if child is not skipped:
                self.visit(child)

    def visit_Attribute(self, node):
        if not isinstance(node.ctx, ast.Load):
            self.generic_visit(node)
            return
        receiver = self.resolver.type_of(node.value)
        kind = None
        if receiver == "recorder":
            kind = RECORDER_METHODS.get(node.attr, "other")
        elif receiver == "entity":
            kind = ENTITY_METHODS.get(node.attr, "other")
        elif receiver == "tracer":
            kind = TRACER_METHODS.get(node.attr, "other")
        elif receiver == "context":
            kind = CONTEXT_METHODS.get(node.attr, "other")
        else:
            q = self.resolver.qual(node)
            if q is not None:
                kind = self.kind_of_qual(q)
                if kind is None and (is_xray_qual(q) or q.split(".")[0] in self.mod.aliases):
                    return  # a module prefix (aws_xray_sdk.core) or something else entirely: nothing to report
        if receiver == "recorder" and node.attr == "context":
            kind = None  # the recorder's context: the calls made on it are the uses
        if kind is None:
            self.generic_visit(node)
            return
        self.add(node, kind, unparse(node), decorates=self.decorators.get(id(node)))
        # Receivers that are uses of their own (a call, `tracer.provider`) are visited too; plain names are not.
        if not isinstance(node.value, ast.Name) and self.resolver.qual(node.value) is None:
            self.visit(node.value)

    def visit_Name(self, node):
        if not isinstance(node.ctx, ast.Load):
            return
        q = self.resolver.qual(node)
        if q is not None:
            kind = self.kind_of_qual(q)
            if kind is not None:
                self.add(node, kind, node.id)

    def kind_of_qual(self, q):
        """The kind of a direct use of an imported name; None for the recorder itself and for non-X-Ray names."""
        if q in PATCH_ALL:
            return "patch_all"
        if q in PATCH:
            return "patch"
        if q in POWERTOOLS_TRACER:
            return "powertools_tracer"
        if q in RECORDER_QUALS:
            return None  # the recorder passed around: its method calls are what is reported
        if is_xray_qual(q):
            last = q.split(".")[-1]
            if last == "XRayMiddleware" or (q.startswith("aws_xray_sdk.ext.") and last == "middleware"):
                return "middleware"
            if q.startswith("aws_xray_sdk.core.sampling."):
                return "sampling"
            if q.count(".") >= 2 and not q.endswith((".core", ".ext")):
                return "other"
        return None

    def visit_Constant(self, node):
        # Django settings name the middleware and the app by dotted path.
        value = node.value
        if isinstance(value, str) and is_xray_qual(value) and " " not in value and len(value) < 200:
            kind = "middleware" if value.endswith("XRayMiddleware") else "other"
            self.add(node, kind, repr(value))

    def visit_Assign(self, node):
        # Django's XRAY_RECORDER setting configures the recorder.
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id == "XRAY_RECORDER" and isinstance(node.value, ast.Dict):
                self.add(target, "configure", "XRAY_RECORDER (Django setting)")
                for key in node.value.keys:
                    if isinstance(key, ast.Constant) and key.value in ("SAMPLING", "SAMPLING_RULES", "SAMPLER", "PLUGINS"):
                        self.add(key, "plugins" if key.value == "PLUGINS" else "sampling", "XRAY_RECORDER[%r]" % key.value)
        self.generic_visit(node)


def analyze_root(root):
    result = {"root": root, "files": [], "uses": [], "errors": []}
    modules = []
    special = []
    files = python_files(root, special)
    # FIFOs, sockets and devices named *.py are never opened: listed as skipped.
    for rel, kind in special:
        result["errors"].append({"file": rel, "line": 0, "message": "a %s, not a regular file: skipped" % kind})
    for rel in files:
        full = os.path.join(root, rel)
        try:
            source = read_source(full)  # regular files only, bounded in size and time
            tree = ast.parse(source, filename=rel)
            text = source.decode("utf-8", errors="replace")
        except SyntaxError as e:
            result["errors"].append({"file": rel, "line": e.lineno or 0, "message": "SyntaxError: %s" % e.msg})
            continue
        except (ValueError, OSError, RecursionError, MemoryError) as e:
            result["errors"].append({"file": rel, "line": 0, "message": "%s: %s" % (type(e).__name__, e)})
            continue
        result["files"].append(rel)
        modules.append(Module(rel, module_name_of(rel), tree, text.splitlines()))
    names = {m.module_name for m in modules}
    for mod in modules:
        collect_imports(mod, names)
    # Two rounds so that a name imported from another local module gets that module's type.
    exports = {}
    for _ in range(2):
        for mod in modules:
            try:
                bind_types(mod, exports)
            except RecursionError:
                pass  # the finder below reports the file
        exports = {m.module_name: module_exports(m) for m in modules}
    for mod in modules:
        finder = UseFinder(mod, exports)
        try:
            finder.visit(mod.tree)
        except RecursionError:
            result["errors"].append({"file": mod.rel, "line": 0, "message": "RecursionError: nested too deeply to analyze"})
            continue
        seen = set()
        for use in sorted(finder.uses, key=lambda u: (u["line"], u["column"])):
            # One use per line and kind: `sampler=LocalSampler()` is one sampling use, not two.
            if (use["line"], use["kind"]) not in seen:
                seen.add((use["line"], use["kind"]))
                use["file"] = mod.rel
                result["uses"].append(use)
    result["files"].sort()
    result["uses"].sort(key=lambda u: (u["file"], u["line"], u["column"]))
    return result


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: xray_usage.py ROOT [ROOT...]\n")
        return 2
    roots = []
    for root in argv[1:]:
        if not os.path.isdir(root):
            sys.stderr.write("not a directory: %s\n" % root)
            return 2
        roots.append(analyze_root(root))
    json.dump({"roots": roots}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
