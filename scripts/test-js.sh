#!/usr/bin/env bash
# JS-facing tests against the packed npm package, installed by name into a throwaway consumer
# project, talking to graph-sim on loopback: Node (node:test) and headless Chromium (playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
consumer=target/consumer
rm -rf "$consumer" target/pack && mkdir -p "$consumer" target/pack
(cd pkg && npm pack --silent --pack-destination "$root/target/pack" >/dev/null)
tarball=$(ls target/pack/graph-conversations-*.tgz)
cat > "$consumer/package.json" <<JSON
{ "name": "consumer", "private": true, "type": "module",
  "dependencies": { "graph-conversations": "file:$root/$tarball" } }
JSON
(cd "$consumer" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
cp tests/js/*.mjs "$consumer/"
export GC_ROOT=$root
cd "$consumer"
node --test --test-concurrency=1 ./*.test.mjs
