#include "rules/procedure_code_rule.h"

#include <cstring>
#include <utility>
#include "rule_ids.h"

namespace fhir837 {

ProcedureCodeDecision decideProcedureCode(const Procedure& procedure, const std::string& eventRef,
                                          const ProcedureCodeTable* table) {
  ProcedureCodeDecision decision;
  decision.path = eventRef + ".code";
  std::optional<ProcedureCodeMeaning> found;
  std::string foundCode;
  for (const auto& coding : procedure.code.coding) {
    auto meaning = table ? table->lookup(coding.system, coding.code) : std::nullopt;
    if (!meaning) continue;
    if (found && (found->route != meaning->route || found->kind != meaning->kind)) {
      decision.verdict =
          endWith(OutcomeKind::kNeedsReview, rule_id::kProcCode,
                  "Procedure.code codings disagree: " + foundCode + " is " +
                      toString(found->route) + " " + toString(found->kind) + ", " + coding.code +
                      " is " + toString(meaning->route) + " " + toString(meaning->kind),
                  decision.path);
      return decision;
    }
    if (!found) {
      found = meaning;
      foundCode = coding.code;
    }
  }
  if (!found) {
    std::string what =
        procedure.code.coding.empty()
            ? (procedure.code.text.empty() ? std::string("no code")
                                           : "text only '" + procedure.code.text + "'")
            : procedure.code.coding.front().system + "|" + procedure.code.coding.front().code;
    decision.verdict = endWith(OutcomeKind::kNotBillable, rule_id::kProcCode,
                               "Procedure.code (" + what +
                                   ") is not a drug-administration code in procedure_codes.csv: "
                                   "not billed as an infusion or injection",
                               decision.path);
    return decision;
  }
  decision.route = found->route;
  decision.kind = found->kind;
  decision.code = foundCode;
  return decision;
}

namespace {
struct Rename {
  const char* from;
  const char* to;
};

// Longest first where one name is a prefix of another.
constexpr Rename kPathRenames[] = {
    {".effectivePeriod", ".performedPeriod"},
    {".effectiveDateTime", ".performedDateTime"},
    {".effective[x]", ".performed[x]"},
    {".dosage.site", ".bodySite"},
    {".dosage.route", ".code"},
    {".dosage.method", ".code"},
    {".context", ".encounter"},
};

constexpr Rename kTextRenames[] = {
    {"effectivePeriod", "performedPeriod"},
    {"effective[x]", "performed[x]"},
    {"dosage.route", "Procedure.code"},
    {"dosage.dose", "Medication.amount"},
};

void replaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

std::string rewriteText(std::string text) {
  for (const auto& r : kTextRenames) replaceAll(text, r.from, r.to);
  return text;
}

void rewriteTrail(const EventFacts& facts, Trail& trail) {
  for (TrailStep& step : trail) {
    for (std::string& input : step.inputs) input = procedurePath(facts, input);
    step.detail = rewriteText(std::move(step.detail));
  }
}
}  // namespace

std::string procedurePath(const EventFacts& facts, const std::string& path) {
  const std::string& ref = facts.eventRef;
  if (path.compare(0, ref.size(), ref) != 0) return path;
  const std::string element = path.substr(ref.size());
  for (const auto& r : kPathRenames) {
    if (element.rfind(r.from, 0) == 0) return ref + r.to + element.substr(std::strlen(r.from));
  }
  const bool usedReference = facts.medication != nullptr;
  if (element == ".medication[x]" || element == ".medicationReference" ||
      element == ".medicationCodeableConcept") {
    return ref + (usedReference ? ".usedReference" : ".usedCode");
  }
  if (element == ".dosage.dose") {
    return usedReference ? "Medication/" + facts.medication->id + ".amount" : ref + ".usedCode";
  }
  return path;
}

void rewriteForProcedure(const EventFacts& facts, EventCoding& coding) {
  if (!facts.procedure) return;
  coding.path = procedurePath(facts, coding.path);
  coding.reason = rewriteText(std::move(coding.reason));
  rewriteTrail(facts, coding.trail);
  for (CodedLine& line : coding.lines) rewriteTrail(facts, line.trail);
}

}  // namespace fhir837
