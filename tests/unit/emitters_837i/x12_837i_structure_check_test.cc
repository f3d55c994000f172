// The structural self-check applied to 837I text: SV2 charges (SV203) are summed against CLM02
// and LX/HL/SE rules hold as for 837P.

#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "emitters/x12_common/x12_structure_check.h"
#include "unit/emitters_837i/institutional_test_support.h"

namespace fhir837::testing {
namespace {

std::string validInstitutional() { return readFile(institutionalFixture("837i_scig.x12")); }

std::string mutate(std::string text, const std::string& from, const std::string& to) {
  std::size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

TEST(CheckStructure837I, AcceptsTheValidatedInstitutionalExample) {
  std::string text = validInstitutional();
  EXPECT_TRUE(x12::checkStructure(text));
  std::erase(text, '\n');
  EXPECT_TRUE(x12::checkStructure(text));
}

struct BrokenCase {
  const char* name;
  std::string from, to;
  std::string where;
};

void PrintTo(const BrokenCase& c, std::ostream* os) { *os << c.name; }

class CheckStructure837IBroken : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(CheckStructure837IBroken, RejectsWithTheElementThatIsWrong) {
  const BrokenCase& c = GetParam();
  Status status = x12::checkStructure(mutate(validInstitutional(), c.from, c.to));
  ASSERT_FALSE(status) << c.name;
  EXPECT_EQ(status.error().code, ErrorCode::kSyntax);
  EXPECT_EQ(status.error().where, c.where) << status.error().describe();
}

INSTANTIATE_TEST_SUITE_P(
    NegativeControls, CheckStructure837IBroken,
    ::testing::Values(
        BrokenCase{"sv203_changed", "SV2*0260*HC:96370*150*", "SV2*0260*HC:96370*151*", "CLM02"},
        BrokenCase{"clm02_changed", "*9375***", "*9374***", "CLM02"},
        BrokenCase{"sv203_not_an_amount", "SV2*0260*HC:96370*150*", "SV2*0260*HC:96370*1.505*",
                   "SV203"},
        BrokenCase{"se01_off_by_one", "SE*35*0001", "SE*34*0001", "SE01"},
        BrokenCase{"lx_out_of_sequence", "LX*3~", "LX*4~", "LX01"},
        BrokenCase{"trailing_empty_clm06", "13:A:1**A*Y*Y~", "13:A:1**A*Y*Y*~", "CLM"},
        BrokenCase{"ge02_mismatch", "GE*1*102", "GE*1*101", "GE02"},
        BrokenCase{"iea02_mismatch", "IEA*1*000000102", "IEA*1*000000101", "IEA02"}),
    [](const auto& info) { return std::string(info.param.name); });

// Every emitted variant, not only the fixture, passes: a line without SV202 still adds SV203.
TEST(CheckStructure837I, RevenueCodeOnlyLineStillCountsTowardsClm02) {
  Claim claim = institutionalClaim();
  claim.lines.push_back(institutionalLine("0270", "", 1250, 2));
  std::vector<Claim> claims{claim};
  auto out = X12_837IEmitter().emit(claims, institutionalEnvelope());
  ASSERT_TRUE(out) << out.error().describe();
  EXPECT_TRUE(x12::checkStructure(*out));
  EXPECT_TRUE(isValid837(*out));
  Status broken = x12::checkStructure(mutate(*out, "SV2*0270**12.5*", "SV2*0270**12*"));
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().where, "CLM02");
}

}  // namespace
}  // namespace fhir837::testing
