# Pstral's two commands: `make run` (the service on the embedded default) and `make test` (every check CI runs).
# Assets (ONNX Runtime, embedding model, wasm-bindgen CLI) are fetched once, pinned and sha256-checked, into
# $(PSTRAL_ASSETS_DIR) (default ~/.cache/pstral/assets).

SHELL := bash
export PSTRAL_ASSETS_DIR ?= $(HOME)/.cache/pstral/assets
export ORT_DYLIB_PATH ?= $(PSTRAL_ASSETS_DIR)/onnxruntime/libonnxruntime.so.1.24.4

.PHONY: run test assets console lint fmt

## Runs Pstral: console and API on http://127.0.0.1:8080, app store and demo warehouse in ./data.
run: assets console
	cargo run --release --bin pstral -- serve

## Runs every test and check: formatting, clippy, the console build, the workspace tests.
test: assets console lint
	cargo test --workspace --no-fail-fast

assets:
	scripts/assets.sh all

console:
	scripts/console.sh

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p console --target wasm32-unknown-unknown -- -D warnings

fmt:
	cargo fmt --all
