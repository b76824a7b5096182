#!/usr/bin/env bash
# tests/web/grid100m.sh - the grid over 100,000,000 rows from a stub server
# (tests/web/grid100m.js), in Debian's headless chromium. TAP from the script.
set -u
root=${PARQVIEW_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
chromium=${PARQVIEW_CHROMIUM:-/usr/bin/chromium}
bail() { echo "1..1"; echo "not ok 1 - $*"; exit 1; }
[ -x "$chromium" ] || bail "no chromium at '$chromium' (scripts/bootstrap installs Debian's)"
[ -f "$root/web/node_modules/playwright-core/package.json" ] || bail "web/node_modules is missing (make web-deps)"
[ -f "$root/web/dist/index.html" ] || bail "web/dist is not built (make web)"
exec node "$root/tests/web/grid100m.js"
