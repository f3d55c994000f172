#pragma once

#include <functional>
#include <unordered_map>
#include <vector>

#include "engine/assembly/claim_assembler.h"

namespace fhir837 {

// Calls `visit` for each Coverage `resource` holds: itself when it is one (container null,
// contained index -1), or each Coverage contained in a Claim / ExplanationOfBenefit (Synthea
// keeps Coverage only there) with its index in `contained`.
void forEachCoverage(const AnyResource& resource,
                     const std::function<void(const AnyResource& coverage,
                                              const AnyResource* container, int contained)>& visit);

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
