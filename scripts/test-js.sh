#!/usr/bin/env bash
# The client suite in Node against graph-sim, importing the packed package by name
# (scripts/consumer.sh must have run).
set -euo pipefail
cd "$(dirname "$0")/.."
export GC_ROOT=$PWD
consumer=target/consumer
cp tests/js/*.mjs "$consumer/"
cd "$consumer"
node --test --test-concurrency=1 ./*.test.mjs
