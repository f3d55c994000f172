#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/test_paths.h"
#include "validation_test_support.h"

namespace fhir837 {
namespace {

using validation::Severity;

std::filesystem::path fixtures() { return testing::sourceDir() / "tests" / "fixtures" / "x12"; }

// Every valid fixture (the two pyx12-checked examples of x12-837-map.md §6 verbatim, and the
// variants of §6.3 plus multi-claim/multi-interchange/no-newline shapes) has no error at all.
TEST(ValidatorFixtures, EveryValidFixtureHasNoFinding) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(fixtures() / "valid")) {
    auto result = testing::validateText(testing::readFile(entry.path()));
    EXPECT_TRUE(result->valid()) << entry.path() << "\n" << result->dump();
    EXPECT_EQ(result->sink.warnings(), 0u) << entry.path() << "\n" << result->dump();
    ++files;
  }
  EXPECT_GE(files, 6);
}

TEST(ValidatorFixtures, ValidFixturesCountTheirClaims) {
  struct Case {
    const char* file;
    std::uint64_t interchanges, transactions, claims;
  };
  for (const Case& c : std::vector<Case>{{"837p_scig.x12", 1, 1, 1},
                                         {"837i_scig.x12", 1, 1, 1},
                                         {"837p_multi.x12", 1, 2, 5},
                                         {"two_interchanges.x12", 2, 2, 2}}) {
    auto result = testing::validateText(testing::readFile(fixtures() / "valid" / c.file));
    ASSERT_TRUE(result->summary) << c.file;
    EXPECT_EQ(result->summary->interchanges, c.interchanges) << c.file;
    EXPECT_EQ(result->summary->transactions, c.transactions) << c.file;
    EXPECT_EQ(result->summary->claims, c.claims) << c.file;
  }
}

struct BrokenCase {
  const char* file;
  Severity severity;
  std::uint64_t segment;  // 0: not asserted
  const char* segmentId;
  const char* element;
  const char* fragment;
};

