#!/usr/bin/env bash
# First set-up command: install everything, then run the main job on the shipped data: every
# scenario's report, published at reports/latest/index.html.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/jnpolicy report --all "$@"
echo "==> open reports/latest/index.html in a browser"
