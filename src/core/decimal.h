#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fhir837 {

// "250", "250.5", "250.50" -> 25050 cents. At most 2 decimals, no sign, no exponent; nullopt
// otherwise (a fee schedule with 3 decimals is a config error, not something to round silently).
std::optional<std::int64_t> parseMoneyCents(std::string_view text);

// A non-negative decimal lexeme as exact micro-units (6 decimals), for doses and quantities:
// "10" -> 10000000, "0.5" -> 500000. nullopt for malformed, negative, too precise or too large.
std::optional<std::int64_t> parseMicros(std::string_view text);

// Micro-units back to the shortest decimal lexeme: 50000000 -> "50", 500000 -> "0.5".
std::string formatMicros(std::int64_t micros);

}  // namespace fhir837
