"""Which files of a directory xray_usage.py analyzes: the Python sources, without packages vendored into it
(files listed in a *.dist-info/RECORD) or folders that are never user code; and how a file is read.

Only regular files are read: a FIFO, a socket or a device named *.py would block a read forever (or never end),
so they are skipped and listed as such. Each file is read with a bound on its size and on the time it takes."""
import os
import signal
import stat

MAX_FILE_BYTES = 2 * 1024 * 1024
# Longest a single file may take to read (a slow or stuck network file system).
MAX_READ_SECONDS = 10
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
                text = read_source(record).decode("utf-8", errors="replace")
            except (OSError, ValueError):
                continue
            for row in text.splitlines()[:100000]:
                path = row.split(",")[0]
                if path:
                    files.add(os.path.normpath(path))
    return files


def file_kind(path):
    """'file' for a regular file (a symbolic link is followed), else what it is: 'FIFO', 'socket', 'device',
    'directory', 'other'; 'unreadable' when it cannot be examined (a broken link)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "unreadable"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "directory" if stat.S_ISDIR(mode) else "other"


class _ReadTimeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise _ReadTimeout()


def read_source(path, max_bytes=MAX_FILE_BYTES, max_seconds=MAX_READ_SECONDS):
    """The bytes of a regular file. Raises ValueError for anything else (checked on the open file, so a FIFO
    put in its place after a listing cannot block: the open does not wait for a writer), for a file larger
    than max_bytes, and TimeoutError when reading takes longer than max_seconds."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    timer = hasattr(signal, "setitimer") and _in_main_thread()
    previous = signal.signal(signal.SIGALRM, _on_alarm) if timer else None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file")
        if info.st_size > max_bytes:
            raise ValueError("larger than %d bytes: not read" % max_bytes)
        if timer:
            signal.setitimer(signal.ITIMER_REAL, max_seconds)
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1024 * 1024)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise ValueError("larger than %d bytes: not read" % max_bytes)
            chunks.append(chunk)
        return b"".join(chunks)
    except _ReadTimeout:
        raise TimeoutError("not read within %d s" % max_seconds)
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        os.close(fd)


def _in_main_thread():
    import threading
    return threading.current_thread() is threading.main_thread()


def python_files(root, special=None):
    """The regular *.py files under root (relative paths). A *.py that is not a regular file (a FIFO, socket,
    device) is left out and, when `special` is a list, appended to it as (relative path, kind)."""
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
                if rel in skipped:
                    continue
                kind = file_kind(os.path.join(dirpath, name))
                if kind == "file":
                    out.append(rel)
                elif special is not None:
                    special.append((rel, kind))
    return out


def module_name_of(rel):
    parts = rel[:-3].split(os.sep)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)
