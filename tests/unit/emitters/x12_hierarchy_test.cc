// The HL tree of an 837P when subscribers are many and the TR3's 100-claim cap per 2000B splits
// some of them: loops in first-appearance order, each claim in the latest loop of its subscriber.

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "unit/emitters/emitter_test_support.h"

namespace fhir837::testing {
namespace {

// Each HL segment with the CLM01s of the claims that follow it (before the next HL).
using HlLoops = std::vector<std::pair<std::string, std::vector<std::string>>>;

HlLoops hlLoops(const std::string& x12) {
  HlLoops loops;
  std::size_t start = 0;
  while (start < x12.size()) {
    std::size_t end = x12.find('~', start);
    if (end == std::string::npos) end = x12.size();
    std::string segment = x12.substr(start, end - start);
    start = end + 1;
    if (!segment.empty() && segment.front() == '\n') segment.erase(0, 1);
    if (segment.starts_with("HL*")) loops.push_back({segment, {}});
    if (segment.starts_with("CLM*") && !loops.empty()) {
      loops.back().second.push_back(segment.substr(4, segment.find('*', 4) - 4));
    }
  }
  return loops;
}

std::string numbered(const std::string& prefix, int n) {
  char digits[8];
  std::snprintf(digits, sizeof digits, "%03d", n);
  return prefix + digits;
}

// CLM01s prefix+first .. prefix+last.
std::vector<std::string> claimIds(const std::string& prefix, int first, int last) {
  std::vector<std::string> ids;
  for (int n = first; n <= last; ++n) ids.push_back(numbered(prefix, n));
  return ids;
}

Claim claimOf(const Subscriber& subscriber, std::string id) {
  Claim claim = scigClaim();
  claim.subscriber = subscriber;
  claim.patientControlNumber = std::move(id);
  return claim;
}

void addClaims(std::vector<Claim>& claims, const Subscriber& subscriber, const std::string& prefix,
               int first, int last) {
  for (const std::string& id : claimIds(prefix, first, last)) {
    claims.push_back(claimOf(subscriber, id));
  }
}

Subscriber otherSubscriber(const std::string& first, const std::string& memberId) {
  Subscriber subscriber = janeDoe();
  subscriber.name.first = first;
  subscriber.memberId = memberId;
  return subscriber;
}

TEST(X12Hierarchy, TheCapOpensANewLoopAfterTheOthersAndLaterClaimsGoToTheLatest) {
  const Subscriber jane = janeDoe();
  const Subscriber bob = otherSubscriber("Bob", "W987654321");
  const Subscriber cleo = otherSubscriber("Cleo", "W555000111");
  // Jane again under another group number: equal in every field the grouping hashes, yet
  // another subscriber.
  Subscriber janeOtherGroup = janeDoe();
  janeOtherGroup.groupNumber = "GRP002";
  const PatientParty child{
      .relationshipCode = "19",
      .name = PartyName{.isPerson = true, .lastOrOrganization = "Doe", .first = "Jimmy"},
      .address = janeDoe().address,
      .birthDate = "20150601",
      .gender = "M"};
  auto childClaim = [&](std::string id) {
    Claim claim = claimOf(jane, std::move(id));
    claim.patient = child;
    return claim;
  };

  std::vector<Claim> claims;
  addClaims(claims, jane, "A", 1, 60);
  claims.push_back(claimOf(bob, "B1"));
  claims.push_back(childClaim("K1"));
  addClaims(claims, jane, "A", 61, 120);
  claims.push_back(claimOf(cleo, "C1"));
  claims.push_back(claimOf(janeOtherGroup, "D1"));
  addClaims(claims, jane, "A", 121, 210);
  claims.push_back(claimOf(janeOtherGroup, "D2"));
  claims.push_back(claimOf(bob, "B2"));
  claims.push_back(childClaim("K2"));

  const HlLoops expected{
      {"HL*1**20*1", {}},
      {"HL*2*1*22*0", claimIds("A", 1, 100)},
      {"HL*3*1*22*0", {"B1", "B2"}},
      {"HL*4*1*22*1", {}},
      {"HL*5*4*23*0", {"K1", "K2"}},
      {"HL*6*1*22*0", claimIds("A", 101, 200)},
      {"HL*7*1*22*0", {"C1"}},
      {"HL*8*1*22*0", {"D1", "D2"}},
      {"HL*9*1*22*0", claimIds("A", 201, 210)},
  };
  EXPECT_EQ(hlLoops(emitChecked(claims, scigEnvelope())), expected);
}

TEST(X12Hierarchy, ManySubscribersInterleavedWithOneThatFillsThreeLoops) {
  const Subscriber jane = janeDoe();
  std::vector<Claim> claims;
  for (int s = 0; s < 300; ++s) {
    claims.push_back(
        claimOf(otherSubscriber(numbered("S", s), numbered("M", s)), numbered("S", s)));
    claims.push_back(claimOf(jane, numbered("A", s + 1)));
  }

  // Jane's claim n follows subscriber n-1's; her loops open at her claims 1, 101 and 201.
  HlLoops expected{{"HL*1**20*1", {}}};
  auto subscriberLoop = [&](std::vector<std::string> ids) {
    expected.push_back({"HL*" + std::to_string(expected.size() + 1) + "*1*22*0", std::move(ids)});
  };
  for (int s = 0; s < 300; ++s) {
    subscriberLoop({numbered("S", s)});
    if (s % 100 == 0) subscriberLoop(claimIds("A", s + 1, s + 100));
  }
  const HlLoops actual = hlLoops(emitChecked(claims, scigEnvelope()));
  ASSERT_EQ(actual.size(), 304u);
  EXPECT_EQ(actual, expected);
}

}  // namespace
}  // namespace fhir837::testing
