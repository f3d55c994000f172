"""Several `fhir837 serve` instances over one NATS JetStream cluster (issue 12), driven the way
interface engines drive them: billable encounters PUT concurrently to every live instance, a
request that meets a dead instance retried on the next one; then every outbox read back and
checked (each encounter billed exactly once, no ISA13 twice, every file valid).

Without `nats` the instances are single-node daemons (no [cluster] section): the generator,
poster and checker work the same, which is how they test themselves."""
import collections
import dataclasses
import http.client
import itertools
import json
import pathlib
import threading
import time

from serve_harness import Daemon, segments, test_config, validate, wait_until

BILLING = "urn:example:prairie:visit"
# Reference data every encounter points at (no patient in it): sent once before the load.
SHARED = [
    {"resourceType": "Organization", "id": "org-prairie",
     "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"},
                    {"system": "urn:oid:2.16.840.1.113883.4.4", "value": "37-1234567"}],
     "type": [{"coding": [{"system": "http://nucc.org/provider-taxonomy", "code": "261QI0500X"}]}],
     "name": "Prairie Infusion Center",
     "address": [{"use": "work", "line": ["100 Main St"], "city": "Springfield", "state": "IL",
                  "postalCode": "62701-1234"}]},
    {"resourceType": "Organization", "id": "org-aetna",
     "identifier": [{"type": {"coding": [{
         "system": "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType",
         "code": "payerid"}]}, "value": "60054"}], "name": "Aetna"},
    {"resourceType": "Practitioner", "id": "prac-smith",
     "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1987654328"}],
     "name": [{"family": "Smith", "given": ["John"]}]},
    {"resourceType": "Location", "id": "loc-office", "name": "Prairie Infusion Center Suite 2",
     "type": [{"coding": [{
         "system": "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set",
         "code": "11", "display": "Office"}]}],
     "address": {"line": ["100 Main St"], "city": "Springfield", "state": "IL",
                 "postalCode": "62701-1234"}},
    {"resourceType": "Medication", "id": "med-hizentra",
     "code": {"coding": [{"system": "http://hl7.org/fhir/sid/ndc", "code": "12345-6789-01",
                          "display": "Immune globulin SC (human) 20% (sample NDC)"}]},
     "ingredient": [{"itemCodeableConcept": {"text": "Immune globulin subcutaneous (human)"},
                     "strength": {"numerator": {"value": 200, "system": "http://unitsofmeasure.org",
                                                "code": "mg"},
                                  "denominator": {"value": 1, "system": "http://unitsofmeasure.org",
                                                  "code": "mL"}}}]},
    {"resourceType": "Device", "id": "pump-01",
     "deviceName": [{"name": "Ambulatory SC infusion pump", "type": "user-friendly-name"}]},
]

# The two shapes of encounter (samples 01 and 14) and the lines each must be billed with.
ONE_INFUSION = [("09:00", "10:35", "61685007", "Lower limb structure", 10)]
TWO_SITES = [("09:00", "10:00", "61685007", "Lower limb structure", 10),
             ("10:20", "11:20", "818981001", "Abdomen", 4)]
LINES = {1: ["96369 x1", "96370 x1", "J1559 x100"],
         2: ["96369 x1", "J1559 x100", "96371 x1", "J1559 x40"]}
ENCOUNTERS_PER_PATIENT = 2


@dataclasses.dataclass
class Encounter:
    """One billable encounter: what to PUT (in that order) and the claim it must become."""
    claim_id: str      # CLM01: the visit identifier
    member_id: str     # NM1*IL*...*MI*<member_id>
    lines: list        # ["96369 x1", ...], in claim order
    administrations: list
    encounter: dict    # finished; PUT last, after the events it groups

    def open_encounter(self):
        """The same Encounter still in progress (no end): not due before bill_after."""
        opened = json.loads(json.dumps(self.encounter))
        opened["status"] = "in-progress"
        del opened["period"]["end"]
        return opened


@dataclasses.dataclass
class Patient:
    resources: list    # Patient, Coverage, Condition
    encounters: list


def ref(key):
    return {"reference": key}


