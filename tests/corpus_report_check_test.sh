#!/usr/bin/env bash
# The corpus run's oracle must be able to fail: checks corpus_report_check.py against reports
# made to be wrong (an IV event billed 96369, an input missing) and a right one.
set -u
HERE=$(cd "$(dirname "$0")" && pwd); CHECK="$HERE/corpus_report_check.py"; SAMPLES="$HERE/../samples"
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
fails=0
expect() {  # expect EXIT_CODE EXPECTED_LINE REPORT INPUT...
  local want=$1 line=$2; shift 2
  out=$(cd "$WORK" && python3 "$CHECK" "$@"); rc=$?
  if [ $rc -ne "$want" ] || ! grep -qF -- "$line" <<<"$out"; then
    echo "FAIL: wanted exit $want and '$line', got exit $rc:"; echo "$out"; fails=$((fails + 1))
  fi
}
cp "$SAMPLES/09-iv-infusion-is-96365/input.json" "$WORK/input.json"
cat >"$WORK/iv-as-96369.json" <<'JSON'
{"inputs":[{"path":"input.json"}],"claims":[{"claim_id":"X","lines":[
 {"code":"96369","source":"MedicationAdministration/ma-09"}]}]}
JSON
expect 1 "claim X: 96369 from MedicationAdministration/ma-09, whose data has no subcutaneous route" \
  iv-as-96369.json input.json
cat >"$WORK/input-missing.json" <<'JSON'
{"inputs":[],"claims":[]}
JSON
expect 1 "input not named in report.json: input.json" input-missing.json input.json
cp "$SAMPLES/01-scig-95min-office/input.json" "$WORK/sc.json"
sed 's/"input.json"/"sc.json"/' "$SAMPLES/01-scig-95min-office/expected.report.json" >"$WORK/sc-report.json"
expect 0 "sc-infusion-lines=2 inputs=1" sc-report.json sc.json
cp "$SAMPLES/01-scig-95min-office/input.xml" "$WORK/sc.xml"
sed 's/"input.json"/"sc.xml"/' "$SAMPLES/01-scig-95min-office/expected.report.json" >"$WORK/sc-xml-report.json"
expect 0 "sc-infusion-lines=2 inputs=1" sc-xml-report.json sc.xml
[ $fails -eq 0 ] && echo "corpus_report_check: 4 cases as expected"
[ $fails -eq 0 ]
