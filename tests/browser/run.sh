#!/usr/bin/env bash
# The browser test of the web page (page_test.mjs), as ctest runs it:
#   run.sh FLASHPOINT_BINARY SOURCE_DIR OUT_DIR
# Exits 77 (ctest: SKIPPED, with the reason printed) when node, Debian's
# chromium or tests/browser/node_modules is missing; scripts/install-deps.sh
# installs all three.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
chromium="${CHROMIUM:-/usr/bin/chromium}"
skip() {
  echo "SKIPPED: browser test: $1 (run scripts/install-deps.sh)"
  exit 77
}
command -v node >/dev/null 2>&1 || skip "node is not installed"
[ -x "$chromium" ] || skip "$chromium is missing (apt-get install chromium)"
[ -f "$here/node_modules/playwright-core/package.json" ] ||
  skip "tests/browser/node_modules is missing (npm ci --prefix tests/browser)"
exec node "$here/page_test.mjs" --binary "$1" --source "$2" --out "$3" --chromium "$chromium"
