#include "coder.h"

#include <algorithm>
#include <cctype>

#include "rules/admin_codes.h"
#include "rules/admin_lines.h"
#include "rules/drug_line.h"
#include "rules/infusion_duration.h"
#include "rules/infusion_evidence.h"
#include "rules/procedure_code_rule.h"
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
    case OutcomeKind::kPending:
      return "pending";
  }
  return "unknown";
}

namespace {

EventCoding finish(EventCoding verdict, Trail trail) {
  trail.insert(trail.end(), verdict.trail.begin(), verdict.trail.end());
  verdict.trail = std::move(trail);
  return verdict;
}

// Date(s) of service: the local calendar dates at the facility (x12 map §4), from the period or
// the dateTime; nullopt when effective[x] gives no full day.
bool serviceDates(const EventFacts& facts, AdministrationSummary& admin, std::string& path) {
  const TimingChoice& effective = facts.administration->effective;
  if (effective.period && effective.period->start) {
    auto from = effective.period->start->localDateCcyymmdd();
    if (!from) return false;
    admin.dateFrom = admin.dateTo = *from;
    if (effective.period->end) {
      if (auto to = effective.period->end->localDateCcyymmdd()) admin.dateTo = *to;
    }
    path = facts.eventRef + ".effectivePeriod";
    return admin.dateFrom <= admin.dateTo;  // a reversed date range is not a date of service
  }
  if (effective.dateTime) {
    auto from = effective.dateTime->localDateCcyymmdd();
    if (!from) return false;
    admin.dateFrom = admin.dateTo = *from;
    path = facts.eventRef + ".effectiveDateTime";
    return true;
  }
  return false;
}

// Whole minutes of a full period of instants; -1 when there is none; -2 when end < start.
std::int64_t periodMinutes(const EventFacts& facts, AdministrationSummary& admin) {
  const auto& period = facts.administration->effective.period;
  if (!period || !period->start || !period->end || !period->start->isInstant() ||
      !period->end->isInstant()) {
    return -1;
  }
  auto minutes = wholeMinutesBetween(*period->start, *period->end);
  // Compare the instants themselves: an end a few seconds before the start truncates to 0 min.
  if (!minutes || *minutes < 0 || *period->end->epochSeconds() < *period->start->epochSeconds()) {
    return -2;
  }
  admin.startEpoch = *period->start->epochSeconds();
  admin.endEpoch = *period->end->epochSeconds();
  admin.minutes = *minutes;
  return *minutes;
}

bool methodSays(const EventFacts& facts, std::initializer_list<const char*> words) {
  if (!facts.administration->dosage) return false;
  const CodeableConcept& method = facts.administration->dosage->method;
  std::string text = method.text;
  for (const auto& coding : method.coding) text += " " + coding.display;
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* word : words) {
    if (text.find(word) != std::string::npos) return true;
  }
  return false;
}

std::string siteKeyOf(const EventFacts& facts) {
  if (facts.procedure) {  // every bodySite: sites placed at one set-up are one site set (R5)
    std::string key;
    for (const auto& site : facts.procedure->bodySite) {
      for (const auto& coding : site.coding) key += coding.system + "|" + coding.code + ";";
      if (site.coding.empty() && !site.text.empty()) key += site.text + ";";
    }
    return key;
  }
  if (!facts.administration->dosage) return {};
  std::string key;
  for (const auto& coding : facts.administration->dosage->site.coding) {
    key += coding.system + "|" + coding.code + ";";
  }
  return key.empty() ? facts.administration->dosage->site.text : key;
}

}  // namespace

