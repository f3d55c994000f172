"""`fhir837 serve` as a systemd service: the unit file verifies and keeps its hardening, the
daemon speaks the sd_notify readiness protocol (READY once the port is bound, RELOADING/READY
around SIGHUP, STOPPING on SIGTERM), and the staged install gives a configuration it starts with."""
import os
import pathlib
import shutil
import socket
import subprocess
import unittest

from serve_harness import BINARY, SOURCE, Daemon, temp_dir, test_config, wait_until

UNIT = SOURCE / "config/systemd/fhir837.service"
ANALYZE = shutil.which("systemd-analyze")
NO_ANALYZE = "systemd-analyze is not installed (Debian package systemd; scripts/setup.sh adds it)"


class NotifySocket:
    """The service manager's end of sd_notify: a datagram socket that collects messages."""

    def __init__(self, directory):
        self.path = str(pathlib.Path(directory) / "notify.sock")
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(self.path)
        self.socket.setblocking(False)
        self.messages = []

    def received(self):
        while True:
            try:
                self.messages.append(self.socket.recv(4096).decode())
            except BlockingIOError:
                return self.messages

    def close(self):
        self.socket.close()


class ServiceTest(unittest.TestCase):
    def setUp(self):
        self.temp = temp_dir()
        self.work = pathlib.Path(self.temp.name)

    def tearDown(self):
        self.temp.cleanup()

    @unittest.skipUnless(ANALYZE, NO_ANALYZE)
    def test_the_unit_verifies_with_the_built_binary(self):
        unit = self.work / "fhir837.service"
        unit.write_text(UNIT.read_text().replace("/usr/local/bin/fhir837", BINARY))
        done = subprocess.run([ANALYZE, "verify", "--man=no", str(unit)], capture_output=True,
                              text=True)
        self.assertEqual((done.returncode, done.stderr), (0, ""))

    @unittest.skipUnless(ANALYZE, NO_ANALYZE)
    def test_the_unit_keeps_its_hardening(self):
        # systemd's own exposure score: 0 is locked down, 10 is unprotected; 1.2 when written.
        # --threshold is in tenths: fail above 2.0.
        done = subprocess.run([ANALYZE, "security", "--offline=yes", "--threshold=20",
                               "--no-pager", str(UNIT)], capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stdout[-2000:] + done.stderr)
        self.assertIn("Overall exposure level for fhir837.service: 1.2", done.stdout)
        unit = UNIT.read_text()
        for line in ("Type=notify", "Restart=on-failure", "ExecReload=/bin/kill -HUP $MAINPID",
                     "NoNewPrivileges=yes", "ProtectSystem=strict", "StateDirectory=fhir837"):
            self.assertIn("\n" + line + "\n", unit)

    def test_readiness_reload_and_stop_are_notified(self):
        notify = NotifySocket(self.work)
        try:
            daemon = Daemon(self.work, test_config(self.work), env={"NOTIFY_SOCKET": notify.path})
            daemon.start()
            ready = wait_until(lambda: notify.received(), 30, "READY notified")
            self.assertEqual(ready, [f"READY=1\nSTATUS=listening on 127.0.0.1:{daemon.port}"])
            daemon.process.send_signal(1)  # SIGHUP
            wait_until(lambda: len(notify.received()) >= 3, 30, "reload notified")
            self.assertEqual(notify.messages[1:], ["RELOADING=1", "READY=1"])
            daemon.stop()
            self.assertEqual(notify.received()[3:], ["STOPPING=1"])
            daemon.close()
        finally:
            notify.close()

    def test_the_staged_install_gives_a_configuration_the_daemon_starts_with(self):
        stage = self.work / "stage"
        done = subprocess.run(["bash", str(SOURCE / "scripts/install-service.sh"), "--binary",
                               BINARY], env=dict(os.environ, DESTDIR=str(stage)),
                              capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout, f"install-service: staged under {stage}\n")
        config = stage / "etc/fhir837/fhir837.toml"
        text = config.read_text()
        self.assertIn('state_dir = "/var/lib/fhir837/state"', text)
        self.assertIn('route_table = "/usr/local/share/fhir837/tables/routes.csv"', text)
        self.assertTrue((stage / "etc/systemd/system/fhir837.service").is_file())
        self.assertEqual(sorted(p.name for p in (stage / "etc/fhir837/payers").iterdir()),
                         sorted(p.name for p in (SOURCE / "config/payers").iterdir()))
        # The tables are read from /usr/local/share: point them at the staged copy to start it.
        config.write_text(text.replace('"/usr/local/share/', f'"{stage}/usr/local/share/'))
        daemon = Daemon(self.work, str(config))
        try:
            client = daemon.start().client()
            self.assertEqual(client.request("GET", "/fhir/metadata")[0], 200)
        finally:
            daemon.close()
        # A second install keeps the operator's configuration.
        config.write_text(config.read_text() + "# edited by the operator\n")
        again = subprocess.run(["bash", str(SOURCE / "scripts/install-service.sh"), "--binary",
                                BINARY], env=dict(os.environ, DESTDIR=str(stage)),
                               capture_output=True, text=True)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertTrue(config.read_text().endswith("# edited by the operator\n"))


if __name__ == "__main__":
    unittest.main()
