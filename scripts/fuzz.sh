#!/usr/bin/env bash
# Builds the `fuzz` preset (clang, libFuzzer + ASan + UBSan) and runs every fuzz target for
# FUZZ_SECONDS (default 60) from its committed seeds in fuzz/corpus/<target>/, all targets at
# once. A crash, leak, timeout or OOM fails the script; libFuzzer writes the input that caused it
# into fuzz/corpus/<target>/ (prefix crash-/leak-/timeout-/oom-), where the seed-replay test of
# the dev preset picks it up: commit it once the bug is fixed. New coverage goes to a temp dir,
# so the committed seeds stay small and hand-picked.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pids=()
names=()
for bin in build/fuzz/fuzz/*_fuzzer; do
  name=$(basename "$bin" _fuzzer)
  mkdir -p "$work/$name"
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="fuzz/corpus/$name/" "$work/$name" "fuzz/corpus/$name" \
    >"$work/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
done
status=0
for i in "${!pids[@]}"; do
  name=${names[$i]}
  if wait "${pids[$i]}"; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log")
    cov=$(grep -o 'cov: [0-9]*' "$work/$name.log" | tail -1)
    echo "fuzz: $name ${seconds}s, ${runs:-?} runs, ${cov:-cov: ?}, no crash"
  else
    echo "fuzz: $name FAILED; the input is in fuzz/corpus/$name/:"
    grep -A30 -m1 'ERROR: \|==ERROR\|runtime error\|deadly signal' "$work/$name.log" | head -40
    status=1
  fi
done
exit $status
