#!/usr/bin/env bash
# Builds the `tsan` preset (ThreadSanitizer fhir837) and runs the concurrency checks: `convert`
# with --jobs 1, 2 and 3 over inputs that exercise the worker pool (the samples, a bulk NDJSON
# export and, when the corpus is there, its bulk and MIMIC directories). Fails on any
# ThreadSanitizer report, and when the output (report.json and every .837) of --jobs 2 or 3
# differs by one byte from --jobs 1: results are merged in input order on one thread, so thread
# count must never change what is billed.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j "$(nproc)"
bin=build/tsan/fhir837
corpus=${FHIR837_CORPUS:-../shared/corpus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# 2027-01-01: after every sample and Synthea service date, so they are billed (DOS-FUTURE).
export SOURCE_DATE_EPOCH=1798761600 TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"

# One run per label; the samples' JSON inputs go in together (their expected files are not input).
declare -A runs=([samples]="$(ls samples/*/input.json | tr '\n' ' ')")
[ -d "$corpus/synthea/bulk-ndjson-10-patients" ] && runs[bulk]="$corpus/synthea/bulk-ndjson-10-patients"
[ -d "$corpus/mimic-iv-demo" ] && runs[mimic]="$corpus/mimic-iv-demo"
[ -d "$corpus" ] || echo "tsan: corpus not found at $corpus; running over samples/ only"

status=0
for label in samples bulk mimic; do
  [ -n "${runs[$label]:-}" ] || continue
  read -r -a input <<<"${runs[$label]}"
  mkdir -p "$work/$label"
  for jobs in 1 2 3; do
    out="$work/$label/j$jobs"
    rc=0
    "$bin" convert --quiet --jobs "$jobs" --state-dir "$out/state" -o "$out/out" "${input[@]}" \
      >"$out.log" 2>&1 || rc=$?
    if grep -q "ThreadSanitizer" "$out.log" || [ "$rc" -gt 1 ]; then
      echo "tsan: $label --jobs $jobs: exit $rc"
      grep -A40 -m1 "WARNING: ThreadSanitizer\|ERROR" "$out.log" | head -60 || tail -20 "$out.log"
      status=1
      continue
    fi
    if [ "$jobs" -gt 1 ] && ! diff -r "$work/$label/j1/out" "$out/out" >"$out.diff"; then
      echo "tsan: $label --jobs $jobs output differs from --jobs 1:"; head -20 "$out.diff"
      status=1
    fi
  done
  echo "tsan: $label: --jobs 1/2/3 clean, outputs identical ($(ls "$work/$label/j1/out" | wc -l) files)"
done
# The daemon: concurrent identical POSTs on several connections (I/O threads, group commit).
python3 "$(dirname "$0")/serve_race_check.py" "$bin" || status=1
exit $status
