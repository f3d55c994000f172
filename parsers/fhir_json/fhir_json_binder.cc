#include "fhir_json/fhir_json_binder.h"

#include <optional>
#include <utility>

#include "fhir_json/fhir_json_parser.h"
#include "fhir_json/json_model_binder.h"
#include "fhir_tree/model_binder.h"

namespace fhir837 {

Result<AnyResource> bindFhirJson(std::string_view bytes, std::string source,
                                 const ParseLimits& limits) {
  // The SAX binder answers only when its model is the tree path's; everything else (every
  // error among them) takes the tree path, so results and errors stay exactly the same.
  if (std::optional<AnyResource> bound = trySaxBindFhirJson(bytes, limits)) {
    return std::move(*bound);
  }
  Result<FhirDocument> document = parseFhirJson(bytes, std::move(source), limits);
  if (!document) return document.error();
  return bindResource(document->root, document->source);
}

}  // namespace fhir837
