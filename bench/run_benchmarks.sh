#!/usr/bin/env bash
# One-command throughput benchmarks of fhir837 (see docs/performance.md for results).
#
#   bash bench/run_benchmarks.sh [SIZE_MIB]      # default 1024 MiB, about 5 minutes on 2 cores
#
# Sets the machine up (Debian 12, as root), builds the `release` preset, generates a synthetic FHIR
# bulk export of SIZE_MIB MiB into a temp dir and prints a Markdown table of:
#   - the RapidJSON floor (bare rapidjson::Document parse of every NDJSON line of the same files)
#     and a RapidJSON SAX key scan of the same lines (resourceType, id, references kept);
#   - `fhir837 convert --jobs 1` and `--jobs 2`: wall time, MB/s, claims/s, CPU seconds (user +
#     system) and CPU µs per claim, and peak RSS, each with a
#     fresh state dir and output dir;
#   - `fhir837_validate_bench 100000` and `fhir837 validate` on the largest .837 the conversion wrote;
#   - the Google Benchmark summary of fhir837_parse_bench.
# MB = 10^6 bytes; peak RSS comes from /usr/bin/time -v (Debian package `time`, installed by setup).
# Environment: KEEP_TMP=1 keeps the temp dir; BENCH_TMPDIR picks where it is created.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

size_mib=${1:-1024}
if ! [[ "$size_mib" =~ ^[0-9]+$ ]] || [ "$size_mib" -eq 0 ]; then
  echo "usage: bench/run_benchmarks.sh [SIZE_MIB]" >&2
  exit 2
fi

bash scripts/setup.sh >&2
cmake --preset release > /dev/null
cmake --build --preset release -j "$(nproc)" --target fhir837 fhir837_bulk_generator \
  fhir837_rapidjson_floor fhir837_parse_bench fhir837_pipeline_bench fhir837_validate_bench >&2

bin=$repo/build/release
if [ ! -x /usr/bin/time ]; then
  echo "run_benchmarks: /usr/bin/time is missing (Debian package 'time'; run scripts/setup.sh as root)" >&2
  exit 2
fi

tmp=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/fhir837-bench.XXXXXX")
if [ "${KEEP_TMP:-0}" = 1 ]; then
  echo "run_benchmarks: keeping $tmp" >&2
else
  trap 'rm -rf "$tmp"' EXIT
fi

log() { echo "run_benchmarks: $*" >&2; }

# measure NAME CMD...: runs CMD under /usr/bin/time -v with stdout/stderr in $tmp/NAME.{out,err};
# sets wall (s), rss_kib and rc. Wall time is taken with date so it has millisecond resolution.
measure() {
  local name=$1
  shift
  local start end
  start=$(date +%s.%N)
  rc=0
  /usr/bin/time -v -o "$tmp/$name.time" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err" || rc=$?
  end=$(date +%s.%N)
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  rss_kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/$name.time")
  cpu_s=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$tmp/$name.time")
}

