# The two commands a newcomer runs: `make demo` and `make test`. Both install what they need.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
# The tools' PATH and settings are declared once, in scripts/lib.sh; recipes get them from there.
lib_env = $(shell bash -c 'source scripts/lib.sh && printf %s "$$$(1)"')
export PATH := $(call lib_env,PATH)
export CARGO_TERM_COLOR := $(call lib_env,CARGO_TERM_COLOR)

WASM_OUT := target/wasm-web

.PHONY: setup pkg sim consumer lint test test-host test-wasm test-js test-browser test-runtimes test-e2e test-service test-demo fuzz bench demo clean

setup:
	@scripts/setup.sh

## pkg: the npm package in pkg/ (one .wasm, per-runtime entries)
pkg: setup
	wasm-pack --log-level warn build --release --target web --out-dir $(WASM_OUT) --out-name graph_conversations --no-pack
	node scripts/build-pkg.mjs

## sim: the Graph simulator binary (release build, as tests and the demo use it)
sim:
	cargo build --release -p graph-sim

## lint: Rust format and clippy (host and wasm32); the demo's JS type-checked against pkg/'s .d.ts
lint: setup pkg
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --lib --tests --target wasm32-unknown-unknown -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p graph-conversations
	cargo package --quiet --no-verify --allow-dirty -p graph-conversations
	tsc -p www/tsconfig.json --checkJs --noEmit

test-host:
	cargo test --workspace

test-wasm: setup
	scripts/test-wasm.sh

## consumer: the packed package installed by name into target/consumer
consumer: pkg
	scripts/consumer.sh >/dev/null

test-js: consumer sim
	scripts/test-js.sh

test-browser: consumer sim
	scripts/test-browser.sh

test-runtimes: consumer sim
	scripts/test-runtimes.sh

test-e2e: consumer sim
	scripts/test-webhooks-e2e.sh

## test-service: the inbox service (service/) in workerd under Miniflare, and the bundle that
## `wrangler deploy --dry-run` makes of it, offline
test-service: consumer sim
	scripts/test-service.sh
	scripts/test-service-deploy.sh

test-demo: consumer sim
	scripts/test-demo.sh

## test: everything CI checks, tier by tier (tests/README.md)
test: lint test-host test-wasm test-js test-browser test-runtimes test-e2e test-service test-demo

## fuzz: the core's properties and the package's mutation fuzz, long (not part of make test,
## which runs both briefly); PROPTEST_CASES and FUZZ_CASES override the counts
fuzz: consumer
	PROPTEST_CASES=$${PROPTEST_CASES:-20000} cargo test --lib proptests
	FUZZ_CASES=$${FUZZ_CASES:-20000} scripts/test-js.sh fuzz.test.mjs

## bench: every benchmark into BENCHMARKS.md (the service's needs the packed package: consumer)
bench: consumer sim
	scripts/bench.sh

demo: consumer sim
	scripts/demo.sh

clean:
	rm -rf pkg target/wasm-web target/consumer
