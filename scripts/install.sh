#!/usr/bin/env bash
# Install Sinh kế bot into ./.venv (created if missing) with its test tools, and compile
# the message catalogs.  Safe to run again.  Each step says what it does; pip's own output
# is shown only when it fails.  The runtime dependencies are pinned by
# deploy/constraints.txt, so the tests run with the versions a production install gets.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
step() { echo "==> $*"; }
# One install at a time: CI runs the test command for SQLite and PostgreSQL side by side.
exec 9>.install.lock
flock 9
if [ ! -x .venv/bin/python ]; then
  step "creating the virtual environment .venv ($("$PYTHON" --version 2>&1))"
  "$PYTHON" -m venv .venv
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run_quietly() {
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "install failed" >&2
    exit 1
  fi
}
step "updating pip"
run_quietly .venv/bin/python -m pip install -q --upgrade pip
step "installing the bot and its test tools (about a minute the first time)"
run_quietly .venv/bin/python -m pip install -q --constraint deploy/constraints.txt -e ".[test]"
step "compiling the message catalogs"
.venv/bin/python scripts/catalogs.py compile
step "done: try .venv/bin/sinhke --help"
