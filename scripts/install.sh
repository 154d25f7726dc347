#!/usr/bin/env bash
# Install Sinh kế bot into ./.venv (created if missing) with its test tools, and compile
# the message catalogs.  Safe to run again.  pip's output is shown only when it fails.
# The runtime dependencies are pinned by deploy/constraints.txt, so the tests run with the
# versions a production install gets.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { .venv/bin/python -m pip install -q --upgrade pip && .venv/bin/python -m pip install -q --constraint deploy/constraints.txt -e ".[test]"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "install failed" >&2
  exit 1
fi
.venv/bin/python scripts/catalogs.py compile
