"""The daemon over TLS and mutual TLS, its TLS config errors, and the limits a hostile client
meets (request_timeout, max_connections), against the real binary. The PKI is made at test time
with the `openssl` CLI into the test's temp dir."""
import json
import pathlib
import socket
import ssl
import subprocess
import time
import unittest

from serve_harness import (BINARY, EPOCH, JSON, SOURCE, Daemon, bundle_resources, temp_dir,
                           test_config, wait_until)


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca(directory, name, subject):
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", f"{name}.key", "-out", f"{name}.crt", "-subj", subject, "-days", "2",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=directory)


def issue(directory, name, subject, ca, serial):
    """<name>.key and <name>.crt for `subject`, signed by CA `ca`."""
    (pathlib.Path(directory) / f"{name}.ext").write_text(
        "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", subject, cwd=directory)
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key",
            "-set_serial", str(serial), "-days", "2", "-extfile", f"{name}.ext",
            "-out", f"{name}.crt", cwd=directory)


class TlsLimitsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pki_dir = temp_dir()
        cls.pki = pathlib.Path(cls.pki_dir.name)
        make_ca(cls.pki, "ca", "/CN=Test CA")
        make_ca(cls.pki, "other-ca", "/CN=Other CA")
        issue(cls.pki, "server", "/CN=localhost", "ca", 2)
        issue(cls.pki, "client", "/C=US/O=Example Clinic/CN=engine-1", "ca", 3)
        issue(cls.pki, "intruder", "/CN=intruder", "other-ca", 4)
        cls.patient = next(r for r in bundle_resources(SOURCE / "samples/01-scig-95min-office/input.json")
                           if r["resourceType"] == "Patient")

    @classmethod
    def tearDownClass(cls):
        cls.pki_dir.cleanup()

    def setUp(self):
        self.work = temp_dir()
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            self.daemon.close()
        self.work.cleanup()

    def start(self, extra="", **serve):
        config = test_config(self.work.name, tls_cert=self.pki / "server.crt",
                             tls_key=self.pki / "server.key", **serve)
        with open(config, "a") as out:
            out.write(extra)
        self.daemon = Daemon(self.work.name, config).start()
        self.assertEqual(self.daemon.scheme, "https")
        return self.daemon

    def context(self, certificate=None):
        context = ssl.create_default_context(cafile=str(self.pki / "ca.crt"))
        if certificate:
            context.load_cert_chain(self.pki / f"{certificate}.crt", self.pki / f"{certificate}.key")
        return context

    @staticmethod
    def log_lines(daemon):
        text = (daemon.work / "daemon.log").read_text(errors="replace")
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]

    def post_patient(self, client):
        return client.request("POST", "/fhir/Patient", json.dumps(self.patient), dict(JSON))

    def test_https_post_of_a_sample_patient_is_201(self):
        daemon = self.start()
        status, headers, _ = self.post_patient(daemon.client(self.context()))
        self.assertEqual(status, 201)
        self.assertTrue(headers["Location"].startswith("/fhir/Patient/"), headers)
        self.assertEqual(daemon.stop(), 0)  # SIGTERM with a TLS keep-alive connection open

    def test_plain_http_to_the_https_port_gets_no_answer(self):
        daemon = self.start()
        with socket.create_connection(("127.0.0.1", daemon.port), timeout=30) as raw:
            raw.sendall(b"GET /fhir/metadata HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual(raw.recv(1), b"")

    def test_mutual_tls_accepts_the_ca_client_and_refuses_others(self):
        daemon = self.start(tls_client_ca=self.pki / "ca.crt")
        status, _, _ = self.post_patient(daemon.client(self.context("client")))
        self.assertEqual(status, 201)
        # The verified subject is in the audit (access) log line of that request.
        posts = wait_until(lambda: [line for line in self.log_lines(daemon)
                                    if line.get("method") == "POST" and line.get("status") == 201],
                           30, "the POST logged")
        self.assertEqual(posts[0]["client_subject"], "CN=engine-1,O=Example Clinic,C=US")
        with self.assertRaises(ssl.SSLError) as refused:
            self.post_patient(daemon.client(self.context()))
        self.assertEqual(refused.exception.reason, "TLSV13_ALERT_CERTIFICATE_REQUIRED")
        with self.assertRaises(ssl.SSLError) as foreign:
            self.post_patient(daemon.client(self.context("intruder")))
        self.assertEqual(foreign.exception.reason, "TLSV1_ALERT_UNKNOWN_CA")

    def test_slow_loris_is_answered_408_at_request_timeout(self):
        daemon = self.start(request_timeout="1s")
        raw = socket.create_connection(("127.0.0.1", daemon.port), timeout=30)
        with self.context().wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
            started = time.monotonic()
            tls.settimeout(0.2)
            answer = b""
            # One header byte every 0.2 s, forever, until the daemon answers; 10 s at most.
            while not answer.endswith(b"}]}") and time.monotonic() - started < 10:
                try:
                    tls.sendall(b"a")
                except OSError:
                    pass
                try:
                    chunk = tls.recv(4096)
                    if not chunk:
                        break
                    answer += chunk
                except (socket.timeout, TimeoutError):
                    continue
            elapsed = time.monotonic() - started
        self.assertTrue(answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n"), answer)
        self.assertTrue(answer.endswith(
            b'{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"timeout",'
            b'"diagnostics":"request not complete within request_timeout (1000 ms)"}]}'), answer)
        self.assertGreaterEqual(elapsed, 0.9)
        self.assertLess(elapsed, 5)

    def test_connection_over_max_connections_is_503_throttled(self):
        daemon = self.start(extra="max_connections = 1\n")
        first = daemon.client(self.context())
        self.assertEqual(self.post_patient(first)[0], 201)  # holds the only slot (keep-alive)
        status, headers, body = self.post_patient(daemon.client(self.context()))
        self.assertEqual(status, 503)
        self.assertEqual(headers["Retry-After"], "5")
        self.assertEqual(json.loads(body), {"resourceType": "OperationOutcome", "issue": [{
            "severity": "error", "code": "throttled",
            "diagnostics": "over max_connections (1 open connections): retry later"}]})
        first.close()

    def config_error(self, **serve):
        config = test_config(self.work.name, **serve)
        done = subprocess.run(
            [BINARY, "serve", "--config", config, "--state-dir", str(pathlib.Path(self.work.name) / "state"),
             "--listen", "127.0.0.1:0"],
            capture_output=True, text=True, timeout=60, env={"SOURCE_DATE_EPOCH": EPOCH})
        return done.returncode, done.stdout, done.stderr

    def test_certificate_without_key_exits_2(self):
        config = pathlib.Path(self.work.name) / "fhir837.toml"
        self.assertEqual(
            self.config_error(tls_cert=self.pki / "server.crt"),
            (2, "", f"fhir837: {config}: serve.tls_key: must be set when tls_cert is\n"))

    def test_unreadable_key_exits_2(self):
        missing = self.pki / "missing.key"
        self.assertEqual(
            self.config_error(tls_cert=self.pki / "server.crt", tls_key=missing),
            (2, "", f"fhir837: serve.tls_key: {missing}: cannot read: No such file or directory\n"))

    def test_key_of_another_certificate_exits_2(self):
        self.assertEqual(
            self.config_error(tls_cert=self.pki / "server.crt", tls_key=self.pki / "client.key"),
            (2, "", f"fhir837: serve.tls_key: {self.pki / 'client.key'}: does not match the "
                    f"certificate {self.pki / 'server.crt'}\n"))


if __name__ == "__main__":
    unittest.main()
