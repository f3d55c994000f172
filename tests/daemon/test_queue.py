"""`fhir837 queue` on a real daemon's state: the review queue and the dead letter listed, shown,
retried (billed exactly once) and dropped with a recorded reason, with the daemon running and
stopped; and journal retention: bodies of billed encounters pruned, the database bounded, an old
resource sent again still recognised and never billed twice."""
import json
import os
import pathlib
import re
import sqlite3
import subprocess
import unittest

from auth_harness import TokenClient, new_token
from serve_harness import (BINARY, Daemon, DaemonTestCase, EPOCH, JSON, SOURCE, bundle_resources,
                           many_encounters, segments, temp_dir, test_config, wait_until)

SAMPLE_41 = SOURCE / "samples/41-future-service-date-needs-review/input.json"
# 2025-03-12: sample 41's service date (2025-03-13) is in the future for this clock.
BEFORE_SERVICE = "1741737600"


def transaction_if_match(version, active):
    """A transaction that updates Patient/dl-p1 only if it is at `version`."""
    return ('{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":'
            f'"Patient","id":"dl-p1","active":{active}}},"request":{{"method":"PUT","url":'
            f'"Patient/dl-p1","ifMatch":"W/\\"{version}\\""}}}}]}}')


def claims(daemon):
    return sum(1 for path in daemon.interchanges() for s in segments(path) if s.startswith("CLM*"))


def state_of(client, key):
    status = client.billing(key)
    return status["state"] if status else None


def patient(gender):
    return {"resourceType": "Patient", "id": "dl-p1", "gender": gender}