def generate(patients, first=1):
    """`patients` patients with ENCOUNTERS_PER_PATIENT finished encounters each (on consecutive
    days), alternating one 95-minute infusion (96369 + 96370) and two pumps at two sites
    (96369 + 96371), each with its J1559 line; every Coverage names the same payer."""
    out = []
    for p in range(first, first + patients):
        pid = f"pat-{p}"
        member = f"W{p:09d}"
        resources = [
            {"resourceType": "Patient", "id": pid,
             "name": [{"use": "official", "family": "Doe", "given": ["Jane"]}], "gender": "female",
             "birthDate": "1980-01-15",
             "address": [{"use": "home", "line": ["42 Elm St"], "city": "Springfield",
                          "state": "IL", "postalCode": "62704"}]},
            {"resourceType": "Coverage", "id": f"cov-{p}", "status": "active",
             "subscriber": ref(f"Patient/{pid}"), "subscriberId": member,
             "beneficiary": ref(f"Patient/{pid}"),
             "relationship": {"coding": [{
                 "system": "http://terminology.hl7.org/CodeSystem/subscriber-relationship",
                 "code": "self"}]},
             "payor": [ref("Organization/org-aetna")],
             "class": [{"type": {"coding": [{
                 "system": "http://terminology.hl7.org/CodeSystem/coverage-class",
                 "code": "group"}]}, "value": "GRP001", "name": "Example Employer Group"}]},
            {"resourceType": "Condition", "id": f"cond-{p}",
             "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "D80.1",
                                  "display": "Nonfamilial hypogammaglobulinemia"}]},
             "subject": ref(f"Patient/{pid}")},
        ]
        encounters = []
        for e in range(ENCOUNTERS_PER_PATIENT):
            n = (p - 1) * ENCOUNTERS_PER_PATIENT + e + 1
            day = f"2025-03-{10 + e:02d}"
            infusions = TWO_SITES if n % 2 == 0 else ONE_INFUSION
            eid = f"enc-{n}"
            administrations = [
                {"resourceType": "MedicationAdministration", "id": f"ma-{n}-{i + 1}",
                 "status": "completed", "medicationReference": ref("Medication/med-hizentra"),
                 "subject": ref(f"Patient/{pid}"), "context": ref(f"Encounter/{eid}"),
                 "effectivePeriod": {"start": f"{day}T{start}:00-05:00",
                                     "end": f"{day}T{end}:00-05:00"},
                 "performer": [{"actor": ref("Practitioner/prac-smith")}],
                 "reasonReference": [ref(f"Condition/cond-{p}")],
                 "device": [ref("Device/pump-01")],
                 "dosage": {"text": f"Hizentra {grams} g SC via pump",
                            "site": {"coding": [{"system": "http://snomed.info/sct",
                                                 "code": site, "display": site_name}]},
                            "route": {"coding": [{"system": "http://snomed.info/sct",
                                                  "code": "34206005",
                                                  "display": "Subcutaneous route"}]},
                            "method": {"text": "Subcutaneous infusion by pump"},
                            "dose": {"value": grams, "unit": "g",
                                     "system": "http://unitsofmeasure.org", "code": "g"},
                            "rateQuantity": {"value": 35, "unit": "mL/h",
                                             "system": "http://unitsofmeasure.org",
                                             "code": "mL/h"}}}
                for i, (start, end, site, site_name, grams) in enumerate(infusions)]
            encounter = {
                "resourceType": "Encounter", "id": eid,
                "identifier": [{"system": BILLING, "value": f"INF{n:011d}"}],
                "status": "finished",
                "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                          "code": "AMB"},
                "subject": ref(f"Patient/{pid}"),
                "period": {"start": f"{day}T08:45:00-05:00", "end": f"{day}T11:30:00-05:00"},
                "diagnosis": [{"condition": ref(f"Condition/cond-{p}"), "rank": 1}],
                "location": [{"location": ref("Location/loc-office")}],
                "serviceProvider": ref("Organization/org-prairie")}
            encounters.append(Encounter(f"INF{n:011d}", member, LINES[len(infusions)],
                                        administrations, encounter))
        out.append(Patient(resources, encounters))
    return out


def all_encounters(patients):
    return [e for p in patients for e in p.encounters]


def resource_count(patients):
    """How many PUTs posting `patients` takes."""
    return sum(len(p.resources) + sum(len(e.administrations) + 1 for e in p.encounters)
               for p in patients)


