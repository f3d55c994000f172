#pragma once

// A single `nats-server -js` on a free loopback port with its own store dir, for tests of the
// NATS client, or three of them routed into a cluster. The ctest 3-node cluster lives in
// tests/daemon/nats_cluster.py; a test reads its URLs from FHIR837_NATS_URLS when set (see
// nats_cluster_client_test.cc).

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/test_paths.h"

namespace fhir837::testing {

// The path of nats-server on PATH, or empty.
inline std::string findNatsServer() {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/sbin:/usr/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    std::filesystem::path candidate =
        std::filesystem::path(dirs.substr(start, end - start)) / "nats-server";
    if (access(candidate.c_str(), X_OK) == 0) {
      return candidate.string();
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return access("/usr/sbin/nats-server", X_OK) == 0 ? "/usr/sbin/nats-server" : "";
}

// Closed before nats-server binds it; a clash shows as a server that never accepts (rerun).
inline int freeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

class NatsServerProcess {
 public:
  // A single `nats-server -js`; `extraArgs` make it a cluster node (see NatsTestCluster).
  explicit NatsServerProcess(const std::string& binary, std::vector<std::string> extraArgs = {})
      : port_(freeLoopbackPort()) {
    args_ = {binary, "-js",
             "-a",   "127.0.0.1",
             "-p",   std::to_string(port_),
             "-sd",  (dir_.path() / "jetstream").string()};
    args_.insert(args_.end(), extraArgs.begin(), extraArgs.end());
    start();
  }
  ~NatsServerProcess() { stop(SIGTERM); }
  NatsServerProcess(const NatsServerProcess&) = delete;
  NatsServerProcess& operator=(const NatsServerProcess&) = delete;

  std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }

  // SIGKILL: no flush, no goodbye to the routes.
  void kill() { stop(SIGKILL); }
  // Again on the same port and store.
  void start() {
    if (pid_ > 0) {
      return;
    }
    // Everything allocated before fork: libnats' threads of earlier tests may hold the malloc
    // lock, so the child only calls async-signal-safe functions.
    std::vector<char*> argv;
    for (std::string& arg : args_) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    std::string log = (dir_.path() / "nats.log").string();
    int logFd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(logFd, STDOUT_FILENO);
      dup2(logFd, STDERR_FILENO);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(logFd);
  }

 private:
  void stop(int signal) {
    if (pid_ > 0) {
      ::kill(pid_, signal);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }

  TempDir dir_;
  int port_;
  std::vector<std::string> args_;
  pid_t pid_ = -1;
};

// Three JetStream nodes routed to each other on loopback (the C++ twin of
// tests/daemon/nats_cluster.py, for gtests that kill a node mid-test). Formed once an R3 stream
// can be created: the caller polls for that with a deadline.
class NatsTestCluster {
 public:
  explicit NatsTestCluster(const std::string& binary) {
    const std::vector<int> routePorts = {freeLoopbackPort(), freeLoopbackPort(),
                                         freeLoopbackPort()};
    for (std::size_t i = 0; i < routePorts.size(); ++i) {
      std::string routes;
      for (std::size_t j = 0; j < routePorts.size(); ++j) {
        if (j != i) {
          routes += (routes.empty() ? "" : ",") + std::string("nats-route://127.0.0.1:") +
                    std::to_string(routePorts[j]);
        }
      }
      nodes_.push_back(std::make_unique<NatsServerProcess>(
          binary, std::vector<std::string>{"-n", "node" + std::to_string(i), "--cluster_name",
                                           "fhir837unit", "--cluster",
                                           "nats://127.0.0.1:" + std::to_string(routePorts[i]),
                                           "--routes", routes}));
    }
  }
  std::vector<std::string> urls() const {
    std::vector<std::string> urls;
    for (const auto& node : nodes_) {
      urls.push_back(node->url());
    }
    return urls;
  }
  NatsServerProcess& node(std::size_t i) { return *nodes_.at(i); }

 private:
  std::vector<std::unique_ptr<NatsServerProcess>> nodes_;
};

}  // namespace fhir837::testing
