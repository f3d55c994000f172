#pragma once

#include <optional>
#include <string_view>

#include "fhir_tree/fhir_node.h"
#include "model/resources.h"

namespace fhir837 {

// Binds one FHIR R4 JSON resource straight from RapidJSON SAX events into the typed model, with no
// FhirNode tree: elements the model does not keep are skipped without allocating.
//
// It only answers when it is sure: the result, when there is one, equals what parseFhirJson +
// bindResource give for the same bytes. Any error, any limit, and every construct whose tree
// semantics it does not reproduce (a `_name` key, null / {} / [] anywhere, an array for a 0..1
// element, a second choice[x] alternative, resourceType not the first key of a resource or
// anywhere else, duplicate keys, performedString/Age/Range...) give std::nullopt, and the
// caller runs the tree path, whose result and errors are canonical (see bindFhirJson).
std::optional<AnyResource> trySaxBindFhirJson(std::string_view bytes,
                                              const ParseLimits& limits = {});

}  // namespace fhir837
