// The isValid837 test helper (tests/support/x12_validation.h) that every 837 written by a test
// goes through: it must pass the validated document and fail, naming the finding, otherwise.

#include <gtest/gtest.h>

#include <string>

#include "support/test_paths.h"
#include "support/x12_validation.h"
#include "unit/emitters/scig_claim_builder.h"

namespace fhir837::testing {
namespace {

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

std::string scigDocument() { return readFile(emitterFixture("837p_scig.x12")); }

TEST(IsValid837, AcceptsTheValidatedDocument) { EXPECT_TRUE(isValid837(scigDocument())); }

TEST(IsValid837, FailsListingEachErrorWithItsElement) {
  auto result = isValid837(replaced(scigDocument(), "SE*34*0001~", "SE*35*0001~"));
  ASSERT_FALSE(result);
  const std::string message = result.message();
  EXPECT_NE(message.find("reports 1 error(s) and 0 warning(s) in 1 transaction set(s)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("\n  error seg 34 SE loop ST SE01: "), std::string::npos) << message;
}

TEST(IsValid837, WarningsFailToo) {
  auto result =
      isValid837(replaced(scigDocument(), "CLM*INF20250310001*", "CLM*INF20250310001ABCDEFGHIJ*"));
  ASSERT_FALSE(result);
  EXPECT_NE(std::string(result.message()).find("0 error(s) and 1 warning(s)"), std::string::npos)
      << result.message();
  EXPECT_NE(std::string(result.message()).find("warning seg 19 CLM loop 2300 CLM01: "),
            std::string::npos)
      << result.message();
}

TEST(IsValid837, TextThatIsNotX12Fails) {
  auto result = isValid837("not an interchange");
  ASSERT_FALSE(result);
  EXPECT_EQ(std::string(result.message()).rfind("not readable as X12: ", 0), 0u)
      << result.message();
}

}  // namespace
}  // namespace fhir837::testing
