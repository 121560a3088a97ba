#!/usr/bin/env bash
# The console's browser tests: a fake Ollama, the release binary `pstral serve` on a free port with a fresh data
# directory and the built console (console/dist), then test.mjs in headless Chromium (playwright-core, no
# browser download). Needs: the release binary (PSTRAL_BIN, or $CARGO_TARGET_DIR/release/pstral), the built
# console (scripts/console.sh), node + npm, python3 and /usr/bin/chromium (Debian: apt-get install chromium).
# Screenshots go to $SCREENSHOTS (`make screenshots` sets docs/screenshots/; a temporary folder otherwise). Exits
# non-zero on any failure.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
BIN=${PSTRAL_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/pstral}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

fail() { echo "console-test: $*" >&2; exit 1; }
[[ -x "$BIN" ]] || fail "no release binary at $BIN (cargo build --release --bin pstral, or set PSTRAL_BIN)"
[[ -f "$ROOT/console/dist/index.html" ]] || fail "the console is not built (scripts/console.sh)"
[[ -x "$CHROMIUM" ]] || fail "no Chromium at $CHROMIUM (apt-get install -y chromium)"
command -v node >/dev/null || fail "node is missing"

if [[ ! -d "$HERE/node_modules/playwright-core" ]]; then
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi

WORK=$(mktemp -d -t pstral-console-test.XXXXXX)
OLLAMA_PID='' SERVER_PID=''
# shellcheck disable=SC2317  # called by the trap
cleanup() {
  local pid
  for pid in "$SERVER_PID" "$OLLAMA_PID"; do
    if [[ -n "$pid" ]]; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [[ "${KEEP_WORK:-}" == 1 ]]; then echo "console-test: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

python3 -u "$ROOT/scripts/fake_ollama.py" > "$WORK/ollama.port" &
OLLAMA_PID=$!
for _ in $(seq 50); do [[ -s "$WORK/ollama.port" ]] && break; sleep 0.1; done
OLLAMA_PORT=$(head -1 "$WORK/ollama.port")
[[ -n "$OLLAMA_PORT" ]] || fail "the fake Ollama did not start"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ADMIN_PASSWORD="mot-de-passe-admin-du-test"
# Only our variables reach the service: nothing from the caller's PSTRAL_* or OLLAMA_* settings.
env -i PATH="$PATH" HOME="$HOME" RUST_LOG="${RUST_LOG:-warn}" \
  ${ORT_DYLIB_PATH:+ORT_DYLIB_PATH="$ORT_DYLIB_PATH"} ${PSTRAL_ASSETS_DIR:+PSTRAL_ASSETS_DIR="$PSTRAL_ASSETS_DIR"} \
  PSTRAL_BIND="127.0.0.1:$PORT" PSTRAL_DATA_DIR="$WORK/data" PSTRAL_CONSOLE_DIR="$ROOT/console/dist" \
  PSTRAL_ADMIN_PASSWORD="$ADMIN_PASSWORD" OLLAMA_URL="http://127.0.0.1:$OLLAMA_PORT" \
  PSTRAL_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_hex(32))')" PSTRAL_REINDEX_CRON= \
  "$BIN" serve > "$WORK/pstral.log" 2>&1 &
SERVER_PID=$!

# The first start builds the demo warehouse and the index: wait for the index to report "ok".
echo "console-test: waiting for pstral on 127.0.0.1:$PORT (first index build)…"
ready=
for _ in $(seq 360); do
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -30 "$WORK/pstral.log" >&2; fail "pstral serve exited"; }
  if python3 - "http://127.0.0.1:$PORT/api/v1/health" <<'PY' 2>/dev/null
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=5) as answer:
    health = json.load(answer)
sys.exit(0 if any(d["name"] == "index" and d["state"] == "ok" for d in health["dependencies"]) else 1)
PY
  then
    ready=1
    break
  fi
  sleep 1
done
[[ -n "$ready" ]] || { tail -30 "$WORK/pstral.log" >&2; fail "the index was not ready after 6 minutes"; }

status=0
PSTRAL_URL="http://127.0.0.1:$PORT" PSTRAL_ADMIN_PASSWORD="$ADMIN_PASSWORD" CHROMIUM="$CHROMIUM" \
  SCREENSHOTS="${SCREENSHOTS:-$WORK/screenshots}" PROFILE_DIR="$WORK/chromium" \
  node "$HERE/test.mjs" || status=$?
if [[ $status -ne 0 ]]; then
  echo "console-test: last lines of the service's log:" >&2
  tail -20 "$WORK/pstral.log" >&2
fi
exit $status
