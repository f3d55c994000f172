// INF-D1 / R2-R4: how long an SC pump infusion ran decides 96372 vs 96369 and the 96370 units,
// with T in whole minutes (seconds truncated) between instants (offsets honoured, DST included).

#include <gtest/gtest.h>

#include "case_runner.h"

namespace fhir837::testing {
namespace {

BundleBuilder sc(int minutes) { return BundleBuilder().minutes(minutes); }

// Units of 96370 per D1: max(0, floor((T - 31) / 60)).
CodingCase scMinutes(int minutes, std::vector<std::string> lines) {
  lines.push_back("J1559x100");
  return {"sc_" + std::to_string(minutes) + "min",
          [minutes] { return sc(minutes); },
          std::move(lines),
          {},
          {"INF-D1", "INF-D3", "DRUG-D10"},
          {},
          {},
          &noMueContext};  // 600 min earns 96370 x9, above the default MUE (plausibility_cases)
}

const CodingCase kCases[] = {
    scMinutes(10, {"96372x1"}),
    scMinutes(15, {"96372x1"}),
    scMinutes(16, {"96369x1"}),
    scMinutes(30, {"96369x1"}),
    scMinutes(31, {"96369x1"}),
    scMinutes(60, {"96369x1"}),
    scMinutes(61, {"96369x1"}),
    scMinutes(90, {"96369x1"}),
    scMinutes(91, {"96369x1", "96370x1"}),
    scMinutes(120, {"96369x1", "96370x1"}),
    scMinutes(150, {"96369x1", "96370x1"}),
    scMinutes(151, {"96369x1", "96370x2"}),
    scMinutes(210, {"96369x1", "96370x2"}),
    scMinutes(211, {"96369x1", "96370x3"}),
    scMinutes(240, {"96369x1", "96370x3"}),
    scMinutes(600, {"96369x1", "96370x9"}),
    // 90 min 59 s is 90 whole minutes: no add-on hour yet.
    {"seconds_truncated_90m59s",
     [] { return BundleBuilder().period(localTime(540, 0), localTime(630, 59)); },
     {"96369x1", "J1559x100"},
     {},
     {"INF-D1"}},
    // 15 min 59 s is 15 whole minutes: an injection.
    {"seconds_truncated_15m59s",
     [] { return BundleBuilder().period(localTime(540, 30), localTime(556, 29)); },
     {"96372x1", "J1559x100"},
     {},
     {"INF-D1"}},
    // 09:00-05:00 to 15:31Z is 91 minutes.
    {"offsets_differ_91min",
     [] { return BundleBuilder().period("2025-03-10T09:00:00-05:00", "2025-03-10T15:31:00Z"); },
     {"96369x1", "96370x1", "J1559x100"},
     {},
     {"INF-D1"}},
    // Same wall-clock span read naively would be 30 min; the instants are 90 min apart.
    {"offsets_differ_wall_clock_misleads",
     [] {
       return BundleBuilder().period("2025-03-10T09:00:00-05:00", "2025-03-10T09:30:00-06:00");
     },
     {"96369x1", "J1559x100"},
     {},
     {"INF-D1"}},
    // US fall-back night: 01:30 EDT to 02:15 EST is 105 minutes (the wall clock shows 45).
    {"dst_fall_back_105min",
     [] {
       return BundleBuilder().period("2025-11-02T01:30:00-04:00", "2025-11-02T02:15:00-05:00");
     },
     {"96369x1", "96370x1", "J1559x100"},
     {},
     {"INF-D1"}},
    // Spring-forward night: 01:45 CST to 03:16 CDT is 31 minutes.
    {"dst_spring_forward_31min",
     [] {
       return BundleBuilder().period("2025-03-09T01:45:00-06:00", "2025-03-09T03:16:00-05:00");
     },
     {"96369x1", "J1559x100"},
     {},
     {"INF-D1"}},
};

class DurationCases : public ::testing::TestWithParam<CodingCase> {};

TEST_P(DurationCases, CodesAsTheRulesSay) { checkCase(GetParam()); }

INSTANTIATE_TEST_SUITE_P(CodingCases, DurationCases, ::testing::ValuesIn(kCases), caseName);

// The line dates are the facility's local date of the period (x12 map §4), also across DST.
TEST(DurationCaseDates, LineDateIsTheLocalDateOfTheStart) {
  const CaseResult result = runBundle(
      shippedContext(),
      BundleBuilder().period("2025-11-02T01:30:00-04:00", "2025-11-02T02:15:00-05:00").json());
  ASSERT_EQ(result.report.claims.size(), 1u);
  for (const auto& line : result.report.claims[0].claim.lines) {
    EXPECT_EQ(line.serviceDateFrom, "20251102") << line.procedureCode;
  }
}

}  // namespace
}  // namespace fhir837::testing
