#!/usr/bin/env bash
# The adoption test: does the suite work in someone else's Backstage, installed from its
# packages by following only the plugin READMEs?
#
#  1. builds and packs the plugin packages (as published: see pack.js) into a temp folder;
#  2. generates a brand-new app with @backstage/create-app at the release this repository
#     pins (backstage.json), in that temp folder; nothing of this repository is copied in;
#  3. installs the tarballs and applies the READMEs' steps, read from the READMEs' code blocks
#     marked `<!-- adoption-test: … -->` (snippet.js), each step naming its README section;
#  4. starts the ServiceNow simulator (from this repository) and the new app, under
#     /tmp/e2e.lock like every test that starts the app (same ports);
#  5. checks in Chromium that a cluster's entity page shows its Incidents card, and that
#     /api/incident-ops/sync/status reports a finished sync (check.ts).
#
# Usage: test/adoption/run.sh            (ADOPTION_DIR=<dir> to keep the app there)
# Needs: Node 22+ and Yarn 4 on PATH (scripts/setup.sh), npm and its registry, Chromium.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/test/adoption"
cd "$ROOT"
command -v yarn >/dev/null && node -e 'process.exit(+process.versions.node.split(".")[0] < 22 ? 1 : 0)' ||
  . scripts/setup.sh >/dev/null

WORK="${ADOPTION_DIR:-$(mktemp -d /tmp/incident-ops-adoption.XXXXXX)}"
mkdir -p "$WORK"
APP="$WORK/app"
OUT="${ADOPTION_OUT:-$ROOT/test-results/adoption}"
mkdir -p "$OUT"
START=$(date +%s)
step() { echo; echo "=== adoption: $* (+$(($(date +%s) - START)) s)"; }
# ADOPTION_FROM=apply|start (with ADOPTION_DIR) skips the phases before it, to iterate
FROM="${ADOPTION_FROM:-pack}"
phase() { # does phase $1 run? (it is $FROM or comes after it)
  local p
  for p in pack create install apply start; do
    [ "$p" = "$FROM" ] && return 0
    [ "$p" = "$1" ] && return 1
  done
}
snippet() { node "$HERE/snippet.js" "$ROOT/plugins/$1/README.md" "$2"; }

PACKAGES=(
  @acme/plugin-incident-ops-common
  @acme/plugin-incident-ops-node
  @acme/plugin-incident-ops-backend
  @acme/plugin-incident-ops-backend-module-servicenow
  @acme/plugin-incident-ops
  @acme/plugin-search-backend-module-incident-ops
  @acme/plugin-permission-backend-module-incident-ops-policy
)

if phase pack; then
step "build and pack the plugin packages into $WORK/tarballs"
# The type builds read the declarations `yarn tsc` writes to dist-types/; scripts/test.sh has
# just run it. Type errors are the type check's job, not this test's.
if [ ! -d dist-types/plugins ] || [ -n "${ADOPTION_TSC:-}" ]; then yarn tsc >/dev/null || true; fi
for p in "${PACKAGES[@]}"; do
  yarn workspace "$p" backstage-cli package build
done
rm -rf "$WORK/dist-workspace" "$WORK/tarballs"
mkdir -p "$WORK/dist-workspace"
yarn backstage-cli build-workspace "$WORK/dist-workspace" "${PACKAGES[@]}" >/dev/null
node "$HERE/pack.js" "$WORK/dist-workspace" "$WORK/tarballs"
fi

if phase create; then
step "create a new app with @backstage/create-app"
CREATE_APP_VERSION=0.9.2 # Backstage $(backstage.json) = 1.55.0
rm -rf "$APP"
# create-app checks that `yarn` runs; corepack picks Yarn from the nearest packageManager.
echo '{ "private": true, "packageManager": "yarn@4.13.0" }' >"$WORK/package.json"
(cd "$WORK" && BACKSTAGE_APP_NAME=app npx --yes "@backstage/create-app@$CREATE_APP_VERSION" \
  --skip-install --path "$APP" >"$OUT/create-app.log" 2>&1) ||
  { tail -20 "$OUT/create-app.log"; exit 1; }
fi

if phase install; then
step "install the packages (READMEs: Install; Backstage versions)"
node "$HERE/prepare-app.js" "$APP" "$ROOT" "$WORK/tarballs"
# --no-immutable: yarn would refuse, under CI=true, to write the new app's lockfile
(cd "$APP" && yarn install --no-immutable >"$OUT/install.log" 2>&1) || { tail -40 "$OUT/install.log"; exit 1; }
fi

if phase apply; then
step "apply the READMEs' steps"
# plugins/incident-ops-backend/README.md, "Install": the backend plugin
# plugins/incident-ops-backend-module-servicenow/README.md, "Install": the ServiceNow module
backend_lines="$(printf '%s\n' "$(snippet incident-ops-backend backend)" \
  "$(snippet incident-ops-backend-module-servicenow backend)")"
node -e '
  const fs = require("fs"); const [file, lines] = process.argv.slice(1);
  const src = fs.readFileSync(file, "utf8");
  if (!src.includes("backend.start();")) throw new Error("no backend.start() in " + file);
  fs.writeFileSync(file, src.replace("backend.start();", lines + "\nbackend.start();"));
' "$APP/packages/backend/src/index.ts" "$backend_lines"
# plugins/incident-ops/README.md, "New frontend system": with `app.packages: all` (create-app's
# default) the installed package is discovered; nothing to add to App.tsx.
grep -q '^  packages: all' "$APP/app-config.yaml"
# plugins/incident-ops-backend/README.md, "Configuration" and
# plugins/incident-ops-backend-module-servicenow/README.md, "Configuration"
{
  echo
  snippet incident-ops-backend config
  snippet incident-ops-backend-module-servicenow config | sed '1{/^incidentOps:$/d}'
} >>"$APP/app-config.yaml"
# plugins/incident-ops-backend/README.md, "Configuration": the playbooks folder
(cd "$APP" && bash -euo pipefail -c "$(snippet incident-ops-backend playbooks-folder)")
# plugins/incident-ops/README.md, "Catalog annotations": the example cluster entity
{ printf '\n---\n'; snippet incident-ops entity; } >>"$APP/examples/entities.yaml"
fi

step "start the ServiceNow simulator and the app (waiting for /tmp/e2e.lock)"
export SERVICENOW_BASE_URL=http://localhost:7080 SERVICENOW_USERNAME=admin SERVICENOW_PASSWORD=admin
flock /tmp/e2e.lock bash -c '
  set -euo pipefail
  ROOT="$1"; APP="$2"; OUT="$3"
  pids=()
  stop() { for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done; sleep 2;
           for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done; }
  trap stop EXIT
  # each in a session of its own, so that stop() ends it and everything it started
  (cd "$ROOT" && exec setsid yarn workspace @acme/servicenow-simulator start >"$OUT/simulator.log" 2>&1) &
  pids+=($!)
  (cd "$APP" && FORCE_COLOR=0 exec setsid yarn start >"$OUT/app.log" 2>&1) &
  pids+=($!)
  ADOPTION_OUT="$OUT" node "$ROOT/test/adoption/check.ts"
' _ "$ROOT" "$APP" "$OUT"

step "passed"
[ -n "${ADOPTION_DIR:-}" ] || rm -rf "$WORK"
