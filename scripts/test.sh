#!/usr/bin/env bash
# Sets up the machine (Debian 12, as root), builds the `dev` preset (ASan+UBSan) and runs every
# test, then the concurrency checks under the `tsan` preset (scripts/tsan.sh) and every fuzz
# target for FUZZ_SECONDS (default 60) from its seeds under the `fuzz` preset (scripts/fuzz.sh).
# The corpus tests read ../shared/corpus (or $FHIR837_CORPUS) and skip, saying why, when it is
# absent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset dev
cmake --build --preset dev -j "$(nproc)"
ctest --preset dev
bash scripts/tsan.sh
bash scripts/fuzz.sh
