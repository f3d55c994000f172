#include "rules/admin_codes.h"

#include "rule_ids.h"
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
  codes.rule = rule_id::kInfD1;
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

namespace {

// The IV shape shared by therapeutic and chemotherapy drugs: 15 minutes or less (or no duration)
// is a push; longer is an infusion with add-on hours on the D1 threshold.
struct IvCodeSet {
  AdminKind pushKind;
  const char* pushCode;
  const char* pushName;
  AdminKind infusionKind;
  const char* initialCode;
  const char* addOnCode;
};

AdminCodes timedIvCodes(const IvCodeSet& set, const char* rule, std::int64_t minutes,
                        const AddOnPolicy& policy) {
  AdminCodes codes;
  codes.rule = rule;
  InfusionUnits units =
      minutes < 0 ? InfusionUnits{true, 0, 0} : infusionUnitsForMinutes(minutes, policy);
  if (units.isInjection) {
    codes.kind = set.pushKind;
    codes.initialCode = set.pushCode;
    codes.detail =
        durationText(minutes) + " (<= 15 min) -> " + set.pushName + " " + set.pushCode + " x1";
    return codes;
  }
  codes.kind = set.infusionKind;
  codes.initialCode = set.initialCode;
  codes.addOnCode = set.addOnCode;
  codes.addOnUnits = units.addOnHours;
  codes.detail = describe(codes, minutes);
  return codes;
}

}  // namespace

AdminCodes ivCodes(std::int64_t minutes, const AddOnPolicy& policy) {
  static const IvCodeSet kTherapeutic{AdminKind::kIvPush,     "96374", "IV push",
                                      AdminKind::kIvInfusion, "96365", "96366"};
  return timedIvCodes(kTherapeutic, rule_id::kIvR12, minutes, policy);
}

AdminCodes chemoCodes(Route route, DrugFamily family, std::int64_t minutes,
                      const AddOnPolicy& policy) {
  if (route != Route::kIntravenous) {
    AdminCodes codes;
    codes.rule = rule_id::kChemoR13;
    codes.kind = AdminKind::kChemoScIm;
    codes.initialCode = family == DrugFamily::kChemoHormonal ? "96402" : "96401";
    codes.detail = std::string(family == DrugFamily::kChemoHormonal ? "hormonal" : "non-hormonal") +
                   " antineoplastic SC/IM -> " + codes.initialCode + " x1";
    return codes;
  }
  static const IvCodeSet kChemo{AdminKind::kChemoIvPush,     "96409", "chemo IV push",
                                AdminKind::kChemoIvInfusion, "96413", "96415"};
  return timedIvCodes(kChemo, rule_id::kChemoR13, minutes, policy);
}

}  // namespace fhir837
