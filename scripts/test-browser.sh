#!/usr/bin/env bash
# The shared client suite (tests/js/client.suite.mjs) in headless Chromium
# (tests/browser/browser.test.mjs), on a page served by graph-sim --www next to the installed
# package. Needs the packed package installed in target/consumer (scripts/consumer.sh) and
# graph-sim. Stages target/browser-www; the screenshot goes to target/artifacts.
# (The README's plain-page and Vite snippets run in Chromium in scripts/test-runtimes.sh.)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

installed=target/consumer/node_modules/graph-conversations
[ -f "$installed/entry/browser.js" ] || die "no installed package in $installed: run scripts/consumer.sh (make consumer)"
[ -x "$sim_bin" ] || cargo build --release -p graph-sim

start=$SECONDS
www=target/browser-www
rm -rf "$www" && mkdir -p "$www/suite"
cp -R "$installed" "$www/graph-conversations"
cp tests/js/client.suite.mjs tests/js/webhooks.suite.mjs tests/js/sim.mjs tests/browser/suite/* "$www/suite/"
node tests/js/stage-fixtures.mjs "$www/suite"

status=0
run_group node --test --test-concurrency=1 tests/browser/browser.test.mjs || status=$?
say "done in $((SECONDS - start)) s (exit $status)"
exit "$status"
