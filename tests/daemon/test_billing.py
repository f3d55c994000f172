"""`fhir837 serve` bills encounters as a client sees it: resources PUT one at a time, in any
order; $billing says where each event stands; the outbox holds valid interchanges and one report
line per claim; a stop and a restart lose nothing."""
import json
import os
import subprocess
import unittest

from serve_harness import (BINARY, Daemon, DaemonTestCase, EPOCH, bundle_resources, claims_of,
                           segments, SOURCE, shuffled, temp_dir, test_config, validate,
                           wait_until)

SAMPLE_01 = SOURCE / "samples/01-scig-95min-office/input.json"
SAMPLE_14 = SOURCE / "samples/14-second-pump-new-site-96371/input.json"


def record_icn(daemon, claim_id, icn):
    done = subprocess.run([BINARY, "record-icn", "--config", daemon.config, "--state-dir",
                           str(daemon.state), claim_id, icn], capture_output=True, text=True,
                          env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH))
    return done.returncode, done.stdout + done.stderr


def claim_segments(path):
    """(CLM, REF*F8 values, SV1 procedure codes) of each claim in an interchange."""
    out = []
    for segment in segments(path):
        elements = segment.split(segment[3] if segment.startswith("ISA") else "*")
        if elements[0] == "CLM":
            out.append([segment, [], []])
        elif elements[0] == "REF" and elements[1] == "F8" and out:
            out[-1][1].append(elements[2])
        elif elements[0] == "SV1" and out:
            out[-1][2].append(elements[1].split(":")[1] + " x" + elements[4])
    return out


def state_of(client, key):
    status = client.billing(key)
    return status["state"] if status else None


