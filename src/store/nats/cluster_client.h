#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
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

// One subject of a stream read in order from a start sequence: how an instance rebuilds and then
// follows a partition it owns. Nothing is acknowledged: the reader's position is the caller's
// (kept with what it applied), so a new owner replays from where its own copy stopped.
class SubjectReader {
 public:
  virtual ~SubjectReader() = default;

  struct Message {
    std::uint64_t sequence = 0;      // stream sequence
    std::uint64_t pendingAfter = 0;  // messages of the subject stored after this one
    std::string payload;
  };
  // The next messages (at most `max`), waiting at most `wait` for the first; empty when none
  // arrived. After a node loss or a lost consumer the reader resumes after the last message it
  // returned; an error only when the cluster cannot be reached within the client's timeout.
  virtual Result<std::vector<Message>> next(std::size_t max, std::chrono::milliseconds wait) = 0;
};

// A bucket whose values expire `ttl` after their last put: heartbeats of the live instances.
class ExpiringBucket {
 public:
  virtual ~ExpiringBucket() = default;
  virtual Status put(const std::string& key, const std::string& value) = 0;
  // The keys and values not expired yet.
  virtual Result<std::vector<std::pair<std::string, std::string>>> entries() = 0;
};

}  // namespace fhir837
