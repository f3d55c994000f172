#!/usr/bin/env bash
# Scale-out benchmark (issue 12): durable resources/s and claims/s of `fhir837 serve` with 1, 2
# and 3 instances over a fresh 3-node NATS JetStream cluster (R3) on this machine, and the
# single-node daemon (no [cluster]) as the baseline (docs/performance.md, "Scale-out").
#
#   bash bench/cluster_bench.sh [--binary PATH] [--patients N] [--clients N] [--instances "1 2 3"]
#
# Builds nothing: the binary defaults to build/release/fhir837. Needs nats-server and python3.
# Each row: a fresh NATS cluster and fresh daemons (bill_after = "1h"; every Encounter is
# finished, so it is billed as soon as its owner has it), the shared reference data, then
# --patients patients (8 PUTs each: Patient, Coverage, Condition, then 2 encounters, one with 1
# and one with 2 MedicationAdministrations, each closed by its finished Encounter) PUT by
# --clients Python threads, round-robin over the instances
# (tests/daemon/cluster_harness.py). "durable resources/s": PUTs answered 2xx (each answered only
# after the stream stored it on 2 of 3 nodes) per second of the load; "claims/s": encounters per
# second from the first PUT until every claim is in an outbox. Every row is then checked like
# the tests check: each encounter billed exactly once across the outboxes, no ISA13 twice, every
# file valid; a row that fails the check fails the run. Client CPU is printed: the Python client
# shares the machine's cores with the daemons and the three nats-servers.
set -euo pipefail
cd "$(dirname "$0")/.."

binary=build/release/fhir837
patients=1000
clients=16
instances="1 2 3"
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --patients) patients=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --instances) instances=$2; shift 2 ;;
    -h|--help) sed -n 2,21p "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v nats-server >/dev/null || { echo "cluster_bench: nats-server missing (bash scripts/setup.sh)" >&2; exit 2; }
[ -x "$binary" ] || { echo "cluster_bench: no binary at $binary (build the release preset)" >&2; exit 2; }
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")

echo "# fhir837 scale-out benchmark ($(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo
echo "$binary; $patients patients ($((2 * patients)) encounters), $clients client threads; nats-server $(nats-server --version | sed 's/.*v//'), 3 nodes on loopback, R3"
echo

FHIR837_BINARY=$binary PYTHONDONTWRITEBYTECODE=1 python3 - "$patients" "$clients" $instances <<'PY'
import os, sys, tempfile, time
sys.path.insert(0, "tests/daemon")
from cluster_harness import Instances, Poster, SHARED, all_encounters, generate, resource_count
from nats_cluster import NatsCluster

patients, clients, counts = int(sys.argv[1]), int(sys.argv[2]), [int(n) for n in sys.argv[3:]]
rows, failed = [], False


def run(count, clustered):
    global failed
    work = tempfile.mkdtemp(prefix="cluster-bench-")
    nats = NatsCluster().start() if clustered else None
    urls = [node.url for node in nats.nodes] if nats else None
    instances = Instances(work, count, urls, bill_after="1h")
    try:
        instances.start()
        people = generate(patients)
        encounters = all_encounters(people)
        poster = Poster(instances.ports(), threads=clients)
        assert poster.post_resources(SHARED), poster.errors
        cpu0, t0 = os.times(), time.monotonic()
        poster.post_patients(people).join(1800)
        posted = time.monotonic() - t0
        cpu = sum(os.times()[:2]) - sum(cpu0[:2])
        outboxes = instances.outboxes()
        outboxes.wait_billed([e.claim_id for e in encounters], 1800)
        billed = time.monotonic() - t0
        codes = instances.stop()
        problems = poster.errors[:3] + outboxes.problems(encounters)
        if set(codes.values()) != {0}:
            problems.append(f"exit codes {codes}")
        if problems:
            failed = True
            print(f"FAIL ({count} instances): {problems}", file=sys.stderr)
        label = f"{count} instance{'s' if count > 1 else ''}" if clustered else "single node, no [cluster]"
        n = resource_count(people)
        rows.append(f"| {label} | {n} | {posted:.1f} | {n / posted:.0f} | {len(encounters)} | "
                    f"{billed:.1f} | {len(encounters) / billed:.0f} | {cpu / posted * 100:.0f} % | "
                    f"{'ok' if not problems else 'FAILED'} |")
        print(rows[-1], file=sys.stderr, flush=True)
    finally:
        instances.close()
        if nats:
            nats.stop()


run(1, clustered=False)
for count in counts:
    run(count, clustered=True)
print("| Run | PUTs | load (s) | durable resources/s | claims | all billed (s) | claims/s | "
      "client CPU | exactly once, ISA13, valid |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
print("\n".join(rows))
sys.exit(1 if failed else 0)
PY
