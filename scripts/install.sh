#!/usr/bin/env bash
# Install everything the project needs into ./.venv: the package with its test tools, a Jupyter
# kernel named "jnpolicy", and a CJK font (PyPI's noto-cjk-sans-otc) for Chinese chart labels.
# Needs only Python 3.11+ and network access to PyPI. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "error: (setup): python: Python 3.11 or newer is needed as '$PYTHON' (set PYTHON=...)" >&2
  exit 2
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    # Debian's python3 without python3-venv has no ensurepip: make the venv bare, then bring pip
    # from PyPI as a wheel and let it install itself.
    rm -rf .venv
    "$PYTHON" -m venv --without-pip .venv
    .venv/bin/python - <<'PY'
import json, pathlib, subprocess, sys, tempfile, urllib.request
meta = json.load(urllib.request.urlopen("https://pypi.org/pypi/pip/json", timeout=60))
wheel = next(f for f in meta["urls"] if f["filename"].endswith(".whl"))
path = pathlib.Path(tempfile.mkdtemp()) / wheel["filename"]
path.write_bytes(urllib.request.urlopen(wheel["url"], timeout=120).read())
subprocess.check_call([sys.executable, f"{path}/pip", "install", "--quiet", str(path)])
PY
  fi
fi

stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "==> installing the package and its dependencies (a few minutes the first time)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[test]"
  touch "$stamp"
fi

# (Re)register the kernel every time, so it always points at this checkout's .venv.
.venv/bin/python -m ipykernel install --user --name jnpolicy --display-name "Python (jnpolicy)" >/dev/null 2>&1
echo "==> Jupyter kernel 'jnpolicy' points at $(pwd)/.venv"
