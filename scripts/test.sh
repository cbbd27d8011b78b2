#!/usr/bin/env bash
# Second set-up command: install what is missing, then lint, check formatting and run the tests.
#   ./scripts/test.sh           every test (what CI runs)
#   ./scripts/test.sh --fast    the fast tier: skips the tests marked slow (notebooks, reports,
#                               the browser, LibreOffice, subprocess sweeps)
# Other arguments go to pytest. The tests run on every core (pytest-xdist, -n auto, with work
# stealing: a worker left idle near the end takes tests from the other's queue) unless an
# argument says otherwise (-n 0 runs them in one process).
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
case " $* " in
  *" -n "* | *" -n="* | *" --numprocesses"* | *" -p no:xdist "*) ;;
  *) args+=(-n auto --dist worksteal) ;;
esac
for a in "$@"; do
  if [ "$a" = "--fast" ]; then
    args+=(-m "not slow")
  else
    args+=("$a")
  fi
done
bash scripts/install.sh
echo "==> ruff check"
.venv/bin/ruff check .
echo "==> ruff format --check"
.venv/bin/ruff format --check .
echo "==> pytest"
set +e
.venv/bin/python -m pytest ${args[@]+"${args[@]}"}
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "error: (tests): pytest: no tests were collected" >&2
  exit 1
fi
exit "$status"
