#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace fhir837::fhir_json {

// True when no byte has its high bit set. Pure ASCII is always valid UTF-8, so the parsers skip
// RapidJSON's (slow, per-character) encoding validation for such input and keep it for the rest:
// the result and every error stay the same.
inline bool isAscii(std::string_view text) {
  const char* p = text.data();
  std::size_t n = text.size();
  std::uint64_t high = 0;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    high |= word;
  }
  for (; n > 0; ++p, --n) high |= static_cast<unsigned char>(*p);
  return (high & 0x8080808080808080ull) == 0;
}

}  // namespace fhir837::fhir_json
