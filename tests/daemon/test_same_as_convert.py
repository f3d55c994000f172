"""The daemon is the batch pipeline: every sample, and the 400-encounter bulk fixture, sent one
resource at a time in a shuffled order (events before their Patient and Coverage, the Encounter
last) gives the same claims and the same outcome per event as `fhir837 convert` of the input."""
import json
import pathlib
import unittest

from serve_harness import (Daemon, bundle_resources, claims_of, convert, event_keys,
                           many_encounters, SOURCE, shuffled, temp_dir, test_config, validate,
                           wait_until, xml_bundle_resources)


def arrival_order(resources, seed):
    """Shuffled, but every Encounter after everything else: it finishes the encounter."""
    encounters = [r for r in resources if r["resourceType"] == "Encounter"]
    others = [r for r in resources if r["resourceType"] != "Encounter"]
    return shuffled(others, seed) + shuffled(encounters, seed + 1)


def convert_outcomes(report_path):
    report = json.loads(pathlib.Path(report_path).read_text())
    outcomes = {}
    for claim in report["claims"]:
        for event in claim["events"]:
            outcomes[event["event"]] = ("billed", "")
    for item in report["not_billed"]:
        outcomes.setdefault(item["event"], (item["outcome"], item["rule"]))
    return outcomes


class SameAsConvertTest(unittest.TestCase):
    def run_case(self, name, resources, seed):
        with temp_dir() as work:
            work = pathlib.Path(work)
            config = test_config(work, bill_after="0s")
            batch_input = work / "batch" / "resources.ndjson"
            batch_input.parent.mkdir()
            batch_input.write_text("".join(json.dumps(r) + "\n" for r in resources))
            code, batch_files = convert([batch_input], work / "convert", config)
            self.assertIn(code, (0, 1), name)
            expected = convert_outcomes(work / "convert/out/report.json")

            daemon = Daemon(work, config).start()
            try:
                client = daemon.client()
                for resource in arrival_order(resources, seed):
                    status = client.put(resource)[0]
                    self.assertIn(status, (200, 201), f"{name}: {resource['resourceType']}")
                client.close()
                # A stop codes whatever is due and retries what waits, then a restart reads the
                # decisions back.
                self.assertEqual(daemon.stop(), 0, name)
                daemon.start()
                client = daemon.client()
                actual = {}
                for key in event_keys(resources):
                    status = client.billing(key)
                    state = status["state"] if status else "unknown"
                    state = "rejected" if state == "pending" else state
                    actual[key] = (state, "" if state == "billed" else status.get("rule", ""))
                client.close()
            finally:
                daemon.close()
            self.assertEqual(actual, {k: expected.get(k, ("absent", "")) for k in actual}, name)
            daemon_files = daemon.interchanges()
            self.assertEqual(claims_of(daemon_files), claims_of(batch_files), name)
            code, output = validate(daemon_files)
            self.assertEqual(code, 0, f"{name}: {output}")
            claim_ids = [line["claim_id"] for line in daemon.report_lines()]
            self.assertEqual(sorted(claim_ids), sorted(claims_of(batch_files)), name)

    def test_every_sample(self):
        samples = sorted(p.parent for p in (SOURCE / "samples").glob("*/input.json"))
        self.assertGreater(len(samples), 20)
        for number, sample in enumerate(samples):
            with self.subTest(sample=sample.name):
                self.run_case(sample.name, bundle_resources(sample / "input.json"), number)

    def test_xml_resources_give_the_claims_json_gives(self):
        sample = SOURCE / "samples/01-scig-95min-office"
        with temp_dir() as work:
            work = pathlib.Path(work)
            config = test_config(work, bill_after="0s")
            _, batch_files = convert([sample / "input.json"], work / "convert", config)
            daemon = Daemon(work, config).start()
            try:
                client = daemon.client()
                resources = xml_bundle_resources(sample / "input.xml")
                for kind, rid, text in shuffled(resources, 3):
                    status, _, body = client.request(
                        "PUT", f"/fhir/{kind}/{rid}", text,
                        {"Content-Type": "application/fhir+xml", "Prefer": "return=minimal"})
                    self.assertIn(status, (200, 201), body)
                key = next(f"{k}/{i}" for k, i, _ in resources if k == "MedicationAdministration")
                wait_until(lambda: (client.billing(key) or {}).get("state") == "billed", 60,
                           "the XML encounter is billed")
                client.close()
                self.assertEqual(daemon.stop(), 0)
            finally:
                daemon.close()
            self.assertEqual(claims_of(daemon.interchanges()), claims_of(batch_files))

    def test_the_400_encounter_bulk_fixture(self):
        resources = many_encounters(400)
        self.run_case("bulk-400", resources, 400)


if __name__ == "__main__":
    unittest.main()
