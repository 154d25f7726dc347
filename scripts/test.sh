#!/usr/bin/env bash
# Quick start: install, then run every test.  SQLite by default; for PostgreSQL set
# SINHKE_TEST_DATABASE_URL=postgresql+asyncpg://user@host/database (an empty database).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
exec .venv/bin/python -m pytest -q "$@"
