#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and starts the app with its embedded defaults: SQLite, the
# ServiceNow simulator on :7080, guest sign-in. Open http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
exec yarn start
