#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace fhir837::validation {

// Lexical checks on X12 element values (x12-837-map.md §4). All pure functions.

bool allDigits(std::string_view text);
// CCYYMMDD naming a real calendar day (leap years included).
bool isCalendarDate(std::string_view ccyymmdd);
// YYMMDD (ISA09): the century is irrelevant to validity except for 29 February; 20YY is assumed.
bool isShortDate(std::string_view yymmdd);
// HHMM, HHMMSS or HHMMSSd..d.
bool isTime(std::string_view text);
// D8, RD8 (CCYYMMDD-CCYYMMDD, start <= end), DT (CCYYMMDDHHMM), TM (HHMM) per DTP02.
bool isDateByFormat(std::string_view format, std::string_view value);

struct DecimalShape {
  int digits = 0;    // significant length: digits only (sign and point excluded)
  int decimals = 0;  // digits after the point
  bool negative = false;
};
// X12 R: optional '-', digits, at most one '.', at least one digit. No '+', exponent or spaces.
std::optional<DecimalShape> decimalShape(std::string_view text);
// Amount in cents when the value is a valid R with at most 2 decimals (sign allowed).
std::optional<std::int64_t> amountCents(std::string_view text);

// 10 digits whose last is the Luhn check digit over "80840" + the first 9.
bool isValidNpi(std::string_view npi);
// ICD-10-CM without the dot: letter, digit, then 1-5 alphanumerics (3-7 chars in all).
bool isIcd10CmShape(std::string_view code);

// "YYYYMMDD" as an integer (for comparisons); 0 when not a date.
int dateKey(std::string_view ccyymmdd);

}  // namespace fhir837::validation