class QueueTest(DaemonTestCase):
    def queue(self, daemon, *args):
        done = subprocess.run([BINARY, "queue", args[0], "--config", daemon.config, "--state",
                               str(daemon.state), *args[1:]], capture_output=True, text=True,
                              env=dict(os.environ, USER="ops1"))
        return done.returncode, done.stdout, done.stderr

    def sample_41_in_review(self):
        """A daemon whose clock is before sample 41's service date: DOS-FUTURE, needs review."""
        daemon = self.daemon(env={"SOURCE_DATE_EPOCH": BEFORE_SERVICE}, bill_after="0s")
        client = daemon.client()
        for resource in bundle_resources(SAMPLE_41):
            self.assertIn(client.put(resource)[0], (200, 201))
        key = "MedicationAdministration/ma-41"
        review = wait_until(lambda: state_of(client, key) == "needs-review" and client.billing(key),
                            60, "DOS-FUTURE needs review")
        self.assertEqual(review["rule"], "DOS-FUTURE")
        return daemon, client, key, review

    def test_a_review_item_is_listed_shown_and_billed_once_after_a_retry_while_running(self):
        daemon, client, key, review = self.sample_41_in_review()
        code, out, err = self.queue(daemon, "list")
        self.assertEqual(code, 0, err)
        self.assertRegex(out, r"^review\treview:MedicationAdministration/ma-41\tDOS-FUTURE\t\d+s\t" +
                         re.escape(review["reason"]) + "\n$")
        code, out, err = self.queue(daemon, "show", "review:" + key)
        self.assertEqual(code, 0, err)
        shown = json.loads(out)
        self.assertEqual((shown["kind"], shown["rule"], shown["state"], shown["reason"]),
                         ("review", "DOS-FUTURE", "open", review["reason"]))
        self.assertEqual(shown["group"], "Encounter/enc-41")
        self.assertEqual(shown["trail"]["outcome"], "needs-review")
        # The clock is fixed (a restart); the settled decision stays until someone retries.
        self.assertEqual(daemon.stop(), 0)
        daemon.env["SOURCE_DATE_EPOCH"] = EPOCH
        daemon.start()
        client = daemon.client()
        self.assertEqual(state_of(client, key), "needs-review")
        code, out, err = self.queue(daemon, "retry", "review:" + key)
        self.assertEqual((code, out), (0, "review:MedicationAdministration/ma-41: retry done: due "
                                          "again: Encounter/enc-41 is coded in the billing "
                                          "thread's next round\n"), err)
        wait_until(lambda: state_of(client, key) == "billed", 60, "billed after the retry")
        self.assertEqual(self.queue(daemon, "list")[1], "")
        code, _, err = self.queue(daemon, "retry", "review:" + key)
        self.assertEqual(code, 1)
        self.assertIn("no such item in the queue (billed, or never there)", err)
        self.assertEqual(daemon.stop(), 0)
        daemon.start()
        self.assertEqual(daemon.stop(), 0)
        self.assertEqual(claims(daemon), 1)
        self.assertEqual(len(daemon.report_lines()), 1)

    def test_a_review_item_retried_while_stopped_is_billed_once_at_the_next_start(self):
        daemon, client, key, _ = self.sample_41_in_review()
        self.assertEqual(daemon.stop(), 0)
        code, out, err = self.queue(daemon, "retry", "review:" + key)
        self.assertEqual((code, out), (0, "review:MedicationAdministration/ma-41: retry done: due "
                                          "again: Encounter/enc-41 is coded when the daemon "
                                          "starts\n"), err)
        daemon.env["SOURCE_DATE_EPOCH"] = EPOCH
        daemon.start()
        client = daemon.client()
        wait_until(lambda: state_of(client, key) == "billed", 60, "billed after the restart")
        self.assertEqual(daemon.stop(), 0)
        self.assertEqual(claims(daemon), 1)

    def test_dead_letters_are_dropped_with_a_reason_and_retried_once_the_data_is_there(self):
        daemon = self.daemon(bill_after="0s")
        client = daemon.client()
        status, _, _ = client.request("POST", "/fhir/Observation",
                                      '{"resourceType":"Observation","status":"final"}', JSON)
        self.assertEqual(status, 404)
        self.assertEqual(client.put(patient("female"))[0], 201)
        status, _, _ = client.request("POST", "/fhir", transaction_if_match(2, 'true'), JSON)
        self.assertEqual(status, 412)
        code, out, err = self.queue(daemon, "list")
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 2, out)
        self.assertRegex(lines[0], r"^dead-letter\tdead:1\tnot-supported\t\d+s\tresource type "
                                   r"Observation is not supported$")
        self.assertRegex(lines[1], r"^dead-letter\tdead:2\tprocessing\t\d+s\tIf-Match names "
                                   r"version 2, the current version is 1; nothing in the "
                                   r"transaction was stored$")
        shown = json.loads(self.queue(daemon, "show", "dead:2", "--body")[1])
        self.assertEqual((shown["httpStatus"], shown["method"], shown["target"], shown["bodyBytes"],
                          shown["body"]), (412, "POST", "/fhir", len(transaction_if_match(2, 'true')),
                                           transaction_if_match(2, 'true')))
        self.assertNotIn("body", json.loads(self.queue(daemon, "show", "dead:2")[1]))

        code, out, err = self.queue(daemon, "drop", "dead:1", "--reason", "lab feed misrouted")
        self.assertEqual((code, out), (0, "dead:1: drop done: dropped\n"), err)
        self.assertEqual([l.split("\t")[1] for l in self.queue(daemon, "list")[1].splitlines()],
                         ["dead:2"])
        everything = json.loads(self.queue(daemon, "list", "--all", "--json")[1])["items"]
        dropped = next(item for item in everything if item["id"] == "dead:1")
        self.assertEqual((dropped["state"], dropped["markedBy"], dropped["markReason"]),
                         ("dropped", "cli:ops1", "lab feed misrouted"))
        self.assertEqual(self.queue(daemon, "retry", "dead:1")[0], 1)

        # Still version 1: refused again, with the new reason; the letter stays.
        code, out, _ = self.queue(daemon, "retry", "dead:2")
        self.assertEqual((code, out), (1, "dead:2: retry failed: Patient/dl-p1 precondition failed"
                                          " (If-Match names version 2, the current version is 1):"
                                          " nothing was stored\n"))
        self.assertEqual(client.put(patient("male"))[0], 200)
        code, out, err = self.queue(daemon, "retry", "dead:2")
        self.assertEqual((code, out), (0, "dead:2: retry done: stored: Patient/dl-p1 updated\n"),
                         err)
        self.assertEqual(client.request("GET", "/fhir/Patient/dl-p1")[1]["ETag"], 'W/"3"')
        self.assertEqual(self.queue(daemon, "list")[1], "")
        everything = json.loads(self.queue(daemon, "list", "--all", "--json")[1])["items"]
        self.assertEqual([(i["id"], i["state"]) for i in everything],
                         [("dead:1", "dropped"), ("dead:2", "retried")])

        # With the daemon stopped the command takes the body in itself.
        status, _, _ = client.request("POST", "/fhir", transaction_if_match(4, 'false'), JSON)
        self.assertEqual(status, 412)
        self.assertEqual(client.put(patient("unknown"))[0], 200)
        self.assertEqual(daemon.stop(), 0)
        code, out, err = self.queue(daemon, "retry", "dead:3")
        self.assertEqual((code, out), (0, "dead:3: retry done: stored: Patient/dl-p1 updated\n"),
                         err)
        daemon.start()
        self.assertEqual(daemon.client().request("GET", "/fhir/Patient/dl-p1")[1]["ETag"], 'W/"5"')


