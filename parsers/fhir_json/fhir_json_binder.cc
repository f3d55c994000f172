#include "fhir_json/fhir_json_binder.h"

#include <utility>

#include "fhir_json/fhir_json_parser.h"
#include "fhir_tree/model_binder.h"

namespace fhir837 {

Result<AnyResource> bindFhirJson(std::string_view bytes, std::string source,
                                 const ParseLimits& limits) {
  Result<FhirDocument> document = parseFhirJson(bytes, std::move(source), limits);
  if (!document) return document.error();
  return bindResource(document->root, document->source);
}

}  // namespace fhir837
