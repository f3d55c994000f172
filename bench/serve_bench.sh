#!/usr/bin/env bash
# Daemon benchmark: durable FHIR POSTs to `fhir837 serve` against nginx serving a small static
# file, with the same wrk on the same machine in the same run (docs/performance.md, "Daemon").
#
#   bash bench/serve_bench.sh [--binary PATH] [--duration SECONDS] [--connections N]
#                             [--threads N] [--soak MINUTES] [--claims N] [--only-claims]
#                             [--retention]
#                             [--tls]
#
# Builds nothing: the binary defaults to build/release/fhir837. Needs wrk, nginx and python3
# (bash scripts/setup.sh). The daemon's access log (one JSON line per request on stderr) goes to
# /dev/null unless SERVE_LOG=FILE is set. KEEP_TMP=1 keeps the temp dir.
#
# Default mode: nginx, then the daemon with Prefer: return=minimal, then without Prefer (the
# resource is sent back), then transaction Bundles of one encounter each, each
# `wrk -t THREADS -c CONNECTIONS -d SECONDS`; a Markdown table of requests/s, p50, p99 and the
# ratio to nginx; then the daemon is stopped (SIGTERM) and the journal's rows are counted with
# python3's sqlite3: every 2xx wrk saw must be a stored version. Then "resources in -> claims
# out": a second daemon with bill_after = "0s" (SOURCE_DATE_EPOCH=1798761600) gets --claims N
# (5000) encounter Bundles as fast as wrk sends them; the time until outbox/report.ndjson has N
# lines gives claims/s end to end. --only-claims runs that part alone. --retention gives that
# daemon keep_journal_for = "1s" (pruned every second): the journal's size per encounter with
# the bodies of billed encounters pruned, against the run without it.
# --soak MINUTES: one long return=minimal run; the daemon's VmRSS every 10 s.
# --tls: the cost of TLS alone: nginx over http and https (bench/nginx_tls.conf.in), then the
# daemon's return=minimal POSTs and GET /fhir/metadata (the listener without the journal's fsync)
# over http and https ([serve] tls_cert/tls_key), all on one
# self-signed P-256 certificate made now with the openssl CLI, wrk keep-alive; one table.
set -euo pipefail
trap 'echo "serve_bench: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

cd "$(dirname "$0")/.."
root=$(pwd)

binary=build/release/fhir837
duration=30
connections=64
threads=2
soak=0
retention=0
claims=5000
only_claims=0
tls=0
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --soak) soak=$2; shift 2 ;;
    --claims) claims=$2; shift 2 ;;
    --only-claims) only_claims=1; shift ;;
    --retention) retention=1; shift ;;
    --tls) tls=1; shift ;;
    -h|--help) sed -n 2,25p "$0"; exit 0 ;;
    *) if [ -x "$1" ]; then binary=$1; shift; else echo "unknown argument $1" >&2; exit 2; fi ;;
  esac
done

for tool in wrk nginx python3; do
  command -v "$tool" >/dev/null || { echo "serve_bench: $tool missing (bash scripts/setup.sh)" >&2; exit 2; }
done
[ -x "$binary" ] || { echo "serve_bench: no binary at $binary (build the release preset)" >&2; exit 2; }
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")

