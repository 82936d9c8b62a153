#!/usr/bin/env bash
# The inbox service's benchmark (BENCHMARKS.md, "Inbox service (workerd)"): the service prepared
# as scripts/test-service.sh prepares it (prepare_service_app), then service/test/bench.mjs,
# which connects 200, 1,000 and 2,000 graph-sim Pages through the API, each size on a fresh
# simulator and fresh state, writes target/bench/service.json and the section. Part of `make
# bench`. SERVICE_BENCH_SIZES=200,1000 picks other sizes (then only the JSON is written);
# `scripts/bench-service.sh --render` rewrites the section from target/bench/service.json.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

app=$root/target/service/bench-app
[ -x "$sim_bin" ] || die "$sim_bin is missing: run make sim"
prepare_service_app "$app"

cd "$app"
run_group node test/bench.mjs "$@"
