"""`[serve] inbox`: files dropped into the inbox are journaled as HTTP input is, then moved to
done/ or error/ (with a .reason.json) - the real daemon, files written as a sender writes them."""
import io
import json
import os
import pathlib
import sqlite3
import tarfile
import time
import unittest
import zipfile

from serve_harness import (Daemon, bundle_resources, claims_of, convert, JSON, segments, SOURCE,
                           temp_dir, test_config, wait_until)

SAMPLE_01 = SOURCE / "samples/01-scig-95min-office/input.json"
EVENT_01 = "MedicationAdministration/ma-01"
UNSUPPORTED_LINE = '{"resourceType":"Basic","id":"b1"}'


def sample_01_variant(n):
    """Sample 01's Bundle for its own patient, coverage, encounter and administration."""
    text = SAMPLE_01.read_text()
    for name in ("ma", "pat", "cov", "enc", "pump"):
        text = text.replace(f'"{name}-01"', f'"{name}-{n}"')
    text = text.replace("INF20250310001", "INF2025031" + str(2000 + n))
    return text.replace('"sample-01"', f'"sample-{n}"')


def ndjson_of(resources):
    """One line per resource, the MedicationAdministration last."""
    ordered = sorted(resources, key=lambda r: r["resourceType"] == "MedicationAdministration")
    return [json.dumps(r, separators=(",", ":")) for r in ordered]


def key_of(line):
    resource = json.loads(line)
    return f"{resource['resourceType']}/{resource['id']}"


def clm_count(daemon):
    return sum(1 for path in daemon.interchanges() for s in segments(path) if s.startswith("CLM"))


def listing(directory):
    return sorted(p.name for p in pathlib.Path(directory).iterdir())