// Each invalid fixture is a valid file with exactly one defect; the first group are the §6.3
// negative controls pyx12 catches, then those pyx12 misses, then the rest of the checks.
const std::vector<BrokenCase>& brokenCases() {
  static const std::vector<BrokenCase> cases = {
      // §6.3 negative controls pyx12 fails
      {"se01_off_by_one.x12", Severity::kError, 34, "SE", "SE01", "count is 34, SE01 says 35"},
      {"ge01_wrong.x12", Severity::kError, 37, "GE", "GE01", "GE01 says 2"},
      {"trailing_element_separator.x12", Severity::kError, 11, "REF", "",
       "trailing element separator"},
      {"invalid_date_19801315.x12", Severity::kError, 17, "DMG", "DMG02", "not a valid D8"},
      {"missing_line_dtp472.x12", Severity::kError, 25, "LX", "",
       "required segment DTP*472 is missing"},
      {"lx_out_of_sequence.x12", Severity::kError, 29, "LX", "LX01", "out of sequence: expected 3"},
      {"837i_clm05_2_b.x12", Severity::kError, 19, "CLM", "CLM05-2",
       "'B' is not in the guide's code list"},
      {"837i_missing_dtp434.x12", Severity::kError, 20, "CL1", "",
       "required segment DTP*434 is missing"},
      {"837i_missing_cl1.x12", Severity::kError, 21, "HI", "", "required segment CL1 is missing"},
      {"837i_billing_zip_5_digits.x12", Severity::kError, 10, "N4", "N403", "must be 9 digits"},
      {"837i_clm06_filled.x12", Severity::kError, 19, "CLM", "CLM06", "not used in this guide"},
      // §6.3 controls pyx12 does not catch
      {"icd10_with_dot.x12", Severity::kError, 20, "HI", "HI01-2", "without the decimal point"},
      {"amount_3_decimals.x12", Severity::kError, 27, "SV1", "SV102", "more than 2 decimals"},
      {"hl04_no_children.x12", Severity::kError, 12, "HL", "HL04", "is 1 but no child HL follows"},
      {"clm02_not_sum.x12", Severity::kError, 19, "CLM", "CLM02",
       "total 8826.00 differs from the sum of SV102 8825.00"},
      {"bad_npi_billing.x12", Severity::kError, 8, "NM1", "NM109", "check digit"},
      {"bad_npi_rendering.x12", Severity::kError, 21, "NM1", "NM109", "check digit"},
      {"clm01_over_20_chars.x12", Severity::kWarning, 19, "CLM", "CLM01",
       "longer than 20 characters"},
      // envelope and syntax
      {"ge02_mismatch.x12", Severity::kError, 37, "GE", "GE02", "does not match GS06"},
      {"iea01_wrong.x12", Severity::kError, 38, "IEA", "IEA01", "IEA01 says 2"},
      {"iea02_mismatch.x12", Severity::kError, 38, "IEA", "IEA02", "does not match ISA13"},
      {"se02_mismatch.x12", Severity::kError, 34, "SE", "SE02", "does not match ST02"},
      {"isa_105_chars.x12", Severity::kError, 1, "ISA", "", "ISA is 105 characters, must be 106"},
      {"isa_bad_delimiters.x12", Severity::kError, 1, "ISA", "ISA16",
       "ISA repetition separator (ISA11) and component separator (ISA16) are the same character; "
       "delimiters (element, repetition ISA11, component ISA16, terminator) must be four distinct "
       "characters"},
      {"trailing_component_separator.x12", Severity::kError, 27, "SV1", "SV101",
       "trailing component separator"},
      {"empty_segment.x12", Severity::kError, 10, "", "", "empty segment"},
      {"unknown_segment.x12", Severity::kError, 10, "XYZ", "", "not used in this transaction set"},
      {"missing_iea.x12", Severity::kError, 0, "IEA", "", "interchange not closed by IEA"},
      {"unterminated_last_segment.x12", Severity::kError, 38, "IEA", "", "no terminator"},
      {"duplicate_isa13.x12", Severity::kError, 1, "ISA", "ISA13", "not unique in the file"},
      {"component_in_simple_element.x12", Severity::kError, 11, "REF", "REF02",
       "component separator in a simple element"},
      // loops, order, repeats
      {"segment_out_of_order.x12", Severity::kError, 10, "N3", "", "out of order in loop 2010AA"},
      {"missing_billing_ref_ei.x12", Severity::kError, 11, "HL", "",
       "required segment REF*EI is missing in loop 2010AA"},
      {"hl03_bad_code.x12", Severity::kError, 12, "HL", "HL03", "not valid at this point"},
      {"nm1_bad_entity_code.x12", Severity::kError, 18, "NM1", "NM101", "not valid at this point"},
      {"more_than_50_lines.x12", Severity::kError, 173, "LX", "",
       "loop 2400 repeats 51 times, the guide allows 50"},
      {"837i_more_than_999_lines.x12", Severity::kError, 0, "LX", "",
       "loop 2400 repeats 1000 times, the guide allows 999"},
      {"two_2410_per_line.x12", Severity::kError, 34, "LIN", "",
       "loop 2410 repeats 2 times, the guide allows 1"},
      {"more_than_12_diagnoses.x12", Severity::kError, 20, "HI", "HI13",
       "more than 12 diagnosis codes"},
      {"five_dx_pointers.x12", Severity::kError, 27, "SV1", "SV107",
       "more than 4 diagnosis pointers"},
      {"five_modifiers.x12", Severity::kError, 30, "SV1", "SV101",
       "more than 4 procedure modifiers"},
      // HL hierarchy and subscriber/patient
      {"hl01_out_of_sequence.x12", Severity::kError, 12, "HL", "HL01",
       "out of sequence: expected 2"},
      {"hl02_wrong_parent.x12", Severity::kError, 16, "HL", "HL02", "does not name the parent HL"},
      {"sbr02_self_with_2000c.x12", Severity::kError, 13, "SBR", "SBR02",
       "is 18 (self) but a 2000C"},
      {"sbr02_empty_without_2000c.x12", Severity::kError, 13, "SBR", "SBR02",
       "no 2000C patient loop follows"},
      // code lists, dates, types
      {"sbr01_bad_code.x12", Severity::kError, 13, "SBR", "SBR01",
       "'X' is not in the guide's code list"},
      {"sbr09_bad_code.x12", Severity::kError, 13, "SBR", "SBR09", "not in the guide's code list"},
      {"pat01_bad_code.x12", Severity::kError, 17, "PAT", "PAT01", "not in the guide's code list"},
      {"dmg03_bad_code.x12", Severity::kError, 17, "DMG", "DMG03", "not in the guide's code list"},
      {"ctp05_bad_unit.x12", Severity::kError, 33, "CTP", "CTP05-1",
       "not in the guide's code list"},
      {"837i_lin02_not_n4.x12", Severity::kError, 33, "LIN", "LIN02",
       "'UP' is not in the guide's code list"},
      {"clm05_3_bad_code.x12", Severity::kError, 19, "CLM", "CLM05-3",
       "not in the guide's code list"},
      {"837p_clm05_2_a.x12", Severity::kError, 19, "CLM", "CLM05-2",
       "'A' is not in the guide's code list"},
      {"837i_facility_type_zero.x12", Severity::kError, 19, "CLM", "CLM05-1", "digits must be 1-9"},
      {"bht04_invalid_date.x12", Severity::kError, 2, "BHT", "BHT04", "not a valid date"},
      {"rd8_invalid_date.x12", Severity::kError, 25, "DTP", "DTP03", "not a valid RD8"},
      {"amount_11_digits.x12", Severity::kError, 27, "SV1", "SV102", "more than 10 digits"},
      // claim rules
      {"icd9_qualifier_after_2015.x12", Severity::kError, 20, "HI", "HI01-1",
       "ICD-9 qualifier used for services after 2015-09-30"},
      {"dx_pointer_outside_list.x12", Severity::kError, 27, "SV1", "SV107-1",
       "diagnosis pointer 2 is outside the HI list (1 codes)"},
      {"billing_zip_5_digits_837p.x12", Severity::kError, 10, "N4", "N403", "must be 9 digits"},
      {"replacement_without_f8.x12", Severity::kError, 19, "CLM", "CLM05-3", "requires REF*F8"},
      {"ndc_10_digits.x12", Severity::kError, 32, "LIN", "LIN03", "NDC must be 11 digits"},
      {"ein_with_hyphen.x12", Severity::kError, 11, "REF", "REF02", "EIN must be 9 digits"},
      // external code sets (src/engine/codesets/) and delimiters (issue 9)
      {"pos_00.x12", Severity::kError, 19, "CLM", "CLM05-1",
       "place of service '00' is not in X12 code source 237 (CMS place of service), version "
       "20240502"},
      {"pos_unassigned_30.x12", Severity::kError, 19, "CLM", "CLM05-1",
       "place of service '30' is not in X12 code source 237"},
      {"n402_zz.x12", Severity::kError, 16, "N4", "N402",
       "state code 'ZZ' is not in X12 code source 22 (states and provinces), version USPS "
       "Publication 28 (June 2024 edition); Canada Post (2024), for an address in US"},
      {"n402_na.x12", Severity::kError, 16, "N4", "N402",
       "state code 'NA' is not in X12 code source 22"},
      {"n404_us.x12", Severity::kError, 16, "N4", "N404",
       "country code US must not be sent: N404 is only for addresses outside the United States"},
      {"n404_unknown_country.x12", Severity::kError, 16, "N4", "N404",
       "country code 'XX' is not in X12 code source 5 (ISO 3166-1 countries)"},
      {"isa_nul_component.x12", Severity::kError, 1, "ISA", "ISA16",
       "ISA component separator (ISA16) is NUL (0x00); delimiters must be ASCII characters that "
       "are not data"},
      {"isa_high_bit_terminator.x12", Severity::kError, 1, "ISA", "",
       "ISA segment terminator is byte 0x85, outside ASCII; delimiters must be ASCII characters"},
      {"isa_alnum_repetition.x12", Severity::kError, 1, "ISA", "ISA11",
       "ISA repetition separator (ISA11) 'U' is a letter, digit or space; delimiters must not "
       "occur in data"},
      {"bom_before_isa.x12", Severity::kError, 1, "ISA", "",
       "input starts with a UTF-8 byte order mark (EF BB BF); an interchange must start with ISA"},
  };
  return cases;
}

