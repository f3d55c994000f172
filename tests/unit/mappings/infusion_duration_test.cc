#include "rules/infusion_duration.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace fhir837 {
namespace {

struct DurationCase {
  std::int64_t minutes;
  bool injection;
  std::int64_t initial;
  std::int64_t addOn;
};

void expectTable(const std::vector<DurationCase>& table, const AddOnPolicy& policy) {
  for (const auto& c : table) {
    InfusionUnits units = infusionUnitsForMinutes(c.minutes, policy);
    EXPECT_EQ(units.isInjection, c.injection) << c.minutes << " min";
    EXPECT_EQ(units.initialHour, c.initial) << c.minutes << " min";
    EXPECT_EQ(units.addOnHours, c.addOn) << c.minutes << " min";
  }
}

// coding-rules R4 table (default: add-on earned only > 30 min past the last full hour).
TEST(InfusionDurationTest, DefaultPolicyFollowsR4Table) {
  const std::vector<DurationCase> table = {
      {0, true, 0, 0},     {1, true, 0, 0},      {10, true, 0, 0},     {15, true, 0, 0},
      {16, false, 1, 0},   {30, false, 1, 0},    {31, false, 1, 0},    {59, false, 1, 0},
      {60, false, 1, 0},   {61, false, 1, 0},    {89, false, 1, 0},    {90, false, 1, 0},
      {91, false, 1, 1},   {120, false, 1, 1},   {149, false, 1, 1},   {150, false, 1, 1},
      {151, false, 1, 2},  {180, false, 1, 2},   {209, false, 1, 2},   {210, false, 1, 2},
      {211, false, 1, 3},  {240, false, 1, 3},   {241, false, 1, 3},   {270, false, 1, 3},
      {271, false, 1, 4},  {300, false, 1, 4},   {331, false, 1, 5},   {600, false, 1, 9},
      {631, false, 1, 10}, {1440, false, 1, 23}, {1470, false, 1, 23}, {1471, false, 1, 24},
  };
  ASSERT_GE(table.size(), 30u);
  expectTable(table, AddOnPolicy{});
}

// The ">= 30" reading (codingahead): exactly 90 min already earns the first add-on.
TEST(InfusionDurationTest, NonStrictPolicyCountsTheBoundaryMinute) {
  AddOnPolicy policy;
  policy.strict = false;
  expectTable({{15, true, 0, 0},
               {16, false, 1, 0},
               {89, false, 1, 0},
               {90, false, 1, 1},
               {91, false, 1, 1},
               {149, false, 1, 1},
               {150, false, 1, 2},
               {209, false, 1, 2},
               {210, false, 1, 3},
               {240, false, 1, 3},
               {270, false, 1, 4},
               {600, false, 1, 9}},
              policy);
}

TEST(InfusionDurationTest, ThresholdOfFifteenMinutes) {
  AddOnPolicy strict;
  strict.thresholdMinutes = 15;
  expectTable({{15, true, 0, 0},
               {16, false, 1, 0},
               {75, false, 1, 0},
               {76, false, 1, 1},
               {135, false, 1, 1},
               {136, false, 1, 2},
               {196, false, 1, 3},
               {600, false, 1, 9}},
              strict);
  AddOnPolicy atLeast = strict;
  atLeast.strict = false;
  expectTable({{74, false, 1, 0}, {75, false, 1, 1}, {134, false, 1, 1}, {135, false, 1, 2}},
              atLeast);
}

TEST(InfusionDurationTest, InjectionCeilingIsConfigurable) {
  AddOnPolicy policy;
  policy.maxInjectionMinutes = 0;
  expectTable({{0, true, 0, 0}, {1, false, 1, 0}, {15, false, 1, 0}}, policy);
}

// Property over 0..5000 min: the default equals max(0, floor((T - 31) / 60)) for T >= 16, add-ons
// never decrease and never come without the initial hour.
TEST(InfusionDurationTest, DefaultMatchesD1FormulaAndIsMonotonic) {
  std::int64_t previousAddOn = 0;
  for (std::int64_t t = 0; t <= 5000; ++t) {
    InfusionUnits units = infusionUnitsForMinutes(t);
    ASSERT_EQ(units.isInjection, t <= 15) << t;
    ASSERT_EQ(units.initialHour, t <= 15 ? 0 : 1) << t;
    if (t >= 16) {
      ASSERT_EQ(units.addOnHours, std::max<std::int64_t>(0, (t - 31) / 60)) << t;
    }
    ASSERT_GE(units.addOnHours, previousAddOn) << t;
    ASSERT_TRUE(units.addOnHours == 0 || units.initialHour == 1) << t;
    previousAddOn = units.addOnHours;
  }
}

TEST(InfusionDurationTest, EveryPolicyIsMonotonicAndNeedsTheInitialHour) {
  for (int threshold = 0; threshold < 60; ++threshold) {
    for (bool strict : {true, false}) {
      AddOnPolicy policy;
      policy.thresholdMinutes = threshold;
      policy.strict = strict;
      std::int64_t previousAddOn = 0;
      for (std::int64_t t = 0; t <= 1500; ++t) {
        InfusionUnits units = infusionUnitsForMinutes(t, policy);
        ASSERT_GE(units.addOnHours, previousAddOn) << threshold << strict << t;
        ASSERT_TRUE(units.addOnHours == 0 || units.initialHour == 1) << threshold << strict << t;
        // The n-th add-on hour is earned exactly at 60n + threshold (+1 when strict).
        const std::int64_t firstAt = 60 + threshold + (strict ? 1 : 0);
        const std::int64_t expected = t < firstAt || t <= 15 ? 0 : (t - firstAt) / 60 + 1;
        ASSERT_EQ(units.addOnHours, expected) << threshold << strict << t;
        previousAddOn = units.addOnHours;
      }
    }
  }
}

// INF-MAXTIME / INF-DOS (issue 9 §5). 1741615200 is 2025-03-10T09:00:00-05:00.
TEST(InfusionDurationTest, ImplausiblePeriods) {
  constexpr std::int64_t kStart = 1741615200;
  constexpr int kOffset = -5 * 60;
  EXPECT_FALSE(implausiblePeriod(kStart, kOffset, kStart + 95 * 60, 1440));
  // Up to 14:59:59 local the same date; exactly midnight closes the date.
  EXPECT_FALSE(implausiblePeriod(kStart, kOffset, kStart + 15 * 3600, 1440));
  auto crossing = implausiblePeriod(kStart, kOffset, kStart + 15 * 3600 + 60, 1440);
  ASSERT_TRUE(crossing);
  EXPECT_EQ(crossing->rule, "INF-DOS");
  EXPECT_EQ(crossing->reason,
            "period runs from 2025-03-10 into 2025-03-11: an administration crossing dates of "
            "service is not billed on one date without a person deciding which");
  auto longer = implausiblePeriod(kStart, kOffset, kStart + 1441 * 60, 1440);
  ASSERT_TRUE(longer);
  EXPECT_EQ(longer->rule, "INF-MAXTIME");
  EXPECT_EQ(longer->reason,
            "period lasts 1441 min, more than the 1440 min an administration may last (engine "
            "max_infusion_hours): a data error, or several administrations in one");
  // The ceiling wins over the crossing, and is configurable.
  EXPECT_EQ(implausiblePeriod(kStart, kOffset, kStart + 121 * 60, 120)->rule, "INF-MAXTIME");
}

}  // namespace
}  // namespace fhir837
