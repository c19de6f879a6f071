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
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
