#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/result.h"
#include "engine/serve/journal.h"
#include "engine/serve/queue_store.h"
#include "fhir_tree/fhir_node.h"

namespace fhir837::serve {

// What applying an operator action needs from the process that applies it: the daemon's billing
// thread (its journal, its view of the groups), or a queue command while no daemon runs (a
// journal of its own, under the DaemonLock).
struct QueueApplyContext {
  Journal* journal = nullptr;  // null: retrying a dead letter is not possible here
  ParseLimits limits;  // [serve] max_body: a retried body is taken in as an HTTP body would be
  // Called with a group made due again (the daemon forgets what it cached about it).
  std::function<void(const std::string& groupKey)> groupDue;
  std::string codedWhen;  // how the answer says when the group is coded
};

// Applies `action` (retry / drop of one item) and records the outcome on the action and the
// item: a retried review item's group is due again; a retried dead letter's body goes through
// the intake and the journal again (marked retried when stored, left as it was with the new
// reason when not). An error: nothing recorded (the action stays pending and is tried again).
Status applyQueueAction(QueueStore& store, const QueueAction& action, QueueApplyContext& context,
                        std::int64_t now);

// The dead letter's request taken in again: what was stored ("Patient/p1 created") or why not.
Result<std::string> retryDeadLetter(const QueueItem& letter, QueueApplyContext& context);

}  // namespace fhir837::serve
