// Over thousands of claims whose free-text values are random bytes, the 837I emitter either
// refuses with kInvalidValue or writes an interchange that passes the structural check, holds
// only known segments in the basic character set, and keeps CLM and SV2 in their fixed shape.

#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "unit/emitters_837i/institutional_test_support.h"

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

// A code element: mostly the valid value, sometimes a short random string of digits, letters
// and delimiters (which the emitter must refuse or sanitise, never write raw).
std::string randomCode(std::mt19937& rng, const std::string& valid) {
  static const std::string kChars = "0123456789*:~^ A";
  std::uniform_int_distribution<int> coin(0, 7);
  if (coin(rng) != 0) return valid;
  std::uniform_int_distribution<int> length(0, static_cast<int>(valid.size()) + 1);
  std::uniform_int_distribution<std::size_t> pick(0, kChars.size() - 1);
  std::string out;
  for (int i = length(rng); i > 0; --i) out.push_back(kChars[pick(rng)]);
  return out;
}

Claim randomClaim(std::mt19937& rng) {
  Claim claim = institutionalClaim();
  claim.patientControlNumber = randomText(rng);
  claim.billingProvider.name.lastOrOrganization = randomText(rng);
  claim.subscriber.name.first = randomText(rng);
  claim.subscriber.groupNumber = randomText(rng);
  claim.payer.name = randomText(rng);
  claim.priorAuthorization = randomText(rng);
  claim.attendingProvider->name.lastOrOrganization = randomText(rng);
  // A code, not free text: the emitter refuses anything but a NUCC code (2310A PRV03).
  claim.attendingProvider->taxonomy = randomCode(rng, "207K00000X");
  claim.facilityTypeCode = randomCode(rng, "13");
  claim.frequencyCode = randomCode(rng, "1");
  claim.admissionSource = randomCode(rng, "1");
  claim.patientStatus = randomCode(rng, "01");
  claim.lines[0].revenueCode = randomCode(rng, "0260");
  claim.lines[0].lineItemControlNumber = randomText(rng);
  claim.lines[1].procedureCode = randomText(rng);
  claim.payerClaimControlNumber = randomText(rng);
  return claim;
}

const std::set<std::string> kSegmentIds{"ISA", "GS", "ST",  "BHT", "NM1", "PER", "HL",  "PRV",
                                        "N3",  "N4", "REF", "SBR", "DMG", "CLM", "DTP", "CL1",
                                        "HI",  "LX", "SV2", "LIN", "CTP", "SE",  "GE",  "IEA"};

TEST(X12_837IProperty, RandomValuesNeverBreakTheInterchange) {
  std::mt19937 rng(5010223);
  const std::regex clm(R"(CLM\*[^*]+\*[0-9.]+\*\*\*[1-9][1-9]:A:[0-9A-Z]\*\*A\*Y\*Y)");
  const std::regex sv2(R"(SV2\*[0-9]{4}\*(HC:[^*]+)?\*[0-9.]+\*UN\*[0-9]+)");
  X12_837IEmitter emitter;
  int written = 0;
  for (int iteration = 0; iteration < 2000; ++iteration) {
    std::vector<Claim> claims{randomClaim(rng), randomClaim(rng)};
    auto result = emitter.emit(claims, institutionalEnvelope());
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
      std::string id = segment.substr(0, segment.find('*'));
      ASSERT_EQ(kSegmentIds.count(id), 1u) << segment;
      for (char c : segment) {
        ASSERT_TRUE(c >= 0x20 && c < 0x7F && !(c >= 'a' && c <= 'z')) << segment;
      }
      if (id == "CLM") {
        ASSERT_TRUE(std::regex_match(segment, clm)) << segment;
      }
      if (id == "SV2") {
        ASSERT_TRUE(std::regex_match(segment, sv2)) << segment;
      }
      start = end + 2;
    }
  }
  EXPECT_GT(written, 50);  // the generator must exercise the success path too
}

}  // namespace
}  // namespace fhir837::testing
