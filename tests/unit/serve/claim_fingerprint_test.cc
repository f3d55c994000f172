#include "engine/serve/claim_fingerprint.h"

#include <gtest/gtest.h>

#include "../emitters/scig_claim_builder.h"

namespace fhir837::serve {
namespace {

AppConfig configOf() {
  AppConfig config;
  config.partner = testing::scigEnvelope().partner;
  return config;
}

TEST(ClaimFingerprintTest, SameClaimSameFingerprintWhateverItsFrequencyAndF8) {
  const AppConfig config = configOf();
  const Claim original = testing::scigClaim();
  Claim replacement = original;
  replacement.frequencyCode = "7";
  replacement.payerClaimControlNumber = "ICN123";
  replacement.lines.front().trail.push_back({"X", {}, "a trail is no billed fact"});
  EXPECT_EQ(claimFingerprint(config, original), claimFingerprint(config, original));
  EXPECT_EQ(claimFingerprint(config, original), claimFingerprint(config, replacement));
  EXPECT_EQ(claimFingerprint(config, original).size(), 64u);
}

TEST(ClaimFingerprintTest, AnyBilledFactChangesIt) {
  const AppConfig config = configOf();
  const Claim original = testing::scigClaim();
  Claim moreUnits = original;
  moreUnits.lines.back().units += 1;
  Claim otherCode = original;
  otherCode.lines.front().procedureCode = "96372";
  Claim otherDate = original;
  otherDate.lines.front().serviceDateFrom = "20250311";
  otherDate.lines.front().serviceDateTo = "20250311";
  const std::string base = claimFingerprint(config, original);
  EXPECT_NE(claimFingerprint(config, moreUnits), base);
  EXPECT_NE(claimFingerprint(config, otherCode), base);
  EXPECT_NE(claimFingerprint(config, otherDate), base);
}

}  // namespace
}  // namespace fhir837::serve
