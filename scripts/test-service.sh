#!/usr/bin/env bash
# The inbox service (service/) in workerd: the packed package installed into a copy of the
# service as a user would install it, then service/test/*.test.mjs under Miniflare 4 with
# graph-sim (both on loopback ports). Arguments go to node --test (e.g. a test file).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

app=$root/target/service/app
[ -x "$sim_bin" ] || die "$sim_bin is missing: run make sim"
prepare_service_app "$app"

cd "$app"
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(test/*.test.mjs)
run_group node --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