EventCoding codeEvent(const EventFacts& facts, const CodingPolicy& policy,
                      const CodingTables& tables) {
  Trail trail;
  if (auto verdict = applyStatusRule(facts, trail)) {
    if (!(policy.stoppedBillsActualTime && facts.administration->status == "stopped")) {
      return finish(*verdict, trail);
    }
    trail.push_back({"INF-D6",
                     {facts.eventRef + ".status"},
                     "status stopped: billed by the actual time given (configured)"});
  }
  if (auto verdict = applySettingRule(facts, policy, trail)) return finish(*verdict, trail);

  // A Procedure event's route and infusion evidence come from its code (PROC-CODE), never from
  // a dosage it does not have.
  std::optional<ProcedureCodeDecision> procedureCode;
  RouteDecision route;
  if (facts.procedure) {
    procedureCode = decideProcedureCode(*facts.procedure, facts.eventRef, tables.procedureCodes);
    if (procedureCode->verdict) return finish(*procedureCode->verdict, trail);
    route.route = procedureCode->route;
    trail.push_back({"PROC-CODE",
                     {procedureCode->path},
                     "Procedure.code " + procedureCode->code + " says " + toString(route.route) +
                         " " + toString(procedureCode->kind) +
                         "; the codes billed follow performedPeriod, not the code"});
  } else {
    route = decideRoute(facts, tables, trail);
    if (route.verdict) return finish(*route.verdict, trail);
  }
  if (route.route == Route::kOther) {
    return finish(endWith(OutcomeKind::kNotBillable, "INF-D4",
                          "route is not injection or infusion: no drug-administration CPT applies",
                          facts.eventRef + ".dosage.route"),
                  trail);
  }

  EventCoding coding;
  AdministrationSummary& admin = coding.admin;
  std::string datePath;
  if (!serviceDates(facts, admin, datePath)) {
    if (!admin.dateFrom.empty()) {
      return finish(endWith(OutcomeKind::kRejected, "INF-D5",
                            "effectivePeriod.end is before its start", datePath),
                    trail);
    }
    return finish(
        endWith(OutcomeKind::kNeedsReview, "INF-D5", "no full date of service in effective[x]",
                facts.eventRef + ".effective[x]"),
        trail);
  }
  const std::int64_t minutes = periodMinutes(facts, admin);
  const std::string periodPath = facts.eventRef + ".effectivePeriod";
  if (minutes == -2) {
    return finish(endWith(OutcomeKind::kRejected, "INF-D5",
                          "effectivePeriod.end is before its start", periodPath),
                  trail);
  }

  if (minutes >= 0) {
    const Period& period = *facts.administration->effective.period;
    if (auto problem = implausiblePeriod(admin.startEpoch, *period.start->offsetMinutes,
                                         admin.endEpoch, policy.maxInfusionMinutes)) {
      return finish(endWith(OutcomeKind::kNeedsReview, problem->rule, problem->reason, periodPath),
                    trail);
    }
  }

  DrugLines drug = buildDrugLines(facts, policy, tables, admin.dateFrom, admin.dateTo);
  if (drug.verdict) return finish(*drug.verdict, trail);
  const std::string hcpcs = drug.lines.front().procedureCode;
  admin.drugKey = hcpcs;
  admin.siteKey = siteKeyOf(facts);
  const DrugFamily family =
      tables.families ? tables.families->familyOf(hcpcs) : DrugFamily::kTherapeutic;

  AdminCodes codes;
  const bool pushEvidence = procedureCode ? procedureCode->kind == ProcedureKind::kPush
                                          : methodSays(facts, {"push", "bolus"});
  if (family != DrugFamily::kTherapeutic) {
    if (route.route == Route::kIntravenous && minutes < 0 && !pushEvidence) {
      return finish(endWith(OutcomeKind::kNeedsReview, "INF-D5",
                            "IV chemotherapy without a full effectivePeriod: infusion or push "
                            "cannot be told apart",
                            facts.eventRef + ".effective[x]"),
                    trail);
    }
    codes = chemoCodes(route.route, family, minutes, policy.addOn);
    trail.push_back({"CHEMO-R13",
                     {facts.eventRef + ".medication[x]"},
                     hcpcs + " is in the chemotherapy/complex drug table"});
  } else if (route.route == Route::kSubcutaneous) {
    std::vector<std::string> evidence;
    if (!procedureCode) {
      evidence = findInfusionEvidence(facts);
    } else if (procedureCode->kind == ProcedureKind::kInfusion) {
      evidence.push_back(procedureCode->path);
    }
    if (evidence.empty()) {
      codes.kind = AdminKind::kInjection;
      codes.initialCode = "96372";
      codes.rule = "INF-D3";
      codes.detail = procedureCode
                         ? "Procedure.code is an SC injection, not a pump infusion -> injection "
                           "96372 x1 (a period alone is not an infusion)"
                         : "SC without pump/rate/method/procedure evidence -> injection 96372 x1 "
                           "(a period alone is not an infusion)";
    } else {
      if (minutes < 0) {
        return finish(
            endWith(OutcomeKind::kNeedsReview, "INF-D5",
                    "infusion without a full effectivePeriod (start and end with time "
                    "and zone)",
                    facts.administration->effective.period ? periodPath
                                                           : facts.eventRef + ".effective[x]"),
            trail);
      }
      trail.push_back({"INF-D3", evidence,
                       procedureCode ? "Procedure.code is an SC infusion -> infusion, timed by "
                                       "performedPeriod"
                                     : "pump infusion evidence (device, rate, method or linked "
                                       "96369-family Procedure) -> infusion"});
      codes = scInfusionCodes(minutes, policy.addOn);
      admin.pump = true;
    }
  } else if (route.route == Route::kIntramuscular) {
    codes.kind = AdminKind::kInjection;
    codes.initialCode = "96372";
    codes.rule = "INF-R11";
    codes.detail = "IM injection -> 96372 x1";
  } else {  // intravenous
    if (minutes < 0 && !pushEvidence) {
      return finish(endWith(OutcomeKind::kNeedsReview, "INF-D5",
                            "IV administration without a full effectivePeriod and no push/bolus "
                            "method: infusion or push cannot be told apart",
                            facts.eventRef + ".effective[x]"),
                    trail);
    }
    codes = ivCodes(minutes, policy.addOn);
  }
  admin.kind = codes.kind;
  coding.lines = adminLinesFor(facts, admin, codes,
                               {codes.rule, {minutes >= 0 ? periodPath : datePath}, codes.detail});

  if (takesRouteModifier(hcpcs)) {
    // JB for SC, JA for IV (coding-rules §3): IG products that can go either way.
    const char* modifier = route.route == Route::kSubcutaneous  ? "JB"
                           : route.route == Route::kIntravenous ? "JA"
                                                                : nullptr;
    if (modifier) {
      drug.lines.front().modifiers.push_back(modifier);
      drug.lines.front().trail.push_back(
          {"DRUG-JBJA",
           {facts.eventRef + ".dosage.route"},
           hcpcs + std::string(" given ") + toString(route.route) + " -> " + modifier});
    }
  }
  for (auto& line : drug.lines) coding.lines.push_back(std::move(line));
  coding.kind = OutcomeKind::kBilled;
  coding.trail = std::move(trail);
  return coding;
}

}  // namespace fhir837
