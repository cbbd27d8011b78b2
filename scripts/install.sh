#!/usr/bin/env bash
# Install everything the project needs into ./.venv: the package with its test tools, a Jupyter
# kernel named "jnpolicy", and a CJK font (PyPI's noto-cjk-sans-otc) for Chinese chart labels.
# Needs only Python 3.11+ (with ensurepip) and pip's usual access to a package index. Safe to run
# again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "error: (setup): python: Python 3.11 or newer is needed as '$PYTHON' (set PYTHON=...)" >&2
  exit 2
fi

# Debian's python3 without its venv package has no ensurepip, so `python -m venv` cannot give the
# venv a pip. Install that package (python3.X-venv, else python3-venv) when we are root and have
# apt-get; otherwise say what to install and stop.
has_ensurepip() { "$PYTHON" -c 'import ensurepip' >/dev/null 2>&1; }
if [ ! -x .venv/bin/python ] || [ ! -x .venv/bin/pip ]; then
  if ! has_ensurepip; then
    pyver=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "==> installing python${pyver}-venv (this Python has no ensurepip)"
      apt-get update -qq || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python${pyver}-venv" >/dev/null 2>&1 \
        || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null 2>&1 \
        || true
    fi
    if ! has_ensurepip; then
      echo "error: (setup): python: '$PYTHON' has no ensurepip, so it cannot make a venv with pip;" \
        "install python${pyver}-venv (Debian/Ubuntu: sudo apt-get install python${pyver}-venv)" >&2
      exit 2
    fi
  fi
  echo "==> creating .venv"
  rm -rf .venv
  "$PYTHON" -m venv .venv
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
