#!/usr/bin/env bash
# Second set-up command: install what is missing, then lint, check formatting and run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
echo "==> ruff check"
.venv/bin/ruff check .
echo "==> ruff format --check"
.venv/bin/ruff format --check .
echo "==> pytest"
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "error: (tests): pytest: no tests were collected" >&2
  exit 1
fi
exit "$status"