class Poster:
    """PUTs resources from `threads` threads, each request to the next target in round-robin.
    A request that fails on the connection (refused, reset, closed before the answer) or is
    answered 503 goes to the next target: a PUT is idempotent and the stream deduplicates, so a
    retry never makes a second version. Any other answer but 200/201 is an error, recorded."""

    RETRY_FOR = 120  # seconds one resource may keep failing over before it counts as an error

    def __init__(self, ports, threads=8, timeout=60):
        self.lock = threading.Lock()
        self.ports = list(ports)
        self.threads = threads
        self.timeout = timeout
        self.turn = itertools.count()
        self.acked = 0          # resources answered 200/201
        self.failovers = 0      # attempts that failed on the connection
        self.unavailable = 0    # attempts answered 503
        self.statuses = collections.Counter()
        self.errors = []        # (resource key, what happened)
        self.workers = []
        self.halt = threading.Event()

    def _next_port(self):
        with self.lock:
            return self.ports[next(self.turn) % len(self.ports)]

    def put(self, connections, resource):
        """One resource until answered 200/201 (True) or RETRY_FOR is over (False)."""
        key = f"{resource['resourceType']}/{resource['id']}"
        body = json.dumps(resource)
        headers = {"Content-Type": "application/fhir+json", "Prefer": "return=minimal"}
        until = time.monotonic() + self.RETRY_FOR
        failed_in_a_row = 0
        while time.monotonic() < until and not self.halt.is_set():
            port = self._next_port()
            connection = connections.get(port)
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout)
                connections[port] = connection
            try:
                connection.request("PUT", f"/fhir/{key}", body, headers)
                response = connection.getresponse()
                answer = response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                del connections[port]
                with self.lock:
                    self.failovers += 1
                status = None
            if status in (200, 201):
                with self.lock:
                    self.acked += 1
                    self.statuses[status] += 1
                return True
            if status is not None and status != 503:
                with self.lock:
                    self.errors.append((key, f"HTTP {status} from port {port}: {answer[:300]!r}"))
                return False
            if status == 503:
                with self.lock:
                    self.unavailable += 1
            failed_in_a_row += 1
            if failed_in_a_row % max(1, len(self.ports)) == 0:
                # Every target failed once: back off instead of spinning (a NATS leader change
                # can refuse writes for seconds).
                self.halt.wait(0.1)
        with self.lock:
            self.errors.append((key, f"not acknowledged within {self.RETRY_FOR} s"))
        return False

    def post_patients(self, patients, open_claims=()):
        """Start the threads over `patients`; each patient's resources in order, each
        encounter's events before its Encounter (finished, or still open when its claim id is
        in `open_claims`)."""
        work = iter(list(patients))
        take = threading.Lock()

        def worker():
            connections = {}
            try:
                while not self.halt.is_set():
                    with take:
                        patient = next(work, None)
                    if patient is None:
                        return
                    for resource in patient.resources:
                        self.put(connections, resource)
                    for encounter in patient.encounters:
                        for administration in encounter.administrations:
                            self.put(connections, administration)
                        self.put(connections, encounter.open_encounter()
                                 if encounter.claim_id in open_claims else encounter.encounter)
            finally:
                for connection in connections.values():
                    connection.close()

        self.workers = [threading.Thread(target=worker, daemon=True) for _ in range(self.threads)]
        for thread in self.workers:
            thread.start()
        return self

    def post_resources(self, resources):
        """Each resource in order from one thread (shared data, finishing updates)."""
        connections = {}
        try:
            return all([self.put(connections, resource) for resource in resources])
        finally:
            for connection in connections.values():
                connection.close()

    def join(self, deadline):
        until = time.monotonic() + deadline
        for thread in self.workers:
            thread.join(max(0.0, until - time.monotonic()))
        if any(thread.is_alive() for thread in self.workers):
            self.halt.set()
            raise AssertionError(f"poster not done within {deadline} s ({self.acked} acked)")


@dataclasses.dataclass
class Interchange:
    path: pathlib.Path
    isa13: str
    claims: list       # (CLM01, member id, ["96369 x1", ...])


