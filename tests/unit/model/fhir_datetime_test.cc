#include "model/fhir_datetime.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace fhir837 {
namespace {

using P = FhirDateTime::Precision;

struct ValidCase {
  std::string text;
  P precision;
  int year, month, day, hour, minute, second;
  std::string fraction;
  std::optional<int> offsetMinutes;
};

class ValidDateTimeTest : public ::testing::TestWithParam<ValidCase> {};

TEST_P(ValidDateTimeTest, ParsesEveryField) {
  const ValidCase& c = GetParam();
  Result<FhirDateTime> parsed = FhirDateTime::parse(c.text);
  ASSERT_TRUE(parsed.has_value()) << c.text << ": " << parsed.error().message;
  EXPECT_EQ(parsed->lexeme, c.text);
  EXPECT_EQ(parsed->precision, c.precision);
  EXPECT_EQ(parsed->year, c.year);
  EXPECT_EQ(parsed->month, c.month);
  EXPECT_EQ(parsed->day, c.day);
  EXPECT_EQ(parsed->hour, c.hour);
  EXPECT_EQ(parsed->minute, c.minute);
  EXPECT_EQ(parsed->second, c.second);
  EXPECT_EQ(parsed->fraction, c.fraction);
  EXPECT_EQ(parsed->offsetMinutes, c.offsetMinutes);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ValidDateTimeTest,
    ::testing::Values(
        ValidCase{"2024", P::kYear, 2024, 0, 0, 0, 0, 0, "", std::nullopt},
        ValidCase{"0001", P::kYear, 1, 0, 0, 0, 0, 0, "", std::nullopt},
        ValidCase{"2024-03", P::kMonth, 2024, 3, 0, 0, 0, 0, "", std::nullopt},
        ValidCase{"2024-02-29", P::kDay, 2024, 2, 29, 0, 0, 0, "", std::nullopt},
        ValidCase{"2000-02-29", P::kDay, 2000, 2, 29, 0, 0, 0, "", std::nullopt},
        ValidCase{"2023-12-31", P::kDay, 2023, 12, 31, 0, 0, 0, "", std::nullopt},
        ValidCase{"2015-01-15T09:30:00Z", P::kSecond, 2015, 1, 15, 9, 30, 0, "", 0},
        ValidCase{"2015-01-15T09:30:00+01:00", P::kSecond, 2015, 1, 15, 9, 30, 0, "", 60},
        ValidCase{"2015-01-15T23:59:59-05:00", P::kSecond, 2015, 1, 15, 23, 59, 59, "", -300},
        ValidCase{"2015-01-15T00:00:00+14:00", P::kSecond, 2015, 1, 15, 0, 0, 0, "", 840},
        ValidCase{"2015-01-15T00:00:00-00:00", P::kSecond, 2015, 1, 15, 0, 0, 0, "", 0},
        ValidCase{"2015-01-15T00:00:00+05:30", P::kSecond, 2015, 1, 15, 0, 0, 0, "", 330},
        ValidCase{"2017-01-01T00:00:00.123Z", P::kSecond, 2017, 1, 1, 0, 0, 0, "123", 0},
        ValidCase{"2017-01-01T00:00:00.1234567891+10:00", P::kSecond, 2017, 1, 1, 0, 0, 0,
                  "1234567891", 600},
        ValidCase{"2016-12-31T23:59:60Z", P::kSecond, 2016, 12, 31, 23, 59, 60, "", 0}));

struct InvalidCase {
  std::string text;
  std::string why;  // the message after "not a valid FHIR date/dateTime/instant: "
};

class InvalidDateTimeTest : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidDateTimeTest, RejectsWithReason) {
  const InvalidCase& c = GetParam();
  Result<FhirDateTime> parsed = FhirDateTime::parse(c.text);
  ASSERT_FALSE(parsed.has_value()) << c.text;
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidValue);
  EXPECT_EQ(parsed.error().message, "not a valid FHIR date/dateTime/instant: " + c.why);
  EXPECT_EQ(parsed.error().where, "");
}

INSTANTIATE_TEST_SUITE_P(
    Table, InvalidDateTimeTest,
    ::testing::Values(
        InvalidCase{"", "expected a four-digit year"},
        InvalidCase{"24", "expected a four-digit year"},
        InvalidCase{"0000", "year 0000 does not exist"},
        InvalidCase{"2023-02-29", "no such calendar day"},
        InvalidCase{"2024-04-31", "no such calendar day"},
        InvalidCase{"2024-00-10", "month out of range 01-12"},
        InvalidCase{"2024-13", "month out of range 01-12"},
        InvalidCase{"2024-3", "expected a two-digit month"},
        InvalidCase{"2024-03-1", "expected a two-digit day"},
        InvalidCase{"2024-03-00", "no such calendar day"},
        InvalidCase{"2024-03-01T24:00:00Z", "hour out of range 00-23"},
        InvalidCase{"2024-03-01T10:60:00Z", "minute out of range 00-59"},
        InvalidCase{"2024-03-01T10:00:61Z", "second out of range 00-60"},
        InvalidCase{"2024-03-01T10:00:00", "a time needs a zone (Z or +hh:mm)"},
        InvalidCase{"2024-03-01T10:00Z", "a time must be hh:mm:ss"},
        InvalidCase{"2024-03-01T10:00", "a time must be hh:mm:ss"},
        InvalidCase{"2024-03T10:00:00Z", "a time needs a full date"},
        InvalidCase{"2024-03-01 10:00:00Z", "unexpected character after the date"},
        InvalidCase{"2024-03-01T10:00:00.Z", "expected digits after the decimal point"},
        InvalidCase{"2024-03-01T10:00:00+0100", "a zone offset must be +hh:mm or -hh:mm"},
        InvalidCase{"2024-03-01T10:00:00+15:00", "zone offset out of range"},
        InvalidCase{"2024-03-01T10:00:00+14:30", "zone offset out of range"},
        InvalidCase{"2024-03-01T10:00:00Zjunk", "unexpected characters after the zone"},
        InvalidCase{"2024-03-01T10:00:00z", "a time needs a zone (Z or +hh:mm)"},
        InvalidCase{"2024/03/01", "unexpected character after the date"}));

