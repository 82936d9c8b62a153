#!/usr/bin/env bash
# The demo dashboard end to end (tests/demo/demo.test.mjs): scripts/demo.sh's stack on a free port,
# driven in headless Chromium. Needs the built package (make pkg) and the release simulator
# (make sim). Screenshots go to target/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

die() { printf '[test-demo] %s\n' "$*" >&2; exit 1; }
[ -f pkg/entry/browser.js ] || die "pkg/ is not built: run make pkg"
[ -x target/release/graph-sim ] || die "target/release/graph-sim is missing: run make sim"
[ -f tools/node_modules/playwright-core/package.json ] || die "playwright-core is missing: run make setup"

start=$SECONDS
# Own process group, so an interrupted run takes the browser and the demo stack down with it.
setsid node --test --test-concurrency=1 tests/demo/demo.test.mjs &
runner=$!
trap 'kill -- -"$runner" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM
status=0
wait "$runner" || status=$?
printf '[test-demo] done in %d s (exit %d)\n' "$((SECONDS - start))" "$status"
exit "$status"
