"""The scale-out proof of issue 12: a real 3-node NATS JetStream cluster on loopback and three
`fhir837 serve` instances ([cluster] section), encounters PUT to all three at once by concurrent
clients that fail over to another instance when one does not answer. Whatever happens (an
instance or a NATS node killed with -9 mid-load, everything stopped and started cold), every
encounter ends up billed exactly once across all outboxes, no ISA13 is used twice, and every
interchange passes `fhir837 validate`.

Sizes (patients, 2 encounters each): the clean run posts 2,000 encounters by default (about four
minutes under the ASan build, whose billing runs at about 8 claims/s in cluster mode); the fault
runs are smaller so that each takes one to two minutes. FHIR837_CLUSTER_PATIENTS (the clean run)
and FHIR837_CLUSTER_FAULT_PATIENTS (the fault runs) change them, e.g. 1500 on the release build.
FHIR837_CLUSTER_SEED repeats a fault run's random moment and victim (each run prints its seed)."""
import os
import pathlib
import random
import shutil
import time
import unittest

from cluster_harness import (Instances, Outboxes, Poster, SHARED, all_encounters, generate,
                             resource_count)
from nats_cluster import NatsCluster, nats_server_missing
from serve_harness import temp_dir, wait_until

PATIENTS = int(os.environ.get("FHIR837_CLUSTER_PATIENTS", "1000"))
FAULT_PATIENTS = int(os.environ.get("FHIR837_CLUSTER_FAULT_PATIENTS", "100"))
POSTED_WITHIN = 300  # seconds for the whole load to be acknowledged
BILLED_WITHIN = 900  # seconds after that for every claim to be in an outbox (ASan, shared CI)
MEMBER_TTL = 4  # seconds, [cluster] member_ttl of the instances (cluster_harness default)


def seeded():
    seed = int(os.environ.get("FHIR837_CLUSTER_SEED") or random.SystemRandom().randrange(2**31))
    print(f"\nseed {seed} (FHIR837_CLUSTER_SEED={seed} repeats this run)", flush=True)
    return random.Random(seed)


