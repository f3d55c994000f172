#include "rules/infusion_duration.h"

#include <chrono>
#include <cstdio>
#include "rule_ids.h"

namespace fhir837 {

InfusionUnits infusionUnitsForMinutes(std::int64_t minutes, const AddOnPolicy& policy) {
  InfusionUnits units;
  if (minutes <= policy.maxInjectionMinutes) {
    units.isInjection = true;
    return units;
  }
  units.initialHour = 1;
  // Each add-on hour h (1, 2, ...) is earned when minutes exceed 60*h + threshold (strict) or
  // reach it (non-strict). Solving for the count gives floor((T - 60 - threshold - s) / 60) + 1
  // with s = 1 when strict: the D1 formula max(0, floor((T - 31) / 60)) for the default.
  const std::int64_t firstEarnedAt = 60 + policy.thresholdMinutes + (policy.strict ? 1 : 0);
  if (minutes >= firstEarnedAt) units.addOnHours = (minutes - firstEarnedAt) / 60 + 1;
  return units;
}

namespace {

// "CCYY-MM-DD" of an epoch second shifted by `offsetMinutes`.
std::string localDate(std::int64_t epoch, int offsetMinutes) {
  using namespace std::chrono;
  const year_month_day ymd{floor<days>(sys_seconds{seconds{epoch + offsetMinutes * 60LL}})};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

}  // namespace

std::optional<PeriodProblem> implausiblePeriod(std::int64_t startEpoch, int startOffsetMinutes,
                                               std::int64_t endEpoch, std::int64_t maxMinutes) {
  const std::int64_t minutes = (endEpoch - startEpoch) / 60;
  if (minutes > maxMinutes) {
    return PeriodProblem{rule_id::kInfMaxtime,
                         "period lasts " + std::to_string(minutes) + " min, more than the " +
                             std::to_string(maxMinutes) +
                             " min an administration may last (engine max_infusion_hours): a "
                             "data error, or several administrations in one"};
  }
  const std::string from = localDate(startEpoch, startOffsetMinutes);
  const std::string to =
      localDate(endEpoch > startEpoch ? endEpoch - 1 : endEpoch, startOffsetMinutes);
  if (from != to) {
    return PeriodProblem{rule_id::kInfDos,
                         "period runs from " + from + " into " + to +
                             ": an administration crossing dates of service is not "
                             "billed on one date without a person deciding which"};
  }
  return std::nullopt;
}

}  // namespace fhir837
