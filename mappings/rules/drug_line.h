#pragma once

#include <string>

#include "rules/rule_outcome.h"

namespace fhir837 {

// The extension fhir837 reads for documented drug waste on a MedicationAdministration
// (valueQuantity in g, mg or mL). See docs/coding.md, rule DRUG-JW.
inline constexpr const char* kDiscardedAmountExtension =
    "http://fhir837.org/fhir/StructureDefinition/discarded-drug-amount";

struct DrugLines {
  std::vector<CodedLine> lines;  // the drug line, plus a JW waste line when waste is documented
  RuleVerdict verdict;           // set when the drug cannot be billed safely
};

// DRUG-D10 (coding-rules D10, R21-R24): HCPCS from the Medication's HCPCS coding or the NDC
// crosswalk (versioned by date of service), units = ceil(dose / billing-unit size), dose in g, mg
// or mL (via the Medication's strength), NDC in LIN/CTP, JZ/JW per payer.
DrugLines buildDrugLines(const EventFacts& facts, const CodingPolicy& policy,
                         const CodingTables& tables, const std::string& dateFrom,
                         const std::string& dateTo);

}  // namespace fhir837
