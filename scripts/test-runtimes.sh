#!/usr/bin/env bash
# The packed package (target/pack/graph-conversations-*.tgz, made by scripts/consumer.sh) in
# every runtime it claims, against one graph-sim on 127.0.0.1:
#   Deno (the shared client and webhook suites tests/js/*.suite.mjs under deno test, npm resolution
#   through package.json + node_modules), Cloudflare workerd (Miniflare 3: the shared suites,
#   the README's Worker and its webhook Worker, each bundled the way wrangler does), TypeScript
#   (tsc --strict against the installed .d.ts), the size budget, and the README's "Use it"
#   snippets (Node, slim, Node and Deno webhook servers, Deno, browser <script type=module> and
#   Vite build and dev server in Chromium).
# Everything runs in a throwaway project under target/runtimes; every step runs even when an
# earlier one fails, and the script exits non-zero if any failed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

work=$root/target/runtimes
app=$work/app
started=$(date +%s%N)
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# --- the throwaway consumer: the tarball installed by name, as users get it -----------------
tarball=$(ls "$root"/target/pack/graph-conversations-*.tgz 2>/dev/null | head -1 || true)
[ -n "$tarball" ] || die "no target/pack/graph-conversations-*.tgz: run scripts/consumer.sh (make consumer) first"
rm -rf "$app" && mkdir -p "$app"
# A private copy, so a concurrent `make consumer` (which deletes target/pack) cannot pull it away.
cp "$tarball" "$app/graph-conversations.tgz"
cat > "$app/package.json" <<'JSON'
{ "name": "runtimes-consumer", "private": true, "type": "module",
  "dependencies": { "graph-conversations": "file:graph-conversations.tgz" } }
JSON
(cd "$app" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
# The Vite snippet's config imports "vite", which a Vite app has installed: link the tools' copy.
ln -s "$root/tools/node_modules/vite" "$app/node_modules/vite"
cp -r tests/runtimes/. "$app/"
# The shared client and webhook suites (with the webhook fixtures) and the JS helpers, beside the runners that import them.
cp tests/js/client.suite.mjs tests/js/webhooks.suite.mjs tests/js/graph.mjs tests/js/launch.mjs tests/js/sim.mjs "$app/"
node tests/js/stage-fixtures.mjs "$app"

# @types/node for the no-DOM TypeScript check: installed once from the registry into a cache
# that survives between runs (tools/package.json does not have it).
types_node=$work/cache/types-node
if [ ! -f "$types_node/node_modules/@types/node/package.json" ]; then
  mkdir -p "$types_node"
  (cd "$types_node" && echo '{"private":true}' > package.json \
    && npm install --no-audit --no-fund --loglevel=error @types/node@20 >/dev/null) \
    || echo "warning: could not install @types/node; the no-DOM TypeScript check will fail" >&2
fi
export GC_TYPES_NODE=$types_node/node_modules
say "consumer ready in target/runtimes/app ($(ms "$started") ms)"

# --- one simulator for every step --------------------------------------------------------------
start_sim "$work/sim.out" --rate 0 --seed 7 2>"$work/sim.err"
export GRAPH_SIM_URL=$sim_url
sim_hostport=${sim_url#http://}

# Every step runs in the consumer, in a process group of its own (browsers, workerd, Deno).
cd "$app"
failed=()
step() {
  local name=$1; shift
  local t0; t0=$(date +%s%N)
  say "-- $name"
  if run_group "$@"; then
    say "ok   $name ($(ms "$t0") ms)"
  else
    say "FAIL $name ($(ms "$t0") ms)"
    failed+=("$name")
  fi
}

# Deno: the narrowest permissions that work (see the README's Deno section).
deno_flags=(--allow-net="$sim_hostport" --allow-read=node_modules/graph-conversations/wasm)
step "deno: the shared client and webhook suites" deno test --quiet "${deno_flags[@]}" deno/suite.test.ts -- "$sim_url"
step "deno snippet" node --test --test-reporter=spec deno/snippet.test.mjs
step "workerd (Miniflare)" node --test --test-reporter=spec workerd.test.mjs
step "typescript" node --test --test-reporter=spec types/types.test.mjs
step "size budget" node size.mjs
step "node + slim snippets" node --test --test-reporter=spec node.test.mjs
step "browser + vite (chromium)" node --test --test-reporter=spec browser.test.mjs
step "README shows these snippets" node "$root/tests/runtimes/readme.mjs" --check

say "total $(ms "$started") ms"
if [ ${#failed[@]} -gt 0 ]; then
  say "failed: ${failed[*]}" >&2
  exit 1
fi
