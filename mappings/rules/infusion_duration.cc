#include "rules/infusion_duration.h"

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

}  // namespace fhir837
