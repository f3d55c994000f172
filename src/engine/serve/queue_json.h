#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/serve/queue_types.h"

namespace fhir837::serve {

// The queue as JSON, the same for `fhir837 queue ... --json` and the admin routes. `now` gives
// ageSeconds; `detail` adds the full record (the trail, the dead letter's request).
std::string queueItemJson(const QueueItem& item, std::int64_t now, bool detail);
std::string queueListJson(const std::vector<QueueItem>& items, std::int64_t now);
std::string queueActionJson(const QueueAction& action);

// "45s", "12m", "3h", "2d": an age as the list shows it ("-" when unknown).
std::string queueAge(const QueueItem& item, std::int64_t now);

}  // namespace fhir837::serve
