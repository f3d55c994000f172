#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/claim.h"
#include "model/resources.h"
#include "model/trail.h"
#include "rules/infusion_duration.h"
#include "tables/ndc_table.h"
#include "tables/route_table.h"

namespace fhir837 {

// Everything the coder may read about one billable event, already resolved by the assembler (the
// coder does no reference resolution and no I/O).
struct EventFacts {
  std::string eventRef;  // "MedicationAdministration/ma1" — the trail's path prefix
  const MedicationAdministration* administration = nullptr;
  const Medication* medication = nullptr;          // resolved medicationReference, if any
  const MedicationRequest* request = nullptr;      // resolved MA.request, if any
  std::vector<const Procedure*> linkedProcedures;  // resolved MA.partOf Procedures
  std::string encounterClass;  // Encounter.class code (v3 ActCode), e.g. AMB, IMP
  std::string placeOfService;  // CMS POS code the claim will carry (837P)
  std::string payerKey;        // matched payer profile key, e.g. "medicare"
};

// Payer- and form-specific switches for the rules.
struct CodingPolicy {
  ClaimForm form = ClaimForm::k837P;
  AddOnPolicy addOn;
  bool jwJzRequired = false;
  bool ndcRequired = false;
};

struct CodingTables {
  const RouteTable* routes = nullptr;
  const NdcTable* ndc = nullptr;
};

enum class OutcomeKind { kBilled, kNotBillable, kNeedsReview, kRejected, kHeld };
const char* toString(OutcomeKind kind);

// A service line before the claim builder adds charges and diagnosis pointers.
struct CodedLine {
  std::string procedureCode;
  std::vector<std::string> modifiers;
  std::int64_t units = 1;
  std::string dateFrom, dateTo;  // CCYYMMDD (local date at the facility)
  std::optional<DrugIdentification> drug;
  std::string sourceEventId;
  Trail trail;
  bool operator==(const CodedLine&) const = default;
};

// The coder's verdict on one event: lines to bill, or why there are none.
struct EventCoding {
  OutcomeKind kind = OutcomeKind::kBilled;
  std::string rule;    // rule id behind a non-billed outcome
  std::string reason;  // human-readable, no PHI
  std::string path;    // FHIR path the reason is about
  std::vector<CodedLine> lines;
  Trail trail;  // steps that apply to the event as a whole (status, route, evidence...)
};

}  // namespace fhir837
