#!/usr/bin/env bash
# Installs what building and testing need, on a fresh machine or this one; quick when all is there.
# Rust wasm target, wasm-bindgen-cli (the exact version Cargo.lock pins), wasm-pack, Chromium and
# its driver (Debian), and the npm tools in tools/ (wasm-opt, TypeScript, Deno, Miniflare,
# Playwright, Vite, esbuild). Nothing is downloaded outside the package registries.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || { say "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -qF " $wb_version"; then
  say "installing wasm-bindgen-cli $wb_version (about 2 minutes)"
  # --locked can fail on registry mirrors that lag the CLI's lockfile; retry without it.
  cargo install wasm-bindgen-cli --version "$wb_version" --locked --force \
    || cargo install wasm-bindgen-cli --version "$wb_version" --force
fi
command -v wasm-pack >/dev/null || { say "installing wasm-pack (about 2 minutes)"; cargo install wasm-pack --locked; }

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ ! -f tools/node_modules/.package-lock.json ] || [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; then
  say "installing npm tools"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi
