#!/usr/bin/env bash
# Builds the Python wheel from jsii-pacmak's sources offline: pip wheel --no-build-isolation --no-index needs an
# interpreter that already has setuptools and wheel (no index to fetch them from). On this project's machines the
# python3 first on PATH is pyenv's, which has setuptools but not wheel; Debian's /usr/bin/python3 has both
# (python3-setuptools, python3-wheel). So: take $PYTHON if set, else the first python3 that has both.
# Usage: scripts/python-wheel.sh <out dir> <source dir>
set -euo pipefail
for py in "${PYTHON:-}" python3 /usr/bin/python3; do
  [ -n "$py" ] || continue
  if "$py" -c 'import setuptools, wheel' 2>/dev/null; then
    exec "$py" -m pip wheel --no-build-isolation --no-deps --no-index -w "$1" "$2"
  fi
done
echo "package:python: no python3 with setuptools and wheel (tried \$PYTHON, python3 on PATH, /usr/bin/python3)." \
  "Fix: apt-get install python3-setuptools python3-wheel, or set PYTHON to an interpreter that has both." >&2
exit 1
