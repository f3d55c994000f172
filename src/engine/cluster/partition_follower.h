#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/serve/journal.h"
#include "fhir_tree/fhir_node.h"
#include "store/nats/cluster_client.h"

namespace fhir837::cluster {

using ReaderFactory = std::function<Result<std::unique_ptr<SubjectReader>>(
    const std::string& subject, std::uint64_t fromSequence)>;

struct FollowerOptions {
  ParseLimits limits;             // the intake's: a message is analysed as a PUT of its body
  std::size_t batch = 256;        // messages applied per journal commit
  std::function<void()> applied;  // after each commit (wakes the billing side)
};

// Applies subjects of the stream to this instance's journal, each on its own thread, from where
// the journal's copy stopped (`cluster.cursor.<subject>` in the journal's state): a partition
// that comes back after an absence is replayed from there, one never held from the start. A
// resource applied twice is a no-op (same type, id and hash), so the cursor is saved after the
// commit, not with it. A message that cannot be applied is kept in the dead letter with its
// stream sequence: never dropped in silence.
class PartitionFollower {
 public:
  virtual ~PartitionFollower() = default;
  virtual void follow(const std::string& subject) = 0;
  virtual void unfollow(const std::string& subject) = 0;  // returns once its thread stopped
  // Several at once: each thread is told first, then all are waited for (a thread can be inside
  // a read that waits half a second).
  virtual void unfollow(const std::vector<std::string>& subjects) = 0;
  // True once the subject was read to its end at least once since follow(): what this instance
  // knows of the partition is then as new as what the stream held.
  virtual bool caughtUp(const std::string& subject) const = 0;
  virtual void stop() = 0;  // unfollows everything
};

std::unique_ptr<PartitionFollower> makePartitionFollower(ReaderFactory readers,
                                                         serve::Journal& journal,
                                                         FollowerOptions options);

}  // namespace fhir837::cluster
