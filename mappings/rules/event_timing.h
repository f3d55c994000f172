#pragma once

#include <cstdint>
#include <string>

#include "coding_types.h"
#include "rules/rule_outcome.h"

namespace fhir837 {

// When an event happened, as the codes billed for it need it.
struct EventTiming {
  std::string datePath;       // the effective[x] element the dates of service came from
  std::string periodPath;     // "<eventRef>.effectivePeriod"
  std::int64_t minutes = -1;  // whole minutes of a full period of instants; -1 when there is none
};

// INF-D5 and the period checks (INF-MAXTIME / INF-DOS): sets the dates of service (local calendar
// dates at the facility, x12 map §4) and, for a full period of instants, its epochs and minutes
// on `admin`. A verdict when there is no full date of service, the period runs backwards, or no
// biller would send it as one administration.
RuleVerdict timeEvent(const EventFacts& facts, const CodingPolicy& policy,
                      AdministrationSummary& admin, EventTiming& timing);

}  // namespace fhir837
