#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/clock.h"
#include "engine/serve/queue_types.h"
#include "fhir_tree/fhir_node.h"

namespace fhir837::serve {

// The operator's review queue and dead letter, one implementation behind `fhir837 queue` and the
// admin HTTP routes. Errors: kUnresolvedReference no such item, kInvalidValue the item is not
// open (dropped, retried), kMissingElement a drop without a reason, kIo the stores failed.
class QueueService {
 public:
  virtual ~QueueService() = default;
  virtual Result<std::vector<QueueItem>> list(bool all) = 0;
  virtual Result<std::optional<QueueItem>> show(const std::string& id, bool withBody) = 0;
  // Applied at once when no daemon runs (under the DaemonLock); else recorded for the daemon's
  // billing thread, which applies it within a second: waited for up to `waitForDaemon`, then
  // answered with the action still pending.
  virtual Result<QueueAction> retry(const std::string& id, const std::string& by) = 0;
  // Recorded at once in either case (it only marks the item).
  virtual Result<QueueAction> drop(const std::string& id, const std::string& reason,
                                   const std::string& by) = 0;
};

struct QueueServiceOptions {
  std::filesystem::path stateDir;
  ParseLimits limits;  // [serve] max_body, for a dead letter retried without a daemon
  std::chrono::milliseconds waitForDaemon{30000};
};

Result<std::unique_ptr<QueueService>> makeQueueService(const QueueServiceOptions& options,
                                                       const Clock& clock);

}  // namespace fhir837::serve
