#!/usr/bin/env bash
# Installs the Debian 12 packages flashpoint builds and tests with, when any
# is missing. The one list of build dependencies (docs/building.md says why
# each is there). Needs root (or sudo) only when something is missing.
set -euo pipefail

PACKAGES=(
  cmake ninja-build ccache g++ pkg-config make
  libboost1.81-dev      # Asio and Beast: the daemon's loop, sockets, HTTP
  libsqlite3-dev        # the alert store
  libtomlplusplus-dev   # rule files and config
  libsimdjson-dev       # JSON Lines events
  libre2-dev            # `matches` (linear-time regular expressions)
  libspdlog-dev         # daemon logging
  libcli11-dev          # the command line
  libsystemd-dev        # sd_notify for Type=notify
  catch2                # unit tests (v2)
  sqlite3               # the sqlite3 shell used by tests and users
  python3               # benchmark harness and test helpers
  chromium              # the web page's browser test (tests/browser/)
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js drives chromium in the browser test; any node >= 20 will do.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs npm); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The browser test's driver (playwright-core, pinned by package-lock.json;
# it uses Debian's chromium, it downloads no browser).
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -f "$here/tests/browser/node_modules/playwright-core/package.json" ] &&
   command -v npm >/dev/null 2>&1; then
  echo "install-deps: npm ci --prefix tests/browser"
  npm ci --prefix "$here/tests/browser" --no-audit --no-fund --loglevel=error
fi
