#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace fhir837 {

class TomlReader;

// The `[cluster]` section (issue 12): several daemons sharing the work over NATS JetStream.
// Without `nats` the daemon is the single-node one, unchanged.
struct ClusterSettings {
  std::vector<std::string> natsUrls;       // nats://host:port (or tls://) of the NATS nodes
  std::string instance;                    // this daemon's name, unique in the cluster
  int partitions = 64;                     // patient partitions; the same on every instance
  int replicas = 3;                        // stream and bucket copies (1, 3 or 5)
  std::chrono::seconds memberTtl{10};      // silent this long: its partitions move to the others
  std::chrono::seconds requestTimeout{5};  // PubAck and KV answers
  std::filesystem::path credentials;       // NATS credentials file (JWT + nkey seed)
  std::filesystem::path tlsCa, tlsCert, tlsKey;

  bool enabled() const { return !natsUrls.empty(); }
  bool operator==(const ClusterSettings&) const = default;
};

// Reads `[cluster]`; errors go to the reader. `hostName` is the default instance name.
ClusterSettings readClusterSettings(TomlReader cluster, const std::filesystem::path& base,
                                    const std::string& hostName);

}  // namespace fhir837
