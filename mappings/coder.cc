#include "coder.h"

#include <algorithm>
#include <cctype>

#include "rule_ids.h"
#include "rules/admin_codes.h"
#include "rules/admin_lines.h"
#include "rules/drug_line.h"
#include "rules/event_timing.h"
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

// One event as the steps of codeEvent build it up; each step reads what the earlier ones found.
struct EventInCoding {
  const EventFacts& facts;
  const CodingPolicy& policy;
  const CodingTables& tables;
  Trail trail;
  std::optional<ProcedureCodeDecision> procedureCode;  // Procedure events only
  Route route = Route::kUnknown;
  EventTiming timing;
  EventCoding coding;
};

// A stopped administration is not billed unless the payer is configured to take the actual
// time given; a setting fhir837 does not bill ends coding too.
RuleVerdict applyStatusAndSetting(EventInCoding& event) {
  const EventFacts& facts = event.facts;
  if (auto verdict = applyStatusRule(facts, event.trail)) {
    if (!(event.policy.stoppedBillsActualTime && facts.administration->status == "stopped")) {
      return verdict;
    }
    event.trail.push_back({rule_id::kInfD6,
                           {facts.eventRef + ".status"},
                           "status stopped: billed by the actual time given (configured)"});
  }
  return applySettingRule(facts, event.policy, event.trail);
}

// A Procedure event's route and infusion evidence come from its code (PROC-CODE), never from a
// dosage it does not have.
RuleVerdict decideEventRoute(EventInCoding& event) {
  const EventFacts& facts = event.facts;
  if (facts.procedure) {
    event.procedureCode =
        decideProcedureCode(*facts.procedure, facts.eventRef, event.tables.procedureCodes);
    const ProcedureCodeDecision& decision = *event.procedureCode;
    if (decision.verdict) return decision.verdict;
    event.route = decision.route;
    event.trail.push_back({rule_id::kProcCode,
                           {decision.path},
                           "Procedure.code " + decision.code + " says " + toString(event.route) +
                               " " + toString(decision.kind) +
                               "; the codes billed follow performedPeriod, not the code"});
  } else {
    RouteDecision route = decideRoute(facts, event.tables, event.trail);
    if (route.verdict) return route.verdict;
    event.route = route.route;
  }
  if (event.route == Route::kOther) {
    return endWith(OutcomeKind::kNotBillable, rule_id::kInfD4,
                   "route is not injection or infusion: no drug-administration CPT applies",
                   facts.eventRef + ".dosage.route");
  }
  return std::nullopt;
}

bool hasPushEvidence(const EventInCoding& event) {
  return event.procedureCode ? event.procedureCode->kind == ProcedureKind::kPush
                             : methodSays(event.facts, {"push", "bolus"});
}

RuleVerdict chooseChemoCodes(EventInCoding& event, DrugFamily family, const std::string& hcpcs,
                             AdminCodes& codes) {
  const EventFacts& facts = event.facts;
  if (event.route == Route::kIntravenous && event.timing.minutes < 0 && !hasPushEvidence(event)) {
    return endWith(OutcomeKind::kNeedsReview, rule_id::kInfD5,
                   "IV chemotherapy without a full effectivePeriod: infusion or push cannot be "
                   "told apart",
                   facts.eventRef + ".effective[x]");
  }
  codes = chemoCodes(event.route, family, event.timing.minutes, event.policy.addOn);
  event.trail.push_back({rule_id::kChemoR13,
                         {facts.eventRef + ".medication[x]"},
                         hcpcs + " is in the chemotherapy/complex drug table"});
  return std::nullopt;
}

// INF-D3: SC is a pump infusion only with evidence of one; a period alone is an injection.
RuleVerdict chooseScCodes(EventInCoding& event, AdminCodes& codes) {
  const EventFacts& facts = event.facts;
  const std::optional<ProcedureCodeDecision>& procedureCode = event.procedureCode;
  std::vector<std::string> evidence;
  if (!procedureCode) {
    evidence = findInfusionEvidence(facts);
  } else if (procedureCode->kind == ProcedureKind::kInfusion) {
    evidence.push_back(procedureCode->path);
  }
  if (evidence.empty()) {
    codes.kind = AdminKind::kInjection;
    codes.initialCode = "96372";
    codes.rule = rule_id::kInfD3;
    codes.detail = procedureCode
                       ? "Procedure.code is an SC injection, not a pump infusion -> injection "
                         "96372 x1 (a period alone is not an infusion)"
                       : "SC without pump/rate/method/procedure evidence -> injection 96372 x1 "
                         "(a period alone is not an infusion)";
    return std::nullopt;
  }
  if (event.timing.minutes < 0) {
    return endWith(OutcomeKind::kNeedsReview, rule_id::kInfD5,
                   "infusion without a full effectivePeriod (start and end with time and zone)",
                   facts.administration->effective.period ? event.timing.periodPath
                                                          : facts.eventRef + ".effective[x]");
  }
  event.trail.push_back({rule_id::kInfD3, evidence,
                         procedureCode ? "Procedure.code is an SC infusion -> infusion, timed by "
                                         "performedPeriod"
                                       : "pump infusion evidence (device, rate, method or linked "
                                         "96369-family Procedure) -> infusion"});
  codes = scInfusionCodes(event.timing.minutes, event.policy.addOn);
  event.coding.admin.pump = true;
  return std::nullopt;
}