TEST(FhirDateTimeTest, EpochSecondsComparesAcrossOffsets) {
  auto utc = FhirDateTime::parse("2015-01-15T08:30:00Z");
  auto paris = FhirDateTime::parse("2015-01-15T09:30:00+01:00");
  auto newYork = FhirDateTime::parse("2015-01-15T03:30:00-05:00");
  ASSERT_TRUE(utc && paris && newYork);
  EXPECT_EQ(utc->epochSeconds(), 1421310600);
  EXPECT_EQ(paris->epochSeconds(), 1421310600);
  EXPECT_EQ(newYork->epochSeconds(), 1421310600);
  EXPECT_NE(*utc, *paris);  // same instant, different lexeme and offset
}

TEST(FhirDateTimeTest, EpochSecondsOnlyForInstants) {
  EXPECT_EQ(FhirDateTime::parse("1970-01-01T00:00:00Z")->epochSeconds(), 0);
  EXPECT_EQ(FhirDateTime::parse("1969-12-31T23:59:59Z")->epochSeconds(), -1);
  EXPECT_EQ(FhirDateTime::parse("2110-06-01T00:00:00-04:00")->epochSeconds(), 4431038400);
  EXPECT_EQ(FhirDateTime::parse("2024-03-01")->epochSeconds(), std::nullopt);
  EXPECT_EQ(FhirDateTime::parse("2024")->epochSeconds(), std::nullopt);
}

TEST(FhirDateTimeTest, LocalDateIsTheDateAsWritten) {
  // 23:30 at -05:00 is the next day in UTC; the facility's date is the one written.
  EXPECT_EQ(FhirDateTime::parse("2015-01-15T23:30:00-05:00")->localDateCcyymmdd(), "20150115");
  EXPECT_EQ(FhirDateTime::parse("0987-07-04")->localDateCcyymmdd(), "09870704");
  EXPECT_EQ(FhirDateTime::parse("2015-01")->localDateCcyymmdd(), std::nullopt);
  EXPECT_EQ(FhirDateTime::parse("2015")->localDateCcyymmdd(), std::nullopt);
}

struct MinutesCase {
  std::string start, end;
  std::optional<std::int64_t> minutes;
};

class WholeMinutesTest : public ::testing::TestWithParam<MinutesCase> {};

TEST_P(WholeMinutesTest, TruncatesTowardZero) {
  const MinutesCase& c = GetParam();
  auto start = FhirDateTime::parse(c.start);
  auto end = FhirDateTime::parse(c.end);
  ASSERT_TRUE(start && end);
  EXPECT_EQ(wholeMinutesBetween(*start, *end), c.minutes) << c.start << " -> " << c.end;
}

INSTANTIATE_TEST_SUITE_P(
    Table, WholeMinutesTest,
    ::testing::Values(MinutesCase{"2024-03-01T09:00:00Z", "2024-03-01T10:35:59Z", 95},
                      MinutesCase{"2024-03-01T09:00:00Z", "2024-03-01T10:36:00Z", 96},
                      MinutesCase{"2024-03-01T09:00:00Z", "2024-03-01T09:00:59Z", 0},
                      MinutesCase{"2024-03-01T09:00:00Z", "2024-03-01T09:00:00Z", 0},
                      MinutesCase{"2024-03-01T10:35:59Z", "2024-03-01T09:00:00Z", -95},
                      MinutesCase{"2024-03-01T09:00:00+01:00", "2024-03-01T08:31:00Z", 31},
                      MinutesCase{"2024-03-01T23:30:00-05:00", "2024-03-02T05:00:00Z", 30},
                      MinutesCase{"2024-03-01T09:00:00.900Z", "2024-03-01T09:01:00.100Z", 0},
                      MinutesCase{"2024-03-01T09:00:00.100Z", "2024-03-01T09:01:00.100Z", 1},
                      MinutesCase{"2024-03-01T09:01:00.100Z", "2024-03-01T09:00:00.900Z", 0},
                      MinutesCase{"2024-03-01T09:00:00Z", "2024-03", std::nullopt},
                      MinutesCase{"2024-03-01", "2024-03-01T09:30:00Z", std::nullopt}));

}  // namespace
}  // namespace fhir837
