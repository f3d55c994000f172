#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "coding_types.h"
#include "core/result.h"
#include "engine/config/app_config.h"
#include "model/claim.h"
#include "model/resources.h"

namespace fhir837 {

// How the assembler sees the resources of one input scope (a Bundle, or a bulk export).
// A Coverage the scope knows for a patient: standalone, or contained in a Claim or
// ExplanationOfBenefit (Synthea keeps Coverage only there); `container` is that resource.
struct CoverageCandidate {
  const AnyResource* coverage = nullptr;
  const AnyResource* container = nullptr;
};

struct ResourceScope {
  std::vector<const AnyResource*> resources;
  // The Coverages whose beneficiary is `patient` (indexed once per scope, so bulk inputs do not
  // scan every resource per event).
  std::function<std::vector<CoverageCandidate>(const AnyResource* patient)> coveragesFor;
  // Resolves `ref` as written in `from` (for #contained); `where` is the referring FHIR path.
  std::function<Result<const AnyResource*>(const Reference& ref, const AnyResource& from,
                                           const std::string& where)>
      resolve;
  // The run clock (SOURCE_DATE_EPOCH when set): service dates after it are needs-review
  // (DOS-FUTURE). Absent: no such check (unit tests that build a scope by hand).
  std::optional<std::int64_t> nowEpochSeconds;
};

// One event with everything its claim needs: the coder's facts and the claim header (parties,
// diagnoses, POS) without service lines.
struct AssembledEvent {
  EventFacts facts;
  Claim header;
  const PayerProfile* payerProfile = nullptr;
  std::string claimKey;                // events with the same key share one claim
  std::string locationId;              // the Location that gave the POS, if any
  std::string ledgerKey;               // ledger key when not facts.eventRef ("void:..." for voids)
  std::vector<int> diagnosisPointers;  // for this event's lines, 1-based into header.diagnoses
  Trail trail;                         // where each party came from
};

// Gathers patient, coverage, payer (PAY-D12), billing and rendering providers, diagnoses and
// place of service for one MedicationAdministration. Errors are rejections naming the FHIR path
// and a CTX-* / PAY-* rule id.
// The claim form is `formOverride` (convert --form) or decided by the billing profiles
// (billing provider NPI or POS), else config.defaultForm.
Result<AssembledEvent> assembleAdministration(const AnyResource& administration,
                                              const ResourceScope& scope, const AppConfig& config,
                                              std::optional<ClaimForm> formOverride);

}  // namespace fhir837
