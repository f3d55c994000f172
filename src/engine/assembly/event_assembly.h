#pragma once

#include <string>

#include "engine/assembly/claim_assembler.h"

namespace fhir837 {

// The steps of assembleEventClaim, in the order they run (the first failure is the outcome, so
// the order decides which rule a record missing several things is reported under).

// What the steps share: the event being assembled, where its references are written, and the
// patient and encounter the first step found.
struct EventAssembly {
  AssembledEvent& event;
  const AnyResource& from;  // the administration, or the Procedure behind an administration view
  const ResourceScope& scope;
  const AppConfig& config;
  const AnyResource* patientResource = nullptr;
  const Patient* patient = nullptr;
  const AnyResource* encounterResource = nullptr;  // null without MA.context
  const Encounter* encounter = nullptr;
  std::string encounterPath;  // "Encounter/<id>", empty without an encounter
};

// The Coverage a claim is billed to, and where its own references resolve from (a contained
// Coverage's references are written in its container, the Claim or EOB).
struct ChosenCoverage {
  CoverageCandidate candidate;
  const Coverage* coverage = nullptr;
  const AnyResource* referencesFrom = nullptr;
  std::string path;  // "Coverage/<id>", or "<Container>/<id>#<coverage id>"
};

// CTX-PATIENT, CTX-ENCOUNTER.
Status resolvePatientAndEncounter(EventAssembly& assembly);
// CTX-COVERAGE: the patient's active Coverage, standalone before contained, then lowest order.
Result<ChosenCoverage> chooseCoverage(EventAssembly& assembly);
// PAY-D12: the payer profile of the Coverage's payor.
Status matchCoveragePayer(EventAssembly& assembly, const ChosenCoverage& coverage);
// CTX-SUBSCRIBER, and CTX-PATIENT for a patient who is not the subscriber (2010CA).
Status assembleSubscriber(EventAssembly& assembly, const ChosenCoverage& coverage);
// CTX-BILLING: Encounter.serviceProvider, else [billing.provider].
Status assembleBillingProvider(EventAssembly& assembly);
// CTX-RENDERING: the first performer that is a Practitioner (or a role of one).
Status assembleRenderingProvider(EventAssembly& assembly);

}  // namespace fhir837
