"""Drives a real `fhir837 serve` process the way an interface engine does: HTTP on a port the
daemon picked, a real state dir and outbox, SIGTERM and SIGKILL. Every wait has a deadline."""
import http.client
import json
import os
import pathlib
import random
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

SOURCE = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("FHIR837_BINARY", str(SOURCE / "build/dev/fhir837"))
# 2027-01-01: the samples' service dates are in the past (not DOS-FUTURE).
EPOCH = "1798761600"
JSON = {"Content-Type": "application/fhir+json"}


def test_config(directory, **serve):
    """The shipped config with absolute table paths and a [serve] section of `serve`."""
    text = (SOURCE / "config/fhir837.toml").read_text()
    text = text.replace('"../mappings/', f'"{SOURCE}/mappings/')
    text = text.replace('payers_dir = "payers"', f'payers_dir = "{SOURCE}/config/payers"')
    text += "\n[serve]\n" + "".join(f'{key} = "{value}"\n' for key, value in serve.items())
    path = pathlib.Path(directory) / "fhir837.toml"
    path.write_text(text)
    return str(path)


class Daemon:
    """`fhir837 serve` on 127.0.0.1:0 with its own state dir and outbox."""

    def __init__(self, work, config, env=None):
        self.work = pathlib.Path(work)
        self.state = self.work / "state"
        self.outbox = self.work / "outbox"
        self.config = config
        self.env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, **(env or {}))
        self.process = None
        self.port = None
        self.scheme = None  # "http" or "https", from the start line
        self.log = open(self.work / "daemon.log", "ab")

    def start(self, deadline=60):
        self.process = subprocess.Popen(
            [BINARY, "serve", "--config", self.config, "--state-dir", str(self.state),
             "--outbox", str(self.outbox), "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=self.log, env=self.env)
        line = b""
        until = time.monotonic() + deadline
        while not line.endswith(b"\n") and time.monotonic() < until:
            ready, _, _ = select.select([self.process.stdout], [], [], 1)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 1)
                if not chunk:
                    break
                line += chunk
        match = re.match(rb"listening on (https?)://127\.0\.0\.1:(\d+)/fhir\n", line)
        if not match:
            self.kill()
            raise AssertionError(f"daemon did not start: first line {line!r}")
        self.scheme = match.group(1).decode()
        self.port = int(match.group(2))
        return self

    def stop(self, deadline=120):
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=deadline)
        self.process.stdout.close()
        return code

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=60)
        if self.process:
            self.process.stdout.close()

    def close(self):
        self.kill()
        self.log.close()

    def client(self, tls=None):
        """`tls`: an ssl.SSLContext for a daemon started with tls_cert (HTTPS)."""
        return Client(self.port, tls=tls)

    def interchanges(self):
        return sorted(self.outbox.glob("*.837")) if self.outbox.exists() else []

    def report_lines(self):
        path = self.outbox / "report.ndjson"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines()]


class Client:
    def __init__(self, port, timeout=60, tls=None):
        self.port = port
        if tls is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        else:
            self.connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout,
                                                          context=tls)

    def request(self, method, target, body=None, headers=None):
        self.connection.request(method, target, body, headers or {})
        response = self.connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()

    def put(self, resource, headers=None):
        target = f"/fhir/{resource['resourceType']}/{resource['id']}"
        return self.request("PUT", target, json.dumps(resource),
                            dict(JSON, Prefer="return=minimal", **(headers or {})))

    def billing(self, event_key):
        status, _, body = self.request("GET", f"/fhir/{event_key}/$billing",
                                       headers={"Accept": "application/fhir+json"})
        if status != 200:
            return None
        return parameters(json.loads(body))

    def close(self):
        self.connection.close()

    def __del__(self):
        self.connection.close()


def parameters(document):
    """A Parameters resource as {name: value or [values]}."""
    out = {}
    for parameter in document.get("parameter", []):
        value = next((v for k, v in parameter.items() if k.startswith("value")), None)
        if "part" in parameter:
            value = parameters({"parameter": parameter["part"]})
        if parameter["name"] in out:
            if not isinstance(out[parameter["name"]], list):
                out[parameter["name"]] = [out[parameter["name"]]]
            out[parameter["name"]].append(value)
        else:
            out[parameter["name"]] = value
    return out


def wait_until(predicate, deadline, what):
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        result = predicate()
        if result:
            return result
        time.sleep(0.05)  # polling interval of a deadline-bounded wait, not a timed assertion
    raise AssertionError(f"not within {deadline} s: {what}")


def bundle_resources(path):
    """The resources of a collection Bundle, urn:uuid references rewritten to Type/id as an
    interface engine sends them one by one."""
    bundle = json.loads(pathlib.Path(path).read_text())
    names = {}
    for entry in bundle.get("entry", []):
        resource = entry.get("resource")
        if resource and entry.get("fullUrl", "").startswith("urn:uuid:"):
            names[entry["fullUrl"]] = f"{resource['resourceType']}/{resource['id']}"
    text = json.dumps([entry["resource"] for entry in bundle.get("entry", []) if "resource" in entry])
    for urn, key in names.items():
        text = text.replace(f'"{urn}"', f'"{key}"')
    return json.loads(text)


