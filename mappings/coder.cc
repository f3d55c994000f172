#include "coder.h"

#include "rules/drug_line.h"
#include "rules/infusion_duration.h"
#include "rules/infusion_evidence.h"
#include "rules/route_rule.h"
#include "rules/setting_rule.h"
#include "rules/status_rule.h"

namespace fhir837 {

const char* toString(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::kBilled:
      return "claim";
    case OutcomeKind::kNotBillable:
      return "not-billable";
    case OutcomeKind::kNeedsReview:
      return "needs-review";
    case OutcomeKind::kRejected:
      return "rejected";
    case OutcomeKind::kHeld:
      return "held";
  }
  return "unknown";
}

namespace {

EventCoding finish(EventCoding verdict, Trail trail) {
  trail.insert(trail.end(), verdict.trail.begin(), verdict.trail.end());
  verdict.trail = std::move(trail);
  return verdict;
}

struct ServiceDates {
  std::string from, to;
  std::string path;
};

// Date(s) of service: the local calendar dates at the facility (x12 map §4), from the period or
// the dateTime; nullopt when effective[x] gives no full day.
std::optional<ServiceDates> serviceDates(const EventFacts& facts) {
  const TimingChoice& effective = facts.administration->effective;
  ServiceDates dates;
  if (effective.period && effective.period->start) {
    auto from = effective.period->start->localDateCcyymmdd();
    if (!from) return std::nullopt;
    dates.from = *from;
    dates.to = *from;
    if (effective.period->end) {
      if (auto to = effective.period->end->localDateCcyymmdd()) dates.to = *to;
    }
    dates.path = facts.eventRef + ".effectivePeriod";
    return dates;
  }
  if (effective.dateTime) {
    auto from = effective.dateTime->localDateCcyymmdd();
    if (!from) return std::nullopt;
    dates.from = dates.to = *from;
    dates.path = facts.eventRef + ".effectiveDateTime";
    return dates;
  }
  return std::nullopt;
}

CodedLine adminLine(const EventFacts& facts, std::string code, std::int64_t units,
                    const ServiceDates& dates, TrailStep why) {
  CodedLine line;
  line.procedureCode = std::move(code);
  line.units = units;
  line.dateFrom = dates.from;
  line.dateTo = dates.to;
  line.sourceEventId = facts.eventRef;
  line.trail.push_back(std::move(why));
  return line;
}

// SC with infusion evidence: the duration decides (INF-D5 then INF-D1).
RuleVerdict codeScInfusion(const EventFacts& facts, const CodingPolicy& policy,
                           const ServiceDates& dates, const std::vector<std::string>& evidence,
                           std::vector<CodedLine>& lines, Trail& trail) {
  const TimingChoice& effective = facts.administration->effective;
  const std::string periodPath = facts.eventRef + ".effectivePeriod";
  if (!effective.period || !effective.period->start || !effective.period->end ||
      !effective.period->start->isInstant() || !effective.period->end->isInstant()) {
    return endWith(OutcomeKind::kNeedsReview, "INF-D5",
                   "infusion without a full effectivePeriod (start and end with time and zone)",
                   effective.period ? periodPath : facts.eventRef + ".effective[x]");
  }
  auto minutes = wholeMinutesBetween(*effective.period->start, *effective.period->end);
  if (!minutes || *minutes < 0) {
    return endWith(OutcomeKind::kRejected, "INF-D5", "effectivePeriod.end is before its start",
                   periodPath);
  }
  std::string evidenceText;
  for (const auto& path : evidence) evidenceText += (evidenceText.empty() ? "" : ", ") + path;
  trail.push_back({"INF-D3", evidence, "pump infusion evidence: " + evidenceText});
  InfusionUnits units = infusionUnitsForMinutes(*minutes, policy.addOn);
  const std::string duration = std::to_string(*minutes) + " min";
  if (units.isInjection) {
    lines.push_back(adminLine(facts, "96372", 1, dates,
                              {"INF-D1", {periodPath}, duration + " <= 15 min -> 96372 x1"}));
    return std::nullopt;
  }
  std::string detail = duration + " -> 96369 x1";
  if (units.addOnHours > 0) detail += " + 96370 x" + std::to_string(units.addOnHours);
  lines.push_back(adminLine(facts, "96369", 1, dates, {"INF-D1", {periodPath}, detail}));
  if (units.addOnHours > 0) {
    lines.push_back(adminLine(facts, "96370", units.addOnHours, dates,
                              {"INF-D1", {periodPath}, detail}));
  }
  return std::nullopt;
}

}  // namespace

EventCoding codeEvent(const EventFacts& facts, const CodingPolicy& policy,
                      const CodingTables& tables) {
  Trail trail;
  if (auto verdict = applyStatusRule(facts, trail)) return finish(*verdict, trail);
  if (auto verdict = applySettingRule(facts, policy, trail)) return finish(*verdict, trail);

  RouteDecision route = decideRoute(facts, tables, trail);
  if (route.verdict) return finish(*route.verdict, trail);
  if (route.route == Route::kIntravenous) {
    return finish(endWith(OutcomeKind::kNeedsReview, "INF-D4",
                          "IV administration: IV infusion/push coding is not enabled; never coded "
                          "as 96369",
                          facts.eventRef + ".dosage.route"),
                  trail);
  }
  if (route.route == Route::kOther) {
    return finish(endWith(OutcomeKind::kNotBillable, "INF-D4",
                          "route is not injection or infusion: no drug-administration CPT applies",
                          facts.eventRef + ".dosage.route"),
                  trail);
  }

  auto dates = serviceDates(facts);
  if (!dates) {
    return finish(endWith(OutcomeKind::kNeedsReview, "INF-D5",
                          "no full date of service in effective[x]",
                          facts.eventRef + ".effective[x]"),
                  trail);
  }

  EventCoding coding;
  if (route.route == Route::kSubcutaneous) {
    std::vector<std::string> evidence = findInfusionEvidence(facts);
    if (evidence.empty()) {
      coding.lines.push_back(adminLine(
          facts, "96372", 1, *dates,
          {"INF-D3", {dates->path}, "SC without pump/rate/method/procedure evidence -> injection "
                                    "96372 x1 (a period alone is not an infusion)"}));
    } else if (auto verdict =
                   codeScInfusion(facts, policy, *dates, evidence, coding.lines, trail)) {
      return finish(*verdict, trail);
    }
  } else {  // intramuscular
    coding.lines.push_back(adminLine(facts, "96372", 1, *dates,
                                     {"INF-R11", {facts.eventRef + ".dosage.route"},
                                      "IM injection -> 96372 x1"}));
  }

  DrugLines drug = buildDrugLines(facts, policy, tables, dates->from, dates->to);
  if (drug.verdict) return finish(*drug.verdict, trail);
  for (auto& line : drug.lines) coding.lines.push_back(std::move(line));
  coding.kind = OutcomeKind::kBilled;
  coding.trail = std::move(trail);
  return coding;
}

}  // namespace fhir837
