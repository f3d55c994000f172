#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fhir837::x12 {

// HIPAA caps monetary amounts at 10 digits including cents (RFI 1526).
inline constexpr std::int64_t kMaxAmountCents = 9'999'999'999;

// X12 type R from integer cents: no leading zeros, no point for whole amounts, no trailing
// fractional zeros: 25000 -> "250", 7550 -> "75.5", 850025 -> "8500.25", 5 -> "0.05".
std::string formatAmount(std::int64_t cents);

// Decimal digits, left-padded with zeros to at least `width` (ISA13 width 9, ST02 width 4).
std::string zeroPad(std::uint64_t value, std::size_t width);

// Only the digits of `text` ("(217) 555-0100" -> "2175550100").
std::string digitsOnly(std::string_view text);

bool isDigits(std::string_view text);
bool isUpperAlnum(std::string_view text);

// 10 digits whose last is the Luhn check digit over the 80840-prefixed number.
bool isValidNpi(std::string_view npi);

// CCYYMMDD naming a real calendar day.
bool isValidDate(std::string_view ccyymmdd);

// HHMM, 00:00-23:59.
bool isValidTime(std::string_view hhmm);

}  // namespace fhir837::x12
