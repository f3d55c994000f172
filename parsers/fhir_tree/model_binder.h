#pragma once

#include <string_view>

#include "core/result.h"
#include "fhir_tree/fhir_node.h"
#include "model/resources.h"

namespace fhir837 {

// Turns a format-neutral tree into the typed model. Unknown resource types become OtherResource
// (kept, not an error); unknown elements are ignored. A modelled element of the wrong shape (an
// object where a primitive belongs, a JSON number where a string belongs, a bad date) is an
// error whose `where` is the FHIR path, e.g. "Bundle.entry[1].resource.effectivePeriod.start".
Result<AnyResource> bindResource(const FhirNode& root, std::string_view source);

}  // namespace fhir837