class BillingTest(DaemonTestCase):
    def billed_sample_01(self):
        """A daemon that has billed sample 01: (daemon, client, its administration, event key)."""
        daemon = self.daemon(bill_after="0s")
        client = daemon.client()
        resources = bundle_resources(SAMPLE_01)
        for resource in resources:
            client.put(resource)
        event = next(r for r in resources if r["resourceType"] == "MedicationAdministration")
        key = "MedicationAdministration/" + event["id"]
        wait_until(lambda: state_of(client, key) == "billed", 60, "billed")
        return daemon, client, event, key

    def test_an_event_that_arrives_first_waits_for_what_it_references(self):
        daemon = self.daemon(bill_after="0s")
        client = daemon.client()
        resources = bundle_resources(SAMPLE_01)
        event = next(r for r in resources if r["resourceType"] == "MedicationAdministration")
        encounter = next(r for r in resources if r["resourceType"] == "Encounter")
        self.assertEqual(client.put(event)[0], 201)
        self.assertEqual(client.put(encounter)[0], 201)  # finished: due at once
        key = "MedicationAdministration/" + event["id"]
        status = wait_until(lambda: (client.billing(key) or {}).get("state") == "pending"
                            and client.billing(key).get("rule") != "SERVE-WAIT"
                            and client.billing(key), 60, "the event is coded and waits")
        self.assertEqual(status["state"], "pending")
        self.assertIn("matches no resource", status["waitingFor"] if isinstance(
            status["waitingFor"], str) else " ".join(status["waitingFor"]))
        self.assertEqual(daemon.interchanges(), [])
        for resource in resources:
            if resource is not event and resource is not encounter:
                self.assertIn(client.put(resource)[0], (200, 201))
        billed = wait_until(lambda: state_of(client, key) == "billed" and client.billing(key), 60,
                            "billed once everything arrived")
        self.assertEqual(billed["claimId"], "INF20250310001")
        self.assertEqual(billed["interchangeControlNumber"], "000000001")
        self.assertEqual(billed["transactionSetControlNumber"], "0001")
        files = daemon.interchanges()
        self.assertEqual([f.name for f in files], [billed["interchangeFile"]])
        code, output = validate(files)
        self.assertEqual(code, 0, output)
        self.assertEqual(list(claims_of(files)), ["INF20250310001"])
        self.assertEqual(json.loads(billed["trail"])["claim_id"], "INF20250310001")
        # The report line is flushed after the status commits; stopping drains the flush.
        self.assertEqual(daemon.stop(), 0)
        lines = daemon.report_lines()
        self.assertEqual([line["claim_id"] for line in lines], ["INF20250310001"])

    def test_pending_becomes_needs_review_after_pending_timeout(self):
        daemon = self.daemon(bill_after="0s", pending_timeout="1s")
        client = daemon.client()
        resources = bundle_resources(SAMPLE_01)
        event = next(r for r in resources if r["resourceType"] == "MedicationAdministration")
        self.assertEqual(client.put(event)[0], 201)
        key = "MedicationAdministration/" + event["id"]
        status = wait_until(lambda: state_of(client, key) == "needs-review" and client.billing(key),
                            60, "needs review after the timeout")
        self.assertIn("waited longer than pending_timeout (1 s) for:", status["reason"])
        # The data arrives after all: the encounter is billed, once.
        for resource in resources:
            if resource is not event:
                client.put(resource)
        wait_until(lambda: state_of(client, key) == "billed", 60, "billed after review data came")
        self.assertEqual(daemon.stop(), 0)  # drains the report flush, which trails the status
        self.assertEqual(len(daemon.report_lines()), 1)

    def test_an_open_encounter_waits_and_bills_when_it_finishes(self):
        daemon = self.daemon(bill_after="1h")
        client = daemon.client()
        resources = bundle_resources(SAMPLE_01)
        encounter = next(r for r in resources if r["resourceType"] == "Encounter")
        open_encounter = dict(encounter, status="in-progress")
        open_encounter.pop("period", None)
        for resource in resources:
            client.put(open_encounter if resource is encounter else resource)
        key = next(f"MedicationAdministration/{r['id']}" for r in resources
                   if r["resourceType"] == "MedicationAdministration")
        status = client.billing(key)
        self.assertEqual(status["state"], "pending")
        self.assertEqual(status["rule"], "SERVE-WAIT")
        # A graceful stop and a restart keep it waiting; finishing the encounter bills it.
        self.assertEqual(daemon.stop(), 0)
        self.assertEqual(daemon.interchanges(), [])
        daemon.start()
        client = daemon.client()
        self.assertEqual(state_of(client, key), "pending")
        self.assertEqual(client.put(encounter)[0], 200)
        wait_until(lambda: state_of(client, key) == "billed", 60, "billed when finished")
        self.assertEqual(len(daemon.interchanges()), 1)

    def test_sending_everything_again_bills_nothing_again(self):
        daemon = self.daemon(bill_after="0s")
        client = daemon.client()
        resources = bundle_resources(SAMPLE_01)
        for resource in shuffled(resources, 1):
            client.put(resource)
        key = next(f"MedicationAdministration/{r['id']}" for r in resources
                   if r["resourceType"] == "MedicationAdministration")
        wait_until(lambda: state_of(client, key) == "billed", 60, "billed")
        self.assertEqual(daemon.stop(), 0)
        daemon.start()
        client = daemon.client()
        for resource in shuffled(resources, 2):
            self.assertEqual(client.put(resource)[0], 200)
        # A changed Encounter (new version) makes its group due again: still billed once.
        encounter = next(r for r in resources if r["resourceType"] == "Encounter")
        self.assertEqual(client.put(dict(encounter, language="en"))[0], 200)
        wait_until(lambda: daemon.stop() == 0, 120, "stopped")
        self.assertEqual(len(daemon.interchanges()), 1)
        self.assertEqual(len(daemon.report_lines()), 1)

    def test_changed_billed_facts_wait_for_the_payer_number_then_replace_the_claim(self):
        daemon, client, event, key = self.billed_sample_01()
        # The same facts again (a note is no billable fact): nothing to replace.
        self.assertEqual(client.put(dict(event, note=[{"text": "pump alarm at 09:40"}]))[0], 200)
        # The end time corrected: 95 -> 151 minutes bills another 96370.
        longer = json.loads(json.dumps(event))
        longer["effectivePeriod"]["end"] = "2025-03-10T11:31:00-05:00"
        self.assertEqual(client.put(longer)[0], 200)
        review = wait_until(lambda: state_of(client, key) == "needs-review" and
                            client.billing(key), 60, "the change needs the payer number")
        self.assertEqual(review["rule"], "SERVE-REPLACE")
        self.assertIn("record it with `fhir837 record-icn INF20250310001 <ICN>`", review["reason"])
        self.assertEqual(len(daemon.interchanges()), 1)
        code, output = record_icn(daemon, "INF20250310001", "PAYERICN7781")
        self.assertEqual(code, 0, output)
        billed = wait_until(lambda: (client.billing(key) or {}).get("rule") == "SERVE-REPLACE" and
                            client.billing(key)["state"] == "billed" and client.billing(key),
                            60, "the replacement is sent")
        files = daemon.interchanges()
        self.assertEqual(len(files), 2)
        self.assertEqual(billed["interchangeFile"], files[1].name)
        original, replacement = claim_segments(files[0])[0], claim_segments(files[1])[0]
        self.assertIn("*11:B:1*", original[0])
        self.assertIn("*11:B:7*", replacement[0])
        self.assertEqual(replacement[1], ["PAYERICN7781"])
        self.assertEqual(original[2], ["96369 x1", "96370 x1", "J1559 x100"])
        self.assertEqual(replacement[2], ["96369 x1", "96370 x2", "J1559 x100"])
        code, output = validate(files)
        self.assertEqual(code, 0, output)
        # Sent once: a restart and the same data again send nothing more.
        self.assertEqual(daemon.stop(), 0)
        daemon.start()
        client = daemon.client()
        self.assertEqual(client.put(longer)[0], 200)
        self.assertEqual(daemon.stop(), 0)
        self.assertEqual(len(daemon.interchanges()), 2)
        self.assertEqual([line["claim_id"] for line in daemon.report_lines()],
                         ["INF20250310001", "INF20250310001"])

    def test_an_event_after_billing_replaces_the_claim_never_a_second_96369(self):
        daemon = self.daemon(bill_after="0s")
        client = daemon.client()
        resources = bundle_resources(SAMPLE_14)
        late = next(r for r in resources if r["id"] == "ma-second-site-14")
        for resource in resources:
            if resource is not late:
                client.put(resource)
        wait_until(lambda: state_of(client, "MedicationAdministration/ma-14") == "billed", 60,
                   "the first event billed")
        code, output = record_icn(daemon, "INF20250310014", "ICN14")
        self.assertEqual(code, 0, output)
        self.assertEqual(client.put(late)[0], 201)
        late_key = "MedicationAdministration/ma-second-site-14"
        wait_until(lambda: state_of(client, late_key) == "billed", 60, "the late event billed")
        files = daemon.interchanges()
        self.assertEqual(len(files), 2)
        first, second = claim_segments(files[0])[0], claim_segments(files[1])[0]
        self.assertEqual(first[2], ["96369 x1", "J1559 x100"])
        self.assertEqual(second[2], ["96369 x1", "J1559 x100", "96371 x1", "J1559 x40"])
        self.assertEqual(second[1], ["ICN14"])
        self.assertIn("*11:B:7*", second[0])
        code, output = validate(files)
        self.assertEqual(code, 0, output)

    def test_concurrent_identical_sends_bill_once(self):
        daemon = self.daemon(bill_after="0s")
        resources = bundle_resources(SAMPLE_01)
        statuses = []

        def engine(seed):
            client = daemon.client()
            for resource in shuffled(resources, seed):
                statuses.append(client.request(
                    "POST", f"/fhir/{resource['resourceType']}", json.dumps(resource),
                    {"Content-Type": "application/fhir+json", "Prefer": "return=minimal"})[0])
            client.close()

        import threading
        engines = [threading.Thread(target=engine, args=(seed,)) for seed in range(8)]
        for thread in engines:
            thread.start()
        for thread in engines:
            thread.join()
        self.assertEqual(statuses.count(201), len(resources))
        self.assertEqual(statuses.count(200), 7 * len(resources))
        client = daemon.client()
        key = next(f"MedicationAdministration/{r['id']}" for r in resources
                   if r["resourceType"] == "MedicationAdministration")
        wait_until(lambda: state_of(client, key) == "billed", 60, "billed")
        self.assertEqual(daemon.stop(), 0)
        self.assertEqual(len(daemon.interchanges()), 1)
        self.assertEqual(list(claims_of(daemon.interchanges())), ["INF20250310001"])
        self.assertEqual(len(daemon.report_lines()), 1)

    def test_entered_in_error_after_billing_is_voided_once_the_payer_number_is_known(self):
        daemon, client, event, key = self.billed_sample_01()
        self.assertEqual(client.put(dict(event, status="entered-in-error"))[0], 200)
        review = wait_until(lambda: state_of(client, key) == "needs-review" and
                            client.billing(key), 60, "the void waits for the payer number")
        self.assertEqual(review["rule"], "VOID-D6")
        self.assertIn("record-icn", review["reason"])
        code, output = record_icn(daemon, "INF20250310001", "ICN-VOID-1")
        self.assertEqual(code, 0, output)
        voided = wait_until(lambda: state_of(client, key) == "not-billable" and
                            client.billing(key), 60, "voided")
        self.assertEqual(voided["rule"], "VOID-D6")
        files = daemon.interchanges()
        self.assertEqual(len(files), 2)
        void = claim_segments(files[1])[0]
        self.assertIn("*11:B:8*", void[0])
        self.assertEqual(void[1], ["ICN-VOID-1"])
        self.assertEqual(daemon.stop(), 0)
        daemon.start()
        self.assertEqual(daemon.stop(), 0)
        self.assertEqual(len(daemon.interchanges()), 2)
        code, output = validate(files)
        self.assertEqual(code, 0, output)

    def test_billing_of_an_unknown_event_is_404_and_of_another_type_is_refused(self):
        daemon = self.daemon(bill_after="0s")
        client = daemon.client()
        status, _, body = client.request("GET", "/fhir/MedicationAdministration/none/$billing")
        self.assertEqual(status, 404)
        self.assertIn("MedicationAdministration/none is not known here", body)
        status, _, body = client.request("GET", "/fhir/Patient/p1/$billing")
        self.assertEqual(status, 404)
        self.assertIn("$billing is defined for MedicationAdministration and Procedure only", body)


if __name__ == "__main__":
    unittest.main()
