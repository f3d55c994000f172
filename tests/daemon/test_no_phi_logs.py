"""No PHI in the daemon's logs: every sample goes through a daemon with authentication on (one
daemon per sample, as the samples reuse ids), with refusals besides (a bad body, a 404, a 401);
then every name part, birth date, address part, telecom value and member id of the inputs is
looked for, case-insensitively, in every log line. Zero hits."""
import json
import pathlib
import unittest

from auth_harness import TokenClient, new_token
from serve_harness import (Client, Daemon, JSON, SOURCE, bundle_resources, event_keys,
                           temp_dir, test_config, wait_until)

PEOPLE = ("Patient", "RelatedPerson", "Practitioner")
# Shorter strings ("IL", "Li", "12") occur in unrelated text by chance: not looked for.
MIN_LENGTH = 4


def phi_strings(resources):
    """The identifying values of the inputs, as a set of strings."""
    found = set()
    for r in resources:
        if r["resourceType"] in PEOPLE:
            for name in r.get("name", []):
                found.update(name.get("given", []))
                if "family" in name:
                    found.add(name["family"])
                if "text" in name:
                    found.add(name["text"])
            if "birthDate" in r:
                found.add(r["birthDate"])
            for address in r.get("address", []):
                found.update(address.get("line", []))
                for key in ("city", "postalCode"):
                    if key in address:
                        found.add(address[key])
            for telecom in r.get("telecom", []):
                if "value" in telecom:
                    found.add(telecom["value"])
        if r["resourceType"] == "Coverage":
            if "subscriberId" in r:
                found.add(r["subscriberId"])
            for identifier in r.get("identifier", []):
                if "value" in identifier:
                    found.add(identifier["value"])
    return found


def settled(client, key):
    """Coded at least once: billed, held, needs-review, rejected, not-billable, or pending on
    named missing data (not the plain wait for the encounter)."""
    status = client.billing(key)
    return status is not None and not (status["state"] == "pending"
                                       and status.get("rule") == "SERVE-WAIT")


class NoPhiInLogsTest(unittest.TestCase):
    def test_no_log_line_names_a_patient(self):
        samples = sorted(p.parent for p in (SOURCE / "samples").glob("*/input.json"))
        self.assertGreater(len(samples), 20)
        phi, lines = set(), []
        self.ids = {"no-such-patient"}  # every id sent, to check what the id fields hold
        with temp_dir() as work:
            work = pathlib.Path(work)
            tokens = work / "tokens"
            token = new_token(tokens, "fhir:write,fhir:read", "engine-A")
            for sample in samples:
                resources = bundle_resources(sample / "input.json")
                phi |= phi_strings(resources)
                self.ids |= {r["id"] for r in resources}
                lines += self.run_sample(work / sample.name, tokens, token, resources)
        checked = sorted(s for s in phi if len(s) >= MIN_LENGTH)
        skipped = sorted(s for s in phi if len(s) < MIN_LENGTH)
        print(f"\nPHI strings checked: {len(checked)} distinct, in {len(lines)} log lines "
              f"({len(skipped)} shorter than {MIN_LENGTH} characters not checked: {skipped})")
        self.assertGreater(len(checked), 0)
        self.assertGreater(len(lines), 0)
        hits = []
        for line in lines:
            entry = json.loads(line)  # every line is one JSON object
            # Resource ids are the sender's keys and are logged by design; some samples build
            # them from a name ("prac-smith"), so the id fields are not searched.
            searched = json.dumps({k: v for k, v in entry.items() if k not in ("id", "resource")})
            lowered = searched.lower()
            hits += [(value, line) for value in checked if value.lower() in lowered]
            for key in ("id", "resource"):
                if key in entry:
                    self.assertIn(entry[key].split("/")[-1], self.ids, line)
        self.assertEqual(hits, [])

    def run_sample(self, work, tokens, token, resources):
        work.mkdir()
        daemon = Daemon(work, test_config(work, bill_after="0s", tokens=str(tokens))).start()
        try:
            client = TokenClient(daemon.port, token)
            ordered = ([r for r in resources if r["resourceType"] != "Encounter"]
                       + [r for r in resources if r["resourceType"] == "Encounter"])
            for resource in ordered:
                self.assertIn(client.put(resource)[0], (200, 201))
            for key in event_keys(resources):
                wait_until(lambda: settled(client, key), 60, f"{work.name}: {key} coded")
            patient = next((r for r in resources if r["resourceType"] == "Patient"), None)
            if patient:
                # Refusals that carry PHI in what the client sent: a body cut short, a body to the
                # wrong type, and the same body without a token.
                text = json.dumps(patient)
                self.ids.add(patient["id"] + "-x")
                self.assertEqual(client.request("POST", "/fhir/Patient", text[:-9], JSON)[0], 400)
                self.assertEqual(client.request("PUT", f"/fhir/Patient/{patient['id']}-x",
                                                text, JSON)[0], 400)
                self.assertEqual(Client(daemon.port).request("POST", "/fhir/Patient", text,
                                                             JSON)[0], 401)
            self.assertEqual(client.request("GET", "/fhir/Patient/no-such-patient")[0], 404)
            client.close()
            self.assertEqual(daemon.stop(), 0)
        finally:
            daemon.close()
        return (work / "daemon.log").read_text().splitlines()


if __name__ == "__main__":
    unittest.main()
