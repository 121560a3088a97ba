#!/usr/bin/env bash
# Coverage-guided fuzzing of the guard and of the SQL extraction with cargo-fuzz (libFuzzer), for a bounded time:
#   make fuzz [FUZZ_SECONDS=300] [FUZZ_TARGETS="guard extract"]
# Installs cargo-fuzz (pinned) once under ~/.cache/pstral/tools, seeds each corpus with the guard's test corpora and
# Spider's gold queries, runs each target, and prints its executions and whether it found a crash. A crash leaves its
# input under agent/fuzz/artifacts/TARGET/ and fails the command. Never part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-300}
targets=${FUZZ_TARGETS:-guard extract}
cache=${PSTRAL_CACHE_DIR:-$HOME/.cache/pstral}
tools=$cache/tools
fuzz_version=0.13.2

if ! "$tools/bin/cargo-fuzz" --version 2>/dev/null | grep -q "$fuzz_version"; then
  echo "fuzz: installing cargo-fuzz $fuzz_version (once)"
  cargo install --quiet --locked --root "$tools" cargo-fuzz --version "$fuzz_version"
fi
export PATH=$tools/bin:$PATH
# libFuzzer's instrumentation needs unstable flags: the nightly toolchain when there is one, else stable told to
# accept them.
toolchain=()
if rustup run nightly rustc --version >/dev/null 2>&1; then toolchain=(+nightly); else export RUSTC_BOOTSTRAP=1; fi

corpus_root=$cache/fuzz-corpus
seed() {
  local dir=$1 n=0
  mkdir -p "$dir"
  while IFS= read -r sql; do
    n=$((n + 1))
    printf '%s' "$sql" >"$dir/seed-$n"
  done < <(python3 - <<'PY'
import json, pathlib
for name in ("allowed", "hostile"):
    for line in pathlib.Path(f"agent/tests/fixtures/guard/{name}.jsonl").read_text().splitlines():
        if line.strip():
            print(json.loads(line)["sql"].replace("\n", " "))
gold = pathlib.Path("../shared/data/spider/dev_gold.sql")
if gold.exists():
    for line in gold.read_text().splitlines()[:300]:
        print(line.split("\t")[0])
PY
  )
}

status=0
for target in $targets; do
  corpus=$corpus_root/$target
  [ -d "$corpus" ] || seed "$corpus"
  log=$(mktemp)
  echo "fuzz: $target for $seconds s (corpus $corpus)"
  # -s none: the guard and the extraction are safe Rust (no unsafe blocks), so the fuzzer looks for panics,
  # failed assertions, overflows and hangs, without AddressSanitizer's slowdown.
  if (cd agent && cargo "${toolchain[@]}" fuzz run -s none --debug-assertions "$target" "$corpus" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1) >"$log" 2>&1; then
    outcome="no crash"
  else
    outcome="CRASH (see agent/fuzz/artifacts/$target/)"
    status=1
    tail -n 40 "$log"
  fi
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -n1)
  coverage=$(grep -oE 'cov: [0-9]+' "$log" | tail -n1 | grep -oE '[0-9]+')
  echo "fuzz: $target: ${runs:-?} executions (budget $seconds s), coverage ${coverage:-?} edges, $outcome"
  rm -f "$log"
done
exit "$status"
