#pragma once

#include <unordered_map>
#include <vector>

#include "engine/assembly/claim_assembler.h"
#include "engine/bulk/compact_index.h"
#include "engine/bulk/spilled_resources.h"
#include "engine/resource_index.h"

namespace fhir837 {

// Patient -> the spilled Coverages whose beneficiary is that patient (standalone, or contained in a
// Claim/ExplanationOfBenefit), the bulk-data counterpart of CoverageIndex. Coverages that name
// their beneficiary as Type/id (almost all) are found by the CompactIndex's beneficiary keys when
// asked, then checked; the others, and in-memory Coverages of spilled patients, are resolved once
// by build(). Answers with resources loaded through the caller's SpilledResources.
class CoverageLinks {
 public:
  // Resolves every Coverage beneficiary of `index` against `memory` (documents) and the spilled
  // resources, and links the in-memory Coverages whose beneficiary is a spilled patient (the
  // in-memory CoverageIndex covers in-memory patients). Beneficiaries that do not resolve are
  // left out, as CoverageIndex does.
  void build(const CompactIndex& index, SpilledResources& loader, const ResourceIndex& memory);
  // Needs the index given to build().
  std::vector<CoverageCandidate> find(const AnyResource* patient,
                                      const SpilledResources& loader) const;

 private:
  struct Link {
    CompactIndex::EntryId holder = 0;
    std::int32_t contained = -1;
    CoverageCandidate inMemory;  // set for a Coverage of a document
  };
  const CompactIndex* index_ = nullptr;
  std::unordered_map<CompactIndex::EntryId, std::vector<Link>> bySpilledPatient_;
  std::unordered_map<const AnyResource*, std::vector<Link>> byMemoryPatient_;
};

}  // namespace fhir837
