#!/usr/bin/env bash
# Packs pkg/ with `npm pack` and installs the tarball by name into a throwaway consumer project
# (target/consumer), the way users get it. Prints the consumer's path.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
consumer=$root/target/consumer
rm -rf "$consumer" target/pack && mkdir -p "$consumer" target/pack
(cd pkg && npm pack --silent --pack-destination "$root/target/pack" >/dev/null)
tarball=$(ls "$root"/target/pack/graph-conversations-*.tgz)
cat > "$consumer/package.json" <<JSON
{ "name": "consumer", "private": true, "type": "module",
  "dependencies": { "graph-conversations": "file:$tarball" } }
JSON
(cd "$consumer" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
echo "$consumer"
