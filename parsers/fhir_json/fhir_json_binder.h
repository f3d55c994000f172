#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "fhir_tree/fhir_node.h"
#include "model/resources.h"

namespace fhir837 {

// Parses and binds one FHIR R4 JSON resource (a Bundle or any single resource) into the typed
// model: the result, and every error (code, message, path or byte offset), are exactly those of
// parseFhirJson followed by bindResource. It is the one entry point the pipeline uses for JSON,
// so that a faster binder can replace the tree path behind it.
Result<AnyResource> bindFhirJson(std::string_view bytes, std::string source,
                                 const ParseLimits& limits = {});

}  // namespace fhir837