class AdminQueueOverHttpTest(unittest.TestCase):
    """The same queue over HTTP, mounted by `serve` under /admin/queue behind the admin scope."""

    def setUp(self):
        self.temp = temp_dir()
        self.work = pathlib.Path(self.temp.name)
        tokens = self.work / "tokens"
        self.admin = new_token(tokens, "admin", "ops-desk")
        self.engine = new_token(tokens, "fhir:write,fhir:read", "engine-A")
        self.daemon = Daemon(self.work, test_config(self.work, tokens=str(tokens))).start()

    def tearDown(self):
        self.daemon.close()
        self.temp.cleanup()

    def test_admins_list_and_drop_what_an_engine_cannot_see(self):
        engine = TokenClient(self.daemon.port, self.engine)
        admin = TokenClient(self.daemon.port, self.admin)
        status, _, _ = engine.request("POST", "/fhir/Observation",
                                      '{"resourceType":"Observation","status":"final"}', JSON)
        self.assertEqual(status, 404)
        self.assertEqual(engine.request("GET", "/admin/queue")[0], 403)
        status, _, body = admin.request("GET", "/admin/queue")
        self.assertEqual(status, 200)
        items = json.loads(body)["items"]
        self.assertEqual([(i["id"], i["kind"], i["rule"], i["state"]) for i in items],
                         [("dead:1", "dead-letter", "not-supported", "open")])
        status, _, body = admin.request("POST", "/admin/queue/dead:1/drop", "{}", JSON)
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body)["issue"][0]["diagnostics"],
                         'a drop needs a reason: {"reason": "..."}')
        status, _, body = admin.request("POST", "/admin/queue/dead:1/drop",
                                        '{"reason":"lab feed misrouted"}', JSON)
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(admin.request("GET", "/admin/queue")[2])["items"], [])
        dropped = json.loads(admin.request("GET", "/admin/queue?all=true")[2])["items"][0]
        self.assertEqual((dropped["state"], dropped["markReason"], dropped["markedBy"]),
                         ("dropped", "lab feed misrouted", "http:token:ops-desk"))


