"""The 3-node NATS harness itself: formed, one JetStream meta leader, survives losing a node."""
import time
import unittest

from nats_cluster import NatsCluster, nats_server_missing


@unittest.skipIf(nats_server_missing(), nats_server_missing())
class NatsClusterTest(unittest.TestCase):
    def test_three_nodes_route_to_each_other_and_elect_one_meta_leader(self):
        with NatsCluster() as cluster:
            # A full mesh of 3: each node has exactly 2 routes (one per peer).
            self.assertEqual([node.route_count() for node in cluster.nodes], [2, 2, 2])
            leaders = {node.meta_leader() for node in cluster.nodes}
            self.assertEqual(len(leaders), 1)
            self.assertIn(leaders.pop(), {"n1", "n2", "n3"})
            self.assertEqual(cluster.nodes[0].monitor("jsz")["meta_cluster"]["cluster_size"], 3)

    def test_killing_one_node_leaves_two_with_a_leader_and_it_rejoins(self):
        with NatsCluster() as cluster:
            victim = cluster.leader()  # the hardest case: the meta leader dies
            cluster.kill(victim)
            survivors = [node for node in cluster.nodes if node.name != victim]
            started = time.monotonic()
            cluster.wait_formed(survivors)
            elected = time.monotonic() - started
            new_leader = survivors[0].meta_leader()
            self.assertIn(new_leader, {node.name for node in survivors})
            self.assertEqual([node.route_count() for node in survivors], [1, 1])
            print(f"\nmeta leader {victim} killed -9, {new_leader} elected in {elected:.2f}s")

            cluster.restart(victim)
            self.assertEqual([node.route_count() for node in cluster.nodes], [2, 2, 2])
            self.assertEqual(len({node.meta_leader() for node in cluster.nodes}), 1)


if __name__ == "__main__":
    unittest.main()
