#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "fhir_tree/fhir_node.h"

namespace fhir837 {

// Parses one FHIR R4 JSON resource (a Bundle or any single resource) into the format-neutral tree.
// Errors name `source` and either the FHIR path (e.g. "Bundle.entry[2].resource.status") or the
// byte offset. Never throws, never recurses on input depth, honours every limit in `limits`.
Result<FhirDocument> parseFhirJson(std::string_view bytes, std::string source,
                                   const ParseLimits& limits = {});

}  // namespace fhir837
