#include "sources/http/fhir_http_types.h"

namespace fhir837::http {

const std::string& HttpRequest::header(const std::string& name) const {
  static const std::string kEmpty;
  for (const auto& [key, value] : headers)
    if (key == name) return value;
  return kEmpty;
}

}  // namespace fhir837::http
