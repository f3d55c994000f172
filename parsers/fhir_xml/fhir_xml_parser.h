#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "fhir_tree/fhir_node.h"

namespace fhir837 {

// Parses one FHIR R4 XML resource (namespace http://hl7.org/fhir) into the format-neutral tree,
// producing exactly the tree that parseFhirJson gives for the JSON form of the same resource.
// Errors name `source` and the FHIR path or byte offset. Never throws; honours `limits`.
Result<FhirDocument> parseFhirXml(std::string_view bytes, std::string source,
                                  const ParseLimits& limits = {});

}  // namespace fhir837
