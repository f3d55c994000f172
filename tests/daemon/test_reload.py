"""SIGHUP reloads the payer profiles, fees and tables of a running `fhir837 serve`: encounters
billed after the reload use the new rules; a file that does not load keeps the rules in force and
the log says why."""
import json
import os
import pathlib
import shutil
import signal
import unittest

from serve_harness import (SOURCE, Daemon, many_encounters, segments, temp_dir, test_config,
                           wait_until)


def professional_claim_facts(daemon):
    """CLM01 -> (SBR09, SV102 of the 96369 line) across the daemon's outbox."""
    facts = {}
    for path in daemon.interchanges():
        claim = sbr09 = None
        for segment in segments(path):
            elements = segment.split("*")
            if elements[0] == "SBR":
                sbr09 = elements[9]
            elif elements[0] == "CLM":
                claim = elements[1]
            elif elements[0] == "SV1" and elements[1].endswith(":96369"):
                facts[claim] = (sbr09, elements[2])
    return facts


def reload_lines(daemon):
    lines = (daemon.work / "daemon.log").read_text(errors="replace").splitlines()
    return [json.loads(line) for line in lines
            if line.startswith("{") and '"config_reload"' in line]


class ReloadTest(unittest.TestCase):
    def setUp(self):
        self.temp = temp_dir()
        self.work = self.temp.name
        self.payers = os.path.join(self.work, "payers")
        shutil.copytree(SOURCE / "config/payers", self.payers)
        self.config = test_config(self.work, bill_after="0s")
        self.write_config(fee="250.00")
        self.daemon = Daemon(self.work, self.config)

    def tearDown(self):
        self.daemon.close()
        self.temp.cleanup()

    def write_config(self, fee):
        text = pathlib.Path(self.config).read_text()
        text = text.replace(f'payers_dir = "{SOURCE}/config/payers"',
                            f'payers_dir = "{self.payers}"')
        lines = [f'"96369" = "{fee}"' if line.startswith('"96369" = "') and "." in line else line
                 for line in text.splitlines()]
        pathlib.Path(self.config).write_text("\n".join(lines) + "\n")

    def set_aetna_sbr09(self, code):
        path = pathlib.Path(self.payers, "aetna.toml")
        text = path.read_text()
        start = text.index('sbr09_professional = "') + len('sbr09_professional = "')
        path.write_text(text[:start] + code + text[start + 2:])

    def bill_encounter(self, client, number):
        for resource in many_encounters(1, first=number):
            self.assertIn(client.put(resource)[0], (200, 201))
        key = f"MedicationAdministration/ma-{number}"
        status = wait_until(lambda: (client.billing(key) or {}).get("state") == "billed"
                            and client.billing(key), 60, f"{key} billed")
        return status["claimId"]

    def hangup(self, count):
        self.daemon.process.send_signal(signal.SIGHUP)
        return wait_until(lambda: len(reload_lines(self.daemon)) >= count
                          and reload_lines(self.daemon)[count - 1], 30, f"reload {count} logged")

    def test_new_rules_apply_to_later_claims_and_a_bad_file_keeps_the_old_ones(self):
        client = self.daemon.start().client()
        first = self.bill_encounter(client, 1000)

        self.write_config(fee="260.00")
        self.set_aetna_sbr09("HM")
        reloaded = self.hangup(1)
        self.assertEqual(reloaded["outcome"], "reloaded")
        self.assertEqual(reloaded["level"], "info")
        self.assertEqual(reloaded["payer_profiles"], 5)
        self.assertNotIn("note", reloaded)
        second = self.bill_encounter(client, 1001)

        pathlib.Path(self.payers, "broken.toml").write_text('name = "BROKEN"\nsbr09_professional = \n')
        self.set_aetna_sbr09("MC")  # would apply if the broken directory were half-loaded
        refused = self.hangup(2)
        self.assertEqual(refused["outcome"], "kept_previous")
        self.assertEqual(refused["level"], "error")
        self.assertIn("broken.toml", refused["error"])
        third = self.bill_encounter(client, 1002)

        facts = professional_claim_facts(self.daemon)
        self.assertEqual(facts[first], ("CI", "250"))
        self.assertEqual(facts[second], ("HM", "260"))
        self.assertEqual(facts[third], ("HM", "260"))

    def test_a_missing_table_keeps_the_rules_in_force(self):
        client = self.daemon.start().client()
        routes = pathlib.Path(self.work, "routes.csv")
        shutil.copy(SOURCE / "mappings/tables/routes.csv", routes)
        text = pathlib.Path(self.config).read_text()
        pathlib.Path(self.config).write_text(
            text.replace(f'"{SOURCE}/mappings/tables/routes.csv"', f'"{routes}"'))
        self.assertEqual(self.hangup(1)["outcome"], "reloaded")
        routes.unlink()
        refused = self.hangup(2)
        self.assertEqual(refused["outcome"], "kept_previous")
        self.assertIn(str(routes), refused["error"])
        self.assertTrue(self.bill_encounter(client, 1003))

    def test_a_serve_section_change_is_reported_as_taking_effect_at_restart(self):
        self.daemon.start()
        with open(self.config, "a") as config:
            config.write('pending_timeout = "2h"\n')
        reloaded = self.hangup(1)
        self.assertEqual(reloaded["outcome"], "reloaded")
        self.assertEqual(reloaded["note"], "[serve] changes take effect at the next start")


if __name__ == "__main__":
    unittest.main()
