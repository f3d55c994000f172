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

// True for the resource types of FHIR R4 (4.0.1), case-sensitive: "medicationAdministration"
// or an R4B/R5-only type is not one. The binder keeps any other type as an OtherResource; the
// loader uses this to tell a type fhir837 does not need from one that is misspelt.
bool isFhirR4ResourceType(std::string_view type);

// Sniffs, parses and binds one resource.
Result<AnyResource> parseFhirResource(std::string_view bytes, std::string source,
                                      const ParseLimits& limits = {});

}  // namespace fhir837
