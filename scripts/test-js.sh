#!/usr/bin/env bash
# The client suite in Node against graph-sim, importing the packed package by name
# (scripts/consumer.sh must have run). Arguments name test files to run instead of all
# (`make fuzz` runs fuzz.test.mjs alone).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
consumer=target/consumer
cp tests/js/*.mjs "$consumer/"
node tests/js/stage-fixtures.mjs "$consumer"
cd "$consumer"
[ $# -gt 0 ] || set -- ./*.test.mjs
node --test --test-concurrency=1 "$@"
