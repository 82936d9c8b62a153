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
source "$(dirname "$0")/lib.sh"

site=${DEMO_DIR:-target/demo}
for need in "$sim_bin" pkg/package.json; do
  [ -e "$need" ] || die "$need is missing; run 'make demo' (it builds the package and the simulator)"
done

# Stage a fresh copy: the page imports the package from ./vendor/ (see the importmap in index.html).
rm -rf "$site"
mkdir -p "$site/vendor"
cp -R www/. "$site/"
cp -R pkg "$site/vendor/graph-conversations"

# The rest of graph-sim's stdout goes to a log; its stderr (accounts and tokens) to the terminal.
read -r -a extra <<<"${DEMO_SIM_ARGS---messenger-threads 600 --instagram-threads 300 --messages 1..60}"
start_sim "$site.sim.log" --port "${DEMO_PORT:-0}" --seed 42 --www "$site" "${extra[@]}"

echo "Open $sim_url/ in your browser"
echo "(Messenger Page 106000000000001 and Instagram account 17841400000000001, seeded; Ctrl-C stops)"
wait "$sim_pid"
