#pragma once

#include <string>
#include <string_view>

namespace fhir837::serve {

// Lower-case hex SHA-256 of `bytes` (OpenSSL): the content part of the journal's idempotency key.
std::string sha256Hex(std::string_view bytes);

// A new resource id for a POST without one: 32 hex digits from OpenSSL's CSPRNG (a valid FHIR id,
// [A-Za-z0-9\-\.]{1,64}).
std::string newResourceId();

}  // namespace fhir837::serve
