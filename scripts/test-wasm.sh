#!/usr/bin/env bash
# tests/wasm.rs (wasm-bindgen-test) in Node and in headless Chromium, each against a fresh
# graph-sim whose URL is compiled in through GRAPH_SIM_URL. A run only counts when the runner
# reports `test result: ok. N passed` with N = the number of #[wasm_bindgen_test] functions:
# wasm-pack exits 0 when the runner skips a suite (e.g. --chrome without WASM_BINDGEN_USE_BROWSER).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

out_dir=target/test-wasm
mkdir -p "$out_dir"
[ -x "$sim_bin" ] || cargo build --release -p graph-sim

expected=$(grep -cE '^\s*#\[wasm_bindgen_test(\]|\()' tests/wasm.rs || true)
[ "$expected" -gt 0 ] || die "no #[wasm_bindgen_test] in tests/wasm.rs"

# run_suite LABEL COMMAND...: runs the suite against a fresh simulator and checks the summary.
run_suite() {
  local label=$1 log=$out_dir/$1.log start=$SECONDS
  shift
  start_sim "$out_dir/sim-$label.log" --rate 0 2>"$out_dir/sim-$label.err"
  echo "test-wasm[$label]: GRAPH_SIM_URL=$sim_url $*"
  local status=0
  GRAPH_SIM_URL=$sim_url run_group "$@" >"$log" 2>&1 || status=$?
  stop_sim
  local summaries
  summaries=$(grep -E '^test result: ' "$log" || true)
  if [ "$status" -ne 0 ] || [[ $summaries != "test result: ok. $expected passed; 0 failed; 0 ignored; 0 filtered out"* ]] \
    || [ "$(printf '%s\n' "$summaries" | wc -l)" -ne 1 ]; then
    cat "$log" >&2
    echo "test-wasm[$label]: FAILED (exit $status; wanted one 'test result: ok. $expected passed; 0 failed; 0 ignored', got: ${summaries:-none})" >&2
    exit 1
  fi
  grep -E '^test .* \.\.\. ' "$log" || true
  echo "test-wasm[$label]: $summaries ($((SECONDS - start)) s)"
}

run_suite node wasm-pack --log-level warn test --node -- --test wasm
WASM_BINDGEN_USE_BROWSER=1 run_suite chrome wasm-pack --log-level warn test --headless --chrome -- --test wasm
