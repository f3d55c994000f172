#include "engine/assembly/claim_id.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace fhir837 {
namespace {

bool isClm01Shape(const std::string& id) {
  if (id.empty() || id.size() > kClaimIdMaxLength) return false;
  for (char c : id) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

TEST(ClaimIdTest, CleanSourceIsUsedVerbatim) {
  EXPECT_EQ(deriveClaimId("", "INF20250310001"), "INF20250310001");
  EXPECT_EQ(deriveClaimId("PR", "INF20250310001"), "PRINF20250310001");
  EXPECT_EQ(deriveClaimId("", "12345678901234567890"), "12345678901234567890");
}

TEST(ClaimIdTest, SourcesThatDifferOnlyInPunctuationGetDifferentIds) {
  const std::string dashed = deriveClaimId("", "INF-2025-0310-001");
  const std::string dotted = deriveClaimId("", "INF2025.0310.001");
  const std::string clean = deriveClaimId("", "INF20250310001");
  EXPECT_NE(dashed, dotted);
  EXPECT_NE(dashed, clean);
  EXPECT_NE(dotted, clean);
  EXPECT_EQ(dashed.substr(0, 15), "INF20250310001-");
  EXPECT_EQ(dotted.substr(0, 15), "INF20250310001-");
  EXPECT_TRUE(isClm01Shape(dashed)) << dashed;
  EXPECT_TRUE(isClm01Shape(dotted)) << dotted;
  EXPECT_EQ(dashed.size(), 20u);
}

TEST(ClaimIdTest, DerivationIsStable) {
  // The id of an encounter must not change between runs or builds (the ledger keys on it).
  EXPECT_EQ(deriveClaimId("", "INF-2025-0310-001"), deriveClaimId("", "INF-2025-0310-001"));
  EXPECT_EQ(deriveClaimId("", "enc-1"), deriveClaimId("", "enc-1"));
  EXPECT_NE(deriveClaimId("", "enc-1"), deriveClaimId("", "ENC-1"));
}

TEST(ClaimIdTest, LongAndLowerCaseSourcesAreHashedNotCut) {
  // Two long ids with the same tail used to become the same last 20 characters.
  const std::string a = deriveClaimId("", "A0000000000000000000000001");
  const std::string b = deriveClaimId("", "B0000000000000000000000001");
  EXPECT_NE(a, b);
  EXPECT_TRUE(isClm01Shape(a)) << a;
  EXPECT_EQ(deriveClaimId("", "abc").substr(0, 4), "ABC-");
  EXPECT_EQ(deriveClaimId("", "---"), "");
  EXPECT_EQ(deriveClaimId("", ""), "");
}

TEST(ClaimIdTest, ManyPunctuationVariantsAreAllDistinct) {
  // Every way of punctuating one digit string (separator or none between each pair of
  // characters) gives its own id; none is longer than 20.
  const std::string base = "INF2025031";
  const char separators[] = {'\0', '-', '.', '/', ' '};
  std::set<std::string> sources, ids;
  for (int mask = 0; mask < 5 * 5 * 5 * 5 * 5; ++mask) {
    std::string source;
    int m = mask;
    for (std::size_t i = 0; i < base.size(); ++i) {
      source.push_back(base[i]);
      if (i < 5) {
        if (char sep = separators[m % 5]) source.push_back(sep);
        m /= 5;
      }
    }
    sources.insert(source);
    const std::string id = deriveClaimId("", source);
    EXPECT_TRUE(isClm01Shape(id)) << source << " -> " << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), sources.size());
}

}  // namespace
}  // namespace fhir837
