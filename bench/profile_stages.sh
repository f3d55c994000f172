#!/usr/bin/env bash
# CPU µs per claim for each stage of `fhir837 convert --jobs 1`, from a perf profile.
#
#   bash bench/profile_stages.sh [SIZE_MIB]      # default 32 MiB
#
# Builds fhir837 with debug info and frame pointers in build/prof (Release -O3 otherwise, so the
# shares are those of the release binary), converts a synthetic bulk export of SIZE_MIB MiB under
# `perf record` and prints, for each stage, its inclusive share of the samples and that share of
# the convert process's sampled CPU time divided by the claims written. Stages overlap (a parse
# inside pass 2 is also in pass 2's total); a stage that no sample names (inlined into a caller,
# or too cheap to be sampled) prints n/a.
#
# Call graphs are DWARF with perf's largest stack copy: a 16 KiB copy lost the callers of deep
# frames, and frame-pointer stacks lose them inside SQLite and libc (built without frame
# pointers); either way inclusive shares came out too small. `perf report` then takes minutes.
# Needs root or perf_event_paranoid <= 2 (Debian's default allows profiling one's own processes)
# and the Debian package linux-perf.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-32}
if ! [[ "$size_mib" =~ ^[0-9]+$ ]] || [ "$size_mib" -eq 0 ]; then
  echo "usage: bench/profile_stages.sh [SIZE_MIB]" >&2
  exit 2
fi
command -v perf > /dev/null || { echo "profile_stages: perf is missing" >&2; exit 2; }

cmake -S . -B build/prof -G Ninja -DCMAKE_BUILD_TYPE=Release -DFHIR837_BUILD_BENCH=ON \
  -DCMAKE_CXX_FLAGS_RELEASE="-O3 -DNDEBUG -g -fno-omit-frame-pointer" > /dev/null
cmake --build build/prof -j "$(nproc)" --target fhir837 fhir837_bulk_generator >&2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fhir837-profile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
build/prof/bench/fhir837_bulk_generator "$tmp/export" --size-mib "$size_mib" --seed 1 > /dev/null
cat "$tmp"/export/*.ndjson > /dev/null

rc=0
perf record -q -F 999 --call-graph dwarf,65528 -o "$tmp/perf.data" -- \
  env SOURCE_DATE_EPOCH=1798761600 build/prof/fhir837 convert --config config/fhir837.toml \
  --state-dir "$tmp/state" -o "$tmp/out" --jobs 1 --quiet "$tmp/export" > /dev/null 2> "$tmp/perf.err" || rc=$?
if [ "$rc" -gt 1 ] || [ ! -f "$tmp/out/report.json" ]; then
  echo "profile_stages: convert failed (exit $rc)" >&2; cat "$tmp/perf.err" >&2; exit 1
fi
# The clock is 2027-01-01, after every generated service date (see run_benchmarks.sh).
# The convert process's CPU is perf's sample count of it over the frequency (a wall-clock or
# rusage figure would include perf's own unwinding work).
claims=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["claims"])' \
  "$tmp/out/report.json")
perf report -i "$tmp/perf.data" --children --stdio --sort symbol -g none --percent-limit 0 \
  --comm fhir837 2> /dev/null > "$tmp/report.txt"
samples=$(perf report -i "$tmp/perf.data" --no-children --stdio --sort comm -n --comm fhir837 -g none \
  2> /dev/null | awk '!/^#/ && NF >= 3 { print $2; exit }')  # exact: the header rounds to "2K"

python3 - "$tmp/report.txt" "$samples" "$claims" "$size_mib" <<'PY'
import re, sys
report, samples, claims, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
cpu_seconds = int(samples) / 999.0
shares = []
for line in open(report, errors="replace"):
    m = re.match(r"\s*([\d.]+)%\s+([\d.]+)%\s+\[\.\]\s+(.*?)\s*(?:-\s+-)?\s*$", line)
    if m:
        shares.append((float(m.group(1)), m.group(3)))


def function_name(symbol):
    """perf names a function `ns::f`, `ns::f(args)`, `ns::f[abi:cxx11]` or, inlined, `f (inlined)`."""
    symbol = symbol.replace("[abi:cxx11]", "")
    inlined = symbol.endswith(" (inlined)")
    if inlined:
        symbol = symbol[: -len(" (inlined)")]
    if "::{lambda" in symbol or "::<lambda" in symbol:
        return symbol, inlined  # a lambda is matched by its prefix
    depth = 0
    for i, c in enumerate(symbol):  # cut the argument list, but not "(anonymous namespace)"
        if c == "(" and not symbol.startswith("(anonymous namespace)", i):
            if depth == 0:
                return symbol[:i], inlined
        depth += c == "<"
        depth -= c == ">"
    return symbol, inlined


def share_of(name):
    """The largest inclusive share of a function (its forms overlap, so they are not added)."""
    found = []
    for percent, symbol in shares:
        function, inlined = function_name(symbol)
        if name.endswith("{lambda"):
            hit = function.startswith(name)
        else:
            hit = function == name or (inlined and name.endswith("::" + function))
        if hit:
            found.append(percent)
    return max(found, default=None)


stages = [
    ("pass 1: read, bind, spill, index every input", "fhir837::loadInputs"),
    # keysOfLine is inlined into the batch parse; the batch is the frame every sample names.
    ("pass 1: parse + bind of each batch of NDJSON lines",
     "fhir837::(anonymous namespace)::Loader::startParsing"),
    ("pass 2 in total", "fhir837::(anonymous namespace)::SecondPass::run()::{lambda"),
    ("pass 2: events read back and bound", "fhir837::GroupCoder::eventResource"),
    ("pass 2: referenced resources read back and bound", "fhir837::SpilledResources::load"),
    ("JSON parse + bind, all passes", "fhir837::bindFhirJson"),
    ("coding (codeEncounter)", "fhir837::codeEncounter"),
    ("claim building (buildClaim)", "fhir837::buildClaim"),
    ("report element render", "fhir837::ConvertReport::renderClaimElement"),
    ("report written (writeJson)", "fhir837::ConvertReport::writeJson"),
    ("interchange chunks (reserve, emit, write, commit)", "fhir837::InterchangeStream::writeChunk"),
    ("ledger lookups (findBilled)", "fhir837::StateStore::findBilled"),
    ("ledger lookups (findBilledClaim)", "fhir837::StateStore::findBilledClaim"),
]
print(f"Profile of convert --jobs 1 on a {size} MiB export: {claims} claims, "
      f"{cpu_seconds:.2f} s CPU sampled ({samples} samples at 999 Hz), "
      f"{cpu_seconds * 1e6 / max(claims, 1):.1f} µs CPU per claim.\n")
print("| stage | inclusive share | µs per claim |")
print("|---|---:|---:|")
for label, name in stages:
    best = share_of(name)
    if best is None:
        print(f"| {label} | n/a (no sample names it) | n/a |")
    else:
        print(f"| {label} | {best:.1f} % | {best / 100 * cpu_seconds * 1e6 / max(claims, 1):.1f} |")
PY
