#!/usr/bin/env bash
# Runs the real `fhir837 convert` and `explain` over every corpus directory (one run each) and
# every corpus file on its own: exit 0 or 1 only, no sanitizer report, every input named in
# report.json, every .837 accepted by `fhir837 validate`, no SC-infusion line from an event whose
# data has no subcutaneous route (corpus_report_check.py). Exit 77 (skip) without the corpus.
set -u
BIN=$1; CORPUS=$2; WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
CHECK="$(dirname "$0")/corpus_report_check.py"
if [ ! -d "$CORPUS" ]; then echo "SKIP: corpus not found at $CORPUS"; exit 77; fi
# 2027-01-01: after every Synthea service date, so DOS-FUTURE does not hide the claims that data
# would give (MIMIC-IV dates are shifted to 2180 and stay future).
export SOURCE_DATE_EPOCH=1798761600 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
fails=0; runs=0; sclines=0
check() {
  runs=$((runs + 1)); local d="$WORK/$runs"; mkdir -p "$d"
  "$BIN" convert --quiet --state-dir "$d/state" -o "$d/out" "$@" >"$d/c.log" 2>&1; local rc=$?
  "$BIN" explain "$@" >"$d/e.log" 2>&1; local rc2=$?
  local why=""
  if [ $rc -gt 1 ] || [ $rc2 -gt 1 ]; then why="exit convert=$rc explain=$rc2"
  elif grep -q "runtime error\|Sanitizer" "$d/c.log" "$d/e.log"; then why="sanitizer report"
  elif [ ! -f "$d/out/report.json" ]; then why="no report.json"
  elif ! python3 "$CHECK" "$d/out/report.json" "$@" >"$d/check.log" 2>&1; then why="report check"
  else
    sclines=$((sclines + $(sed -n 's/^sc-infusion-lines=\([0-9]*\).*/\1/p' "$d/check.log")))
    for x in "$d"/out/*.837; do
      [ -e "$x" ] || continue
      if ! "$BIN" validate "$x" >"$d/v.log" 2>&1; then why="validate $(basename "$x")"; break; fi
    done
  fi
  if [ -n "$why" ]; then
    echo "FAIL ($why): $*"; tail -5 "$d/c.log" "$d/e.log" "$d/check.log" "$d/v.log" 2>/dev/null
    fails=$((fails + 1))
  fi
  rm -rf "$d"
}
while IFS= read -r dir; do check "$dir"; done < <(find "$CORPUS" -mindepth 1 -type d | sort)
while IFS= read -r f; do check "$f"; done < <(find "$CORPUS" -type f -not -name '*.md' | sort)
echo "corpus runs: $runs, failures: $fails, SC-infusion lines checked against their data: $sclines"
[ $fails -eq 0 ]
