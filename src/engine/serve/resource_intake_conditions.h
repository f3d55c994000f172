#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/serve/journal.h"

namespace fhir837::serve {

// The request conditions a write may carry, read the same way from HTTP headers (If-Match,
// If-None-Exist) and from a Bundle entry's request (ifMatch, ifNoneExist).

// W/"3" or "3" -> 3; nullopt for anything else.
std::optional<std::uint64_t> versionOfETag(std::string_view tag);

// "identifier=system|value" (the only search a conditional create supports here) on `type`.
// A Bundle entry may write the search with its type in front ("Patient?identifier=...", as many
// senders do although R4 asks for the query part only): `type` + "?" is accepted and dropped.
std::optional<IdentifierQuery> identifierSearch(std::string_view search, std::string type);

}  // namespace fhir837::serve
