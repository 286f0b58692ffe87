#!/usr/bin/env bash
# Sets up (scripts/setup.sh, with Chromium) and runs every test: type check, lint, unit and
# integration tests of every package (database tests on SQLite and on the PostgreSQL at
# 127.0.0.1:5432), the end-to-end browser tests in test/e2e, then the adoption test
# (test/adoption: the packages installed in a new app made by @backstage/create-app).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh --with-browser

export CI=true
# No container runtime here: TestDatabases uses the running PostgreSQL instead of Docker.
export BACKSTAGE_TEST_DISABLE_DOCKER=1
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"

step() { echo; echo "=== $* ($(date -u +%H:%M:%S))"; }
step "type check"; yarn tsc
# the API reports read the declarations the type check just wrote to dist-types/
step "API reports (yarn api-reports to update them)"; yarn api-reports:check
step "lint"; yarn lint:all; yarn prettier:check
step "unit and integration tests"; yarn test
step "end-to-end tests"; yarn test:e2e
# packs the plugins, installs them into a new create-app app following their READMEs
step "adoption test"; yarn test:adoption
