#!/usr/bin/env bash
# tests/wasm.rs (wasm-bindgen-test) in Node and in headless Chromium, each against a fresh
# graph-sim whose URL is compiled in through GRAPH_SIM_URL. A run only counts when the runner
# reports `test result: ok. N passed` with N = the number of #[wasm_bindgen_test] functions:
# wasm-pack exits 0 when the runner skips a suite (e.g. --chrome without WASM_BINDGEN_USE_BROWSER).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never

sim_bin=target/release/graph-sim
out_dir=target/test-wasm
mkdir -p "$out_dir"
[ -x "$sim_bin" ] || cargo build --release -p graph-sim

expected=$(grep -cE '^\s*#\[wasm_bindgen_test(\]|\()' tests/wasm.rs || true)
[ "$expected" -gt 0 ] || { echo "test-wasm: no #[wasm_bindgen_test] in tests/wasm.rs" >&2; exit 1; }

sim_pid=""
runner=""
stop_sim() {
  if [ -n "$sim_pid" ]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
    sim_pid=""
  fi
}
# The runner has its own process group (wasm-pack, cargo, chromedriver, Chromium): stop it whole.
cleanup() {
  [ -z "$runner" ] || kill -- -"$runner" 2>/dev/null || true
  stop_sim
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts a fresh simulator and sets sim_url from its first stdout line.
start_sim() {
  local log=$out_dir/sim-$1.log
  : >"$log"
  "$sim_bin" --port 0 --rate 0 >"$log" 2>&1 &
  sim_pid=$!
  sim_url=""
  for _ in $(seq 100); do
    sim_url=$(sed -n '1s#^listening on \(http://127\.0\.0\.1:[0-9][0-9]*\)$#\1#p' "$log")
    [ -n "$sim_url" ] && return 0
    kill -0 "$sim_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "test-wasm: graph-sim did not start:" >&2
  cat "$log" >&2
  exit 1
}

# run_suite LABEL COMMAND...: runs the suite against a fresh simulator and checks the summary.
run_suite() {
  local label=$1 log=$out_dir/$1.log start=$SECONDS
  shift
  start_sim "$label"
  echo "test-wasm[$label]: GRAPH_SIM_URL=$sim_url $*"
  local status=0
  GRAPH_SIM_URL=$sim_url setsid "$@" >"$log" 2>&1 &
  runner=$!
  wait "$runner" || status=$?
  runner=""
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