RuleVerdict chooseIvCodes(EventInCoding& event, AdminCodes& codes) {
  if (event.timing.minutes < 0 && !hasPushEvidence(event)) {
    return endWith(OutcomeKind::kNeedsReview, rule_id::kInfD5,
                   "IV administration without a full effectivePeriod and no push/bolus method: "
                   "infusion or push cannot be told apart",
                   event.facts.eventRef + ".effective[x]");
  }
  codes = ivCodes(event.timing.minutes, event.policy.addOn);
  return std::nullopt;
}

// The administration codes by drug family first (chemotherapy has its own codes on every route),
// then by route.
RuleVerdict chooseAdminCodes(EventInCoding& event, const std::string& hcpcs, AdminCodes& codes) {
  const DrugFamily family =
      event.tables.families ? event.tables.families->familyOf(hcpcs) : DrugFamily::kTherapeutic;
  if (family != DrugFamily::kTherapeutic) return chooseChemoCodes(event, family, hcpcs, codes);
  if (event.route == Route::kSubcutaneous) return chooseScCodes(event, codes);
  if (event.route == Route::kIntramuscular) {
    codes.kind = AdminKind::kInjection;
    codes.initialCode = "96372";
    codes.rule = rule_id::kInfR11;
    codes.detail = "IM injection -> 96372 x1";
    return std::nullopt;
  }
  return chooseIvCodes(event, codes);
}

// JB for SC, JA for IV (coding-rules §3): IG products that can go either way.
void addRouteModifier(const EventInCoding& event, CodedLine& drugLine) {
  const std::string& hcpcs = drugLine.procedureCode;
  if (!takesRouteModifier(hcpcs)) return;
  const char* modifier = event.route == Route::kSubcutaneous  ? "JB"
                         : event.route == Route::kIntravenous ? "JA"
                                                              : nullptr;
  if (!modifier) return;
  drugLine.modifiers.push_back(modifier);
  drugLine.trail.push_back(
      {rule_id::kDrugJbja,
       {event.facts.eventRef + ".dosage.route"},
       hcpcs + std::string(" given ") + toString(event.route) + " -> " + modifier});
}

}  // namespace

EventCoding codeEvent(const EventFacts& facts, const CodingPolicy& policy,
                      const CodingTables& tables) {
  EventInCoding event{facts, policy, tables};
  if (auto verdict = applyStatusAndSetting(event)) return finish(*verdict, event.trail);
  if (auto verdict = decideEventRoute(event)) return finish(*verdict, event.trail);
  AdministrationSummary& admin = event.coding.admin;
  if (auto verdict = timeEvent(facts, policy, admin, event.timing)) {
    return finish(*verdict, event.trail);
  }

  DrugLines drug = buildDrugLines(facts, policy, tables, admin.dateFrom, admin.dateTo);
  if (drug.verdict) return finish(*drug.verdict, event.trail);
  const std::string hcpcs = drug.lines.front().procedureCode;
  admin.drugKey = hcpcs;
  admin.siteKey = siteKeyOf(facts);

  AdminCodes codes;
  if (auto verdict = chooseAdminCodes(event, hcpcs, codes)) return finish(*verdict, event.trail);
  admin.kind = codes.kind;
  const EventTiming& timing = event.timing;
  EventCoding coding = std::move(event.coding);
  coding.lines = adminLinesFor(
      facts, coding.admin, codes,
      {codes.rule, {timing.minutes >= 0 ? timing.periodPath : timing.datePath}, codes.detail});
  addRouteModifier(event, drug.lines.front());
  for (auto& line : drug.lines) coding.lines.push_back(std::move(line));
  coding.kind = OutcomeKind::kBilled;
  coding.trail = std::move(event.trail);
  return coding;
}

}  // namespace fhir837
