#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fhir837::serve {

// One item of the operator's queue: an event that needs review (id "review:Type/id") or a refused
// request kept in the dead letter (id "dead:<n>").
struct QueueItem {
  std::string id;
  std::string kind;            // "review" | "dead-letter"
  std::string rule;            // review: the rule; dead letter: the OperationOutcome issue code
  std::string reason;          // no PHI: the pipeline's and the intake's reasons never carry any
  std::int64_t since = 0;      // epoch seconds it entered the queue; 0: before it was tracked
  std::string state = "open";  // open | dropped | retried (dead letters only)
  std::string markedBy, markReason;  // who dropped or retried it, and why
  std::int64_t markedAt = 0;
  // Review items.
  std::string groupKey, path, trail;  // trail: the `explain --json` line the billing store keeps
  std::vector<std::string> waitingFor;
  // Dead letters.
  int httpStatus = 0;
  std::string method, target, contentType, received;
  std::size_t bodyBytes = 0;
  std::optional<std::string> body;  // only when asked for
};

// An operator's request on an item: applied at once when the process may, else by the daemon.
struct QueueAction {
  std::int64_t number = 0;
  std::string item;    // the item's id
  std::string action;  // retry | drop
  std::string by, reason;
  std::int64_t requestedAt = 0;
  std::string state;  // pending | done | failed
  std::string result;
  std::int64_t appliedAt = 0;
};

}  // namespace fhir837::serve
