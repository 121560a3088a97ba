#!/usr/bin/env bash
# Ollama for Pstral: starts the server, waits until it answers, pulls the base model only when it is missing,
# builds the tuned model from the Modelfile when it is missing or the Modelfile changed, then stays in the
# foreground with the server (signals are passed on, so `docker stop` shuts it down cleanly).
#   PSTRAL_BASE_MODEL  model pulled from the registry (default ministral-3:3b)
#   OLLAMA_MODEL       name of the tuned model the agent asks for (default pstral-sql; equal to the base model to
#                      skip tuning)
#   PSTRAL_MODELFILE   the Modelfile (default /etc/pstral/Modelfile)
set -euo pipefail

base=${PSTRAL_BASE_MODEL:-ministral-3:3b}
model=${OLLAMA_MODEL:-pstral-sql}
modelfile=${PSTRAL_MODELFILE:-/etc/pstral/Modelfile}
models_dir=${OLLAMA_MODELS:-$HOME/.ollama/models}

log() { printf '%s entrypoint: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }

ollama serve &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"; exit 0' TERM INT

for _ in $(seq 1 120); do
  if ollama list >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then log "ollama serve exited during start-up"; exit 1; fi
  sleep 1
done
ollama list >/dev/null 2>&1 || { log "ollama did not answer within 120 s"; exit 1; }
log "ollama is up"

has_model() { ollama show "$1" >/dev/null 2>&1; }

if has_model "$base"; then
  log "base model $base already present"
else
  log "pulling $base (once; kept in the models volume)"
  ollama pull "$base"
fi

if [ "$model" != "$base" ]; then
  stamp="$models_dir/.pstral-modelfile.sha256"
  wanted=$( { printf '%s\n' "$base"; cat "$modelfile"; } | sha256sum | cut -d' ' -f1)
  if has_model "$model" && [ "$(cat "$stamp" 2>/dev/null || true)" = "$wanted" ]; then
    log "tuned model $model is up to date"
  else
    log "building $model from $modelfile on $base"
    tuned=$(mktemp)
    sed "s|^FROM .*|FROM $base|" "$modelfile" > "$tuned"
    ollama create "$model" -f "$tuned"
    rm -f "$tuned"
    mkdir -p "$models_dir" && printf '%s\n' "$wanted" > "$stamp"
  fi
fi

log "ready: serving $model"
wait "$server"
