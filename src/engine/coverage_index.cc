#include "engine/coverage_index.h"

namespace fhir837 {

void CoverageIndex::build(const std::vector<const AnyResource*>& resources,
                          const decltype(ResourceScope::resolve)& resolve) {
  auto addCandidate = [&](const AnyResource& coverage, const AnyResource* container) {
    const Coverage* typed = coverage.as<Coverage>();
    const AnyResource& from = container ? *container : coverage;
    auto beneficiary = resolve(typed->beneficiary, from, "Coverage/" + typed->id + ".beneficiary");
    if (beneficiary) byPatient_[*beneficiary].push_back({&coverage, container});
  };
  for (const AnyResource* resource : resources) {
    if (resource->as<Coverage>()) {
      addCandidate(*resource, nullptr);
      continue;
    }
    const std::string_view type = resource->resourceType();
    if (type != "Claim" && type != "ExplanationOfBenefit") continue;
    for (const AnyResource& contained : resource->base().contained) {
      if (contained.as<Coverage>()) addCandidate(contained, resource);
    }
  }
}

std::vector<CoverageCandidate> CoverageIndex::find(const AnyResource* patient) const {
  auto it = byPatient_.find(patient);
  return it == byPatient_.end() ? std::vector<CoverageCandidate>{} : it->second;
}

}  // namespace fhir837
