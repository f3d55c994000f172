#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/nats/cluster_client.h"

namespace fhir837 {

struct NatsClusterSettings {
  std::vector<std::string> urls;            // nats://host:port of each node; the client fails over
  std::chrono::milliseconds timeout{5000};  // connect and per-request (PubAck, KV) wait
  // Optional security (empty: unused): a NATS credentials file (JWT + nkey seed), the CA that
  // signs the servers' certificates, and this client's certificate chain and key for mutual TLS.
  std::string credentialsFile;
  std::string tlsCa, tlsCert, tlsKey;
  std::string name = "fhir837";  // connection name the servers show (monitoring)
};

// One libnats connection and its JetStream context. Buckets and logs it hands out borrow it: they
// must not outlive the client. Thread-safe as libnats is (one connection, many threads).
class NatsClusterClient {
 public:
  static Result<std::unique_ptr<NatsClusterClient>> connect(const NatsClusterSettings& settings);
  ~NatsClusterClient();
  NatsClusterClient(const NatsClusterClient&) = delete;
  NatsClusterClient& operator=(const NatsClusterClient&) = delete;

  // Opens the KV bucket `name`, creating it with `replicas` copies (1, 3 or 5) when absent. An
  // existing bucket is used as it is, whatever its replica count.
  Result<std::unique_ptr<CreateOnlyBucket>> bucket(const std::string& name, int replicas);

  // Ensures the stream `name` capturing `subjects` exists with `replicas` copies (default
  // 2-minute dedup window), and returns a publisher to it.
  Result<std::unique_ptr<DeduplicatingLog>> log(const std::string& name,
                                                const std::vector<std::string>& subjects,
                                                int replicas);

  // Reads `subject` of the stream `stream` from `fromSequence` on (1: from the start).
  Result<std::unique_ptr<SubjectReader>> reader(const std::string& stream,
                                                const std::string& subject,
                                                std::uint64_t fromSequence);

  // Opens the bucket `name` whose values expire `ttl` after their last put, creating it when
  // absent.
  Result<std::unique_ptr<ExpiringBucket>> expiringBucket(const std::string& name, int replicas,
                                                         std::chrono::milliseconds ttl);

  struct Handles;

 private:
  explicit NatsClusterClient(std::unique_ptr<Handles> handles);
  std::unique_ptr<Handles> handles_;
};

}  // namespace fhir837
