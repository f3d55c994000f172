#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace fhir837 {

// A FHIR date / dateTime / instant, kept at the precision it was written with. A partial date
// ("2024", "2024-03") stays partial: nothing is invented. Only a value with a time and a zone is
// an instant that can be compared across offsets.
struct FhirDateTime {
  enum class Precision { kYear, kMonth, kDay, kSecond };  // minutes-only is not legal FHIR

  std::string lexeme;  // as written in the source
  Precision precision = Precision::kYear;
  int year = 0, month = 0, day = 0;
  int hour = 0, minute = 0, second = 0;
  std::string fraction;                  // digits after the decimal point of the seconds
  std::optional<int> offsetMinutes;      // zone offset; "Z" is 0; absent for dates

  bool operator==(const FhirDateTime&) const = default;

  bool hasTime() const { return precision == Precision::kSecond; }
  bool isInstant() const { return hasTime() && offsetMinutes.has_value(); }

  // Seconds since 1970-01-01T00:00:00Z; only for instants.
  std::optional<std::int64_t> epochSeconds() const;
  // The local calendar date as written (the date at the facility), "CCYYMMDD"; only for
  // day precision or finer.
  std::optional<std::string> localDateCcyymmdd() const;

  // Parses FHIR date, dateTime and instant lexical forms and checks the calendar.
  static Result<FhirDateTime> parse(std::string_view text);
};

// Whole minutes between two instants, seconds truncated (coding rule D1); nullopt unless both are
// instants; may be negative when end precedes start.
std::optional<std::int64_t> wholeMinutesBetween(const FhirDateTime& start, const FhirDateTime& end);

}  // namespace fhir837
