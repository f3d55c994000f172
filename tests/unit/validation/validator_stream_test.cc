#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "support/test_paths.h"
#include "synthetic_837.h"
#include "validation_test_support.h"

namespace fhir837 {
namespace {

using validation::Severity;

TEST(ValidatorStream, TwoThousandClaimFileStreamsFromDiskWithoutFindings) {
  testing::TempDir dir;
  const auto path = dir.path() / "big.x12";
  {
    std::ofstream out(path, std::ios::binary);
    testing::writeSynthetic837P(out, 2000);
  }
  std::ifstream in(path, std::ios::binary);
  validation::CollectingSink sink;
  validation::ValidateStreamOptions options;
  options.reader.chunkSize = 4096;  // many refills: the file is ~1.4 MB
  auto summary = validation::validateStream(in, sink, options);
  ASSERT_TRUE(summary);
  EXPECT_EQ(sink.errors(), 0u);
  EXPECT_EQ(sink.warnings(), 0u);
  EXPECT_EQ(summary->claims, 2000u);
  EXPECT_EQ(summary->segments, 2000u * 20 + 15);
}

TEST(ValidatorStream, TinyChunksGiveTheSameFindingsAsOneRead) {
  std::ostringstream text;
  testing::writeSynthetic837P(text, 3, false);
  std::string broken = text.str();
  // One defect: the second claim's total no longer matches its lines.
  broken.replace(broken.find("CLM*C2*8825.5"), 13, "CLM*C2*8825.6");
  auto whole = testing::validateText(broken);
  auto tiny = testing::validateText(broken, 3);
  ASSERT_EQ(whole->sink.findings().size(), 1u) << whole->dump();
  EXPECT_EQ(tiny->dump(), whole->dump());
  EXPECT_EQ(
      whole->sink.findings()[0].describe(),
      "error seg 38 CLM loop 2300 CLM02: total 8825.60 differs from the sum of SV102 8825.50");
}

TEST(ValidatorStream, UnreadableInputIsAnErrorNotAFinding) {
  auto result = testing::validateText("{\"resourceType\":\"Bundle\"}");
  ASSERT_TRUE(result->unreadable);
  EXPECT_EQ(result->unreadable->code, ErrorCode::kSyntax);
  EXPECT_EQ(result->sink.findings().size(), 0u);
}

TEST(ValidatorStream, ReaderFailureAfterTheIsaBecomesAFinding) {
  std::ostringstream text;
  testing::writeSynthetic837P(text, 1);
  std::string bytes = text.str();
  bytes.insert(bytes.find("HI*"), "NTE*ADD*" + std::string(70000, 'A') + "~\n");
  auto result = testing::validateText(bytes);
  ASSERT_FALSE(result->unreadable);
  EXPECT_FALSE(result->valid());
  EXPECT_NE(result->dump().find("segment longer than 65536 bytes at byte "), std::string::npos)
      << result->dump();
}

// A misplaced segment is reported once; the segments that follow it until the machine finds its
// place again are summarised instead of cascading one error each.
TEST(ValidatorStream, MisplacedHlDoesNotCascade) {
  auto result = testing::validateText(
      testing::readFile(testing::sourceDir() / "tests/fixtures/x12/invalid/hl03_bad_code.x12"));
  EXPECT_LE(result->sink.errors(), 5u) << result->dump();
}

TEST(ValidatorStream, FindingDescribeFormat) {
  validation::Finding finding{Severity::kError,           34, "SE", "ST", "SE01",
                              "count is 33, SE01 says 34"};
  EXPECT_EQ(finding.describe(), "error seg 34 SE loop ST SE01: count is 33, SE01 says 34");
  validation::Finding noElement{Severity::kWarning, 3, "LX", "2400", "", "x"};
  EXPECT_EQ(noElement.describe(), "warning seg 3 LX loop 2400: x");
}

TEST(ValidatorStream, CollectingSinkCapsStoredFindingsButCountsAll) {
  validation::CollectingSink sink(2);
  for (int i = 0; i < 5; ++i) sink.add({Severity::kError, 1, "X", "ST", "", "m"});
  sink.add({Severity::kWarning, 1, "X", "ST", "", "m"});
  EXPECT_EQ(sink.findings().size(), 2u);
  EXPECT_EQ(sink.errors(), 5u);
  EXPECT_EQ(sink.warnings(), 1u);
  EXPECT_EQ(sink.dropped(), 4u);
}

}  // namespace
}  // namespace fhir837