def xml_bundle_resources(path):
    """(type, id, XML text) of each resource of an XML collection Bundle, urn:uuid references
    rewritten to Type/id."""
    import xml.etree.ElementTree as ET
    ns = "http://hl7.org/fhir"
    ET.register_namespace("", ns)
    root = ET.parse(path).getroot()
    names, resources = {}, []
    for entry in root.findall(f"{{{ns}}}entry"):
        full_url = entry.find(f"{{{ns}}}fullUrl")
        holder = entry.find(f"{{{ns}}}resource")
        if holder is None or len(holder) == 0:
            continue
        resource = holder[0]
        kind = resource.tag.split("}")[1]
        rid = resource.find(f"{{{ns}}}id").get("value")
        if full_url is not None:
            names[full_url.get("value")] = f"{kind}/{rid}"
        resources.append((kind, rid, resource))
    out = []
    for kind, rid, resource in resources:
        for element in resource.iter(f"{{{ns}}}reference"):
            value = element.get("value")
            if value in names:
                element.set("value", names[value])
        out.append((kind, rid, ET.tostring(resource, encoding="unicode")))
    return out


def ndjson_resources(directory):
    out = []
    for path in sorted(pathlib.Path(directory).glob("*.ndjson")):
        out += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return out


def many_encounters(count, first=1000):
    """`count` encounters with one infusion each, from the bulk fixture (as batch tests do)."""
    fixture = ndjson_resources(SOURCE / "tests/fixtures/bulk/sample01")
    shared = [r for r in fixture if r["resourceType"] not in ("Encounter", "MedicationAdministration")]
    encounter = next(r for r in fixture if r["resourceType"] == "Encounter")
    administration = next(r for r in fixture if r["resourceType"] == "MedicationAdministration")
    out = list(shared)
    for i in range(count):
        n = str(first + i)
        e = json.loads(json.dumps(encounter).replace("INF20250310001", "INF2025031" + n))
        e["id"] = "enc-" + n
        a = json.loads(json.dumps(administration).replace("Encounter/enc-01", "Encounter/enc-" + n))
        a["id"] = "ma-" + n
        out += [e, a]
    return out


def segments(path):
    """An interchange's segments (the terminator from ISA, element separator from ISA[3])."""
    text = pathlib.Path(path).read_text()
    terminator = text[105]
    return [s.strip("\r\n") for s in text.split(terminator) if s.strip("\r\n")]


def claims_of(paths):
    """CLM01 -> the claim as the payer reads it: its billing provider, subscriber and patient
    loops and the claim and line segments, without envelope, HL numbering or control numbers
    (which depend on how claims were cut into interchanges)."""
    claims = {}
    levels = ("20", "22", "23")
    for path in paths:
        separator = pathlib.Path(path).read_text()[3]
        loops = {level: [] for level in levels}
        current = None
        level = None
        for segment in segments(path):
            elements = segment.split(separator)
            tag = elements[0]
            if tag in ("ISA", "GS", "ST", "BHT", "SE", "GE", "IEA"):
                current, level = None, None
                continue
            if tag == "HL":
                current, level = None, elements[3]
                for deeper in levels[levels.index(level):]:
                    loops[deeper] = []
                continue
            if tag == "CLM":
                current = elements[1]
                parties = [s for lvl in levels[:levels.index(level) + 1] for s in loops[lvl]]
                claims.setdefault(current, []).append(parties + [segment])
                continue
            if current is not None:
                claims[current][-1].append(segment)
            elif level is not None:
                loops[level].append(segment)
    return claims


def validate(paths):
    """`fhir837 validate` over every file: (exit code, output)."""
    if not paths:
        return 0, ""
    done = subprocess.run([BINARY, "validate", *map(str, paths)], capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def convert(inputs, out, config):
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    state = pathlib.Path(out) / "state"
    done = subprocess.run([BINARY, "convert", "--config", config, "--state-dir", str(state),
                           "--quiet", "-o", str(pathlib.Path(out) / "out"), *map(str, inputs)],
                          capture_output=True, text=True, env=env)
    return done.returncode, sorted((pathlib.Path(out) / "out").glob("*.837"))


def shuffled(items, seed):
    items = list(items)
    random.Random(seed).shuffle(items)
    return items


class _KeptDir:
    """A work dir kept after the test (FHIR837_KEEP_WORK=1), to read the daemon's log."""

    def __init__(self):
        self.name = tempfile.mkdtemp(prefix="fhir837-daemon-")

    def __enter__(self):
        return self.name

    def __exit__(self, *exc):
        print(f"work dir kept: {self.name}")

    def cleanup(self):
        self.__exit__()


def temp_dir():
    if os.environ.get("FHIR837_KEEP_WORK"):
        return _KeptDir()
    return tempfile.TemporaryDirectory(prefix="fhir837-daemon-")


def event_keys(resources):
    return [f"{r['resourceType']}/{r['id']}" for r in resources
            if r["resourceType"] in ("MedicationAdministration", "Procedure")]


def remove_tree(path):
    shutil.rmtree(path, ignore_errors=True)


class DaemonTestCase(unittest.TestCase):
    """A test with its own work dir and the daemons it started, closed at the end."""

    def setUp(self):
        self.temp = temp_dir()
        self.work = self.temp.name
        self.daemons = []

    def tearDown(self):
        for daemon in self.daemons:
            daemon.close()
        self.temp.cleanup()

    def daemon(self, env=None, **serve):
        """A started daemon on a test config with `serve` as its [serve] section."""
        daemon = Daemon(self.work, test_config(self.work, **serve))
        daemon.env.update(env or {})
        self.daemons.append(daemon)
        return daemon.start()
