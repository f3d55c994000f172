#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace fhir837 {

// Coding rule INF-D1 (coding-rules D1, R2, R3, R4): how many units of the first-hour and
// add-on-hour codes a continuous infusion of `minutes` whole minutes earns.
struct AddOnPolicy {
  // An add-on hour is earned once time runs past the last full hour by more than this many
  // minutes (strict, the default) or by at least this many (strict = false, the ">= 30" reading).
  int thresholdMinutes = 30;
  bool strict = true;
  // At or below this many minutes an "infusion" is reported as an injection/push.
  int maxInjectionMinutes = 15;
};

struct InfusionUnits {
  bool isInjection = false;      // <= maxInjectionMinutes: 96372 instead of 96369
  std::int64_t initialHour = 0;  // 96369 units (0 or 1)
  std::int64_t addOnHours = 0;   // 96370 units
};

// minutes must be >= 0; negative durations are rejected before this rule runs.
InfusionUnits infusionUnitsForMinutes(std::int64_t minutes, const AddOnPolicy& policy = {});

// INF-MAXTIME / INF-DOS (issue 9 §5): a period of instants that no biller would send as one
// administration: longer than `maxMinutes`, or ending on another calendar date than it starts
// (both read in the start's UTC offset, so a DST change or an end written in UTC does not count;
// an end at exactly 00:00 closes the start's date). nullopt when the period is plausible.
struct PeriodProblem {
  std::string rule;
  std::string reason;
};
std::optional<PeriodProblem> implausiblePeriod(std::int64_t startEpoch, int startOffsetMinutes,
                                               std::int64_t endEpoch, std::int64_t maxMinutes);

}  // namespace fhir837
