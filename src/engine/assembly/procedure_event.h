#pragma once

#include <memory>
#include <optional>
#include <string>

#include "engine/assembly/claim_assembler.h"

namespace fhir837 {

// A Procedure as a billable event (issue 9 §3). The coder and the claim assembler read a
// MedicationAdministration; a Procedure is given to them as its administration view:
//   status, statusReason, subject, encounter → context, performed[x] → effective[x], performer,
//   reasonCode/reasonReference, note, extension;
//   bodySite[0] → dosage.site (the coder reads every bodySite for the 96371 site rule);
//   the first usedReference that is a Medication → medicationReference, else usedCode[0] →
//   medicationCodeableConcept;
//   the dose: a Procedure records none, so it is that Medication's `amount` (the package the
//   Procedure used up) when its denominator is absent or 1; otherwise there is no dose and the
//   drug line needs review (DRUG-D10), never a guess.
// Route and infusion evidence come from Procedure.code (PROC-CODE, coder.cc), not from the view.
std::shared_ptr<const MedicationAdministration> administrationViewOf(const Procedure& procedure,
                                                                     const Reference* medication,
                                                                     const Medication* resolved);

// assembleAdministration for a Procedure: resolves usedReference (CTX-MEDICATION), then the
// parties and claim details of its view. Paths in errors and trails name Procedure elements.
Result<AssembledEvent> assembleProcedure(const AnyResource& procedure, const ResourceScope& scope,
                                         const AppConfig& config,
                                         std::optional<ClaimForm> formOverride);

// An event resource of either kind (MedicationAdministration or Procedure).
Result<AssembledEvent> assembleEvent(const AnyResource& event, const ResourceScope& scope,
                                     const AppConfig& config,
                                     std::optional<ClaimForm> formOverride);

// "MedicationAdministration/<id>" or "Procedure/<id>": the event's trail prefix and ledger key.
std::string eventRefOf(const AnyResource& event);

}  // namespace fhir837
