#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace fhir837 {

// The building blocks scale-out (issue 12) needs from a replicated message system, so the
// pipeline can be written and tested against them without knowing it is NATS: create-only keys
// (the billed-event ledger, control-number range leases) and a deduplicating publish (ingest).
// NatsClusterClient (nats_cluster_client.h) is the libnats implementation.

// A key/value bucket whose create is checked by the server at write time: of any number of
// concurrent creates of one key, across connections and instances, exactly one is `created`.
class CreateOnlyBucket {
 public:
  virtual ~CreateOnlyBucket() = default;

  struct CreateOutcome {
    bool created = false;        // false: the key already had a value (someone else won)
    std::uint64_t revision = 0;  // the new value's revision when created, else 0
  };
  // An error only when the server's answer is unknown (timeout, no connection): then the write
  // may or may not have happened, and the caller must `get` to find out.
  virtual Result<CreateOutcome> create(const std::string& key, const std::string& value) = 0;

  // The current value, or nullopt when the key has none (never written, or deleted).
  virtual Result<std::optional<std::string>> get(const std::string& key) = 0;
};

// A publish to a replicated stream that returns only once the stream has stored the message.
class DeduplicatingLog {
 public:
  virtual ~DeduplicatingLog() = default;

  struct Ack {
    std::string stream;
    std::uint64_t sequence = 0;  // for a duplicate: the sequence of the first copy
    bool duplicate = false;      // `messageId` was already stored within the dedup window
  };
  virtual Result<Ack> publish(const std::string& subject, const std::string& messageId,
                              const std::string& payload) = 0;
};

}  // namespace fhir837
