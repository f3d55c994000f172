// Over thousands of claims whose free-text values are random bytes, the 837P emitter either
// refuses with kInvalidValue or writes an interchange that passes the structural check and in
// which no value broke out of its element.

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "unit/emitters/emitter_test_support.h"

namespace fhir837::testing {
namespace {

std::string randomText(std::mt19937& rng) {
  static constexpr char kTricky[] = {'*', ':', '^', '~',    '\r',   '\n',   '\t',   ' ',
                                     'a', 'Z', '0', '\xC3', '\xA9', '\xF0', '\x9F', '\x98'};
  std::uniform_int_distribution<int> length(0, 70);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> choice(0, 2);
  std::uniform_int_distribution<std::size_t> tricky(0, sizeof(kTricky) - 1);
  std::string out;
  for (int i = length(rng); i > 0; --i) {
    out.push_back(choice(rng) == 0 ? static_cast<char>(byte(rng)) : kTricky[tricky(rng)]);
  }
  return out;
}

Claim randomClaim(std::mt19937& rng) {
  Claim claim = scigClaim();
  claim.patientControlNumber = randomText(rng);
  claim.billingProvider.name.lastOrOrganization = randomText(rng);
  claim.billingProvider.address.line1 = randomText(rng);
  claim.billingProvider.address.line2 = randomText(rng);
  claim.subscriber.name.lastOrOrganization = randomText(rng);
  claim.subscriber.name.first = randomText(rng);
  claim.subscriber.name.middle = randomText(rng);
  claim.subscriber.memberId = randomText(rng);
  claim.subscriber.groupNumber = randomText(rng);
  claim.subscriber.address.city = randomText(rng);
  claim.payer.name = randomText(rng);
  claim.priorAuthorization = randomText(rng);
  claim.renderingProvider->name.suffix = randomText(rng);
  claim.lines[0].lineItemControlNumber = randomText(rng);
  claim.lines[1].procedureCode = randomText(rng);
  return claim;
}

const std::set<std::string> kSegmentIds{"ISA", "GS",  "ST",  "BHT", "NM1", "PER", "HL",  "PRV",
                                        "N3",  "N4",  "REF", "SBR", "DMG", "CLM", "HI",  "LX",
                                        "SV1", "DTP", "LIN", "CTP", "SE",  "GE",  "IEA", "PAT"};

TEST(X12_837PProperty, RandomValuesNeverBreakTheInterchange) {
  std::mt19937 rng(5010);
  X12_837PEmitter emitter;
  int written = 0;
  for (int iteration = 0; iteration < 2000; ++iteration) {
    std::vector<Claim> claims{randomClaim(rng), randomClaim(rng)};
    auto result = emitter.emit(claims, scigEnvelope());
    if (!result) {
      ASSERT_EQ(result.error().code, ErrorCode::kInvalidValue) << result.error().describe();
      continue;
    }
    ++written;
    Status structure = x12::checkStructure(*result);
    ASSERT_TRUE(structure) << structure.error().describe();
    ASSERT_TRUE(isValid837(*result));
    std::size_t start = 0;
    while (start < result->size()) {
      std::size_t end = result->find("~\n", start);
      ASSERT_NE(end, std::string::npos);
      std::string segment = result->substr(start, end - start);
      ASSERT_TRUE(kSegmentIds.count(segment.substr(0, segment.find('*'))) == 1) << segment;
      for (char c : segment) {
        ASSERT_TRUE(c >= 0x20 && c < 0x7F && !(c >= 'a' && c <= 'z')) << segment;
      }
      start = end + 2;
    }
  }
  EXPECT_GT(written, 100);  // the generator must exercise the success path too
}

}  // namespace
}  // namespace fhir837::testing
