#include "rules/route_rule.h"

#include <set>
#include "rule_ids.h"

namespace fhir837 {

namespace {
// Routes named by every coding and the text of one CodeableConcept; unknown entries are counted
// separately so "SC plus an unrecognised code" is not silently read as SC.
struct RouteReading {
  std::set<Route> known;
  std::vector<std::string> unknown;
};

RouteReading readRoute(const CodeableConcept& route, const RouteTable& table) {
  RouteReading reading;
  for (const auto& coding : route.coding) {
    Route r = table.lookupCode(coding.system, coding.code);
    // Local systems carry abbreviations such as "SUBQ" as the code itself (D4 aliases).
    if (r == Route::kUnknown && !coding.code.empty()) r = table.lookupText(coding.code);
    if (r == Route::kUnknown && !coding.display.empty()) r = table.lookupText(coding.display);
    if (r == Route::kUnknown) {
      reading.unknown.push_back(coding.system + "|" + coding.code);
    } else {
      reading.known.insert(r);
    }
  }
  if (!route.text.empty()) {
    Route r = table.lookupText(route.text);
    if (r == Route::kUnknown) {
      if (route.coding.empty()) reading.unknown.push_back("text '" + route.text + "'");
    } else {
      reading.known.insert(r);
    }
  }
  return reading;
}
}  // namespace

RouteDecision decideRoute(const EventFacts& facts, const CodingTables& tables, Trail& trail) {
  RouteDecision decision;
  const CodeableConcept* route = nullptr;
  std::string path;
  if (facts.administration->dosage && !facts.administration->dosage->route.empty()) {
    route = &facts.administration->dosage->route;
    path = facts.eventRef + ".dosage.route";
  } else if (facts.request && !facts.request->dosageInstruction.empty() &&
             !facts.request->dosageInstruction.front().route.empty()) {
    route = &facts.request->dosageInstruction.front().route;
    path = "MedicationRequest/" + facts.request->id + ".dosageInstruction[0].route";
  }
  if (!route) {
    decision.verdict = endWith(OutcomeKind::kNeedsReview, rule_id::kInfD4,
                               "no route in dosage.route or the linked MedicationRequest",
                               facts.eventRef + ".dosage.route");
    return decision;
  }
  RouteReading reading = readRoute(*route, *tables.routes);
  if (reading.known.size() > 1) {
    decision.verdict =
        endWith(OutcomeKind::kNeedsReview, rule_id::kInfD4, "route codings disagree", path);
    return decision;
  }
  if (reading.known.empty()) {
    std::string what = reading.unknown.empty() ? std::string("empty") : reading.unknown.front();
    decision.verdict = endWith(OutcomeKind::kNeedsReview, rule_id::kInfD4,
                               "unrecognised route (" + what + ")", path);
    return decision;
  }
  decision.route = *reading.known.begin();
  std::string detail = std::string("route ") + toString(decision.route);
  if (!reading.unknown.empty()) detail += " (ignored unrecognised " + reading.unknown.front() + ")";
  if (path.rfind("MedicationRequest/", 0) == 0) detail += " (from the MedicationRequest)";
  trail.push_back({rule_id::kInfD4, {path}, detail});
  return decision;
}

}  // namespace fhir837
