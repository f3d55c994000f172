#pragma once

#include <string>
#include <vector>

#include "rule_outcome.h"
#include "tables/procedure_code_table.h"

namespace fhir837 {

// PROC-CODE: what a Procedure event's code says about the administration (route, and whether it
// is evidence of a pump infusion, an injection or an IV push). Never the codes to bill: those
// follow performedPeriod like an administration's effectivePeriod.
struct ProcedureCodeDecision {
  RuleVerdict verdict;  // set when coding stops: an unknown or contradictory code
  Route route = Route::kUnknown;
  ProcedureKind kind = ProcedureKind::kInjection;
  std::string code;  // the coding that matched, e.g. "96369"
  std::string path;  // "Procedure/p1.code"
};

// Looks up every coding of `procedure.code`. No coding in the table → not-billable (the Procedure
// is not a drug administration fhir837 bills); two codings that disagree → needs-review.
ProcedureCodeDecision decideProcedureCode(const Procedure& procedure, const std::string& eventRef,
                                          const ProcedureCodeTable* table);

// The coder names MedicationAdministration elements (it codes the Procedure's administration
// view); this rewrites a Procedure event's paths and texts to the Procedure's own elements
// (effectivePeriod → performedPeriod, dosage.site → bodySite, medication[x] → usedReference ...),
// so the trail and the outcome point at what the Procedure says.
void rewriteForProcedure(const EventFacts& facts, EventCoding& coding);
std::string procedurePath(const EventFacts& facts, const std::string& path);

}  // namespace fhir837
