#pragma once

// The fixture of the NATS tests: against FHIR837_NATS_URLS (comma-separated, e.g. the 3-node
// cluster of tests/daemon/nats_cluster.py) with R3 when set; else against a single nats-server of
// its own with R1.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "nats_server_process.h"
#include "store/nats/nats_cluster_client.h"

namespace fhir837::testing {

class NatsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* urls = std::getenv("FHIR837_NATS_URLS");
    if (urls != nullptr && *urls != '\0') {
      std::string list = urls;
      for (std::size_t start = 0; start <= list.size();) {
        std::size_t end = list.find(',', start);
        settings_.urls.push_back(list.substr(start, end - start));
        start = end == std::string::npos ? list.size() + 1 : end + 1;
      }
      replicas_ = 3;
    } else {
      std::string binary = findNatsServer();
      if (binary.empty()) {
        GTEST_SKIP() << "nats-server not installed (Debian package nats-server)";
      }
      server_ = std::make_unique<NatsServerProcess>(binary);
      settings_.urls = {server_->url()};
    }
    // A fresh name per run: a shared cluster keeps buckets and streams between runs.
    suffix_ = std::to_string(getpid()) + "_" +
              std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  }

  // The server is up once it accepts a connection; poll with a deadline.
  std::unique_ptr<NatsClusterClient> connect() { return connectTo(settings_); }

  static std::unique_ptr<NatsClusterClient> connectTo(const NatsClusterSettings& settings) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (true) {
      auto client = NatsClusterClient::connect(settings);
      if (client) {
        return std::move(client.value());
      }
      if (std::chrono::steady_clock::now() > until) {
        ADD_FAILURE() << client.error();
        return nullptr;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  NatsClusterSettings settings_;
  int replicas_ = 1;
  std::string suffix_;
  std::unique_ptr<NatsServerProcess> server_;
};

}  // namespace fhir837::testing