tmp=$(mktemp -d /tmp/serve-bench.XXXXXX)
nginx_pid=""
serve_pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  if [ "${KEEP_TMP:-0}" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wrk prints one "BENCH key=value ..." line from the scripts' done() hook.
field() { grep "^BENCH " "$1" | sed -n "s/.*[ ]$2=\([0-9]*\).*/\1/p"; }
rps() { python3 -c "import sys; print(f'{int(sys.argv[1]) / (int(sys.argv[2]) / 1e6):.0f}')" "$@"; }
ms() { python3 -c "import sys; print(f'{int(sys.argv[1]) / 1000:.2f}')" "$1"; }

# wrk_run NAME URL SCRIPT [SCRIPT ARGS...]: output in $tmp/NAME.wrk
wrk_run() {
  local name=$1 url=$2 script=$3
  shift 3
  wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s -s "$script" "$url" ${1+--} "$@" \
    >"$tmp/$name.wrk" 2>&1
  grep -q '^BENCH ' "$tmp/$name.wrk" || { cat "$tmp/$name.wrk" >&2; exit 1; }
}

start_nginx() {
  mkdir -p "$tmp/www"
  : >"$tmp/extra.conf"
  if [ "$tls" = 1 ]; then
    nginx_tls_port=$(free_port)
    sed -e "s|@TLS_PORT@|$nginx_tls_port|g" -e "s|@ROOT@|$tmp/www|g" -e "s|@TMP@|$tmp|g" \
      bench/nginx_tls.conf.in >"$tmp/extra.conf"
  fi
  chmod 755 "$tmp" "$tmp/www"  # nginx's workers run as www-data when started by root
  python3 -c 'import sys; sys.stdout.write(("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"information\",\"code\":\"informational\",\"diagnostics\":\"static file for the nginx baseline of bench/serve_bench.sh\"}]}" + " " * 300)[:300])' \
    >"$tmp/www/static.json"
  nginx_port=$(free_port)
  sed -e "s|@PORT@|$nginx_port|g" -e "s|@ROOT@|$tmp/www|g" -e "s|@TMP@|$tmp|g" \
    bench/nginx.conf.in >"$tmp/nginx.conf"
  nginx -p "$tmp" -c "$tmp/nginx.conf" &
  nginx_pid=$!
  for _ in $(seq 100); do
    python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$nginx_port),0.2)" 2>/dev/null && return
    sleep 0.1
  done
  echo "serve_bench: nginx did not start" >&2; cat "$tmp/nginx-error.log" >&2; exit 1
}

stop_nginx() {
  kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=""
}

# start_serve STATE_DIR [more serve arguments...]
start_serve() {
  local state=$1
  shift
  : >"$tmp/serve.out"
  "$binary" serve --state-dir "$state" --listen 127.0.0.1:0 "$@" >"$tmp/serve.out" \
    2>"${SERVE_LOG:-/dev/null}" &
  serve_pid=$!
  for _ in $(seq 200); do
    if grep -q '^listening on ' "$tmp/serve.out"; then
      serve_url=$(sed -n 's/^listening on \(http[^ ]*\).*/\1/p' "$tmp/serve.out" | head -1)
      return
    fi
    kill -0 "$serve_pid" 2>/dev/null || { echo "serve_bench: fhir837 serve exited" >&2; exit 1; }
    sleep 0.05
  done
  echo "serve_bench: fhir837 serve did not print its address" >&2; exit 1
}

stop_serve() {
  kill -TERM "$serve_pid"
  local rc=0
  wait "$serve_pid" || rc=$?
  serve_pid=""
  [ "$rc" = 0 ] || { echo "serve_bench: fhir837 serve exited $rc on SIGTERM" >&2; exit 1; }
}

# journal_size STATE N: the journal's file size, pages in use and stored body bytes per encounter.
journal_size() {
  python3 - "$1/journal.sqlite" "$2" <<'PY'
import os, sqlite3, sys
path, n = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
page = db.execute("PRAGMA page_size").fetchone()[0]
pages = db.execute("PRAGMA page_count").fetchone()[0]
free = db.execute("PRAGMA freelist_count").fetchone()[0]
bodies, kept = db.execute("SELECT count(*), coalesce(sum(length(body)), 0) FROM versions").fetchone()
used = (pages - free) * page
print(f"journal: {os.path.getsize(path)} bytes on disk, {used} bytes in use ({used / n:.0f} per "
      f"encounter), {bodies} versions holding {kept} body bytes ({kept / n:.0f} per encounter)")
PY
}

journal_rows() {
  python3 - "$1/journal.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
print(db.execute("SELECT count(*) FROM versions").fetchone()[0])
PY
}

# 2xx = completed requests less wrk's non-2xx/3xx count (the daemon sends no 3xx).
ok_count() { echo $(($(field "$1" requests) - $(field "$1" status_non2xx))); }

