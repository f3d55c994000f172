#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "engine/assembly/claim_assembler.h"
#include "model/resources.h"

namespace fhir837 {

// The resources one event's claim is built from, as the assembler found them.
struct PlausibilityInput {
  const AnyResource* event = nullptr;     // the MedicationAdministration (or Procedure) billed
  std::string eventPath;                  // "MedicationAdministration/ma1"
  const TimingChoice* service = nullptr;  // effective[x] / performed[x]
  std::string servicePath;                // its FHIR path, e.g. "...effectivePeriod"
  const Reference* subject = nullptr;     // the event's subject
  const AnyResource* patient = nullptr;   // the resolved subject
  const AnyResource* encounter = nullptr;
  const AnyResource* coverage = nullptr;
  const AnyResource* coverageContainer = nullptr;  // Claim/EOB holding a contained Coverage
  std::string coveragePath;
  // Medication, linked Procedures, with their Type/id: checked for modifierExtension only.
  std::vector<std::pair<const ResourceBase*, std::string>> others;
};

// Data that would bill the wrong thing is stopped, not billed (issue 9 §5): a needs-review
// error (ErrorCode::kNeedsReview) naming the rule and the FHIR path, checked in this order:
//   FHIR-MODEXT   a modifierExtension on a resource (or MA.dosage) the claim is built from
//   CTX-SUBJECT   Encounter.subject or Coverage.beneficiary is another patient than the subject
//   DOS-FUTURE    a service date after the run clock (scope.nowEpochSeconds)
//   DOS-BIRTH     Patient.birthDate after the service date
Status checkPlausibility(const PlausibilityInput& input, const ResourceScope& scope);

}  // namespace fhir837
