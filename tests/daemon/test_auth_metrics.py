"""Bearer-token authentication, the operations endpoints and the metrics of `fhir837 serve`, as a
client sees them: the real binary, a tokens file made with `fhir837 token new`."""
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import time
import unittest

from auth_harness import TokenClient, new_token
from serve_harness import (BINARY, JSON, Client, Daemon, EPOCH, SOURCE, bundle_resources,
                           temp_dir, test_config, wait_until)

SAMPLE_01 = SOURCE / "samples/01-scig-95min-office/input.json"


def metric_lines(body):
    return {line.rsplit(" ", 1)[0]: line.rsplit(" ", 1)[1]
            for line in body.splitlines() if line and not line.startswith("#")}


def raw_exchange(port, head, deadline=30):
    """Sends `head` (request line and headers, no body) and reads until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=deadline) as sock:
        sock.sendall(head)
        received = b""
        until = time.monotonic() + deadline
        while time.monotonic() < until:
            chunk = sock.recv(65536)
            if not chunk:
                return received, True
            received += chunk
        return received, False


class AuthMetricsTest(unittest.TestCase):
    def setUp(self):
        self.temp = temp_dir()
        self.work = pathlib.Path(self.temp.name)
        self.tokens = self.work / "tokens"
        self.writer = new_token(self.tokens, "fhir:write,fhir:read", "engine-A")
        self.reader = new_token(self.tokens, "fhir:read", "viewer")
        self.scraper = new_token(self.tokens, "metrics", "prometheus")
        self.daemon = Daemon(self.work, test_config(self.work, bill_after="0s",
                                                    tokens=str(self.tokens))).start()

    def tearDown(self):
        self.daemon.close()
        self.temp.cleanup()

    def client(self, token):
        return TokenClient(self.daemon.port, token)

    def test_the_tokens_file_holds_hashes_scopes_and_labels(self):
        lines = self.tokens.read_text().splitlines()
        self.assertEqual(len(lines), 3)
        for line, (scopes, label) in zip(lines, [("fhir:read,fhir:write", "engine-A"),
                                                 ("fhir:read", "viewer"),
                                                 ("metrics", "prometheus")]):
            self.assertRegex(line, rf"^sha256:[0-9a-f]{{64}} {scopes} {label}$")
        self.assertEqual(oct(self.tokens.stat().st_mode & 0o777), "0o600")

    def test_401_without_a_token_403_with_the_wrong_scope_201_with_the_right_one(self):
        patient = next(r for r in bundle_resources(SAMPLE_01) if r["resourceType"] == "Patient")
        body = json.dumps(patient)
        target = f"/fhir/Patient/{patient['id']}"
        status, headers, text = Client(self.daemon.port).request("PUT", target, body, JSON)
        self.assertEqual(status, 401)
        self.assertEqual(headers["WWW-Authenticate"], 'Bearer realm="fhir837"')
        self.assertEqual(json.loads(text), {"resourceType": "OperationOutcome", "issue": [{
            "severity": "error", "code": "login",
            "diagnostics": "authentication required: send Authorization: Bearer <token>"}]})
        self.assertRegex(headers["X-Request-Id"], r"^[0-9a-f]{24}$")

        status, headers, text = self.client("not-a-token").request("PUT", target, body, JSON)
        self.assertEqual(status, 401)
        self.assertEqual(headers["WWW-Authenticate"],
                         'Bearer realm="fhir837", error="invalid_token"')
        self.assertEqual(json.loads(text)["issue"][0]["code"], "login")

        status, headers, text = self.client(self.reader).request(
            "PUT", target, body, dict(JSON, **{"X-Request-Id": "engine-A.42"}))
        self.assertEqual(status, 403)
        self.assertEqual(headers["X-Request-Id"], "engine-A.42")
        self.assertEqual(json.loads(text), {"resourceType": "OperationOutcome", "issue": [{
            "severity": "error", "code": "forbidden",
            "diagnostics": "this request needs the scope fhir:write, which the token does not "
                           "have"}]})
        self.assertEqual(self.client(self.reader).request("GET", target)[0], 404)  # not stored

        status, headers, _ = self.client(self.writer).request(
            "PUT", target, body, dict(JSON, **{"X-Request-Id": "engine-A.43"}))
        self.assertEqual(status, 201)
        self.assertEqual(headers["X-Request-Id"], "engine-A.43")
        self.assertEqual(self.client(self.reader).request("GET", target)[0], 200)
        self.assertEqual(self.client(self.scraper).request("GET", target)[0], 403)

    def test_a_large_post_without_a_token_is_refused_before_its_body_is_read(self):
        head = (b"POST /fhir/Patient HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/fhir+json\r\nContent-Length: 5000000\r\n\r\n")
        answer, closed = raw_exchange(self.daemon.port, head)
        # Not one body byte was sent: the 401 can only come from the headers.
        self.assertTrue(answer.startswith(b"HTTP/1.1 401 Unauthorized\r\n"), answer[:200])
        self.assertIn(b'WWW-Authenticate: Bearer realm="fhir837"\r\n', answer)
        self.assertIn(b'"code":"login"', answer)
        self.assertTrue(closed, "the connection is closed after the refusal")

    def test_a_refusal_of_the_listener_itself_is_logged_with_its_request_id(self):
        head = (b"POST /fhir/Patient HTTP/1.1\r\nHost: x\r\nX-Request-Id: big-1\r\n"
                b"Authorization: Bearer " + self.writer.encode() + b"\r\n"
                b"Content-Type: application/fhir+json\r\nContent-Length: 50000000\r\n\r\n")
        answer, closed = raw_exchange(self.daemon.port, head)
        self.assertTrue(answer.startswith(b"HTTP/1.1 413 Payload Too Large\r\n"), answer[:200])
        self.assertIn(b"X-Request-Id: big-1\r\n", answer)
        self.assertTrue(closed)

        def logged():
            lines = (self.work / "daemon.log").read_text().splitlines()
            return [json.loads(line) for line in lines if '"request_id":"big-1"' in line]
        line = wait_until(logged, 30, "the 413 logged")[0]
        self.assertEqual((line["event"], line["method"], line["status"], line["outcome"]),
                         ("request", "POST", 413, "too-long"))

    def test_healthz_is_open_and_readyz_says_which_check_failed(self):
        anonymous = Client(self.daemon.port)
        status, headers, body = anonymous.request("GET", "/healthz")
        self.assertEqual((status, headers["Content-Type"], body),
                         (200, "application/json", '{"status":"up"}'))
        status, _, body = anonymous.request("GET", "/readyz")
        self.assertEqual((status, body), (200, '{"status":"ready","checks":{"store":"ok",'
                                               '"outbox":"ok","draining":"ok"}}'))
        # A regular file where the outbox directory was: no file can be made in it, even as root.
        moved = self.work / "outbox.moved"
        self.daemon.outbox.rename(moved)
        self.daemon.outbox.write_text("not a directory")
        try:
            status, _, body = anonymous.request("GET", "/readyz")
            self.assertEqual((status, body), (503, '{"status":"not-ready","checks":{'
                                                   '"store":"ok","outbox":"failed",'
                                                   '"draining":"ok"}}'))
        finally:
            self.daemon.outbox.unlink()
            moved.rename(self.daemon.outbox)
        self.assertEqual(anonymous.request("GET", "/readyz")[0], 200)
        log = (self.work / "daemon.log").read_text()
        self.assertIn('"event":"not_ready","check":"outbox","reason":"cannot create a file in '
                      'the outbox', log)

    def test_metrics_need_their_scope_and_count_what_happened(self):
        anonymous = Client(self.daemon.port)
        self.assertEqual(anonymous.request("GET", "/metrics")[0], 401)
        self.assertEqual(self.client(self.writer).request("GET", "/metrics")[0], 403)
        writer = self.client(self.writer)
        resources = bundle_resources(SAMPLE_01)
        for resource in resources:
            self.assertEqual(writer.put(resource)[0], 201)
        scraper = self.client(self.scraper)

        def scrape():
            status, headers, body = scraper.request("GET", "/metrics")
            self.assertEqual(status, 200)
            self.assertEqual(headers["Content-Type"], "text/plain; version=0.0.4; charset=utf-8")
            return metric_lines(body)

        def billed():
            metrics = scrape()
            done = (metrics.get("fhir837_claims_written_total") == "1"
                    and metrics.get("fhir837_pending_encounters") == "0")
            return metrics if done else None

        metrics = wait_until(billed, 60, "the claim is counted and nothing is pending")
        self.assertEqual(metrics["fhir837_interchanges_written_total"], "1")
        self.assertEqual(
            metrics['fhir837_http_requests_total{method="PUT",route="/fhir/{type}/{id}",'
                    'status="201"}'], str(len(resources)))
        self.assertEqual(metrics['fhir837_http_requests_total{method="GET",route="/metrics",'
                                 'status="401"}'], "1")
        self.assertEqual(metrics['fhir837_http_requests_total{method="GET",route="/metrics",'
                                 'status="403"}'], "1")
        received = {key: value for key, value in metrics.items()
                    if key.startswith("fhir837_resources_received_total")}
        self.assertEqual(received, {
            'fhir837_resources_received_total{type="Coverage"}': "1",
            'fhir837_resources_received_total{type="Condition"}': "1",
            'fhir837_resources_received_total{type="Device"}': "1",
            'fhir837_resources_received_total{type="Encounter"}': "1",
            'fhir837_resources_received_total{type="Location"}': "1",
            'fhir837_resources_received_total{type="Medication"}': "1",
            'fhir837_resources_received_total{type="MedicationAdministration"}': "1",
            'fhir837_resources_received_total{type="Organization"}': "2",
            'fhir837_resources_received_total{type="Patient"}': "1",
            'fhir837_resources_received_total{type="Practitioner"}': "1"})
        self.assertEqual(metrics['fhir837_billing_decisions_total{outcome="billed",'
                                 'rule="LEDGER-1"}'], "1")
        self.assertEqual(metrics["fhir837_pending_encounters"], "0")
        self.assertEqual(metrics["fhir837_review_queue_size"], "0")
        self.assertEqual(metrics["fhir837_dead_letter_size"], "0")
        self.assertEqual(metrics['fhir837_http_request_duration_seconds_bucket{le="+Inf"}'],
                         metrics["fhir837_http_request_duration_seconds_count"])
        commits = int(metrics["fhir837_journal_commit_batch_size_count"])
        self.assertGreaterEqual(commits, 1)
        self.assertEqual(metrics["fhir837_journal_commit_batch_size_sum"], str(len(resources)))
        self.assertEqual(metrics["fhir837_journal_commit_duration_seconds_count"], str(commits))

    def test_every_log_line_is_a_json_object(self):
        client = self.client(self.writer)
        for resource in bundle_resources(SAMPLE_01):
            client.put(resource)
        Client(self.daemon.port).request("GET", "/fhir/metadata")
        self.assertEqual(self.daemon.stop(), 0)
        lines = (self.work / "daemon.log").read_text().splitlines()
        events = [json.loads(line)["event"] for line in lines]
        self.assertEqual(events[0], "started")
        self.assertEqual(events[-1], "stopped")
        self.assertLess(events.index("stopping"), len(events) - 1)
        self.assertIn("billing_decision", events)
        requests = [json.loads(line) for line in lines if '"event":"request"' in line]
        put = next(r for r in requests if r["method"] == "PUT")
        self.assertEqual(set(put), {"time", "level", "event", "request_id", "method", "route",
                                    "status", "type", "id", "latency_ms", "remote", "token"})
        self.assertEqual(put["token"], "engine-A")
        refused = next(r for r in requests if r["status"] == 401)
        self.assertEqual((refused["route"], refused["outcome"]), ("(fhir)", "login"))

    def test_a_persisting_billing_error_is_logged_once_then_counted(self):
        # The outbox replaced by a regular file: every billing round fails (retried each second).
        moved = self.work / "outbox.moved"
        self.daemon.outbox.rename(moved)
        self.daemon.outbox.write_text("not a directory")
        writer = self.client(self.writer)
        for resource in bundle_resources(SAMPLE_01):
            self.assertEqual(writer.put(resource)[0], 201)
        scraper = self.client(self.scraper)

        def errors():
            return int(metric_lines(scraper.request("GET", "/metrics")[2])[
                "fhir837_billing_errors_total"])

        wait_until(lambda: errors() >= 3, 60, "three failed billing rounds")
        log = self.work / "daemon.log"
        failures = [json.loads(line) for line in log.read_text().splitlines()
                    if '"event":"billing_error"' in line]
        self.assertEqual(len(failures), 1, failures)  # within the minute: the first only
        self.assertEqual(failures[0]["level"], "error")
        self.daemon.outbox.unlink()
        moved.rename(self.daemon.outbox)
        wait_until(lambda: metric_lines(scraper.request("GET", "/metrics")[2])[
            "fhir837_claims_written_total"] == "1", 60, "billed once the outbox is back")

        def recoveries():
            return [json.loads(line) for line in log.read_text().splitlines()
                    if '"event":"billing_recovered"' in line]

        # The claim counter moves inside the billing round; the recovery is logged when the
        # round has returned, so the log line may trail the metric.
        recovered = wait_until(recoveries, 30, "the recovery logged")
        self.assertEqual(len(recovered), 1)
        self.assertEqual(recovered[0]["repeated"], errors() - 1)


class StartUpTest(unittest.TestCase):
    def run_serve(self, work, extra_config, listen):
        config = pathlib.Path(test_config(work))
        config.write_text(config.read_text() + extra_config)
        return subprocess.Popen(
            [BINARY, "serve", "--config", str(config), "--state-dir", str(work / "state"),
             "--listen", listen], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH))

    def test_no_open_endpoint_on_a_non_loopback_address_by_accident(self):
        with temp_dir() as work:
            work = pathlib.Path(work)
            process = self.run_serve(work, "", "0.0.0.0:0")
            out, err = process.communicate(timeout=60)
            self.assertEqual(process.returncode, 2)
            self.assertEqual(err.decode(),
                             "fhir837: serve.tokens: refusing to listen on 0.0.0.0 without "
                             "authentication: set [serve] tokens (a file made with `fhir837 token "
                             "new`), or allow_unauthenticated = true if something in front of "
                             "fhir837 authenticates\n")
            process = self.run_serve(work, "allow_unauthenticated = true\n", "0.0.0.0:0")
            line = process.stdout.readline()
            self.assertRegex(line.decode(), r"^listening on http://0\.0\.0\.0:\d+/fhir\n$")
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=60)
            self.assertEqual(process.returncode, 0)

    def test_a_malformed_tokens_file_stops_start_up_with_file_and_line(self):
        with temp_dir() as work:
            work = pathlib.Path(work)
            tokens = work / "tokens"
            tokens.write_text("# engines\nmy-plaintext-token fhir:write engine-A\n")
            process = self.run_serve(work, f'tokens = "{tokens}"\n', "127.0.0.1:0")
            _, err = process.communicate(timeout=60)
            self.assertEqual(process.returncode, 2)
            self.assertEqual(err.decode(),
                             f"fhir837: {tokens}:2: the token hash must be 'sha256:' and 64 hex "
                             "digits (tokens are never stored in plaintext: make one with "
                             "`fhir837 token new`)\n")

    def test_token_new_prints_the_token_and_its_line(self):
        done = subprocess.run([BINARY, "token", "new", "--scopes", "metrics,admin", "--label",
                               "ops"], capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        token, line = done.stdout.splitlines()
        self.assertRegex(token, r"^[A-Za-z0-9_-]{43}$")
        import hashlib
        self.assertEqual(line, "sha256:" + hashlib.sha256(token.encode()).hexdigest() +
                         " metrics,admin ops")
        done = subprocess.run([BINARY, "token", "new", "--scopes", "fhir:delete", "--label",
                               "x"], capture_output=True, text=True)
        self.assertEqual((done.returncode, done.stdout), (2, ""))
        self.assertEqual(done.stderr, "fhir837: --scopes: unknown scope 'fhir:delete' (known: "
                                      "fhir:read, fhir:write, metrics, admin)\n")


if __name__ == "__main__":
    unittest.main()
