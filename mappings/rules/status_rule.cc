#include "rules/status_rule.h"

#include "rule_ids.h"

namespace fhir837 {

RuleVerdict applyStatusRule(const EventFacts& facts, Trail& trail) {
  const std::string& status = facts.administration->status;
  const std::string path = facts.eventRef + ".status";
  if (status == "completed") {
    trail.push_back({rule_id::kInfD6, {path}, "status completed -> billable"});
    return std::nullopt;
  }
  // Procedure.status adds `preparation` (R30): not done yet, so held like in-progress.
  if (facts.procedure && status == "preparation") {
    return endWith(OutcomeKind::kHeld, rule_id::kInfD6,
                   "status preparation: held until the procedure is completed", path);
  }
  if (facts.procedure && (status == "in-progress" || status == "on-hold" || status == "unknown")) {
    return endWith(OutcomeKind::kHeld, rule_id::kInfD6,
                   "status " + status + ": held until the procedure is completed", path);
  }
  if (status == "in-progress" || status == "on-hold" || status == "unknown") {
    return endWith(OutcomeKind::kHeld, rule_id::kInfD6,
                   "status " + status + ": held until the administration is completed", path);
  }
  if (status == "stopped") {
    return endWith(OutcomeKind::kNeedsReview, rule_id::kInfD6,
                   "status stopped: discontinued administration needs review (actual-time coding "
                   "is never automatic)",
                   path);
  }
  if (status == "not-done") {
    return endWith(OutcomeKind::kNotBillable, rule_id::kInfD6,
                   "status not-done: nothing was administered", path);
  }
  if (status == "entered-in-error") {
    return endWith(OutcomeKind::kNotBillable, rule_id::kInfD6,
                   "status entered-in-error: record withdrawn, nothing billed", path);
  }
  if (status.empty()) {
    return endWith(OutcomeKind::kRejected, rule_id::kInfD6,
                   "status is missing (required in FHIR R4)", path);
  }
  return endWith(OutcomeKind::kRejected, rule_id::kInfD6,
                 "status '" + status + "' is not an R4 code", path);
}

}  // namespace fhir837
