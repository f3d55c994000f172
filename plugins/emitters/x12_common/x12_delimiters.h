#pragma once

namespace fhir837::x12 {

// The delimiters the emitters declare in ISA (x12-837-map.md §1). Fixed: every value is
// sanitised against exactly these, so they are not a trading-partner option.
struct Delimiters {
  char element = '*';
  char component = ':';
  char repetition = '^';
  char segment = '~';
};

inline constexpr Delimiters kDelimiters{};

}  // namespace fhir837::x12
