#include "core/error.h"

#include <gtest/gtest.h>

#include "core/result.h"

namespace fhir837 {
namespace {

TEST(ErrorTest, DescribeJoinsWhereMessageAndRule) {
  Error error = makeError(ErrorCode::kInvalidValue, "bad route", "MedicationAdministration/x.dosage",
                          "INF-D4");
  EXPECT_EQ(error.describe(), "MedicationAdministration/x.dosage: bad route [INF-D4]");
}

TEST(ResultTest, HoldsValueOrError) {
  Result<int> ok = 5;
  Result<int> failed = makeError(ErrorCode::kSyntax, "x");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, 5);
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, ErrorCode::kSyntax);
}

}  // namespace
}  // namespace fhir837
