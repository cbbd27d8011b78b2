#!/usr/bin/env bash
# First set-up command: install everything, then run the main job on the shipped data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/jnpolicy catalog
