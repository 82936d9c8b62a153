#!/usr/bin/env bash
# The webhooks end to end (tests/webhooks-e2e/): the packed package (target/pack, made by
# scripts/consumer.sh) installed into a throwaway app, whose receiver runs in workerd
# (Miniflare), Deno and Node against a graph-sim each (started by the test, on port 0), with
# live traffic, a concurrent sync, an outage that disables the subscription, a resubscribe and
# an incremental sync; the inbox must equal the simulator's ground truth.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

app=$root/target/webhooks-e2e/app
[ -x "$sim_bin" ] || die "$sim_bin is missing: run make sim"
install_packed_app "$app" webhooks-e2e
cp -r tests/webhooks-e2e/. "$app/"
mkdir -p "$app/workerd"
cp tests/runtimes/workerd/bundle.mjs tests/runtimes/workerd/guard.js "$app/workerd/"
cp tests/js/launch.mjs tests/js/sim.mjs tests/js/inbox-truth.mjs "$app/"

cd "$app"
run_group node --test --test-reporter=spec "$@" webhooks.test.mjs
