#include "fhir_parser.h"

#include "fhir_json/fhir_json_parser.h"
#include "fhir_tree/model_binder.h"
#include "fhir_xml/fhir_xml_parser.h"

namespace fhir837 {

Result<FhirFormat> sniffFhirFormat(std::string_view bytes, std::string_view source) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (bytes.starts_with(kBom)) bytes.remove_prefix(kBom.size());
  std::size_t first = bytes.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos) {
    if (bytes[first] == '{') return FhirFormat::kJson;
    if (bytes[first] == '<') return FhirFormat::kXml;
  }
  return makeError(ErrorCode::kSyntax, "not FHIR JSON or XML", std::string(source));
}

Result<AnyResource> parseFhirResource(std::string_view bytes, std::string source,
                                      const ParseLimits& limits) {
  Result<FhirFormat> format = sniffFhirFormat(bytes, source);
  if (!format) return format.error();
  Result<FhirDocument> document = *format == FhirFormat::kJson
                                      ? parseFhirJson(bytes, source, limits)
                                      : parseFhirXml(bytes, source, limits);
  if (!document) return document.error();
  return bindResource(document->root, document->source);
}

}  // namespace fhir837
