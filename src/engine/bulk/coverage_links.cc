#include "engine/bulk/coverage_links.h"

namespace fhir837 {

void CoverageLinks::build(const CompactIndex& index, SpilledResources& loader,
                          const ResourceIndex& memory) {
  const AnyResource detached;  // no fullUrl and nothing contained: plain Type/id resolution
  for (const CompactIndex::CoverageSource& source : index.coverageSources()) {
    loader.beginPinWindow();
    // A "#id" beneficiary points into the holder's contained resources, never at a patient of
    // the export; such coverages cannot be linked to an event's patient.
    if (source.beneficiary.reference.starts_with('#')) continue;
    auto patient = memory.resolve(source.beneficiary, detached, "Coverage.beneficiary", &loader);
    if (!patient) continue;
    const Link link{source.holder, source.contained, {}};
    if (auto entry = loader.entryOf(*patient)) {
      bySpilledPatient_[*entry].push_back(link);
    } else {
      byMemoryPatient_[*patient].push_back(link);
    }
  }
  auto linkInMemory = [&](const AnyResource& coverage, const AnyResource* container) {
    loader.beginPinWindow();
    const AnyResource& from = container ? *container : coverage;
    const Coverage& typed = *coverage.as<Coverage>();
    auto patient = memory.resolve(typed.beneficiary, from, "Coverage.beneficiary", &loader);
    if (!patient) return;
    if (auto entry = loader.entryOf(*patient)) {
      bySpilledPatient_[*entry].push_back(Link{0, -1, {&coverage, container}});
    }
  };
  for (const AnyResource* resource : memory.resources()) {
    if (resource->as<Coverage>()) {
      linkInMemory(*resource, nullptr);
      continue;
    }
    if (resource->resourceType() != "Claim" && resource->resourceType() != "ExplanationOfBenefit") {
      continue;
    }
    for (const AnyResource& contained : resource->base().contained) {
      if (contained.as<Coverage>()) linkInMemory(contained, resource);
    }
  }
}

std::vector<CoverageCandidate> CoverageLinks::find(const AnyResource* patient,
                                                   const SpilledResources& loader) const {
  const std::vector<Link>* links = nullptr;
  if (auto entry = loader.entryOf(patient)) {
    auto found = bySpilledPatient_.find(*entry);
    if (found != bySpilledPatient_.end()) links = &found->second;
  } else if (auto found = byMemoryPatient_.find(patient); found != byMemoryPatient_.end()) {
    links = &found->second;
  }
  std::vector<CoverageCandidate> out;
  if (!links) return out;
  for (const Link& link : *links) {
    if (link.inMemory.coverage) {
      out.push_back(link.inMemory);
      continue;
    }
    const AnyResource* holder = loader.load(link.holder);
    if (!holder) continue;
    if (link.contained < 0) {
      out.push_back({holder, nullptr});
    } else {
      out.push_back({&holder->base().contained[static_cast<std::size_t>(link.contained)], holder});
    }
  }
  return out;
}

}  // namespace fhir837
