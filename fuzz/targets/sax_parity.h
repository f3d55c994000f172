#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "fhir_json/fhir_json_parser.h"
#include "fhir_json/json_model_binder.h"
#include "fhir_tree/model_binder.h"

namespace fhir837::fuzz {

// The SAX binder's one promise (json_model_binder.h): when it answers, the tree path binds the
// same bytes to an equal model. Any disagreement aborts, so the fuzzer reports it as a crash.
inline std::size_t checkSaxParity(std::string_view bytes, const ParseLimits& limits) {
  std::optional<AnyResource> sax = trySaxBindFhirJson(bytes, limits);
  if (!sax) return 0;
  Result<FhirDocument> doc = parseFhirJson(bytes, "fuzz.json", limits);
  if (!doc) {
    std::fprintf(stderr, "SAX binder bound what parseFhirJson rejects: %s\n",
                 doc.error().describe().c_str());
    std::abort();
  }
  Result<AnyResource> tree = bindResource(doc->root, doc->source);
  if (!tree) {
    std::fprintf(stderr, "SAX binder bound what bindResource rejects: %s\n",
                 tree.error().describe().c_str());
    std::abort();
  }
  if (!(*tree == *sax)) {
    std::fprintf(stderr, "SAX binder model differs from the tree binder's\n");
    std::abort();
  }
  return 1;
}

}  // namespace fhir837::fuzz
