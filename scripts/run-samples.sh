#!/usr/bin/env bash
# Sets up the machine (Debian 12, as root), builds the optimised binary and converts every bundled
# sample (samples/*/input.json) into out/samples/, printing where the 837 files and the report went.
# Samples 09 and 10 are meant to be refused (IV route, unknown payer), so convert exits 1 (some
# events need review or were rejected); that is reported, not treated as a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release > /dev/null
cmake --build --preset release -j "$(nproc)" --target fhir837
rm -rf out/samples out/state
status=0
./build/release/fhir837 convert --state-dir out/state -o out/samples samples/*/input.json || status=$?
if [ "$status" -gt 1 ]; then
  echo "fhir837 convert failed (exit $status)" >&2
  exit "$status"
fi
echo "837 files and report.json are in $(pwd)/out/samples (exit $status: 0 = all billed or rightly not billable, 1 = some events need review or were rejected; see report.json)"
