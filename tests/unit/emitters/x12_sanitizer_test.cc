#include "emitters/x12_common/x12_sanitizer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <random>
#include <string>

namespace fhir837::x12 {
namespace {

struct SanitizeCase {
  std::string raw;
  std::size_t maxLength;
  std::string expected;
};

void PrintTo(const SanitizeCase& c, std::ostream* os) { *os << ::testing::PrintToString(c.raw); }

class SanitizeValueTest : public ::testing::TestWithParam<SanitizeCase> {};

TEST_P(SanitizeValueTest, GivesTheExactExpectedValue) {
  const SanitizeCase& c = GetParam();
  EXPECT_EQ(sanitizeValue(c.raw, c.maxLength), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, SanitizeValueTest,
    ::testing::Values(
        SanitizeCase{"O*Brien~ISA", 60, "O BRIEN ISA"}, SanitizeCase{"Mü:ller^", 60, "MU LLER"},
        SanitizeCase{"M\xFCller", 60, "MULLER"},  // Latin-1 byte, not UTF-8
        SanitizeCase{"Line one\r\nLine two\n", 60, "LINE ONE LINE TWO"},
        SanitizeCase{"tab\there\tand\x01there", 60, "TAB HERE AND THERE"},
        SanitizeCase{"Smith \xF0\x9F\x98\x80 Jr", 60, "SMITH JR"},  // emoji dropped
        SanitizeCase{"\xF0\x9F\x98\x80\xF0\x9F\x8F\xA5", 60, ""},
        SanitizeCase{"  lots   of   space  ", 60, "LOTS OF SPACE"},
        SanitizeCase{"José Núñez-García", 60, "JOSE NUNEZ-GARCIA"},
        SanitizeCase{"Straße", 60, "STRASSE"},
        SanitizeCase{"Œuvre Łódź Ærø Þór", 60, "OEUVRE LODZ AERO THOR"},
        SanitizeCase{"O\xE2\x80\x99"
                     "Brien \xE2\x80\x94 \xE2\x80\x9Cjr\xE2\x80\x9D",
                     60, "O'BRIEN - \"JR\""},
        SanitizeCase{"A\xC2\xA0"
                     "B",
                     60, "A B"},  // no-break space
        SanitizeCase{"100% pure @home #1 [x]_{y}", 60, "100 PURE HOME 1 XY"},
        SanitizeCase{"Dr. Smith, M.D. (O'Neil) & co; a/b+c=d? \"!\"", 60,
                     "DR. SMITH, M.D. (O'NEIL) & CO; A/B+C=D? \"!\""},
        SanitizeCase{"***~~~^^^:::", 60, ""},
        SanitizeCase{"ABCDE FGHIJ", 6, "ABCDE"},  // cut, then trimmed again
        SanitizeCase{"ABCDE FGHIJ", 7, "ABCDE F"},
        SanitizeCase{std::string(500, 'a'), 60, std::string(60, 'A')},
        SanitizeCase{std::string(500, '*'), 60, ""},
        SanitizeCase{"\xC0\xAF", 60, "A"},  // overlong UTF-8 read as Latin-1: À, then ¯ dropped
        SanitizeCase{"caf\xC3", 60, "CAFA"}));  // truncated UTF-8 sequence read as Latin-1 Ã

TEST(SanitizeValue, ExtendedSetKeepsEmailCharactersButStillNoDelimiters) {
  EXPECT_EQ(sanitizeValue("billing_desk@example.com", 256, CharacterSet::kExtended),
            "BILLING_DESK@EXAMPLE.COM");
  EXPECT_EQ(sanitizeValue("a~b^c*d:e%f", 256, CharacterSet::kExtended), "A B C D E%F");
}

TEST(SanitizeValue, DefaultIsUnlimitedLength) {
  EXPECT_EQ(sanitizeValue(std::string(500, 'z')), std::string(500, 'Z'));
}

// Random bytes, biased towards delimiters, white space and bytes >= 0x80.
std::string randomBytes(std::mt19937& rng) {
  static constexpr char kTricky[] = {'*',  ':',    '^',    '~',    '\r',   '\n',   '\t',   ' ',
                                     '\0', '\x7F', '\xC3', '\xA9', '\xE2', '\x80', '\xF0', '\x9F'};
  std::uniform_int_distribution<int> length(0, 120);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> choice(0, 3);
  std::uniform_int_distribution<std::size_t> tricky(0, sizeof(kTricky) - 1);
  std::string out;
  int n = length(rng);
  for (int i = 0; i < n; ++i) {
    out.push_back(choice(rng) == 0 ? kTricky[tricky(rng)] : static_cast<char>(byte(rng)));
  }
  return out;
}

TEST(SanitizeValueProperty, NeverLeavesADelimiterOrAForeignCharacter) {
  std::mt19937 rng(837);
  std::uniform_int_distribution<std::size_t> maxLength(1, 80);
  for (int iteration = 0; iteration < 20000; ++iteration) {
    std::string raw = randomBytes(rng);
    std::size_t limit = maxLength(rng);
    CharacterSet set = iteration % 2 == 0 ? CharacterSet::kBasic : CharacterSet::kExtended;
    std::string clean = sanitizeValue(raw, limit, set);
    ASSERT_LE(clean.size(), limit);
    for (char c : clean) {
      ASSERT_TRUE(isAllowedCharacter(c, set)) << "char " << static_cast<int>(c);
      ASSERT_EQ(std::string("*:^~\r\n").find(c), std::string::npos);
      ASSERT_FALSE(c >= 'a' && c <= 'z');
    }
    ASSERT_EQ(clean.find("  "), std::string::npos);
    if (!clean.empty()) {
      ASSERT_NE(clean.front(), ' ');
      ASSERT_NE(clean.back(), ' ');
    }
    ASSERT_EQ(sanitizeValue(clean, limit, set), clean) << "not idempotent";
  }
}

TEST(IsAllowedCharacter, BasicSetExcludesDelimitersAndLowerCase) {
  for (char c : std::string("AZ09 !\"&'()+,-./;?=")) EXPECT_TRUE(isAllowedCharacter(c)) << c;
  for (char c : std::string("*:^~az%@_\n")) EXPECT_FALSE(isAllowedCharacter(c)) << c;
  EXPECT_TRUE(isAllowedCharacter('@', CharacterSet::kExtended));
  EXPECT_FALSE(isAllowedCharacter('~', CharacterSet::kExtended));
}

}  // namespace
}  // namespace fhir837::x12
