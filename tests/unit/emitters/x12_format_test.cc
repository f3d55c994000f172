#include "emitters/x12_common/x12_format.h"

#include <gtest/gtest.h>

namespace fhir837::x12 {
namespace {

TEST(FormatAmount, HasNoLeadingOrTrailingZerosAndAtMostTwoDecimals) {
  EXPECT_EQ(formatAmount(25000), "250");
  EXPECT_EQ(formatAmount(7550), "75.5");
  EXPECT_EQ(formatAmount(850025), "8500.25");
  EXPECT_EQ(formatAmount(0), "0");
  EXPECT_EQ(formatAmount(5), "0.05");
  EXPECT_EQ(formatAmount(50), "0.5");
  EXPECT_EQ(formatAmount(100), "1");
  EXPECT_EQ(formatAmount(kMaxAmountCents), "99999999.99");
  EXPECT_EQ(formatAmount(-1050), "-10.5");
}

TEST(ZeroPad, PadsToTheWidthButNeverTruncates) {
  EXPECT_EQ(zeroPad(101, 9), "000000101");
  EXPECT_EQ(zeroPad(1, 4), "0001");
  EXPECT_EQ(zeroPad(123456, 4), "123456");
  EXPECT_EQ(zeroPad(999999999, 9), "999999999");
}

TEST(DigitsOnly, KeepsDigitsInOrder) {
  EXPECT_EQ(digitsOnly("(217) 555-0100"), "2175550100");
  EXPECT_EQ(digitsOnly("ext. none"), "");
}

TEST(IsValidNpi, ChecksLengthDigitsAndLuhnWithThe80840Prefix) {
  EXPECT_TRUE(isValidNpi("1234567893"));
  EXPECT_TRUE(isValidNpi("1987654328"));
  EXPECT_TRUE(isValidNpi("1245319599"));
  EXPECT_FALSE(isValidNpi("1234567890"));  // check digit
  EXPECT_FALSE(isValidNpi("123456789"));
  EXPECT_FALSE(isValidNpi("12345678930"));
  EXPECT_FALSE(isValidNpi("12345678X3"));
  EXPECT_FALSE(isValidNpi(""));
}

TEST(IsValidDate, AcceptsRealCalendarDaysOnly) {
  EXPECT_TRUE(isValidDate("20250310"));
  EXPECT_TRUE(isValidDate("20240229"));
  EXPECT_TRUE(isValidDate("20000229"));
  EXPECT_FALSE(isValidDate("19000229"));
  EXPECT_FALSE(isValidDate("20230229"));
  EXPECT_FALSE(isValidDate("19801315"));
  EXPECT_FALSE(isValidDate("20250431"));
  EXPECT_FALSE(isValidDate("2025-03-10"));
  EXPECT_FALSE(isValidDate("250310"));
}

TEST(IsValidTime, AcceptsHhmm) {
  EXPECT_TRUE(isValidTime("0000"));
  EXPECT_TRUE(isValidTime("2359"));
  EXPECT_FALSE(isValidTime("2400"));
  EXPECT_FALSE(isValidTime("1060"));
  EXPECT_FALSE(isValidTime("103"));
  EXPECT_FALSE(isValidTime("10:30"));
}

}  // namespace
}  // namespace fhir837::x12