class InboxTest(unittest.TestCase):
    def setUp(self):
        self.temp = temp_dir()
        self.work = pathlib.Path(self.temp.name)
        self.inbox = self.work / "inbox"
        self.staging = self.work / "staging"
        self.staging.mkdir()
        self.daemons = []

    def tearDown(self):
        for daemon in self.daemons:
            daemon.close()
        self.temp.cleanup()

    def daemon(self, settle="1s", env=None, work=None):
        """A daemon with the inbox; `work` given: one in that directory without an inbox."""
        config = (test_config(work, bill_after="0s") if work else
                  test_config(self.work, bill_after="0s", inbox=str(self.inbox),
                              inbox_settle=settle, inbox_rescan="1s"))
        daemon = Daemon(work or self.work, config, env)
        self.daemons.append(daemon)
        return daemon.start()

    def drop(self, name, data):
        """Written elsewhere, then renamed in: complete at once."""
        staged = self.staging / name
        staged.write_bytes(data if isinstance(data, bytes) else data.encode())
        os.rename(staged, self.inbox / name)

    def wait_moved(self, where, name, deadline=60):
        wait_until(lambda: (self.inbox / where / name).exists(), deadline, f"{where}/{name}")

    def billed(self, daemon, key=EVENT_01, deadline=60):
        client = daemon.client()
        wait_until(lambda: (client.billing(key) or {}).get("state") == "billed", deadline,
                   f"{key} billed")
        client.close()

    def dead_letters(self, daemon):
        with sqlite3.connect(daemon.state / "journal.sqlite") as db:
            return db.execute("SELECT http_status, issue_code, reason, method, target, body "
                              "FROM dead_letter ORDER BY seq").fetchall()

    def test_a_bundle_renamed_in_is_billed_as_if_posted(self):
        daemon = self.daemon()
        self.drop("sample01.json", SAMPLE_01.read_text())
        self.wait_moved("done", "sample01.json")
        self.billed(daemon)
        self.assertEqual(listing(self.inbox), ["done", "error"])
        self.assertEqual(listing(self.inbox / "done"), ["sample01.json"])
        self.assertEqual(daemon.stop(), 0)

        over_http = self.work / "http"
        over_http.mkdir()
        posted = self.daemon(work=over_http)
        client = posted.client()
        status, _, _ = client.request("POST", "/fhir", SAMPLE_01.read_text(), JSON)
        self.assertEqual(status, 200)
        self.billed(posted)
        self.assertEqual(posted.stop(), 0)
        self.assertEqual(len(claims_of(posted.interchanges())), 1)
        self.assertEqual(claims_of(daemon.interchanges()), claims_of(posted.interchanges()))

    def test_ndjson_written_in_place_is_taken_only_once_complete(self):
        daemon = self.daemon(settle="3s")
        client = daemon.client()
        lines = ndjson_of(bundle_resources(SAMPLE_01))
        self.inbox.mkdir(exist_ok=True)
        target = self.inbox / "slow.ndjson"
        for number, line in enumerate(lines, 1):
            with open(target, "a") as out:
                out.write(line + "\n")
            if number == len(lines):
                break
            # Nothing of the file is journaled while it is written: not even its first line.
            self.assertEqual(client.request("GET", "/fhir/" + key_of(lines[0]))[0], 404)
            self.assertFalse((self.inbox / "done/slow.ndjson").exists())
            time.sleep(0.3)  # the writer's pace (a sender appending records), under inbox_settle
        self.assertEqual(client.request("GET", "/fhir/" + EVENT_01)[0], 404)
        self.wait_moved("done", "slow.ndjson")
        self.assertEqual(client.request("GET", "/fhir/" + EVENT_01)[0], 200)
        self.billed(daemon)
        client.close()
        self.assertEqual(daemon.stop(), 0)
        self.assertEqual(clm_count(daemon), 1)

    def test_files_there_at_start_are_taken_and_writers_temporaries_left_alone(self):
        self.inbox.mkdir()
        # Sorted before early.json: were they candidates, the same listing would take them first.
        (self.inbox / ".hidden.json").write_text(sample_01_variant(21))
        (self.inbox / "a.json.part").write_text(sample_01_variant(22))
        (self.inbox / "a.json.tmp").write_text(sample_01_variant(23))
        (self.inbox / "early.json").write_text(sample_01_variant(24))
        daemon = self.daemon()
        self.wait_moved("done", "early.json")
        self.billed(daemon, "MedicationAdministration/ma-24")
        self.assertEqual(listing(self.inbox),
                         [".hidden.json", "a.json.part", "a.json.tmp", "done", "error"])
        client = daemon.client()
        for n in (21, 22, 23):
            self.assertEqual(client.request("GET", f"/fhir/MedicationAdministration/ma-{n}")[0],
                             404)
        client.close()

    def test_zip_and_tar_gz_archives_of_bundles(self):
        daemon = self.daemon()
        bundles = {n: sample_01_variant(n) for n in (11, 12, 13, 14)}
        zipped = io.BytesIO()
        with zipfile.ZipFile(zipped, "w") as archive:
            archive.writestr("a/b11.json", bundles[11])
            archive.writestr("a/b12.json", bundles[12])
        tarred = io.BytesIO()
        with tarfile.open(fileobj=tarred, mode="w:gz") as archive:
            for n in (13, 14):
                data = bundles[n].encode()
                info = tarfile.TarInfo(f"b{n}.json")
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
        self.drop("two.zip", zipped.getvalue())
        self.drop("two.tar.gz", tarred.getvalue())
        self.wait_moved("done", "two.zip")
        self.wait_moved("done", "two.tar.gz")
        for n in (11, 12, 13, 14):
            self.billed(daemon, f"MedicationAdministration/ma-{n}")
        self.assertEqual(daemon.stop(), 0)
        self.assertEqual(listing(self.inbox / "done"), ["two.tar.gz", "two.zip"])
        code, batch_files = convert([self.inbox / "done/two.zip", self.inbox / "done/two.tar.gz"],
                                    self.work / "convert", daemon.config)
        self.assertEqual(code, 0)
        self.assertEqual(len(claims_of(batch_files)), 4)
        self.assertEqual(claims_of(daemon.interchanges()), claims_of(batch_files))

    def test_a_file_that_is_not_fhir_goes_to_error_with_its_reason(self):
        daemon = self.daemon()
        self.drop("garbage.txt", "this is not FHIR\n")
        self.wait_moved("error", "garbage.txt")  # moved after its reason was written
        self.assertEqual(listing(self.inbox / "error"), ["garbage.txt", "garbage.txt.reason.json"])
        self.assertEqual(
            (self.inbox / "error/garbage.txt.reason.json").read_text(),
            '{"file":"garbage.txt","time":"2027-01-01T00:00:00Z","moved_to":"error","stored":0,'
            '"refused_count":1,"refused":[{"where":"garbage.txt","status":400,"code":"structure",'
            '"message":"not FHIR JSON, FHIR XML or NDJSON (a JSON document must be one object, '
            'in UTF-8)",'
            '"path":"","dead_letter":false}]}\n')
        self.assertEqual((self.inbox / "error/garbage.txt").read_text(), "this is not FHIR\n")
        self.assertEqual(self.dead_letters(daemon), [])

    def test_a_refused_line_is_dead_lettered_and_the_rest_billed(self):
        daemon = self.daemon()
        lines = ndjson_of(bundle_resources(SAMPLE_01))
        lines.insert(5, UNSUPPORTED_LINE)
        self.drop("mixed.ndjson", "\n".join(lines) + "\n")
        self.wait_moved("done", "mixed.ndjson")
        self.billed(daemon)
        self.assertEqual(listing(self.inbox / "done"), ["mixed.ndjson", "mixed.ndjson.reason.json"])
        self.assertEqual(
            (self.inbox / "done/mixed.ndjson.reason.json").read_text(),
            '{"file":"mixed.ndjson","time":"2027-01-01T00:00:00Z","moved_to":"done","stored":11,'
            '"refused_count":1,"refused":[{"where":"mixed.ndjson: line 6","status":404,'
            '"code":"not-supported","message":"resource type Basic is not supported",'
            '"path":"Basic","dead_letter":true}]}\n')
        self.assertEqual(self.dead_letters(daemon),
                         [(404, "not-supported",
                           "mixed.ndjson: line 6: resource type Basic is not supported", "FILE",
                           "mixed.ndjson: line 6", UNSUPPORTED_LINE.encode())])

    def test_the_same_file_dropped_twice_bills_nothing_again(self):
        daemon = self.daemon()
        self.drop("sample01.json", SAMPLE_01.read_text())
        self.wait_moved("done", "sample01.json")
        self.billed(daemon)
        self.drop("sample01.json", SAMPLE_01.read_text())
        self.wait_moved("done", "sample01~2.json")
        self.assertEqual(daemon.stop(), 0)  # a stop bills whatever is due
        self.assertEqual(listing(self.inbox / "done"), ["sample01.json", "sample01~2.json"])
        self.assertEqual(clm_count(daemon), 1)
        self.assertEqual(len(daemon.report_lines()), 1)

    def crash_then_restart(self, step, name, data, reason):
        crashing = self.daemon(env={"FHIR837_TEST_CRASH_AT": f"{step}:1"})
        self.drop(name, data)
        wait_until(lambda: crashing.process.poll() is not None, 60, f"killed at {step}")
        self.assertEqual(crashing.process.returncode, -9)
        self.assertTrue((self.inbox / name).exists(), "the file is still in the inbox")
        self.assertEqual((self.inbox / "done" / (name + ".reason.json")).exists(),
                         reason and step == "inbox-reason-written")
        crashing.close()
        daemon = self.daemon()
        self.wait_moved("done", name)
        self.billed(daemon)
        self.assertEqual(daemon.stop(), 0)
        expected = [name, name + ".reason.json"] if reason else [name]
        self.assertEqual(listing(self.inbox / "done"), expected)
        self.assertEqual(listing(self.inbox), ["done", "error"])
        self.assertEqual(clm_count(daemon), 1)
        self.assertEqual(len(daemon.report_lines()), 1)
        return daemon

    def test_killed_after_journaling_before_the_move(self):
        self.crash_then_restart("inbox-journaled", "sample01.json", SAMPLE_01.read_text(), False)

    def test_killed_between_the_reason_file_and_the_move(self):
        lines = ndjson_of(bundle_resources(SAMPLE_01))
        lines.insert(5, UNSUPPORTED_LINE)
        daemon = self.crash_then_restart("inbox-reason-written", "mixed.ndjson",
                                         "\n".join(lines) + "\n", True)
        reason = json.loads((self.inbox / "done/mixed.ndjson.reason.json").read_text())
        self.assertEqual(reason["stored"], 11)
        self.assertEqual([r["where"] for r in reason["refused"]], ["mixed.ndjson: line 6"])


if __name__ == "__main__":
    unittest.main()
