#include "rules/setting_rule.h"

#include <array>
#include <string_view>
#include "rule_ids.h"

namespace fhir837 {

namespace {
constexpr std::array<std::string_view, 3> kInpatientClasses = {"IMP", "ACUTE", "NONAC"};
constexpr std::array<std::string_view, 4> kFacilityPos = {"19", "21", "22", "23"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& set, std::string_view value) {
  for (auto item : set) {
    if (item == value) return true;
  }
  return false;
}
}  // namespace

RuleVerdict applySettingRule(const EventFacts& facts, const CodingPolicy& policy, Trail& trail) {
  if (contains(kInpatientClasses, facts.encounterClass)) {
    return endWith(OutcomeKind::kNotBillable, rule_id::kSetD13,
                   "inpatient encounter (class " + facts.encounterClass +
                       "): drug administration is paid with the stay",
                   facts.eventRef + ".context");
  }
  if (policy.form == ClaimForm::k837P && contains(kFacilityPos, facts.placeOfService)) {
    return endWith(OutcomeKind::kNotBillable, rule_id::kSetD7,
                   "facility setting (POS " + facts.placeOfService +
                       "): the facility bills the administration and drug on its 837I",
                   facts.eventRef + ".context");
  }
  if (facts.placeOfService == "12" && facts.payerKey == "medicare") {
    return endWith(OutcomeKind::kNeedsReview, rule_id::kSetD9,
                   "Medicare home infusion (POS 12) belongs to the DME MAC channel (E0779/JB)",
                   facts.eventRef + ".context");
  }
  trail.push_back(
      {rule_id::kSetD7,
       {facts.eventRef + ".context"},
       "POS " + facts.placeOfService + ", encounter class " +
           (facts.encounterClass.empty() ? std::string("(none)") : facts.encounterClass) +
           " -> separately billable"});
  return std::nullopt;
}

}  // namespace fhir837
