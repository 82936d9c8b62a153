#!/usr/bin/env bash
# The demo dashboard on the embedded simulator (run by `make demo`, after `make pkg sim`).
# Stages www/ plus the built package, starts graph-sim serving both and the Graph endpoints on
# one origin, prints the URL, and stops the simulator on Ctrl-C.
#
#   DEMO_PORT=8080      a fixed port (default: a free one)
#   DEMO_DIR=dir        where to stage the site (default: target/demo)
#   DEMO_SIM_ARGS=...   graph-sim flags for the inboxes (default: 600 Messenger and 300 Instagram
#                       threads of 1 to 60 messages, so a sync shows the 2 calls/s pacing for
#                       about a minute); e.g. "--messenger-threads 30 --rate 10"
set -euo pipefail
cd "$(dirname "$0")/.."

sim=target/release/graph-sim
site=${DEMO_DIR:-target/demo}
for need in "$sim" pkg/package.json; do
  [ -e "$need" ] || { echo "demo: $need is missing; run 'make demo' (it builds the package and the simulator)" >&2; exit 1; }
done

# Stage a fresh copy: the page imports the package from ./vendor/ (see the importmap in index.html).
rm -rf "$site"
mkdir -p "$site/vendor"
cp -R www/. "$site/"
cp -R pkg "$site/vendor/graph-conversations"

sim_pid=
stop() {
  if [ -n "$sim_pid" ]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
    sim_pid=
  fi
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# graph-sim prints `listening on http://127.0.0.1:PORT` first; the rest of its stdout goes to a log.
log="$site.sim.log"
read -r -a extra <<<"${DEMO_SIM_ARGS---messenger-threads 600 --instagram-threads 300 --messages 1..60}"
"$sim" --port "${DEMO_PORT:-0}" --seed 42 --www "$site" "${extra[@]}" >"$log" &
sim_pid=$!

url=
for _ in $(seq 1 100); do
  url=$(sed -n '1s#^listening on \(http://127\.0\.0\.1:[0-9]*\)$#\1#p' "$log")
  [ -n "$url" ] && break
  kill -0 "$sim_pid" 2>/dev/null || { echo "demo: graph-sim exited:" >&2; cat "$log" >&2; wait "$sim_pid" || true; sim_pid=; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "demo: graph-sim did not report its address within 10 s" >&2; exit 1; }

echo "Open $url/ in your browser"
echo "(Messenger Page 106000000000001 and Instagram account 17841400000000001, seeded; Ctrl-C stops)"
wait "$sim_pid"