class RetentionTest(unittest.TestCase):
    def setUp(self):
        self.temp = temp_dir()
        self.work = self.temp.name

    def tearDown(self):
        self.daemon.close()
        self.temp.cleanup()

    def body_bytes(self):
        with sqlite3.connect(f"file:{self.daemon.state / 'journal.sqlite'}?mode=ro", uri=True) as db:
            return db.execute("SELECT COALESCE(SUM(length(body)), 0), "
                              "SUM(length(body) = 0) FROM versions").fetchone()

    def test_bodies_of_billed_encounters_are_pruned_and_an_old_resource_is_still_known(self):
        self.daemon = Daemon(self.work, test_config(self.work, bill_after="0s",
                                                    keep_journal_for="1s", prune_every="1s"))
        daemon = self.daemon.start()
        client = daemon.client()
        rounds, per_round = 4, 10
        kept_after = []
        for r in range(rounds):
            resources = many_encounters(per_round, first=1000 + per_round * r)
            for resource in resources:
                self.assertIn(client.put(resource)[0], (200, 201))
            wait_until(lambda: len(daemon.report_lines()) == per_round * (r + 1), 120,
                       f"round {r} billed")
            # Every encounter and administration of the rounds so far pruned.
            wait_until(lambda: self.body_bytes()[1] >= 2 * per_round * (r + 1), 60,
                       f"round {r} pruned")
            kept_after.append(self.body_bytes()[0])
        # Bounded: what is kept after the last round is no more than after the first.
        self.assertLessEqual(max(kept_after[1:]), kept_after[0], kept_after)
        # The first round's administration sent again: recognised (200, not 201), not billed.
        first = next(r for r in many_encounters(1) if r["id"] == "ma-1000")
        status, _, body = client.request("GET", "/fhir/MedicationAdministration/ma-1000")
        self.assertEqual(status, 410)
        self.assertEqual(json.loads(body)["issue"][0]["diagnostics"],
                         "MedicationAdministration/ma-1000 version 1: its content was pruned by "
                         "[serve] keep_journal_for")
        self.assertEqual(client.put(first)[0], 200)
        # The same content again restores the body.
        status, _, body = client.request("GET", "/fhir/MedicationAdministration/ma-1000")
        self.assertEqual((status, json.loads(body)["id"]), (200, "ma-1000"))
        self.assertEqual(daemon.stop(), 0)
        self.assertEqual(len(daemon.report_lines()), rounds * per_round)
        self.assertEqual(claims(daemon), rounds * per_round)

    def test_a_late_event_of_a_pruned_encounter_needs_review_until_its_data_is_sent_again(self):
        self.daemon = Daemon(self.work, test_config(self.work, bill_after="0s",
                                                    keep_journal_for="1s", prune_every="1s"))
        daemon = self.daemon.start()
        client = daemon.client()
        resources = many_encounters(1)
        for resource in resources:
            client.put(resource)
        wait_until(lambda: len(daemon.report_lines()) == 1, 60, "billed")
        wait_until(lambda: self.body_bytes()[1] >= 2, 60, "pruned")
        late = json.loads(json.dumps(next(r for r in resources if r["id"] == "ma-1000")))
        late["id"] = "ma-1000-late"
        self.assertEqual(client.put(late)[0], 201)
        key = "MedicationAdministration/ma-1000-late"
        review = wait_until(lambda: state_of(client, key) == "needs-review" and client.billing(key),
                            60, "the late event needs review")
        self.assertEqual(review["rule"], "SERVE-CLOSURE")
        self.assertRegex(review["reason"], r"^its encounter's resources cannot be gathered: "
                                           r"\w+/[\w-]+ is no longer kept \(keep_journal_for\): "
                                           r"send it again, then `fhir837 queue retry` the event$")
        self.assertEqual(len(daemon.report_lines()), 1)
        # Sent again (each 200, unchanged: their bodies are stored again), then retried.
        for resource in resources:
            self.assertEqual(client.put(resource)[0], 200)
        done = subprocess.run([BINARY, "queue", "retry", "--config", daemon.config, "--state",
                               str(daemon.state), "review:" + key], capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        # Coded with the whole encounter again: a late event of a billed claim is a replacement,
        # which waits for the payer's claim number; nothing was sent from partial data.
        after = wait_until(lambda: (client.billing(key) or {}).get("rule") != "SERVE-CLOSURE" and
                           client.billing(key), 60, "coded again with the data")
        self.assertEqual((after["state"], after["rule"]), ("needs-review", "SERVE-REPLACE"))
        self.assertEqual(daemon.stop(), 0)
        self.assertEqual(claims(daemon), 1)