def read_interchange(path):
    text = path.read_text()
    separator = text[3]
    isa13 = text[:106].split(separator)[13]
    claims, member = [], None
    for segment in segments(path):
        elements = segment.split(separator)
        tag = elements[0]
        if tag == "NM1" and elements[1] == "IL":
            member = elements[9]
        elif tag == "CLM":
            claims.append((elements[1], member, []))
        elif tag == "SV1" and claims:
            claims[-1][2].append(f"{elements[1].split(':')[1]} x{elements[4]}")
        elif tag == "SV2" and claims:
            claims[-1][2].append(f"{elements[2].split(':')[1]} x{elements[5]}")
    return Interchange(path, isa13, claims)


class Outboxes:
    """Every instance's outbox, read incrementally (an interchange is renamed into place whole
    and never changes, so each file is parsed once)."""

    def __init__(self, directories):
        self.directories = [pathlib.Path(d) for d in directories]
        self.read = {}

    def interchanges(self):
        for directory in self.directories:
            if directory.exists():
                for path in sorted(directory.glob("*.837")):
                    if path not in self.read:
                        self.read[path] = read_interchange(path)
        return list(self.read.values())

    def claim_ids(self):
        return collections.Counter(c[0] for i in self.interchanges() for c in i.claims)

    def wait_billed(self, claim_ids, deadline):
        """Until every claim id is in some interchange; returns the seconds it took."""
        wanted = set(claim_ids)
        started = time.monotonic()
        try:
            wait_until(lambda: wanted <= set(self.claim_ids()), deadline,
                       f"{len(wanted)} claims in the outboxes")
        except AssertionError as timeout:
            have = set(self.claim_ids())
            raise AssertionError(f"{timeout} (have {len(wanted & have)}; missing e.g. "
                                 f"{sorted(wanted - have)[:5]})") from None
        return time.monotonic() - started

    def report_lines(self):
        """Every report.ndjson line of every outbox that names a claim."""
        out = []
        for directory in self.directories:
            path = directory / "report.ndjson"
            if path.exists():
                out += [line for line in map(json.loads, path.read_text().splitlines())
                        if line.get("claim_id")]
        return out

    def problems(self, encounters):
        """Everything wrong with the outboxes as a list of sentences (empty: all good): each
        encounter billed exactly once with its member id and lines, nothing else billed, no
        ISA13 in two interchanges, every file valid, report.ndjson one line per claim."""
        expected = {e.claim_id: e for e in encounters}
        interchanges = self.interchanges()
        found = collections.defaultdict(list)
        for interchange in interchanges:
            for claim_id, member, lines in interchange.claims:
                found[claim_id].append((interchange.path, member, lines))
        out = []
        missing = sorted(set(expected) - set(found))
        if missing:
            out.append(f"{len(missing)} encounters not billed, e.g. {missing[:5]}")
        unexpected = sorted(set(found) - set(expected))
        if unexpected:
            out.append(f"{len(unexpected)} claims nobody posted, e.g. {unexpected[:5]}")
        doubled = {c: [str(p) for p, _, _ in f] for c, f in found.items() if len(f) > 1}
        if doubled:
            first = sorted(doubled)[:3]
            out.append(f"{len(doubled)} claims billed more than once, e.g. "
                       + "; ".join(f"{c} in {doubled[c]}" for c in first))
        for claim_id, copies in sorted(found.items()):
            if claim_id in expected:
                want = expected[claim_id]
                for path, member, lines in copies:
                    if (member, lines) != (want.member_id, want.lines):
                        out.append(f"{claim_id} in {path}: member {member} lines {lines}, "
                                   f"expected {want.member_id} {want.lines}")
        isa13 = collections.defaultdict(list)
        for interchange in interchanges:
            isa13[interchange.isa13].append(str(interchange.path))
        repeated = {n: p for n, p in isa13.items() if len(p) > 1}
        if repeated:
            out.append(f"{len(repeated)} ISA13 used more than once, e.g. "
                       f"{sorted(repeated.items())[:3]}")
        paths = [i.path for i in interchanges]
        for chunk in range(0, len(paths), 500):
            code, output = validate(paths[chunk:chunk + 500])
            if code != 0:
                out.append(f"fhir837 validate exit {code}: {output[-2000:]}")
        # A claim's own line comes from the round that built it; an instance that finds the
        # claim already in the ledger (a crash between file and report, or another instance
        # billed it first) writes a line `recovered_from_ledger` naming the claim's file.
        lines = self.report_lines()
        built = collections.Counter(l["claim_id"] for l in lines if not l.get("recovered_from_ledger"))
        reported = {l["claim_id"] for l in lines}
        if reported != set(found):
            out.append(f"report.ndjson claims differ from the interchanges': "
                       f"{sorted(set(found) - reported)[:5]} not reported, "
                       f"{sorted(reported - set(found))[:5]} reported without an interchange")
        twice = sorted(c for c, n in built.items() if n > 1)
        if twice:
            out.append(f"{len(twice)} claims with two report lines of their own, e.g. {twice[:5]}")
        files = {(i.path.name, int(i.isa13)) for i in interchanges}
        for line in lines:
            if line.get("recovered_from_ledger") and (
                    line["interchange_file"], line["isa13"]) not in files:
                out.append(f"report line for {line['claim_id']} names "
                           f"{line['interchange_file']} ISA13 {line['isa13']}, in no outbox")
                break
        return out

    def summary(self):
        interchanges = self.interchanges()
        per_outbox = collections.Counter(i.path.parent.parent.name for i in interchanges)
        claims = sum(len(i.claims) for i in interchanges)
        return (f"{claims} claims in {len(interchanges)} interchanges "
                f"({', '.join(f'{k}: {v}' for k, v in sorted(per_outbox.items()))})")


