#!/usr/bin/env bash
# Runs the real `fhir837 convert` and `explain` over every corpus directory (one run each) and
# every corpus file on its own: exit 0 or 1 only, no sanitizer report. Exit 77 (skip) without it.
set -u
BIN=$1; CORPUS=$2; WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
if [ ! -d "$CORPUS" ]; then echo "SKIP: corpus not found at $CORPUS"; exit 77; fi
export SOURCE_DATE_EPOCH=1700000000 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
fails=0; runs=0
check() {
  runs=$((runs + 1)); local d="$WORK/$runs"; mkdir -p "$d"
  "$BIN" convert --quiet --state-dir "$d/state" -o "$d/out" "$@" >"$d/c.log" 2>&1; local rc=$?
  "$BIN" explain "$@" >"$d/e.log" 2>&1; local rc2=$?
  if [ $rc -gt 1 ] || [ $rc2 -gt 1 ] || grep -q "runtime error\|Sanitizer" "$d/c.log" "$d/e.log"; then
    echo "FAIL convert=$rc explain=$rc2: $*"; tail -3 "$d/c.log" "$d/e.log"; fails=$((fails + 1))
  fi
  rm -rf "$d"
}
while IFS= read -r dir; do check "$dir"; done < <(find "$CORPUS" -mindepth 1 -type d | sort)
while IFS= read -r f; do check "$f"; done < <(find "$CORPUS" -type f -not -name '*.md' | sort)
echo "corpus runs: $runs, failures: $fails"
[ $fails -eq 0 ]
