# Pstral's two commands: `make run` (the service on the embedded default) and `make test` (every check CI runs).
# Assets (ONNX Runtime, embedding model, wasm-bindgen CLI) are fetched once, pinned and sha256-checked, into
# $(PSTRAL_ASSETS_DIR) (default ~/.cache/pstral/assets).

SHELL := bash
export PSTRAL_ASSETS_DIR ?= $(HOME)/.cache/pstral/assets
export ORT_DYLIB_PATH ?= $(PSTRAL_ASSETS_DIR)/onnxruntime/libonnxruntime.so.1.24.4

.PHONY: run test deps assets console release console-test screenshots lint fmt deploy-check fuzz

## Runs Pstral: console and API on http://127.0.0.1:8080, app store and demo warehouse in ./data.
run: assets console
	cargo run --release --bin pstral -- serve

## Runs every test and check: formatting, clippy, the console build, the workspace tests, the service's API
## suite again with its app store on PostgreSQL, the deployment files and the release binary behind nginx, and the
## console in headless Chromium. First installs what they need by package name and starts PostgreSQL (deps).
test: deps assets console lint
	cargo test --workspace --no-fail-fast
	PSTRAL_TEST_STORE=postgres cargo test -p agent --test api --no-fail-fast
	$(MAKE) deploy-check
	$(MAKE) console-test

## Checks compose, Dockerfile, scripts and nginx, and runs the release binary behind nginx (deploy/check.py).
deploy-check: release
	python3 deploy/check.py

## Builds the console and the release binary the checks below run.
release: console
	cargo build --release --bin pstral

## Installs the test tools by package name (nginx, shellcheck, Chromium, Node, PostgreSQL with orafce…) and starts
## PostgreSQL (scripts/deps.sh; apt-get needs root).
deps:
	scripts/deps.sh

assets:
	scripts/assets.sh all

console:
	scripts/console.sh

## Runs the console's browser tests: the release binary and the built console with a fake Ollama, clicked in
## headless Chromium (console/tests/browser/run.sh; needs /usr/bin/chromium, node and npm).
console-test: release
	console/tests/browser/run.sh

## Refreshes the screenshots in docs/screenshots/ (the browser tests, saving each page).
screenshots: release
	SCREENSHOTS=$(CURDIR)/docs/screenshots console/tests/browser/run.sh

## Fuzzes the guard and the SQL extraction for FUZZ_SECONDS per target (default 300; scripts/fuzz.sh). Not in
## `make test`.
fuzz:
	scripts/fuzz.sh

lint:
	cargo fmt --all -- --check
	rustfmt --edition 2024 --check agent/fuzz/fuzz_targets/*.rs
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p console --target wasm32-unknown-unknown -- -D warnings

fmt:
	cargo fmt --all
	rustfmt --edition 2024 agent/fuzz/fuzz_targets/*.rs
