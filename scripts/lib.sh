# Sourced by every script in scripts/ (`source "$(dirname "$0")/lib.sh"`), and read by the
# Makefile for its PATH: the one place that says where the tools are, how graph-sim is started
# and found, and how a run that spawns browsers or simulators is stopped.
#
# Sourcing it: moves to the repository root ($root); puts tools/node_modules/.bin and Cargo's
# bin on PATH; exports GC_ROOT (the JS helper tests/js/launch.mjs finds the repository by it,
# also from copies of the suites outside it); and sets EXIT/INT/TERM traps that stop what
# start_sim and run_group started.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export PATH="$root/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export GC_ROOT=$root CARGO_TERM_COLOR=never DENO_NO_UPDATE_CHECK=1

sim_bin=$root/target/release/graph-sim
lib_name=$(basename "$0" .sh)

say() { printf '[%s] %s\n' "$lib_name" "$*"; }
die() { say "$*" >&2; exit 1; }

sim_pid=
sim_url=
group_pid=

# start_sim LOG [ARGS...]: starts graph-sim on a free loopback port (ARGS may pass --port N
# instead) with its stdout in LOG, and sets sim_url from the line it prints first,
# `listening on http://127.0.0.1:PORT`. Its stderr is the caller's. Dies if it does not start.
start_sim() {
  local log=$1 port=0 arg
  shift
  for arg in "$@"; do [ "$arg" != --port ] || port=; done
  [ -x "$sim_bin" ] || die "$sim_bin is missing: run make sim"
  : >"$log"
  "$sim_bin" ${port:+--port "$port"} "$@" >"$log" &
  sim_pid=$!
  sim_url=
  for _ in $(seq 100); do
    sim_url=$(sed -n '1s#^listening on \(http://127\.0\.0\.1:[0-9][0-9]*\)$#\1#p' "$log")
    [ -n "$sim_url" ] && return 0
    kill -0 "$sim_pid" 2>/dev/null || break
    sleep 0.1
  done
  stop_sim
  die "graph-sim did not report its address within 10 s: $(cat "$log")"
}

stop_sim() {
  if [ -n "$sim_pid" ]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
    sim_pid=
  fi
}

# run_group CMD...: runs CMD in a process group of its own (setsid), so that an interrupted run
# takes everything it started (browsers, chromedriver, simulators) down with it. Returns CMD's
# status.
run_group() {
  setsid "$@" &
  group_pid=$!
  local status=0
  wait "$group_pid" || status=$?
  group_pid=
  return "$status"
}

# install_packed_app DIR NAME: a fresh throwaway project in DIR (named NAME) with the packed
# tarball (target/pack, made by scripts/consumer.sh) installed by name, as users get it. The
# tarball is copied into DIR first, so a concurrent `make consumer` (which deletes target/pack)
# cannot pull it away. Dies without a tarball.
install_packed_app() {
  local dir=$1 name=$2 tarball
  tarball=$(ls "$root"/target/pack/graph-conversations-*.tgz 2>/dev/null | head -1 || true)
  [ -n "$tarball" ] || die "no target/pack/graph-conversations-*.tgz: run scripts/consumer.sh (make consumer) first"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$tarball" "$dir/graph-conversations.tgz"
  printf '{ "name": "%s", "private": true, "type": "module",\n  "dependencies": { "graph-conversations": "file:graph-conversations.tgz" } }\n' "$name" >"$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
}

# prepare_service_app DIR: the inbox service (service/) as a user deploys it, in DIR: the packed
# package installed by name (install_packed_app), the service's sources, tests and wrangler.toml,
# and the JS helpers its tests import from one folder up (launch.mjs, sim.mjs, inbox-truth.mjs,
# workerd/bundle.mjs). Used by scripts/test-service.sh and scripts/bench-service.sh.
prepare_service_app() {
  local dir=$1
  install_packed_app "$dir" inbox-service
  cp -r service/src service/test service/wrangler.toml "$dir/"
  mkdir -p "$dir/workerd"
  cp tests/runtimes/workerd/bundle.mjs "$dir/workerd/"
  cp tests/js/launch.mjs tests/js/sim.mjs tests/js/inbox-truth.mjs "$dir/"
}

lib_cleanup() {
  [ -z "$group_pid" ] || kill -- -"$group_pid" 2>/dev/null || true
  stop_sim
}
trap lib_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
