#include "core/decimal.h"

#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace fhir837 {
namespace {

struct ParseCase {
  const char* text;
  std::optional<std::int64_t> value;
};

TEST(ParseMoneyCentsTest, Table) {
  const std::vector<ParseCase> cases = {
      {"250", 25000},
      {"250.5", 25050},
      {"250.50", 25050},
      {"0", 0},
      {"0.01", 1},
      {"0.1", 10},
      {"007", 700},
      {"99999999.99", 9999999999},
      // A third decimal that is zero changes nothing; anything else is refused, not rounded.
      {"1.230", 123},
      {"1.2300000", 123},
      {"1.234", std::nullopt},
      {"0.001", std::nullopt},
      {"250.005", std::nullopt},
      {"", std::nullopt},
      {".", std::nullopt},
      {".5", std::nullopt},
      {"5.", std::nullopt},
      {"1.2.3", std::nullopt},
      {"-1", std::nullopt},
      {"+1", std::nullopt},
      {"1e3", std::nullopt},
      {" 1", std::nullopt},
      {"1 ", std::nullopt},
      {"1,000", std::nullopt},
      {"$5", std::nullopt},
      // int64 limits: 92233720368547758 dollars fits in cents, one more does not.
      {"92233720368547758", 9223372036854775800},
      {"92233720368547759", std::nullopt},
      {"92233720368547758.08", std::nullopt},
      {"99999999999999999999", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(parseMoneyCents(c.text), c.value) << "'" << c.text << "'";
}

TEST(ParseMicrosTest, Table) {
  const std::vector<ParseCase> cases = {
      {"10", 10000000},
      {"0.5", 500000},
      {"10.0", 10000000},
      {"0.000001", 1},
      {"0.0000010", 1},
      {"1.234567", 1234567},
      {"50", 50000000},
      {"0", 0},
      {"0.0000001", std::nullopt},
      {"1.2345678", std::nullopt},
      {"-0.5", std::nullopt},
      {"1e-3", std::nullopt},
      {"", std::nullopt},
      {"abc", std::nullopt},
      {"9223372036854", 9223372036854000000},
      {"9223372036855", std::nullopt},
      {"9223372036854.775", 9223372036854775000},
      {"99999999999999999999999", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(parseMicros(c.text), c.value) << "'" << c.text << "'";
}

TEST(FormatMicrosTest, Table) {
  struct Case {
    std::int64_t micros;
    const char* text;
  };
  const std::vector<Case> cases = {
      {50000000, "50"},
      {500000, "0.5"},
      {0, "0"},
      {1, "0.000001"},
      {10000, "0.01"},
      {1234567, "1.234567"},
      {1200000, "1.2"},
      {120000000, "120"},
      {1000001, "1.000001"},
      {std::numeric_limits<std::int64_t>::max(), "9223372036854.775807"},
  };
  for (const auto& c : cases) EXPECT_EQ(formatMicros(c.micros), c.text) << c.micros;
}

TEST(FormatMicrosTest, RoundTripsThroughParseMicros) {
  std::mt19937_64 random(837);
  std::uniform_int_distribution<std::int64_t> any(0, std::numeric_limits<std::int64_t>::max());
  std::uniform_int_distribution<std::int64_t> small(0, 100000000);
  for (int i = 0; i < 5000; ++i) {
    const std::int64_t value = i % 2 ? any(random) : small(random);
    const std::string text = formatMicros(value);
    ASSERT_EQ(parseMicros(text), value) << text;
    ASSERT_TRUE(text.find('.') == std::string::npos || text.back() != '0') << text;
  }
}

}  // namespace
}  // namespace fhir837
