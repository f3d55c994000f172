#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/serve/journal.h"

namespace fhir837::http {

// The body format of a Content-Type (media type, parameters such as charset ignored):
// application/fhir+json, application/json -> JSON; application/fhir+xml, application/xml,
// text/xml -> XML; anything else -> nullopt (415).
std::optional<serve::BodyFormat> formatOfContentType(std::string_view contentType);

// What the client will take back.
struct Acceptable {
  bool json = false, xml = false;
  // Which one it prefers when both are acceptable (highest q, then `fallback`).
  std::optional<serve::BodyFormat> preferred;
};

// `_format` (json, xml, application/fhir+json, ...) wins over Accept (quality values, */*,
// application/*, the FHIR and plain types). nullopt: the client asked for nothing it named
// (neither given): anything goes. Acceptable with both false: nothing servable (406).
std::optional<Acceptable> acceptableOf(std::string_view formatParameter, std::string_view accept);

// The response format: the acceptable one (preferring `fallback` on a tie or when the client
// named none); nullopt when nothing servable was named (406).
std::optional<serve::BodyFormat> chooseFormat(std::string_view formatParameter,
                                              std::string_view accept, serve::BodyFormat fallback);

// Whether `format` is one the client takes (for stored bodies, which are served as stored).
bool accepts(std::string_view formatParameter, std::string_view accept, serve::BodyFormat format);

}  // namespace fhir837::http