row() {
  local label=$1 file=$2 base=${3:-}
  local r
  r=$(rps "$(field "$file" requests)" "$(field "$file" duration_us)")
  local ratio="–"
  [ -n "$base" ] && ratio=$(python3 -c "print(f'{$r / $base * 100:.1f} %')")
  echo "| $label | $r | $(ms "$(field "$file" p50_us)") | $(ms "$(field "$file" p99_us)") | $(ok_count "$file") | $(field "$file" status_non2xx) | $ratio |"
}

# --- Transaction Bundles ----------------------------------------------------------------------
# Each request a transaction Bundle of one encounter (serve_post.lua `bundle`): a new Encounter and
# MedicationAdministration plus 9 shared resources PUT with the same content every time.
bundle_row() {
  row "daemon: transaction Bundle of one encounter (11 entries, 2 new resources), Bundles/s" \
    "$tmp/bundle.wrk" "$nginx_rps"
}

# write_config OUT SERVE_LINES: the shipped config with absolute table paths and a [serve] section.
write_config() {
  python3 - "$root" "$1" "$2" <<'PY'
import pathlib, sys
root, out, serve = sys.argv[1], sys.argv[2], sys.argv[3]
text = (pathlib.Path(root) / "config/fhir837.toml").read_text()
text = text.replace('"../mappings/', f'"{root}/mappings/')
text = text.replace('payers_dir = "payers"', f'payers_dir = "{root}/config/payers"')
pathlib.Path(out).write_text(text + '\n[serve]\n' + serve + '\n')
PY
}

# ratio A B: requests/s of run A as a percentage of run B.
ratio() {
  python3 -c "print(f'{$(rps "$(field "$tmp/$1.wrk" requests)" "$(field "$tmp/$1.wrk" duration_us)") / $(rps "$(field "$tmp/$2.wrk" requests)" "$(field "$tmp/$2.wrk" duration_us)") * 100:.1f} %')"
}

# --- TLS: nginx and the daemon, each over http and https ---------------------------------------
tls_run() {
  command -v openssl >/dev/null || { echo "serve_bench: openssl missing (bash scripts/setup.sh)" >&2; exit 2; }
  mkdir -p "$tmp/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/tls/server.key" -out "$tmp/tls/server.crt" \
    2>/dev/null
  chmod 755 "$tmp/tls" && chmod 644 "$tmp/tls/server.key"  # nginx's workers may be www-data
  start_nginx
  wrk_run nginx "http://127.0.0.1:$nginx_port/static.json" bench/wrk_report.lua
  wrk_run nginx_tls "https://127.0.0.1:$nginx_tls_port/static.json" bench/wrk_report.lua
  stop_nginx
  nginx_rps=$(rps "$(field "$tmp/nginx.wrk" requests)" "$(field "$tmp/nginx.wrk" duration_us)")
  nginx_tls_rps=$(rps "$(field "$tmp/nginx_tls.wrk" requests)" "$(field "$tmp/nginx_tls.wrk" duration_us)")
  start_serve "$tmp/state"
  wrk_run minimal "$serve_url" bench/serve_post.lua minimal min
  wrk_run metadata "$serve_url/metadata" bench/wrk_report.lua
  stop_serve
  write_config "$tmp/tls.toml" "tls_cert = \"$tmp/tls/server.crt\"
tls_key = \"$tmp/tls/server.key\""
  start_serve "$tmp/state" --config "$tmp/tls.toml"
  case "$serve_url" in https://*) ;; *) echo "serve_bench: daemon not on https: $serve_url" >&2; exit 1 ;; esac
  wrk_run minimal_tls "$serve_url" bench/serve_post.lua minimal mintls
  wrk_run metadata_tls "$serve_url/metadata" bench/wrk_report.lua
  stop_serve
  echo "| Run | req/s | p50 (ms) | p99 (ms) | 2xx | non-2xx | % of nginx (same scheme) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  row "nginx: GET 300-byte static file, http" "$tmp/nginx.wrk"
  row "nginx: GET 300-byte static file, https" "$tmp/nginx_tls.wrk"
  row "daemon: POST MedicationAdministration, return=minimal, http" "$tmp/minimal.wrk" "$nginx_rps"
  row "daemon: POST MedicationAdministration, return=minimal, https" "$tmp/minimal_tls.wrk" "$nginx_tls_rps"
  row "daemon: GET /fhir/metadata (no journal), http" "$tmp/metadata.wrk" "$nginx_rps"
  row "daemon: GET /fhir/metadata (no journal), https" "$tmp/metadata_tls.wrk" "$nginx_tls_rps"
  echo
  echo "https/http: nginx $(ratio nginx_tls nginx), daemon POST $(ratio minimal_tls minimal), daemon GET $(ratio metadata_tls metadata)"
}

