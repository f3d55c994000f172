#include "engine/coverage_index.h"

namespace fhir837 {

void forEachCoverage(
    const AnyResource& resource,
    const std::function<void(const AnyResource& coverage, const AnyResource* container,
                             int contained)>& visit) {
  if (resource.as<Coverage>()) {
    visit(resource, nullptr, -1);
    return;
  }
  const std::string_view type = resource.resourceType();
  if (type != "Claim" && type != "ExplanationOfBenefit") return;
  const auto& contained = resource.base().contained;
  for (std::size_t i = 0; i < contained.size(); ++i) {
    if (contained[i].as<Coverage>()) visit(contained[i], &resource, static_cast<int>(i));
  }
}

void CoverageIndex::build(const std::vector<const AnyResource*>& resources,
                          const decltype(ResourceScope::resolve)& resolve) {
  auto addCandidate = [&](const AnyResource& coverage, const AnyResource* container) {
    const Coverage* typed = coverage.as<Coverage>();
    const AnyResource& from = container ? *container : coverage;
    auto beneficiary = resolve(typed->beneficiary, from, "Coverage/" + typed->id + ".beneficiary");
    if (beneficiary) byPatient_[*beneficiary].push_back({&coverage, container});
  };
  for (const AnyResource* resource : resources) {
    forEachCoverage(*resource, [&](const AnyResource& coverage, const AnyResource* container, int) {
      addCandidate(coverage, container);
    });
  }
}

std::vector<CoverageCandidate> CoverageIndex::find(const AnyResource* patient) const {
  auto it = byPatient_.find(patient);
  return it == byPatient_.end() ? std::vector<CoverageCandidate>{} : it->second;
}

}  // namespace fhir837
