"""A real 3-node nats-server cluster with JetStream on loopback, for the scale-out tests (issue 12).

Each node has its own config file and store_dir in a temp directory, client/route/monitor ports
picked free on 127.0.0.1. Every wait polls the monitoring endpoint with a deadline."""
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

NATS_SERVER = os.environ.get("NATS_SERVER", shutil.which("nats-server") or "")


def nats_server_missing():
    """The reason to skip, or None when nats-server can run."""
    if not NATS_SERVER or not os.access(NATS_SERVER, os.X_OK):
        return "nats-server not installed (Debian package nats-server, scripts/setup.sh)"
    return None


def free_port():
    # Closed before nats-server binds it: another process may take it in between, which start()
    # reports as a node that never answered (rare on loopback; rerun).
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, deadline, what):
    until = time.monotonic() + deadline
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= until:
            raise AssertionError(f"timed out after {deadline}s waiting for {what}")
        time.sleep(0.05)


class Node:
    def __init__(self, work, name, cluster_ports, index):
        self.name = name
        self.dir = pathlib.Path(work) / name
        self.store = self.dir / "jetstream"
        self.store.mkdir(parents=True)
        self.port = free_port()
        self.http_port = free_port()
        self.cluster_port = cluster_ports[index]
        routes = ", ".join(f"nats-route://127.0.0.1:{p}" for i, p in enumerate(cluster_ports)
                           if i != index)
        self.config = self.dir / "nats.conf"
        self.config.write_text(
            f'server_name: "{name}"\n'
            f"listen: 127.0.0.1:{self.port}\n"
            f"http: 127.0.0.1:{self.http_port}\n"
            f'jetstream {{ store_dir: "{self.store}" }}\n'
            f"cluster {{\n  name: fhir837test\n  listen: 127.0.0.1:{self.cluster_port}\n"
            f"  routes: [{routes}]\n}}\n")
        self.process = None
        self.log = open(self.dir / "nats.log", "ab")

    @property
    def url(self):
        return f"nats://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen([NATS_SERVER, "-c", str(self.config)],
                                        stdout=self.log, stderr=self.log)

    def running(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """kill -9: no flush, no goodbye to the routes."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.running():
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)

    def monitor(self, endpoint):
        """The JSON of /routez, /jsz...; None while the node does not answer."""
        if not self.running():
            return None
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/{endpoint}",
                                        timeout=2) as response:
                return json.loads(response.read())
        except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
            return None

    def route_count(self):
        routez = self.monitor("routez")
        return None if routez is None else routez["num_routes"]

    def meta_leader(self):
        """The JetStream meta leader's server name as this node sees it, or None."""
        jsz = self.monitor("jsz")
        if jsz is None:
            return None
        return (jsz.get("meta_cluster") or {}).get("leader") or None


class NatsCluster:
    """Usage: `with NatsCluster() as cluster: cluster.urls ...`."""

    def __init__(self, size=3, deadline=30):
        self.size = size
        self.deadline = deadline
        self.work = tempfile.mkdtemp(prefix="fhir837-nats-")
        cluster_ports = [free_port() for _ in range(size)]
        self.nodes = [Node(self.work, f"n{i + 1}", cluster_ports, i) for i in range(size)]

    @property
    def urls(self):
        """Comma-separated, the form libnats' natsOptions_SetServers and nats-cli accept."""
        return ",".join(node.url for node in self.nodes if node.running())

    def start(self):
        for node in self.nodes:
            node.start()
        self.wait_formed(self.nodes)
        return self

    def wait_formed(self, nodes):
        """Every node in `nodes` routes to all the others and agrees on a live meta leader."""
        live = {node.name for node in nodes}

        def formed():
            for node in nodes:
                if not node.running():
                    raise AssertionError(f"nats-server {node.name} exited; see {node.dir}/nats.log")
            leaders = {node.meta_leader() for node in nodes}
            return (all(node.route_count() == len(nodes) - 1
                        for node in nodes)
                    and len(leaders) == 1 and leaders.pop() in live)

        wait_until(formed, self.deadline, f"cluster of {sorted(live)} with a meta leader")

    def leader(self):
        return next((node.meta_leader() for node in self.nodes if node.running()), None)

    def node(self, name):
        return next(node for node in self.nodes if node.name == name)

    def kill(self, name):
        self.node(name).kill()

    def restart(self, name):
        """Start a killed node again on the same ports and store and wait for it to rejoin."""
        self.node(name).start()
        self.wait_formed([node for node in self.nodes if node.running()])

    def stop(self):
        for node in self.nodes:
            node.stop()
            node.log.close()
        shutil.rmtree(self.work, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()


def main(argv):
    """`nats_cluster.py COMMAND...`: runs COMMAND with FHIR837_NATS_URLS set to a fresh 3-node
    cluster's URLs (the C++ client tests run against R3 this way) and returns its exit code."""
    if nats_server_missing():
        print(f"skipped: {nats_server_missing()}")
        return 77
    with NatsCluster() as cluster:
        return subprocess.call(argv, env=dict(os.environ, FHIR837_NATS_URLS=cluster.urls))


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv[1:]))
