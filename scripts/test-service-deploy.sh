#!/usr/bin/env bash
# The inbox service (service/) as a user deploys it: the packed package installed into a copy of
# service/src and service/wrangler.toml, then `wrangler deploy --dry-run --outdir`, offline and
# without a Cloudflare account. service/test/deploy-check.mjs then checks the result: wrangler
# exits 0 without a warning, the bundle has the package's workerd entry and its .wasm as a
# module of its own (not inlined), and wrangler lists the bindings ACCOUNTS and DIRECTORY
# (Durable Objects), JOBS (queue) and wrangler.toml's vars.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

started=$(date +%s%N)
app=$root/target/service/deploy
install_packed_app "$app" inbox-service-deploy
cp -r service/src service/wrangler.toml "$app/"

# Offline: no metrics, no login prompt (CI), a throwaway config and temp dir in the copy
# (wrangler writes its logs there), and no banner: printing the banner is what makes wrangler
# ask the npm registry for a newer version of itself. A dry run needs nothing else from the
# network or an account.
home=$app/.wrangler-home
mkdir -p "$home"
out=$app/dist
log=$app/wrangler.out
status=0
(cd "$app" && env WRANGLER_SEND_METRICS=false WRANGLER_HIDE_BANNER=true CI=true \
  XDG_CONFIG_HOME="$home" TMPDIR="$home" \
  wrangler deploy --dry-run --outdir "$out" >"$log" 2>&1) || status=$?
if [ "$status" -ne 0 ]; then
  cat "$log" >&2
  die "wrangler deploy --dry-run exited with $status"
fi
node service/test/deploy-check.mjs "$out" "$log" "$app/wrangler.toml" "$app/node_modules/graph-conversations" \
  || { cat "$log" >&2; die "the dry run's bundle or bindings are not what a deploy needs"; }
say "ok in $(( ($(date +%s%N) - started) / 1000000 )) ms"
