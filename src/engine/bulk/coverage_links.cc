#include "engine/bulk/coverage_links.h"

#include "engine/coverage_index.h"

namespace fhir837 {

void CoverageLinks::build(const CompactIndex& index, SpilledResources& loader,
                          const ResourceIndex& memory) {
  index_ = &index;
  const AnyResource detached;  // no fullUrl and nothing contained: plain resolution
  for (const CompactIndex::UnusualCoverage& source : index.unusualCoverages()) {
    loader.beginPinWindow();
    // A "#id" beneficiary points into the holder's contained resources, never at a patient of
    // the export; such coverages cannot be linked to an event's patient.
    if (source.beneficiary.reference.starts_with('#')) continue;
    auto patient = memory.resolve(source.beneficiary, detached, "Coverage.beneficiary", &loader);
    if (!patient) continue;
    const Link link{source.at.holder, source.at.contained, {}};
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
    forEachCoverage(*resource, [&](const AnyResource& coverage, const AnyResource* container, int) {
      linkInMemory(coverage, container);
    });
  }
}

std::vector<CoverageCandidate> CoverageLinks::find(const AnyResource* patient,
                                                   const SpilledResources& loader) const {
  std::vector<CoverageCandidate> out;
  const std::string typeId = std::string(patient->resourceType()) + "/" + patient->id();
  const auto candidates =
      index_ ? index_->coveragesOf(typeId) : std::vector<CompactIndex::CoverageAt>{};
  for (const CompactIndex::CoverageAt& at : candidates) {
    const AnyResource* holder = loader.load(at.holder);
    if (!holder) continue;
    const auto& contained = holder->base().contained;
    if (at.contained >= static_cast<std::int32_t>(contained.size())) continue;  // a hash collision
    const AnyResource* coverage =
        at.contained < 0 ? holder : &contained[static_cast<std::size_t>(at.contained)];
    // The key is a hash: check that this is a Coverage whose beneficiary names this patient.
    const Coverage* typed = coverage->as<Coverage>();
    if (!typed || referencedTypeId(typed->beneficiary.reference) != typeId) continue;
    out.push_back({coverage, at.contained < 0 ? nullptr : holder});
  }
  const std::vector<Link>* links = nullptr;
  if (auto entry = loader.entryOf(patient)) {
    auto found = bySpilledPatient_.find(*entry);
    if (found != bySpilledPatient_.end()) links = &found->second;
  } else if (auto found = byMemoryPatient_.find(patient); found != byMemoryPatient_.end()) {
    links = &found->second;
  }
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
