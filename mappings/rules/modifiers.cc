#include "rules/modifiers.h"

#include <algorithm>
#include <array>
#include <set>

#include "rule_ids.h"
#include "rules/rule_outcome.h"

namespace fhir837 {

namespace {
constexpr std::array<const char*, 15> kOrder = {"JW", "JZ", "JA", "JB", "PO", "PN", "XE", "XS",
                                                "XP", "XU", "59", "GA", "GZ", "GY", "KX"};

int rankOf(const std::string& modifier) {
  for (std::size_t i = 0; i < kOrder.size(); ++i) {
    if (modifier == kOrder[i]) return static_cast<int>(i);
  }
  return static_cast<int>(kOrder.size());
}

bool isAdministrationCode(const std::string& code) {
  return code.size() == 5 && (code.compare(0, 3, "963") == 0 || code.compare(0, 3, "964") == 0);
}
}  // namespace

void orderModifiers(std::vector<std::string>& modifiers) {
  std::stable_sort(
      modifiers.begin(), modifiers.end(),
      [](const std::string& a, const std::string& b) { return rankOf(a) < rankOf(b); });
}

void applyModifierRules(const EventFacts& facts, const CodingPolicy& policy, EventCoding& coding) {
  if (coding.kind != OutcomeKind::kBilled) return;
  const std::string path = facts.eventRef + ".extension";
  std::vector<std::string> liability;
  for (const auto& ext : facts.administration->extension) {
    if (ext.url != kLiabilityModifierExtension) continue;
    const std::string code =
        ext.valueCoding ? ext.valueCoding->code : ext.valueString;  // valueCode or valueCoding
    if (code != "GA" && code != "GZ" && code != "GY" && code != "KX") {
      demote(coding, OutcomeKind::kNeedsReview, rule_id::kModGa,
             "liability-modifier extension holds '" + code + "', not GA, GZ, GY or KX", path);
      return;
    }
    if (std::find(liability.begin(), liability.end(), code) == liability.end()) {
      liability.push_back(code);
    }
  }
  std::set<std::string> set(liability.begin(), liability.end());
  const int gaGyGz = static_cast<int>(set.count("GA") + set.count("GY") + set.count("GZ"));
  if (gaGyGz > 1 || (set.count("GA") && set.count("KX"))) {
    demote(coding, OutcomeKind::kNeedsReview, rule_id::kModGa,
           "GA, GY and GZ never go together, nor GA with KX (Noridian)", path);
    return;
  }
  const char* department = nullptr;
  if (policy.form == ClaimForm::k837I) {
    if (facts.department == EventFacts::Department::kOffCampusExcepted) department = "PO";
    if (facts.department == EventFacts::Department::kOffCampusNonExcepted) department = "PN";
  }
  for (auto& line : coding.lines) {
    for (const auto& code : liability) line.modifiers.push_back(code);
    if (!liability.empty()) {
      line.trail.push_back({rule_id::kModGa, {path}, "liability modifier(s) from the extension"});
    }
    if (department) {
      line.modifiers.push_back(department);
      line.trail.push_back({rule_id::kModPo,
                            {facts.eventRef + ".context"},
                            std::string("off-campus provider-based department -> ") + department});
    }
    if (isAdministrationCode(line.procedureCode)) {
      line.modifiers.erase(std::remove(line.modifiers.begin(), line.modifiers.end(), "25"),
                           line.modifiers.end());
    }
    orderModifiers(line.modifiers);
    if (line.modifiers.size() > 4) {
      demote(coding, OutcomeKind::kNeedsReview, rule_id::kMod4,
             "more than 4 modifiers on " + line.procedureCode, facts.eventRef);
      return;
    }
  }
}

}  // namespace fhir837
