#!/usr/bin/env python3
"""Drives `fhir837 serve` (the TSan build in scripts/tsan.sh) with concurrent identical POSTs over
several keep-alive connections: every response must be 201 once per resource and 200 for every
repeat, SIGTERM must exit 0, and stderr must hold no ThreadSanitizer report."""
import collections
import http.client
import json
import pathlib
import signal
import subprocess
import sys
import tempfile
import threading

binary = sys.argv[1]
CONNECTIONS, POSTS, DISTINCT = 8, 25, 5

with tempfile.TemporaryDirectory() as state, tempfile.TemporaryFile() as err:
    daemon = subprocess.Popen([binary, "serve", "--state-dir", state, "--listen", "127.0.0.1:0"],
                              stdout=subprocess.PIPE, stderr=err, text=True)
    line = daemon.stdout.readline().strip()  # the daemon's first line; EOF if it died
    prefix = "listening on http://127.0.0.1:"
    if not line.startswith(prefix):
        daemon.kill()
        sys.exit(f"serve race check: unexpected first line {line!r}")
    port = int(line[len(prefix):].split("/")[0])
    statuses = collections.Counter()
    lock = threading.Lock()

    def client(number):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for k in range(POSTS):
            body = json.dumps({"resourceType": "Patient", "id": f"p{k % DISTINCT}"})
            connection.request("POST", "/fhir/Patient", body,
                               {"Content-Type": "application/fhir+json"})
            response = connection.getresponse()
            response.read()
            with lock:
                statuses[response.status] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    daemon.send_signal(signal.SIGTERM)
    try:
        rc = daemon.wait(timeout=120)
    except subprocess.TimeoutExpired:
        daemon.kill()
        sys.exit("serve race check: no exit within 120 s of SIGTERM")
    err.seek(0)
    log = err.read().decode(errors="replace")
    expected = {201: DISTINCT, 200: CONNECTIONS * POSTS - DISTINCT}
    problems = []
    if dict(statuses) != expected:
        problems.append(f"statuses {dict(statuses)}, expected {expected}")
    if rc != 0:
        problems.append(f"exit {rc} after SIGTERM")
    if "ThreadSanitizer" in log:
        problems.append("ThreadSanitizer report:\n" + log[log.find("WARNING: ThreadSanitizer"):][:4000])
    if problems:
        sys.exit("serve race check: " + "; ".join(problems))
    print(f"tsan: serve: {CONNECTIONS} connections x {POSTS} POSTs clean, "
          f"{DISTINCT} created once, every repeat 200")

# Billing under load: encounters PUT on several connections while $billing is read on another;
# the billing thread codes rounds while the I/O and journal threads run.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests/daemon"))
import serve_harness  # noqa: E402

serve_harness.BINARY = binary
ENCOUNTERS = 40
with serve_harness.temp_dir() as work:
    daemon = serve_harness.Daemon(work, serve_harness.test_config(work, bill_after="0s")).start()
    resources = serve_harness.many_encounters(ENCOUNTERS)
    events = serve_harness.event_keys(resources)

    def sender(part):
        client = daemon.client()
        for resource in resources[part::4]:
            client.put(resource)
        client.close()

    def all_billed():
        client = daemon.client()
        done = all((client.billing(key) or {}).get("state") == "billed" for key in events)
        client.close()
        return done

    senders = [threading.Thread(target=sender, args=(n,)) for n in range(4)]
    for t in senders:
        t.start()
    for t in senders:
        t.join()
    serve_harness.wait_until(all_billed, 600, "every encounter billed under TSan")
    rc = daemon.stop(deadline=300)
    daemon.close()
    log = (pathlib.Path(work) / "daemon.log").read_text(errors="replace")
    claims = serve_harness.claims_of(daemon.interchanges())
    problems = []
    if rc != 0:
        problems.append(f"exit {rc} after SIGTERM")
    if len(claims) != ENCOUNTERS or any(len(c) != 1 for c in claims.values()):
        problems.append(f"{len(claims)} claims for {ENCOUNTERS} encounters")
    if "ThreadSanitizer" in log:
        problems.append("ThreadSanitizer report:\n" + log[log.find("WARNING: ThreadSanitizer"):][:4000])
    if problems:
        sys.exit("serve race check (billing): " + "; ".join(problems))
    print(f"tsan: serve billing: {ENCOUNTERS} encounters billed once each, clean")
