"""Which files of a directory xray_usage.py analyzes: the Python sources, without packages vendored into it
(files listed in a *.dist-info/RECORD) or folders that are never user code."""
import os

MAX_FILE_BYTES = 2 * 1024 * 1024
SKIPPED_DIRS = {"__pycache__", "node_modules", "site-packages", "venv", ".venv", ".git", ".tox"}
# The packages whose uses are listed: never user code, even when vendored without a RECORD.
THIRD_PARTY_ROOTS = {"aws_xray_sdk", "aws_lambda_powertools"}


def vendored_files(root):
    """Files that belong to packages installed into root (listed in a *.dist-info/RECORD)."""
    files = set()
    try:
        entries = os.listdir(root)
    except OSError:
        return files
    for entry in entries:
        if entry.endswith(".dist-info"):
            record = os.path.join(root, entry, "RECORD")
            try:
                with open(record, encoding="utf-8", errors="replace") as f:
                    for row in f.read().splitlines()[:100000]:
                        path = row.split(",")[0]
                        if path:
                            files.add(os.path.normpath(path))
            except OSError:
                pass
    return files


def python_files(root):
    skipped = vendored_files(root)
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and not d.startswith(".")
                             and not d.endswith((".dist-info", ".egg-info"))
                             and not (rel_dir == "." and d in THIRD_PARTY_ROOTS))
        for name in sorted(filenames):
            if name.endswith(".py"):
                rel = os.path.normpath(os.path.join(rel_dir, name))
                if rel not in skipped:
                    out.append(rel)
    return out


def module_name_of(rel):
    parts = rel[:-3].split(os.sep)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)
