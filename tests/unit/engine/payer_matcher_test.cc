#include "engine/assembly/payer_matcher.h"

#include <gtest/gtest.h>

#include "engine/config/config_loader.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

constexpr const char* kCarinType = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType";
constexpr const char* kPath = "Coverage/cov1.payor[0]";

const AppConfig& shippedConfig() {
  static const AppConfig config = [] {
    auto loaded = loadConfig(testing::sourceDir() / "config/fhir837.toml");
    if (!loaded) throw std::runtime_error(loaded.error().describe());
    return *loaded;
  }();
  return config;
}

Identifier carinPayerId(std::string value) {
  Identifier id;
  id.system = "urn:some:clearinghouse";
  id.value = std::move(value);
  id.type.coding.push_back(Coding{kCarinType, "", "payerid", ""});
  return id;
}

Identifier systemId(std::string system, std::string value) {
  Identifier id;
  id.system = std::move(system);
  id.value = std::move(value);
  return id;
}

Organization payor(std::string id, std::string name, std::vector<Identifier> ids = {}) {
  Organization org;
  org.id = std::move(id);
  org.name = std::move(name);
  org.identifier = std::move(ids);
  return org;
}

TEST(PayerMatcherTest, CarinPayerIdentifier) {
  auto match =
      matchPayer(payor("org1", "Aetna Life", {carinPayerId("60054")}), kPath, shippedConfig());
  ASSERT_TRUE(match) << match.error().describe();
  EXPECT_EQ(match->profile->key, "aetna");
  EXPECT_EQ(match->payer, (Payer{"Aetna Life", "60054"}));
  EXPECT_EQ(match->how, "payer id 60054 (CARIN payerid identifier) in profile aetna");
}

TEST(PayerMatcherTest, CarinTypeWinsOverConfiguredSystem) {
  auto match = matchPayer(
      payor("org1", "", {systemId("urn:fhir837:payer-id", "62308"), carinPayerId("60054")}), kPath,
      shippedConfig());
  ASSERT_TRUE(match);
  EXPECT_EQ(match->profile->key, "aetna");
  EXPECT_EQ(match->payer,
            (Payer{"AETNA", "60054"}));  // profile name when the Organization has none
}

TEST(PayerMatcherTest, ConfiguredIdentifierSystem) {
  auto match = matchPayer(payor("org2", "Some Plan", {systemId("urn:fhir837:payer-id", "62308")}),
                          kPath, shippedConfig());
  ASSERT_TRUE(match) << match.error().describe();
  EXPECT_EQ(match->profile->key, "cigna");
  EXPECT_EQ(match->payer, (Payer{"Some Plan", "62308"}));
  EXPECT_EQ(match->how, "payer id 62308 (identifier urn:fhir837:payer-id) in profile cigna");
  // The same value under an unconfigured system is not a payer id.
  auto other = matchPayer(payor("org2", "Some Plan", {systemId("urn:other", "62308")}), kPath,
                          shippedConfig());
  ASSERT_FALSE(other);
}

TEST(PayerMatcherTest, NamePatternCaseInsensitive) {
  auto match = matchPayer(payor("org3", "UnitedHealthcare Insurance Co"), kPath, shippedConfig());
  ASSERT_TRUE(match) << match.error().describe();
  EXPECT_EQ(match->profile->key, "unitedhealthcare");
  EXPECT_EQ(match->payer, (Payer{"UnitedHealthcare Insurance Co", "87726"}));
  EXPECT_EQ(match->how, "name pattern 'unitedhealthcare' of profile unitedhealthcare");
}

TEST(PayerMatcherTest, NoMatchIsRejectedNamingThePayor) {
  auto match =
      matchPayer(payor("org9", "Acme Health", {carinPayerId("99999")}), kPath, shippedConfig());
  ASSERT_FALSE(match);
  EXPECT_EQ(match.error(),
            makeError(ErrorCode::kRejected,
                      "payor Organization/org9 matches no payer profile (payer id '99999', name "
                      "'Acme Health')",
                      kPath, "PAY-D12"));
  auto nameless = matchPayer(payor("org8", ""), kPath, shippedConfig());
  ASSERT_FALSE(nameless);
  EXPECT_EQ(nameless.error().message,
            "payor Organization/org8 matches no payer profile (payer id '', name '')");
}

// Issue 9 §5: matched by name, the profile decides NM109; a payor payer id that is none of the
// profile's is needs-review, never sent in NM109.
TEST(PayerMatcherTest, NameMatchSendsTheProfilesPayerIdAndAContradictingIdNeedsReview) {
  auto plain = matchPayer(payor("org6", "Aetna Better Health"), kPath, shippedConfig());
  ASSERT_TRUE(plain) << plain.error().describe();
  EXPECT_EQ(plain->payer, (Payer{"Aetna Better Health", "60054"}));
  auto garbled =
      matchPayer(payor("org6", "Aetna Better Health", {systemId("urn:fhir837:payer-id", "6OO54")}),
                 kPath, shippedConfig());
  ASSERT_FALSE(garbled);
  EXPECT_EQ(garbled.error(),
            makeError(ErrorCode::kNeedsReview,
                      "payor Organization/org6 matched profile aetna by name, but carries payer "
                      "id '6OO54' (identifier urn:fhir837:payer-id), which is not one of the "
                      "profile's payer ids",
                      kPath, "PAY-ID"));
  // A profile without payer ids (BCBS plans differ by state) takes the payor's, as before.
}

TEST(PayerMatcherTest, BcbsNeedsAnIdFromTheOrganization) {
  auto match =
      matchPayer(payor("org5", "Blue Cross and Blue Shield of Illinois"), kPath, shippedConfig());
  ASSERT_FALSE(match);
  EXPECT_EQ(match.error(),
            makeError(ErrorCode::kRejected,
                      "payor Organization/org5 matched profile bcbs which has no default payer "
                      "id, and the Organization carries none",
                      kPath, "PAY-D12"));
  auto withId = matchPayer(payor("org5", "Blue Cross and Blue Shield of Illinois",
                                 {systemId("urn:fhir837:payer-id", "00621")}),
                           kPath, shippedConfig());
  ASSERT_TRUE(withId) << withId.error().describe();
  EXPECT_EQ(withId->profile->key, "bcbs");
  EXPECT_EQ(withId->payer.payerId, "00621");
  EXPECT_EQ(withId->how, "name pattern 'blue cross' of profile bcbs");
}

}  // namespace
}  // namespace fhir837
