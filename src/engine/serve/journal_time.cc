#include "engine/serve/journal_time.h"

#include <chrono>

#include "core/utc_instant.h"

namespace fhir837::serve {

std::int64_t journalEpochNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string journalInstantNow() { return utcInstantNow(); }

}  // namespace fhir837::serve
