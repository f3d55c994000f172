#pragma once

#include <unordered_map>
#include <vector>

#include "engine/assembly/claim_assembler.h"

namespace fhir837 {

// Patient -> Coverages, built once per scope: standalone Coverage resources and Coverage contained
// in Claim / ExplanationOfBenefit (Synthea keeps it only there). Beneficiary references are
// resolved with the scope's own resolver (from the container for contained ones).
class CoverageIndex {
 public:
  void build(const std::vector<const AnyResource*>& resources,
             const decltype(ResourceScope::resolve)& resolve);
  std::vector<CoverageCandidate> find(const AnyResource* patient) const;

 private:
  std::unordered_map<const AnyResource*, std::vector<CoverageCandidate>> byPatient_;
};

}  // namespace fhir837
