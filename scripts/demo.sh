#!/usr/bin/env bash
# The live demo (run by `make demo`, after `make pkg sim consumer`): stages www/ with the built
# package, installs the inbox service (service/) as a user would, and runs scripts/demo-server.mjs,
# which starts graph-sim (Pages, an Instagram account, live traffic, webhooks), the service in
# workerd, and the page's server; it prints the one URL to open. Ctrl-C stops all of it.
#
#   DEMO_PORT=8080      a fixed port (default: a free one)
#   DEMO_DIR=dir        where to stage the site (default: target/demo); the service and its
#                       storage go next to it (dir.service, dir.state)
#   DEMO_SIM_ARGS=...   graph-sim flags for the inboxes (default: the Page with 120 Messenger and
#                       60 Instagram threads, 3 more Pages of 300 threads, 1 to 40 messages each)
#   DEMO_TRAFFIC=0.5    live changes per second (0: none)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

site=${DEMO_DIR:-target/demo}
for need in "$sim_bin" pkg/package.json; do
  [ -e "$need" ] || die "$need is missing; run 'make demo' (it builds the package and the simulator)"
done

# Stage a fresh copy: the pages import the package from ./vendor/ (the direct mode's importmap).
rm -rf "$site" "$site.state"
mkdir -p "$site/vendor" "$site.state"
cp -R www/. "$site/"
cp -R pkg "$site/vendor/graph-conversations"
site=$(cd "$site" && pwd)
prepare_service_app "$site.service" >/dev/null

DEMO_SITE=$site DEMO_SERVICE_APP=$site.service DEMO_STATE=$site.state exec node scripts/demo-server.mjs
