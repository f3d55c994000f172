// Payer recognition (PAY-D12) and what each of the five profiles changes (SBR09, NM109, NDC,
// JW/JZ), drug-line units and waste (DRUG-D10, DRUG-JW, DRUG-JZ), liability modifiers from data
// (MOD-GA) and the claim-context rejections (CTX-DX, CTX-BILLING).

#include <gtest/gtest.h>

#include "case_runner.h"

namespace fhir837::testing {
namespace {

const std::vector<std::string> kPlain = {"96369x1", "96370x1", "J1559x100"};
const std::vector<std::string> kMedicare = {"96369x1", "96370x1", "J1559-JZx100"};

BundleBuilder payer(const std::string& name, const std::string& ids) {
  return BundleBuilder().payer(name, ids);
}
BundleBuilder medicare() {
  return payer("Medicare Part B", BundleBuilder::configuredPayerId("01182"));
}
BundleBuilder withLiability(std::initializer_list<const char*> codes) {
  BundleBuilder b;
  for (const char* code : codes) b.liability(code);
  return b;
}

const CodingCase kCases[] = {
    // --- PAY-D12: the five profiles ---
    {"payer_aetna_carin_id", [] { return BundleBuilder(); }, kPlain, {}, {}, "60054", "CI"},
    {"payer_cigna_carin_id",
     [] { return payer("Cigna", BundleBuilder::carinPayerId("62308")); },
     kPlain,
     {},
     {},
     "62308",
     "CI"},
    {"payer_uhc_carin_id",
     [] { return payer("UnitedHealthcare", BundleBuilder::carinPayerId("87726")); },
     kPlain,
     {},
     {},
     "87726",
     "CI"},
    {"payer_medicare_by_name_configured_id",
     [] { return medicare(); },
     kMedicare,
     {},
     {"DRUG-JZ"},
     "01182",
     "MB"},
    {"payer_bcbs_by_name_configured_id",
     [] {
       return payer("Blue Cross Blue Shield of Illinois",
                    BundleBuilder::configuredPayerId("00621"));
     },
     kPlain,
     {},
     {},
     "00621",
     "BL"},
    {"payer_cigna_by_name_default_id",
     [] { return payer("CIGNA HealthCare", "[]"); },
     kPlain,
     {},
     {},
     "62308",
     "CI"},
    {"payer_medicare_without_id_rejected",
     [] { return payer("Medicare", "[]"); },
     {},
     {"ma-1 rejected PAY-D12"}},
    {"payer_unknown_rejected",
     [] { return payer("Acme Mutual Health Plan", BundleBuilder::carinPayerId("99999")); },
     {},
     {"ma-1 rejected PAY-D12"}},

    // --- DRUG-D10: HCPCS, units, NDC requirement ---
    {"hcpcs_coding_without_ndc_aetna",
     [] { return BundleBuilder().drug("hizentra-hcpcs"); },
     kPlain,
     {},
     {"DRUG-D10"}},
    {"uhc_requires_ndc_review",
     [] {
       return payer("UnitedHealthcare", BundleBuilder::carinPayerId("87726"))
           .drug("hizentra-hcpcs");
     },
     {},
     {"ma-1 needs-review DRUG-D10"}},
    {"ndc_not_in_crosswalk_review",
     [] { return BundleBuilder().drug("unknown-ndc"); },
     {},
     {"ma-1 needs-review DRUG-D10"}},
    {"dose_in_ml_with_strength",
     [] { return BundleBuilder().dose(quantity("50", "mL")); },
     kPlain,
     {},
     {"DRUG-D10"}},
    {"dose_rounded_up",
     [] { return BundleBuilder().dose(quantity("10.05", "g")); },
     {"96369x1", "96370x1", "J1559x101"},
     {}},
    {"dose_missing_review",
     [] { return BundleBuilder().dose(""); },
     {},
     {"ma-1 needs-review DRUG-D10"}},
    {"gammagard_units_of_500mg",
     [] { return BundleBuilder().drug("gammagard").dose(quantity("9.2", "g")); },
     {"96369x1", "96370x1", "J1569-JBx19"},
     {}},

    // --- JZ / JW ---
    {"medicare_jz_no_waste", [] { return medicare(); }, kMedicare, {}, {"DRUG-JZ"}},
    {"medicare_waste_jw_line",
     [] { return medicare().waste("500", "mg"); },
     {"96369x1", "96370x1", "J1559x100", "J1559-JWx5"},
     {},
     {"DRUG-JW"}},
    {"aetna_waste_jw_line",
     [] { return BundleBuilder().waste("500", "mg"); },
     {"96369x1", "96370x1", "J1559x100", "J1559-JWx5"},
     {},
     {"DRUG-JW"}},
    {"waste_in_ml_jw_line",
     [] { return medicare().waste("2.5", "mL"); },
     {"96369x1", "96370x1", "J1559x100", "J1559-JWx5"},
     {},
     {"DRUG-JW"}},
    {"waste_partial_unit_truncated",
     [] { return medicare().waste("250", "mg"); },
     {"96369x1", "96370x1", "J1559x100", "J1559-JWx2"},
     {},
     {"DRUG-JW"}},
    {"waste_under_one_unit_no_line",
     [] { return medicare().waste("50", "mg"); },
     {"96369x1", "96370x1", "J1559x100"},
     {},
     {"DRUG-JW"}},
    {"medicare_j1569_sc_jz_jb",
     [] { return medicare().drug("gammagard"); },
     {"96369x1", "96370x1", "J1569-JZ-JBx20"},
     {},
     {"DRUG-JZ", "DRUG-JBJA"}},

    // --- MOD-GA: liability modifiers from the extension ---
    {"liability_GA",
     [] { return withLiability({"GA"}); },
     {"96369-GAx1", "96370-GAx1", "J1559-GAx100"},
     {},
     {"MOD-GA"}},
    {"liability_GZ",
     [] { return withLiability({"GZ"}); },
     {"96369-GZx1", "96370-GZx1", "J1559-GZx100"},
     {},
     {"MOD-GA"}},
    {"liability_GY",
     [] { return withLiability({"GY"}); },
     {"96369-GYx1", "96370-GYx1", "J1559-GYx100"},
     {},
     {"MOD-GA"}},
    {"liability_KX",
     [] { return withLiability({"KX"}); },
     {"96369-KXx1", "96370-KXx1", "J1559-KXx100"},
     {},
     {"MOD-GA"}},
    {"liability_GZ_KX_allowed",
     [] {
       return withLiability({"KX", "GZ"});
     },
     {"96369-GZ-KXx1", "96370-GZ-KXx1", "J1559-GZ-KXx100"},
     {},
     {"MOD-GA"}},
    {"liability_duplicate_GA_once",
     [] {
       return withLiability({"GA", "GA"});
     },
     {"96369-GAx1", "96370-GAx1", "J1559-GAx100"},
     {},
     {"MOD-GA"}},
    {"medicare_jz_then_GA",
     [] { return medicare().liability("GA"); },
     {"96369-GAx1", "96370-GAx1", "J1559-JZ-GAx100"},
     {},
     {"MOD-GA", "DRUG-JZ"}},
    {"medicare_jw_line_gets_GA_too",
     [] { return medicare().waste("500", "mg").liability("GA"); },
     {"96369-GAx1", "96370-GAx1", "J1559-GAx100", "J1559-JW-GAx5"},
     {},
     {"MOD-GA", "DRUG-JW"}},
    {"liability_GA_GZ_review",
     [] {
       return withLiability({"GA", "GZ"});
     },
     {},
     {"ma-1 needs-review MOD-GA"}},
    {"liability_GA_GY_review",
     [] {
       return withLiability({"GA", "GY"});
     },
     {},
     {"ma-1 needs-review MOD-GA"}},
    {"liability_GY_GZ_review",
     [] {
       return withLiability({"GY", "GZ"});
     },
     {},
     {"ma-1 needs-review MOD-GA"}},
    {"liability_GA_KX_review",
     [] {
       return withLiability({"GA", "KX"});
     },
     {},
     {"ma-1 needs-review MOD-GA"}},
    {"liability_unknown_code_review",
     [] { return withLiability({"59"}); },
     {},
     {"ma-1 needs-review MOD-GA"}},

    // --- claim context ---
    {"no_diagnosis_rejected",
     [] { return BundleBuilder().noDiagnosis(); },
     {},
     {"ma-1 rejected CTX-DX"}},
    {"billing_npi_check_digit_rejected",
     [] { return BundleBuilder().billingNpi("1234567890"); },
     {},
     {"ma-1 rejected CTX-BILLING"}},
    {"patient_is_spouse_billed",
     [] { return BundleBuilder().relationship("spouse"); },
     kPlain,
     {},
     {},
     "60054",
     "CI"},
};

class PayerModifierCases : public ::testing::TestWithParam<CodingCase> {};

TEST_P(PayerModifierCases, CodesAsTheRulesSay) { checkCase(GetParam()); }

INSTANTIATE_TEST_SUITE_P(CodingCases, PayerModifierCases, ::testing::ValuesIn(kCases), caseName);

// Coverage.relationship spouse: the subscriber is the other person, the patient gets 2000C PAT01
// 01.
TEST(PayerModifierClaim, SpouseRelationshipMakesAPatientLoop) {
  const CaseResult result =
      runBundle(shippedContext(), BundleBuilder().relationship("spouse").json());
  ASSERT_EQ(result.report.claims.size(), 1u);
  const Claim& claim = result.report.claims[0].claim;
  ASSERT_TRUE(claim.patient.has_value());
  EXPECT_EQ(claim.patient->relationshipCode, "01");
  EXPECT_EQ(claim.subscriber.name.first, "John");
}

// The JW line carries the NDC and the wasted quantity (R23); JZ lines carry the dose.
TEST(PayerModifierClaim, WasteLineCarriesNdcQuantity) {
  const CaseResult result = runBundle(shippedContext(), medicare().waste("500", "mg").json());
  ASSERT_EQ(result.report.claims.size(), 1u);
  const auto& lines = result.report.claims[0].claim.lines;
  ASSERT_EQ(lines.size(), 4u);
  ASSERT_TRUE(lines[2].drug.has_value());
  EXPECT_EQ(lines[2].drug->ndc11, "12345678901");
  EXPECT_EQ(lines[2].drug->quantity, "50");
  EXPECT_EQ(lines[2].drug->unitCode, "ML");
  ASSERT_TRUE(lines[3].drug.has_value());
  EXPECT_EQ(lines[3].drug->quantity, "2.5");
  EXPECT_EQ(lines[3].drug->unitCode, "ML");
}

}  // namespace
}  // namespace fhir837::testing
