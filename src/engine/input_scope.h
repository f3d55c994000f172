#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/assembly/claim_assembler.h"
#include "engine/resource_index.h"
#include "model/resources.h"

namespace fhir837 {

// The resources of one input (a Bundle or a single resource), indexed for reference resolution,
// and the billable events found in it with their position ("Bundle.entry[3]").
struct InputScope {
  AnyResource root;
  ResourceIndex index;
  ResourceScope scope;
  std::vector<std::pair<const AnyResource*, std::string>> events;
};

// A billable event: a MedicationAdministration or a Procedure (issue 9 §3).
bool isEventResource(const AnyResource& resource);

// Not copyable or movable once built: scope.resolve and events point into it.
std::unique_ptr<InputScope> buildInputScope(AnyResource root);

}  // namespace fhir837
