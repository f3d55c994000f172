#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "fhir_tree/fhir_node.h"
#include "model/resources.h"

namespace fhir837 {

enum class FhirFormat { kJson, kXml };

// Detects JSON or XML from the first non-blank byte (after an optional UTF-8 BOM); nullopt-like
// error for anything else.
Result<FhirFormat> sniffFhirFormat(std::string_view bytes, std::string_view source);

// Sniffs, parses and binds one resource.
Result<AnyResource> parseFhirResource(std::string_view bytes, std::string source,
                                      const ParseLimits& limits = {});

}  // namespace fhir837