class BrokenFixture : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenFixture, IsCaughtWithTheExpectedFinding) {
  const BrokenCase& c = GetParam();
  auto result = testing::validateText(testing::readFile(fixtures() / "invalid" / c.file));
  ASSERT_FALSE(result->unreadable) << c.file;
  bool found = false;
  for (const auto& f : result->sink.findings()) {
    found = found || (f.severity == c.severity && f.segmentId == c.segmentId &&
                      f.element == c.element && f.message.find(c.fragment) != std::string::npos &&
                      (c.segment == 0 || f.segment == c.segment));
  }
  EXPECT_TRUE(found) << c.file << " lacks " << c.segmentId << " " << c.element << " '" << c.fragment
                     << "'; got:\n"
                     << result->dump();
  // An error fixture makes the file invalid; the CLM01 length rule is only a warning.
  EXPECT_EQ(result->valid(), c.severity == Severity::kWarning) << c.file;
}

INSTANTIATE_TEST_SUITE_P(AllDefects, BrokenFixture, ::testing::ValuesIn(brokenCases()),
                         [](const ::testing::TestParamInfo<BrokenCase>& info) {
                           std::string name = info.param.file;
                           name = name.substr(0, name.find('.'));
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

// Every invalid fixture on disk has a row above, so none is silently untested.
TEST(ValidatorFixtures, EveryInvalidFixtureHasAnExpectation) {
  for (const auto& entry : std::filesystem::directory_iterator(fixtures() / "invalid")) {
    bool listed = false;
    for (const auto& c : brokenCases()) listed = listed || entry.path().filename() == c.file;
    EXPECT_TRUE(listed) << entry.path();
  }
}

}  // namespace
}  // namespace fhir837