div() { awk -v a="$1" -v b="$2" -v f="${3:-%.1f}" 'BEGIN { if (b > 0) printf f, a / b; else print "n/a" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# --- input -------------------------------------------------------------------------------------
log "generating a ${size_mib} MiB bulk export"
"$bin/bench/fhir837_bulk_generator" "$tmp/export" --size-mib "$size_mib" --seed 1 > "$tmp/generator.out"
input_bytes=$(cat "$tmp"/export/*.ndjson | wc -c)
input_mb=$(div "$input_bytes" 1000000 "%.1f")
input_files=$(find "$tmp/export" -name '*.ndjson' | wc -l)

# Warm the page cache so the first measured run does not pay for disk reads the others skip.
cat "$tmp"/export/*.ndjson > /dev/null

# --- RapidJSON floor -----------------------------------------------------------------------------
log "RapidJSON floor"
measure floor "$bin/bench/fhir837_rapidjson_floor" "$tmp"/export/*.ndjson
if [ "$rc" -ne 0 ]; then
  log "fhir837_rapidjson_floor failed (exit $rc)"; cat "$tmp/floor.err" >&2; exit 1
fi
floor_mbs=$(grep -o '[0-9.]* MB/s' "$tmp/floor.out" | awk '{ print $1 }')
floor_wall=$wall
floor_rss=$rss_kib

log "RapidJSON SAX key scan"
measure keyscan "$bin/bench/fhir837_rapidjson_floor" --sax-keys "$tmp"/export/*.ndjson
if [ "$rc" -ne 0 ]; then
  log "fhir837_rapidjson_floor --sax-keys failed (exit $rc)"; cat "$tmp/keyscan.err" >&2; exit 1
fi
keyscan_mbs=$(grep -o '[0-9.]* MB/s' "$tmp/keyscan.out" | awk '{ print $1 }')
keyscan_wall=$wall
keyscan_rss=$rss_kib

# --- fhir837 convert -----------------------------------------------------------------------------
declare -A conv_wall conv_rss conv_claims conv_rc conv_mbs conv_cps conv_cpu conv_us
for jobs in 1 2; do
  log "fhir837 convert --jobs $jobs"
  # A fixed clock (SOURCE_DATE_EPOCH) so the two runs can be compared byte for byte. It is
  # 2027-01-01, after every service date the generator writes (all in 2025): with an earlier clock
  # most events are future service dates that go to review, and the run measures rejects.
  measure "convert$jobs" env SOURCE_DATE_EPOCH=1798761600 "$bin/fhir837" convert --config config/fhir837.toml \
    --state-dir "$tmp/state$jobs" -o "$tmp/out$jobs" --jobs "$jobs" --quiet "$tmp/export"
  # Exit 1 means some events need review or were refused, which the report records; 2+ is a failure.
  if [ "$rc" -gt 1 ] || [ ! -f "$tmp/out$jobs/report.json" ]; then
    log "fhir837 convert --jobs $jobs failed (exit $rc)"; tail -20 "$tmp/convert$jobs.err" >&2; exit 1
  fi
  conv_wall[$jobs]=$wall
  conv_rss[$jobs]=$rss_kib
  conv_rc[$jobs]=$rc
  conv_claims[$jobs]=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["claims"])' \
    "$tmp/out$jobs/report.json")
  conv_mbs[$jobs]=$(div "$input_bytes" "$(awk -v w="$wall" 'BEGIN { print w * 1e6 }')")
  conv_cps[$jobs]=$(div "${conv_claims[$jobs]}" "$wall" "%.0f")
  conv_cpu[$jobs]=$cpu_s
  conv_us[$jobs]=$(div "$(awk -v c="$cpu_s" 'BEGIN { print c * 1e6 }')" "${conv_claims[$jobs]}" "%.1f")
done
# Same input, any --jobs: the same bytes (every .837, report.json, rejects/).
if diff -r "$tmp/out1" "$tmp/out2" > /dev/null; then same_files=yes; else same_files=no; fi

# --- validation ----------------------------------------------------------------------------------
log "fhir837_validate_bench 100000"
measure vbench "$bin/bench/fhir837_validate_bench" 100000
vbench_mbs=$(grep -o 'MB/s=[0-9.]*' "$tmp/vbench.out" | cut -d= -f2)
vbench_bytes=$(grep -o 'bytes=[0-9]*' "$tmp/vbench.out" | cut -d= -f2)
vbench_rc=$rc
vbench_secs=$(grep -o 'seconds=[0-9.]*' "$tmp/vbench.out" | cut -d= -f2)
vbench_rss=$rss_kib

largest=$(ls -S "$tmp"/out2/*.837 2>/dev/null | head -1 || true)
if [ -n "$largest" ]; then
  log "fhir837 validate $(basename "$largest")"
  measure validate "$bin/fhir837" validate --max-findings 10 "$largest"
  val_bytes=$(stat -c %s "$largest")
  val_mbs=$(div "$val_bytes" "$(awk -v w="$wall" 'BEGIN { print w * 1e6 }')")
  val_wall=$wall
  val_rss=$rss_kib
  val_rc=$rc
fi

# --- Google Benchmark ----------------------------------------------------------------------------
log "fhir837_parse_bench"
"$bin/bench/fhir837_parse_bench" --benchmark_min_time=1 > "$tmp/parse_bench.out" 2> "$tmp/parse_bench.err"
log "fhir837_pipeline_bench"
"$bin/bench/fhir837_pipeline_bench" --benchmark_min_time=1 > "$tmp/pipeline_bench.out" 2> "$tmp/pipeline_bench.err"

# --- report --------------------------------------------------------------------------------------
cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
ram=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git diff --quiet HEAD 2>/dev/null; then commit="$commit (+ uncommitted changes)"; fi

cat <<EOF

## fhir837 benchmarks — $(date -u +%Y-%m-%d)

Machine: $(nproc) CPU(s), ${cpu:-unknown CPU}, ${ram} RAM; commit ${commit}.
Input: synthetic bulk export, seed 1, ${input_files} NDJSON files, ${input_bytes} bytes (${input_mb} MB, asked ${size_mib} MiB).
MB = 10^6 bytes; MB/s = input bytes / wall time; peak RSS = max resident set size (/usr/bin/time -v).

| Run | Wall (s) | MB/s | Claims | Claims/s | CPU (s) | CPU µs/claim | Peak RSS (MiB) | Exit |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
| RapidJSON floor (bare Document per line) | ${floor_wall} | ${floor_mbs} | – | – | – | – | $(mib "$floor_rss") | 0 |
| RapidJSON SAX key scan (resourceType, id, references) | ${keyscan_wall} | ${keyscan_mbs} | – | – | – | – | $(mib "$keyscan_rss") | 0 |
| \`fhir837 convert --jobs 1\` | ${conv_wall[1]} | ${conv_mbs[1]} | ${conv_claims[1]} | ${conv_cps[1]} | ${conv_cpu[1]} | ${conv_us[1]} | $(mib "${conv_rss[1]}") | ${conv_rc[1]} |
| \`fhir837 convert --jobs 2\` | ${conv_wall[2]} | ${conv_mbs[2]} | ${conv_claims[2]} | ${conv_cps[2]} | ${conv_cpu[2]} | ${conv_us[2]} | $(mib "${conv_rss[2]}") | ${conv_rc[2]} |
| \`fhir837_validate_bench 100000\` (${vbench_bytes:-?} bytes of 837P; validation only) | ${vbench_secs:-n/a} | ${vbench_mbs:-n/a} | 100000 | – | – | – | $(mib "${vbench_rss:-0}") | ${vbench_rc} |
EOF
if [ -n "$largest" ]; then
  echo "| \`fhir837 validate\` on $(basename "$largest") (${val_bytes} bytes) | ${val_wall} | ${val_mbs} | – | – | – | – | $(mib "$val_rss") | ${val_rc} |"
fi
cat <<EOF

| Ratio | Value | Target |
|---|---:|---:|
| convert --jobs 2 / RapidJSON floor | $(div "${conv_mbs[2]}" "$floor_mbs" "%.3f") | ≥ 0.25 (goal 0.4) |
| RapidJSON SAX key scan / RapidJSON floor | $(div "$keyscan_mbs" "$floor_mbs" "%.2f") | – |
| convert --jobs 2 / --jobs 1 (speed-up) | $(div "${conv_wall[1]}" "${conv_wall[2]}" "%.2f") | ≥ 1.80 |
| convert peak RSS (MiB, the larger of the two runs) | $(mib "$(( ${conv_rss[1]} > ${conv_rss[2]} ? ${conv_rss[1]} : ${conv_rss[2]} ))") | ≤ 256 for 1 GiB of input (most of it is fixed: caches, batches, one interchange per form) |
| validation MB/s (100,000 claims) | ${vbench_mbs:-n/a} | ≥ 25 |

Byte-identical output directories (every .837 and report.json) from --jobs 1 and --jobs 2: ${same_files}.
Input size in GiB: $(awk -v b="$input_bytes" 'BEGIN { printf "%.2f", b / 1073741824 }').

### fhir837_parse_bench (Google Benchmark, --benchmark_min_time=1)

\`\`\`
$(grep -E '^(BM_|Benchmark|-{5})' "$tmp/parse_bench.out" || cat "$tmp/parse_bench.out")
\`\`\`

### fhir837_pipeline_bench (Google Benchmark, --benchmark_min_time=1)

\`\`\`
$(grep -E '^(BM_|Benchmark|-{5})' "$tmp/pipeline_bench.out" || cat "$tmp/pipeline_bench.out")
\`\`\`
EOF
