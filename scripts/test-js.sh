#!/usr/bin/env bash
# The client suite in Node against graph-sim, importing the packed package by name
# (scripts/consumer.sh must have run).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
consumer=target/consumer
cp tests/js/*.mjs "$consumer/"
cd "$consumer"
node --test --test-concurrency=1 ./*.test.mjs