def cluster_config(directory, nats_urls, instance, partitions=64, replicas=3, member_ttl="4s",
                   **serve):
    """The test config with `serve` as [serve] and, when `nats_urls`, a [cluster] section."""
    path = pathlib.Path(test_config(directory, **serve))
    if nats_urls:
        urls = ", ".join(f'"{url}"' for url in nats_urls)
        with path.open("a") as out:
            out.write(f"\n[cluster]\nnats = [{urls}]\ninstance = \"{instance}\"\n"
                      f"partitions = {partitions}\nreplicas = {replicas}\n"
                      f"member_ttl = \"{member_ttl}\"\n")
    return str(path)


class Instances:
    """`count` daemons named a, b, c..., each in <work>/<name> with its own state dir and
    outbox, all on the same NATS cluster (or single-node when `nats_urls` is None)."""

    def __init__(self, work, count, nats_urls, **serve):
        self.daemons = {}
        self.log_offsets = {}  # where each daemon.log stood at the instance's last start
        for name in "abcdefgh"[:count]:
            directory = pathlib.Path(work) / name
            directory.mkdir(parents=True, exist_ok=True)
            config = cluster_config(directory, nats_urls, name, **serve)
            self.daemons[name] = Daemon(directory, config)

    def start(self, names=None):
        for name in names or self.daemons:
            log = self.daemons[name].work / "daemon.log"
            self.log_offsets[name] = log.stat().st_size if log.exists() else 0
            self.daemons[name].start()
        return self

    def live(self):
        return [d for d in self.daemons.values() if d.process and d.process.poll() is None]

    def ports(self):
        return [d.port for d in self.live()]

    def outboxes(self):
        return Outboxes([d.outbox for d in self.daemons.values()])

    def members_seen(self, name):
        """The members named by `name`'s latest `cluster_partitions` log line since its last
        start (as a set), or None before its first one."""
        log = self.daemons[name].work / "daemon.log"
        with log.open("rb") as text:
            text.seek(self.log_offsets.get(name, 0))
            lines = text.read().decode(errors="replace").splitlines()
        seen = None
        for line in lines:
            if line.startswith("{") and '"event":"cluster_partitions"' in line:
                seen = set(json.loads(line)["members"].split(","))
        return seen

    def wait_members_agree(self, deadline):
        """Until every live instance's latest member list is exactly the live instances."""
        live = {name for name, d in self.daemons.items()
                if d.process and d.process.poll() is None}
        try:
            wait_until(lambda: all(self.members_seen(name) == live for name in live), deadline,
                       f"every instance of {sorted(live)} seeing exactly those as members")
        except AssertionError as timeout:
            now = {name: sorted(self.members_seen(name) or []) for name in sorted(live)}
            raise AssertionError(f"{timeout}; last seen: {now}") from None

    def stop(self):
        """SIGTERM to every live instance; their exit codes by name."""
        return {name: d.stop() for name, d in self.daemons.items()
                if d.process and d.process.poll() is None}

    def close(self):
        for daemon in self.daemons.values():
            daemon.close()
