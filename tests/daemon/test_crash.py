"""Crash test: a client posts a few hundred encounters over many connections while the daemon is
killed with SIGKILL at 20+ moments spread over the run (counted in acknowledged requests, not
timed) and restarted; the client re-sends whatever was not acknowledged. At the end every
acknowledged resource is in the journal, every encounter is billed exactly once, no control
number repeats, and every interchange passes `fhir837 validate`."""
import collections
import http.client
import json
import os
import pathlib
import threading
import unittest

from serve_harness import (Client, Daemon, JSON, claims_of, many_encounters, segments, shuffled,
                           temp_dir, test_config, validate, wait_until)

ENCOUNTERS = int(os.environ.get("FHIR837_CRASH_ENCOUNTERS", "300"))
KILLS = 24
CONNECTIONS = 8


class CrashTest(unittest.TestCase):
    def test_sigkill_during_load_loses_nothing_and_bills_once(self):
        with temp_dir() as work:
            work = pathlib.Path(work)
            daemon = Daemon(work, test_config(work, bill_after="0s")).start()
            resources = shuffled(many_encounters(ENCOUNTERS), 7)
            queue = collections.deque(resources)
            acknowledged = []
            lock = threading.Condition()
            state = {"port": daemon.port, "generation": 0, "done": False}

            def worker():
                connection, generation = None, -1
                while True:
                    with lock:
                        if not queue:
                            if connection:
                                connection.close()
                            return
                        resource = queue.popleft()
                        if generation != state["generation"] or connection is None:
                            if connection:
                                connection.close()
                            connection = http.client.HTTPConnection("127.0.0.1", state["port"],
                                                                    timeout=30)
                            generation = state["generation"]
                    try:
                        connection.request(
                            "PUT", f"/fhir/{resource['resourceType']}/{resource['id']}",
                            json.dumps(resource), dict(JSON, Prefer="return=minimal"))
                        response = connection.getresponse()
                        response.read()
                        ok = response.status in (200, 201)
                    except (OSError, http.client.HTTPException):
                        ok = False
                    with lock:
                        if ok:
                            acknowledged.append(resource)
                            lock.notify_all()
                        else:  # not acknowledged: the engine sends it again
                            queue.append(resource)
                            connection.close()
                            connection = None
                            lock.wait(0.05)  # let the restart publish its port

            threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
            for thread in threads:
                thread.start()
            kills = 0
            total = len(resources)
            for kill in range(1, KILLS + 1):
                threshold = total * kill // (KILLS + 1)
                with lock:
                    if not lock.wait_for(lambda: len(acknowledged) >= threshold, timeout=300):
                        self.fail(f"no progress to {threshold} acknowledged requests")
                daemon.kill()
                kills += 1
                daemon.start()
                with lock:
                    state["port"] = daemon.port
                    state["generation"] += 1
                    lock.notify_all()
            for thread in threads:
                thread.join(timeout=600)
            self.assertGreaterEqual(kills, 20)
            self.assertEqual(len({(r["resourceType"], r["id"]) for r in acknowledged}), total)

            client = daemon.client()
            for resource in acknowledged:
                status, _, _ = client.request(
                    "GET", f"/fhir/{resource['resourceType']}/{resource['id']}")
                self.assertEqual(status, 200, resource["id"])
            events = [f"MedicationAdministration/{r['id']}" for r in resources
                      if r["resourceType"] == "MedicationAdministration"]

            def all_billed():
                return all((client.billing(key) or {}).get("state") == "billed" for key in events)

            wait_until(all_billed, int(os.environ.get("FHIR837_CRASH_WAIT", "300")), "every encounter billed")
            client.close()
            self.assertEqual(daemon.stop(), 0)
            daemon.close()

            files = daemon.interchanges()
            claims = claims_of(files)
            expected = {"INF2025031" + str(1000 + i) for i in range(ENCOUNTERS)}
            self.assertEqual(set(claims), expected)
            twice = {claim: len(copies) for claim, copies in claims.items() if len(copies) != 1}
            self.assertEqual(twice, {}, "claims billed more than once")
            control_numbers = [segments(f)[0].split(segments(f)[0][3])[13] for f in files]
            self.assertEqual(len(control_numbers), len(set(control_numbers)))
            code, output = validate(files)
            self.assertEqual(code, 0, output[-2000:])
            report = [line["claim_id"] for line in daemon.report_lines()]
            self.assertEqual(sorted(report), sorted(expected), "one report line per claim")
            leftovers = [p.name for p in daemon.outbox.iterdir() if p.name.endswith(".tmp")]
            self.assertEqual(leftovers, [])


if __name__ == "__main__":
    unittest.main()