@unittest.skipIf(nats_server_missing(), nats_server_missing())
class ClusterTest(unittest.TestCase):
    def setUp(self):
        self.temp = temp_dir()
        self.addCleanup(self.temp.cleanup)
        self.nats = NatsCluster()
        self.addCleanup(self.nats.stop)
        self.nats.start()

    def instances(self, count=3):
        instances = Instances(self.temp.name, count, [node.url for node in self.nats.nodes],
                              bill_after="1h")
        self.addCleanup(instances.close)
        return instances.start()

    def load(self, instances, patients, open_claims=()):
        """The shared reference data, then `patients` from 12 client threads at once."""
        poster = Poster(instances.ports(), threads=12)
        self.assertTrue(poster.post_resources(SHARED), poster.errors)
        return poster.post_patients(patients, open_claims)

    def assert_all_acknowledged(self, poster, patients, shared=True):
        poster.join(POSTED_WITHIN)
        self.assertEqual(poster.errors, [])
        self.assertEqual(poster.acked, (len(SHARED) if shared else 0) + resource_count(patients))

    def assert_exactly_once(self, instances, encounters):
        """Every instance stopped cleanly, then the outboxes hold exactly `encounters`."""
        self.assertEqual(set(instances.stop().values()), {0})
        outboxes = instances.outboxes()
        self.assertEqual(outboxes.problems(encounters), [])
        print(outboxes.summary(), flush=True)
        return outboxes

    def test_three_instances_bill_every_encounter_exactly_once(self):
        instances = self.instances()
        patients = generate(PATIENTS)
        encounters = all_encounters(patients)
        started = time.monotonic()
        poster = self.load(instances, patients)
        self.assert_all_acknowledged(poster, patients)
        posted = time.monotonic() - started
        # Nothing failed, so every PUT was a first write: 201, never a retry's 200.
        self.assertEqual(dict(poster.statuses), {201: poster.acked})
        self.assertEqual(poster.failovers, 0)
        outboxes = instances.outboxes()
        outboxes.wait_billed([e.claim_id for e in encounters], BILLED_WITHIN)
        billed = time.monotonic() - started
        print(f"\n{poster.acked} resources acknowledged in {posted:.1f} s, "
              f"{len(encounters)} claims billed {billed:.1f} s after the first PUT", flush=True)
        self.assert_exactly_once(instances, encounters)
        # The partitions were spread: every instance billed some of them.
        for name, daemon in instances.daemons.items():
            self.assertNotEqual(daemon.interchanges(), [], f"instance {name} billed nothing")

    def test_an_instance_killed_mid_load_loses_and_doubles_nothing(self):
        rng = seeded()
        instances = self.instances()
        patients = generate(FAULT_PATIENTS)
        encounters = all_encounters(patients)
        total = len(SHARED) + resource_count(patients)
        at = rng.randint(total // 5, total * 3 // 5)
        victim = rng.choice(sorted(instances.daemons))
        print(f"kill -9 instance {victim} once {at} of {total} resources are acknowledged",
              flush=True)
        poster = self.load(instances, patients)
        wait_until(lambda: poster.acked >= at, POSTED_WITHIN, f"{at} resources acknowledged")
        instances.daemons[victim].kill()
        self.assert_all_acknowledged(poster, patients)
        # Requests to the dead instance went to the others: the poster met the dead port.
        self.assertGreater(poster.failovers, 0)
        outboxes = instances.outboxes()
        # All billed while the victim is down: its partitions moved to the two others.
        waited = outboxes.wait_billed([e.claim_id for e in encounters], BILLED_WITHIN)
        print(f"{poster.failovers} requests failed over; every claim billed {waited:.1f} s after "
              f"the load was acknowledged", flush=True)

        # The victim restarts on its state dir, takes partitions back and bills again: once all
        # three see each other, a few more patients, some of them in its partitions
        # (probability of none: (2/3)^30).
        instances.start([victim])
        instances.wait_members_agree(3 * MEMBER_TTL)
        late = generate(30, first=FAULT_PATIENTS + 1)
        late_poster = Poster(instances.ports(), threads=4).post_patients(late)
        self.assert_all_acknowledged(late_poster, late, shared=False)
        late_claims = {e.claim_id for e in all_encounters(late)}
        outboxes.wait_billed(late_claims, BILLED_WITHIN)
        victim_claims = {c[0] for path in instances.daemons[victim].interchanges()
                         for c in outboxes.read[path].claims}
        self.assertTrue(victim_claims & late_claims, f"restarted {victim} billed none of the late")
        self.assert_exactly_once(instances, encounters + all_encounters(late))

    def test_a_nats_node_killed_mid_load_writes_go_on_with_two_of_three(self):
        rng = seeded()
        instances = self.instances()
        patients = generate(FAULT_PATIENTS)
        encounters = all_encounters(patients)
        total = len(SHARED) + resource_count(patients)
        at = rng.randint(total // 5, total * 3 // 5)
        victim = rng.choice([node.name for node in self.nats.nodes])
        leader = self.nats.leader()
        print(f"kill -9 NATS node {victim} (meta leader: {leader}) once {at} of {total} "
              f"resources are acknowledged", flush=True)
        poster = self.load(instances, patients)
        wait_until(lambda: poster.acked >= at, POSTED_WITHIN, f"{at} resources acknowledged")
        self.nats.kill(victim)
        killed_at, acked_at_kill = time.monotonic(), poster.acked
        more = min(200, total - acked_at_kill)
        wait_until(lambda: poster.acked >= acked_at_kill + more, 60,
                   f"{more} more writes acknowledged with {victim} dead")
        print(f"{more} more writes acknowledged {time.monotonic() - killed_at:.1f} s after the "
              f"kill", flush=True)
        self.assert_all_acknowledged(poster, patients)
        self.assertFalse(self.nats.node(victim).running())
        waited = instances.outboxes().wait_billed([e.claim_id for e in encounters],
                                                  BILLED_WITHIN)
        print(f"every claim billed {waited:.1f} s after the load was acknowledged; "
              f"{poster.unavailable} answers 503, {poster.failovers} failovers", flush=True)
        self.assert_exactly_once(instances, encounters)

    def test_everything_stopped_and_started_cold_bills_the_pending_once(self):
        rng = seeded()
        instances = self.instances()
        patients = generate(FAULT_PATIENTS)
        encounters = all_encounters(patients)
        # A fifth of the encounters still open at the stop (bill_after is 1 h): pending.
        pending = rng.sample(encounters, len(encounters) // 5)
        open_claims = {e.claim_id for e in pending}
        closed = [e for e in encounters if e.claim_id not in open_claims]
        poster = self.load(instances, patients, open_claims)
        self.assert_all_acknowledged(poster, patients)
        outboxes = instances.outboxes()
        outboxes.wait_billed([e.claim_id for e in closed], BILLED_WITHIN)
        self.assertEqual(set(outboxes.claim_ids()) & open_claims, set())

        self.assertEqual(set(instances.stop().values()), {0})
        for node in self.nats.nodes:
            node.stop()
        for node in self.nats.nodes:
            node.start()
        self.nats.wait_formed(self.nats.nodes)
        instances.start()
        self.assertEqual(set(outboxes.claim_ids()) & open_claims, set())

        # The open encounters finish; a few billed patients are sent again, unchanged.
        again = rng.sample(patients, 10)
        resent = SHARED + [r for p in again for r in p.resources] + [
            r for p in again for e in p.encounters for r in e.administrations + [e.encounter]
            if e.claim_id not in open_claims]
        again_poster = Poster(instances.ports(), threads=1)
        self.assertTrue(again_poster.post_resources(resent), again_poster.errors)
        # A repeat is answered 200 only while the stream's dedup window (2 min) remembers it;
        # later it is new to the stream (201) and unchanged for the journal that applies it.
        self.assertLessEqual(set(again_poster.statuses), {200, 201})
        finishing = Poster(instances.ports(), threads=1)
        self.assertTrue(finishing.post_resources([e.encounter for e in pending]), finishing.errors)
        # New content is 201 in cluster mode: the stream cannot tell a new id from a new version.
        self.assertEqual(dict(finishing.statuses), {201: len(pending)})
        outboxes.wait_billed(open_claims, BILLED_WITHIN)
        self.assert_exactly_once(instances, encounters)


class HarnessTest(unittest.TestCase):
    """The generator, poster and checker on one single-node daemon (no NATS needed): a clean run
    passes, and the checker sees a claim in two outboxes, a repeated ISA13 and a missing claim."""

    def test_the_checker_passes_a_clean_run_and_names_what_is_wrong(self):
        with temp_dir() as work:
            instances = Instances(work, 1, None, bill_after="1h")
            self.addCleanup(instances.close)
            instances.start()
            patients = generate(10)
            encounters = all_encounters(patients)
            poster = Poster(instances.ports(), threads=4)
            self.assertTrue(poster.post_resources(SHARED), poster.errors)
            poster.post_patients(patients).join(120)
            self.assertEqual(poster.errors, [])
            self.assertEqual(dict(poster.statuses), {201: len(SHARED) + resource_count(patients)})
            instances.outboxes().wait_billed([e.claim_id for e in encounters], 120)
            self.assertEqual(instances.stop(), {"a": 0})
            outboxes = instances.outboxes()
            self.assertEqual(outboxes.problems(encounters), [])
            # Both shapes of encounter were billed with their own lines.
            lines = {tuple(c[2]) for i in outboxes.interchanges() for c in i.claims}
            self.assertEqual(lines, {("96369 x1", "96370 x1", "J1559 x100"),
                                     ("96369 x1", "J1559 x100", "96371 x1", "J1559 x40")})

            # The same interchange in a second outbox: billed twice, ISA13 twice.
            first = outboxes.interchanges()[0]
            other = pathlib.Path(work) / "other"
            other.mkdir()
            shutil.copy(first.path, other / first.path.name)
            doubled = Outboxes([instances.daemons["a"].outbox, other])
            problems = doubled.problems(encounters)
            self.assertEqual(len(problems), 2, problems)
            self.assertTrue(problems[0].startswith(
                f"{len(first.claims)} claims billed more than once, e.g. {first.claims[0][0]} in"),
                problems[0])
            self.assertTrue(problems[1].startswith(
                f"1 ISA13 used more than once, e.g. [('{first.isa13}', "), problems[1])
            # An encounter nobody billed.
            ghost = generate(1, first=900)[0].encounters[0]
            self.assertEqual(outboxes.problems(encounters + [ghost]),
                             ["1 encounters not billed, e.g. ['INF00000001799']"])


if __name__ == "__main__":
    unittest.main()
