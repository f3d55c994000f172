#include "core/decimal.h"

#include <limits>

namespace fhir837 {

namespace {
// Parses digits[.digits] into value * 10^scale; rejects more than `scale` fractional digits
// unless the extra ones are zeros.
std::optional<std::int64_t> parseScaled(std::string_view text, int scale) {
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  int fractionDigits = -1;  // -1: before the point
  bool anyDigit = false;
  for (char c : text) {
    if (c == '.') {
      if (fractionDigits >= 0) return std::nullopt;
      fractionDigits = 0;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    anyDigit = true;
    if (fractionDigits >= 0) {
      if (fractionDigits == scale) {
        if (c != '0') return std::nullopt;
        continue;
      }
      ++fractionDigits;
    }
    if (value > (std::numeric_limits<std::int64_t>::max() - 9) / 10) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (!anyDigit || text.back() == '.' || text.front() == '.') return std::nullopt;
  for (int i = fractionDigits < 0 ? 0 : fractionDigits; i < scale; ++i) {
    if (value > std::numeric_limits<std::int64_t>::max() / 10) return std::nullopt;
    value *= 10;
  }
  return value;
}
}  // namespace

std::optional<std::int64_t> parseMoneyCents(std::string_view text) { return parseScaled(text, 2); }

std::optional<std::int64_t> parseMicros(std::string_view text) { return parseScaled(text, 6); }

std::string formatMicros(std::int64_t micros) {
  std::string whole = std::to_string(micros / 1000000);
  std::int64_t fraction = micros % 1000000;
  if (fraction == 0) return whole;
  std::string digits = std::to_string(fraction);
  digits.insert(0, 6 - digits.size(), '0');
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return whole + "." + digits;
}

}  // namespace fhir837
