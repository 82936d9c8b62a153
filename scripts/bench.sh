#!/usr/bin/env bash
# `make bench`: every benchmark, one after the other; each writes its own section of BENCHMARKS.md.
# Runs scripts/bench-*.mjs in name order, then any commands listed below.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
for script in scripts/bench-*.mjs; do
  say "$script"
  node "$script"
done
say "inbox service (scripts/bench-service.sh)"
scripts/bench-service.sh
say "graph-sim throughput (see the Simulator throughput section for how to record it)"
cargo run --quiet --release -p graph-sim --bin sim-bench -- --seconds 5 --connections 32
