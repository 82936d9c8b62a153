#!/usr/bin/env bash
# The package in headless Chromium (tests/browser/browser.test.mjs): the shared client suite, a
# plain <script type=module> page, and a Vite production build, each served by graph-sim --www.
# Needs the packed package installed in target/consumer (scripts/consumer.sh) and graph-sim.
# Stages target/browser-www and target/browser-vite; screenshots go to target/artifacts.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$root/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '[test-browser] %s\n' "$*"; }
die() { printf '[test-browser] %s\n' "$*" >&2; exit 1; }

installed=target/consumer/node_modules/graph-conversations
[ -f "$installed/entry/browser.js" ] || die "no installed package in $installed: run scripts/consumer.sh (make consumer)"
tarballs=(target/pack/graph-conversations-*.tgz)
[ "${#tarballs[@]}" -eq 1 ] && [ -f "${tarballs[0]}" ] || die "want exactly one target/pack/graph-conversations-*.tgz, got: ${tarballs[*]}"
[ -x target/release/graph-sim ] || cargo build --release -p graph-sim

start=$SECONDS
# Pages of the suite and of the plain module page, next to the installed package.
www=target/browser-www
rm -rf "$www" && mkdir -p "$www/suite" "$www/plain"
cp -R "$installed" "$www/graph-conversations"
cp tests/js/client.suite.mjs tests/js/sim.mjs tests/browser/suite/* "$www/suite/"
cp tests/browser/plain/index.html tests/browser/show-threads.mjs "$www/plain/"

# A Vite app that depends on the packed tarball, as a user's app would, built for production.
app=target/browser-vite
rm -rf "$app" && mkdir -p "$app"
cp tests/browser/vite-app/* tests/browser/show-threads.mjs "$app/"
echo '{ "name": "vite-consumer", "private": true, "type": "module" }' >"$app/package.json"
(cd "$app" && npm install --no-audit --no-fund --loglevel=error "$root/${tarballs[0]}" >/dev/null)
(cd "$app" && vite build)
say "staged and built in $((SECONDS - start)) s"

# Own process group, so an interrupted run takes the browser and simulators down with it.
setsid node --test --test-concurrency=1 tests/browser/browser.test.mjs &
runner=$!
trap 'kill -- -"$runner" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM
status=0
wait "$runner" || status=$?
say "done in $((SECONDS - start)) s (exit $status)"
exit "$status"