# --- Resources in -> claims out ----------------------------------------------------------------
# A daemon that bills (config: the shipped one with absolute table paths, bill_after = "0s"; every
# Encounter is finished, so each is billed as soon as the billing thread sees it) gets $claims
# encounter Bundles from wrk (serve_claims.lua: each thread stops once its share was answered);
# then the time until outbox/report.ndjson has a line per encounter.
claims_run() {
  local work=$tmp/claims
  mkdir -p "$work"
  local serve_keys='bill_after = "0s"'
  [ "$retention" = 1 ] && serve_keys+=$'\nkeep_journal_for = "1s"\nprune_every = "1s"'
  write_config "$work/fhir837.toml" "$serve_keys"
  SOURCE_DATE_EPOCH=1798761600 start_serve "$work/state" --config "$work/fhir837.toml" \
    --outbox "$work/outbox"
  local report=$work/outbox/report.ndjson
  local t0 t1 t2
  t0=$(date +%s.%N)
  wrk -t"$threads" -c"$connections" -d600s --timeout 10s -s bench/serve_claims.lua "$serve_url" \
    -- claims clm "$claims" "$threads" "$work/posted." >"$tmp/claims.wrk" 2>&1 &
  local wrk_pid=$!
  while [ "$(find "$work" -maxdepth 1 -name 'posted.*' | wc -l)" -lt "$threads" ]; do
    kill -0 "$wrk_pid" 2>/dev/null || break
    sleep 0.02
  done
  t1=$(date +%s.%N)
  kill -INT "$wrk_pid" 2>/dev/null || true  # wrk sleeps for -d; SIGINT ends it with its summary
  wait "$wrk_pid" || true
  grep -q '^BENCH ' "$tmp/claims.wrk" || { cat "$tmp/claims.wrk" >&2; exit 1; }
  local lines=0
  for _ in $(seq 12000); do  # 20 minutes at most
    lines=$( [ -f "$report" ] && wc -l <"$report" || echo 0)
    [ "$lines" -ge "$claims" ] && break
    sleep 0.1
  done
  t2=$(date +%s.%N)
  # Retention prunes on its own cadence: give it two periods after the last claim.
  [ "$retention" = 1 ] && sleep 3
  stop_serve
  journal_size "$work/state" "$claims"
  [ "$lines" -ge "$claims" ] || { echo "serve_bench: only $lines of $claims report lines" >&2; exit 1; }
  python3 - "$work/outbox" "$claims" "$t0" "$t1" "$t2" <<'PY'
import json, pathlib, sys
outbox, n, t0, t1, t2 = pathlib.Path(sys.argv[1]), int(sys.argv[2]), *map(float, sys.argv[3:])
lines = [json.loads(l) for l in (outbox / "report.ndjson").read_text().splitlines()]
claim_ids = {line.get("claim_id") for line in lines}
clm = 0
for path in outbox.glob("*.837"):
    text = path.read_text()
    separator, terminator = text[3], text[105]
    clm += sum(1 for s in text.split(terminator) if s.strip("\r\n").startswith("CLM" + separator))
print(f"encounters posted: {n} transaction Bundles (2 new resources each, {2 * n} in all, plus 9 shared "
      f"resources in every Bundle) in {t1 - t0:.2f} s = {n / (t1 - t0):.0f} Bundles/s, "
      f"{2 * n / (t1 - t0):.0f} new resources/s")
print(f"claims out: report.ndjson has {len(lines)} lines ({len(claim_ids)} claim ids) {t2 - t0:.2f} s after the first "
      f"POST; {clm} CLM segments in {len(list(outbox.glob('*.837')))} interchanges; "
      f"{n / (t2 - t0):.0f} claims/s and {2 * n / (t2 - t0):.0f} resources in -> claims out/s end to end")
PY
}

