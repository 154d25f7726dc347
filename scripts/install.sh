#!/usr/bin/env bash
# Install Sinh kế bot into ./.venv (created if missing) with its test tools, and compile
# the message catalogs.  Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
.venv/bin/python scripts/catalogs.py compile
