#!/usr/bin/env bash
# Builds the web console into console/dist: wasm32 release build, wasm-bindgen (pinned CLI from
# scripts/assets.sh), static files, and .gz copies served precompressed by `pstral serve`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ASSETS=${PSTRAL_ASSETS_DIR:-$HOME/.cache/pstral/assets}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
DIST="$ROOT/console/dist"
"$ROOT/scripts/assets.sh" wasm-bindgen
"$ROOT/scripts/assets.sh" swagger-ui
cargo build --quiet --profile wasm-release --target wasm32-unknown-unknown -p console --manifest-path "$ROOT/Cargo.toml"
rm -rf "$DIST.tmp" && mkdir -p "$DIST.tmp"
"$ASSETS/tools/bin/wasm-bindgen" --target web --no-typescript --out-dir "$DIST.tmp" \
  "$TARGET/wasm32-unknown-unknown/wasm-release/console.wasm"
cp -r "$ROOT"/console/static/* "$DIST.tmp/"
cp "$ASSETS"/swagger-ui/swagger-ui-bundle.js "$ASSETS"/swagger-ui/swagger-ui.css "$DIST.tmp/api-docs/"
for file in "$DIST.tmp"/*.wasm "$DIST.tmp"/*.js "$DIST.tmp"/*.css "$DIST.tmp"/api-docs/*.js "$DIST.tmp"/api-docs/*.css; do
  gzip -9 -k -f "$file"
done
rm -rf "$DIST" && mv "$DIST.tmp" "$DIST"
wasm=$(ls "$DIST"/*.wasm)
echo "console: $(stat -c %s "$wasm") bytes wasm, $(stat -c %s "$wasm.gz") gzipped -> $DIST"
