#!/usr/bin/env bash
# The demo end to end (tests/demo/*.test.mjs: the live inbox, and the direct mode): scripts/demo.sh's
# stack on a free port, driven in headless Chromium. Needs the packed package (make consumer) and
# the release simulator (make sim). Screenshots go to target/artifacts/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

[ -f pkg/entry/browser.js ] || die "pkg/ is not built: run make pkg"
[ -x "$sim_bin" ] || die "$sim_bin is missing: run make sim"
[ -f tools/node_modules/playwright-core/package.json ] || die "playwright-core is missing: run make setup"

start=$SECONDS
status=0
run_group node --test --test-concurrency=1 tests/demo/live.test.mjs tests/demo/demo.test.mjs || status=$?
say "done in $((SECONDS - start)) s (exit $status)"
exit "$status"
