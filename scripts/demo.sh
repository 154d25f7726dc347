#!/usr/bin/env bash
# Quick start: install, then chat with the bot in the terminal as a demo household.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
exec .venv/bin/sinhke demo "$@"
