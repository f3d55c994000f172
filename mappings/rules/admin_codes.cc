#include "rules/admin_codes.h"

#include "rules/infusion_duration.h"

namespace fhir837 {

namespace {
std::string durationText(std::int64_t minutes) {
  return minutes < 0 ? std::string("no duration") : std::to_string(minutes) + " min";
}

std::string describe(const AdminCodes& codes, std::int64_t minutes) {
  std::string text = durationText(minutes) + " -> " + codes.initialCode + " x1";
  if (codes.addOnUnits > 0)
    text += " + " + codes.addOnCode + " x" + std::to_string(codes.addOnUnits);
  return text;
}
}  // namespace

AdminCodes scInfusionCodes(std::int64_t minutes, const AddOnPolicy& policy) {
  AdminCodes codes;
  codes.rule = "INF-D1";
  InfusionUnits units = infusionUnitsForMinutes(minutes, policy);
  if (units.isInjection) {
    codes.kind = AdminKind::kInjection;
    codes.initialCode = "96372";
    codes.detail = durationText(minutes) + " <= 15 min -> injection 96372 x1";
    return codes;
  }
  codes.kind = AdminKind::kScInfusion;
  codes.initialCode = "96369";
  codes.addOnCode = "96370";
  codes.addOnUnits = units.addOnHours;
  codes.detail = describe(codes, minutes);
  return codes;
}

AdminCodes ivCodes(std::int64_t minutes, const AddOnPolicy& policy) {
  AdminCodes codes;
  codes.rule = "IV-R12";
  InfusionUnits units =
      minutes < 0 ? InfusionUnits{true, 0, 0} : infusionUnitsForMinutes(minutes, policy);
  if (units.isInjection) {
    codes.kind = AdminKind::kIvPush;
    codes.initialCode = "96374";
    codes.detail = durationText(minutes) + " (<= 15 min) -> IV push 96374 x1";
    return codes;
  }
  codes.kind = AdminKind::kIvInfusion;
  codes.initialCode = "96365";
  codes.addOnCode = "96366";
  codes.addOnUnits = units.addOnHours;
  codes.detail = describe(codes, minutes);
  return codes;
}

AdminCodes chemoCodes(Route route, DrugFamily family, std::int64_t minutes,
                      const AddOnPolicy& policy) {
  AdminCodes codes;
  codes.rule = "CHEMO-R13";
  if (route != Route::kIntravenous) {
    codes.kind = AdminKind::kChemoScIm;
    codes.initialCode = family == DrugFamily::kChemoHormonal ? "96402" : "96401";
    codes.detail = std::string(family == DrugFamily::kChemoHormonal ? "hormonal" : "non-hormonal") +
                   " antineoplastic SC/IM -> " + codes.initialCode + " x1";
    return codes;
  }
  InfusionUnits units =
      minutes < 0 ? InfusionUnits{true, 0, 0} : infusionUnitsForMinutes(minutes, policy);
  if (units.isInjection) {
    codes.kind = AdminKind::kChemoIvPush;
    codes.initialCode = "96409";
    codes.detail = durationText(minutes) + " (<= 15 min) -> chemo IV push 96409 x1";
    return codes;
  }
  codes.kind = AdminKind::kChemoIvInfusion;
  codes.initialCode = "96413";
  codes.addOnCode = "96415";
  codes.addOnUnits = units.addOnHours;
  codes.detail = describe(codes, minutes);
  return codes;
}

}  // namespace fhir837