echo "# fhir837 serve benchmark ($(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo
[ "$soak" != 0 ] && duration=$((soak * 60))
echo "wrk -t$threads -c$connections -d${duration}s; daemon: $binary serve --state-dir TMP --listen 127.0.0.1:0 2>${SERVE_LOG:-/dev/null}"
echo

if [ "$soak" != 0 ]; then
  start_serve "$tmp/state"
  echo "soak: ${soak} min of POST return=minimal, daemon pid $serve_pid; VmRSS every 10 s"
  echo
  wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s -s bench/serve_post.lua \
    "$serve_url" -- minimal soak >"$tmp/soak.wrk" 2>&1 &
  wrk_pid=$!
  echo "| t (s) | VmRSS (KiB) |"
  echo "|---:|---:|"
  t=0
  while kill -0 "$wrk_pid" 2>/dev/null; do
    echo "| $t | $(awk '/^VmRSS/ {print $2}' "/proc/$serve_pid/status") |"
    sleep 10
    t=$((t + 10))
  done
  wait "$wrk_pid"
  echo
  echo "| Run | req/s | p50 (ms) | p99 (ms) | 2xx | non-2xx | % of nginx |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  row "daemon: POST, return=minimal (soak)" "$tmp/soak.wrk"
  stop_serve
  rows=$(journal_rows "$tmp/state")
  acked=$(ok_count "$tmp/soak.wrk")
  echo
  echo "journal: $rows versions stored; wrk saw $acked 2xx"
  [ "$acked" -le "$rows" ] || { echo "FAIL: more 2xx than stored versions" >&2; exit 1; }
  exit 0
fi

if [ "$tls" = 1 ]; then
  tls_run
  exit 0
fi

if [ "$only_claims" = 1 ]; then
  claims_run
  exit 0
fi

start_nginx
wrk_run nginx "http://127.0.0.1:$nginx_port/static.json" bench/wrk_report.lua
stop_nginx
nginx_rps=$(rps "$(field "$tmp/nginx.wrk" requests)" "$(field "$tmp/nginx.wrk" duration_us)")

start_serve "$tmp/state"
wrk_run minimal "$serve_url" bench/serve_post.lua minimal min
wrk_run default "$serve_url" bench/serve_post.lua default def
wrk_run bundle "$serve_url" bench/serve_post.lua bundle bun
stop_serve

echo "| Run | req/s | p50 (ms) | p99 (ms) | 2xx | non-2xx | % of nginx |"
echo "|---|---:|---:|---:|---:|---:|---:|"
row "nginx: GET 300-byte static file" "$tmp/nginx.wrk"
row "daemon: POST MedicationAdministration, Prefer: return=minimal" "$tmp/minimal.wrk" "$nginx_rps"
row "daemon: POST MedicationAdministration, no Prefer (resource returned)" "$tmp/default.wrk" "$nginx_rps"
bundle_row

rows=$(journal_rows "$tmp/state")
acked=$(($(ok_count "$tmp/minimal.wrk") + $(ok_count "$tmp/default.wrk")))
[ -f "$tmp/bundle.wrk" ] && acked=$((acked + 2 * $(ok_count "$tmp/bundle.wrk")))
echo
echo "journal after SIGTERM (exit 0): $rows versions stored; wrk saw $acked 2xx"
if [ "$acked" -gt "$rows" ]; then
  echo "FAIL: more acknowledged POSTs than stored versions" >&2
  exit 1
fi
echo "durable: every acknowledged POST is a stored version"
echo
echo "load average before the claims run: $(cut -d' ' -f1-3 /proc/loadavg)"
claims_run
