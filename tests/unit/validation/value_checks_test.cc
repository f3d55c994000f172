#include <gtest/gtest.h>

#include "engine/validation/value_checks.h"

namespace fhir837::validation {
namespace {

TEST(ValueChecks, CalendarDates) {
  EXPECT_TRUE(isCalendarDate("20250310"));
  EXPECT_TRUE(isCalendarDate("20240229"));
  EXPECT_TRUE(isCalendarDate("20000229"));
  EXPECT_FALSE(isCalendarDate("19000229"));
  EXPECT_FALSE(isCalendarDate("20250229"));
  EXPECT_FALSE(isCalendarDate("19801315"));
  EXPECT_FALSE(isCalendarDate("20250431"));
  EXPECT_FALSE(isCalendarDate("20250100"));
  EXPECT_FALSE(isCalendarDate("2025031"));
  EXPECT_FALSE(isCalendarDate("2025-3-1"));
  EXPECT_TRUE(isShortDate("250312"));
  EXPECT_FALSE(isShortDate("251312"));
}

TEST(ValueChecks, DatesByFormatQualifier) {
  EXPECT_TRUE(isDateByFormat("D8", "20250310"));
  EXPECT_TRUE(isDateByFormat("RD8", "20250310-20250310"));
  EXPECT_TRUE(isDateByFormat("RD8", "20250310-20250311"));
  EXPECT_FALSE(isDateByFormat("RD8", "20250311-20250310"));  // ends before it starts
  EXPECT_FALSE(isDateByFormat("RD8", "20250310"));
  EXPECT_FALSE(isDateByFormat("RD8", "20250310-20250230"));
  EXPECT_TRUE(isDateByFormat("DT", "202503100930"));
  EXPECT_FALSE(isDateByFormat("DT", "202503102460"));
  EXPECT_TRUE(isDateByFormat("TM", "1035"));
  EXPECT_FALSE(isDateByFormat("TM", "2400"));
  EXPECT_FALSE(isDateByFormat("XX", "20250310"));
}

TEST(ValueChecks, Times) {
  EXPECT_TRUE(isTime("0000"));
  EXPECT_TRUE(isTime("235959"));
  EXPECT_TRUE(isTime("10300012"));
  EXPECT_FALSE(isTime("10300"));
  EXPECT_FALSE(isTime("1060"));
  EXPECT_FALSE(isTime("12:30"));
}

TEST(ValueChecks, DecimalShapes) {
  auto shape = decimalShape("-8825.50");
  ASSERT_TRUE(shape);
  EXPECT_EQ(shape->digits, 6);
  EXPECT_EQ(shape->decimals, 2);
  EXPECT_TRUE(shape->negative);
  EXPECT_FALSE(decimalShape("+5"));
  EXPECT_FALSE(decimalShape("1e5"));
  EXPECT_FALSE(decimalShape("1.2.3"));
  EXPECT_FALSE(decimalShape("."));
  EXPECT_FALSE(decimalShape("1,000"));
  EXPECT_EQ(amountCents("8825"), 882500);
  EXPECT_EQ(amountCents("75.5"), 7550);
  EXPECT_EQ(amountCents(".5"), 50);
  EXPECT_EQ(amountCents("-10.25"), -1025);
  EXPECT_FALSE(amountCents("75.001"));
}

TEST(ValueChecks, NpiLuhnWithPrefix80840) {
  // The §6 example NPIs and the CMS published example 1234567893.
  EXPECT_TRUE(isValidNpi("1234567893"));
  EXPECT_TRUE(isValidNpi("1987654328"));
  EXPECT_TRUE(isValidNpi("1555555550"));
  EXPECT_FALSE(isValidNpi("1234567890"));
  EXPECT_FALSE(isValidNpi("1987654321"));
  EXPECT_FALSE(isValidNpi("123456789"));
  EXPECT_FALSE(isValidNpi("12345678931"));
  EXPECT_FALSE(isValidNpi("123456789X"));
}

TEST(ValueChecks, Icd10CmShape) {
  EXPECT_TRUE(isIcd10CmShape("D801"));
  EXPECT_TRUE(isIcd10CmShape("Z7981"));
  EXPECT_TRUE(isIcd10CmShape("S72001A"));
  EXPECT_TRUE(isIcd10CmShape("I10"));
  EXPECT_FALSE(isIcd10CmShape("D80.1"));
  EXPECT_FALSE(isIcd10CmShape("d801"));
  EXPECT_FALSE(isIcd10CmShape("2794"));
  EXPECT_FALSE(isIcd10CmShape("D8"));
  EXPECT_FALSE(isIcd10CmShape("S72001AX"));
}

}  // namespace
}  // namespace fhir837::validation
