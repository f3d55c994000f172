#include "emitters/x12_common/x12_structure_check.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "unit/emitters/scig_claim_builder.h"

namespace fhir837::x12 {
namespace {

std::string validExample() {
  return fhir837::testing::readFile(fhir837::testing::emitterFixture("837p_scig.x12"));
}

// Replaces the first occurrence of `from` (which must exist) by `to`.
std::string mutate(std::string text, const std::string& from, const std::string& to) {
  std::size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

TEST(CheckStructure, AcceptsTheValidatedExampleWithAndWithoutNewlines) {
  std::string text = validExample();
  EXPECT_TRUE(checkStructure(text));
  std::erase(text, '\n');
  EXPECT_TRUE(checkStructure(text));
}

struct BrokenCase {
  const char* name;
  std::string from, to;
  std::string where;
};

void PrintTo(const BrokenCase& c, std::ostream* os) { *os << c.name; }

class CheckStructureBroken : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(CheckStructureBroken, RejectsWithTheElementThatIsWrong) {
  const BrokenCase& c = GetParam();
  Status status = checkStructure(mutate(validExample(), c.from, c.to));
  ASSERT_FALSE(status) << c.name;
  EXPECT_EQ(status.error().code, ErrorCode::kSyntax);
  EXPECT_EQ(status.error().where, c.where) << status.error().describe();
}

INSTANTIATE_TEST_SUITE_P(
    NegativeControls, CheckStructureBroken,
    ::testing::Values(BrokenCase{"isa_short", "SUB12345       *ZZ", "SUB12345      *ZZ", "ISA"},
                      BrokenCase{"se01_off_by_one", "SE*34*0001", "SE*35*0001", "SE01"},
                      BrokenCase{"se02_mismatch", "SE*34*0001", "SE*34*0002", "SE02"},
                      BrokenCase{"ge01_wrong", "GE*1*101", "GE*2*101", "GE01"},
                      BrokenCase{"ge02_mismatch", "GE*1*101", "GE*1*102", "GE02"},
                      BrokenCase{"iea01_wrong", "IEA*1*", "IEA*3*", "IEA01"},
                      BrokenCase{"iea02_mismatch", "IEA*1*000000101", "IEA*1*000000102", "IEA02"},
                      BrokenCase{"trailing_star", "DTP*472*D8*20250310~\nLX*2",
                                 "DTP*472*D8*20250310*~\nLX*2", "DTP"},
                      BrokenCase{"trailing_component", "HC:J1559:JZ*", "HC:J1559:JZ:*", "SV1"},
                      BrokenCase{"lx_out_of_sequence", "LX*2~", "LX*3~", "LX01"},
                      BrokenCase{"clm02_not_sum", "CLM*INF20250310001*8825*",
                                 "CLM*INF20250310001*8826*", "CLM02"},
                      BrokenCase{"hl04_claims_children", "HL*2*1*22*0", "HL*2*1*22*1", "HL04"},
                      BrokenCase{"hl01_out_of_sequence", "HL*2*1*22*0", "HL*3*1*22*0", "HL01"},
                      BrokenCase{"hl02_unknown_parent", "HL*2*1*22*0", "HL*2*7*22*0", "HL02"},
                      BrokenCase{"hl02_wrong_level", "HL*2*1*22*0", "HL*2*1*23*0", "HL02"},
                      BrokenCase{"empty_segment", "LX*1~", "~LX*1~", "segment"},
                      BrokenCase{"missing_iea", "IEA*1*000000101~\n", "", "IEA"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(CheckStructure, RejectsTextThatIsNotAnInterchange) {
  Status status = checkStructure("GS*HC*A*B~");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().where, "ISA");
}

}  // namespace
}  // namespace fhir837::x12
