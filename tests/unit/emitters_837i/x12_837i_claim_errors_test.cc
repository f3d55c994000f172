// Every claim value the 837I emitter refuses: exact code, exact where, the claim named.

#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "unit/emitters_837i/institutional_test_support.h"

namespace fhir837::testing {
namespace {

struct ClaimErrorCase {
  const char* name;
  std::function<void(Claim&)> breakIt;
  ErrorCode code;
  std::string where;
};

void PrintTo(const ClaimErrorCase& c, std::ostream* os) { *os << c.name; }

class X12_837IClaimErrors : public ::testing::TestWithParam<ClaimErrorCase> {};

TEST_P(X12_837IClaimErrors, FailsNamingTheClaimAndTheElement) {
  const ClaimErrorCase& c = GetParam();
  Claim claim = institutionalClaim();
  c.breakIt(claim);
  std::vector<Claim> claims{claim};
  expectInstitutionalError(claims, institutionalEnvelope(), c.code, c.where,
                           "claim INF20250310002: ");
}

constexpr ErrorCode kInvalid = ErrorCode::kInvalidValue;

void otherDiagnoses(Claim& c, std::size_t count) { c.diagnoses.assign(count + 1, "E11.9"); }

INSTANTIATE_TEST_SUITE_P(
    Table, X12_837IClaimErrors,
    ::testing::Values(
        // 2010AA: an institution bills, and always with ZIP+4
        ClaimErrorCase{"billing_provider_is_a_person",
                       [](Claim& c) { c.billingProvider.name.isPerson = true; }, kInvalid,
                       "2010AA NM102"},
        ClaimErrorCase{"billing_zip_5_digits",
                       [](Claim& c) { c.billingProvider.address.zip = "62702"; }, kInvalid,
                       "2010AA N403"},
        ClaimErrorCase{"billing_npi_check_digit",
                       [](Claim& c) { c.billingProvider.npi = "1555555551"; }, kInvalid,
                       "2010AA NM109"},
        // 2300 CLM
        ClaimErrorCase{"facility_type_empty", [](Claim& c) { c.facilityTypeCode = ""; }, kInvalid,
                       "2300 CLM05-1"},
        ClaimErrorCase{"facility_type_one_digit", [](Claim& c) { c.facilityTypeCode = "1"; },
                       kInvalid, "2300 CLM05-1"},
        ClaimErrorCase{"facility_type_with_zero", [](Claim& c) { c.facilityTypeCode = "10"; },
                       kInvalid, "2300 CLM05-1"},
        ClaimErrorCase{"facility_type_leading_zero", [](Claim& c) { c.facilityTypeCode = "03"; },
                       kInvalid, "2300 CLM05-1"},
        ClaimErrorCase{"facility_type_full_tob", [](Claim& c) { c.facilityTypeCode = "0131"; },
                       kInvalid, "2300 CLM05-1"},
        ClaimErrorCase{"facility_type_letter", [](Claim& c) { c.facilityTypeCode = "1A"; },
                       kInvalid, "2300 CLM05-1"},
        ClaimErrorCase{"frequency_empty", [](Claim& c) { c.frequencyCode = ""; }, kInvalid,
                       "2300 CLM05-3"},
        ClaimErrorCase{"frequency_delimiter", [](Claim& c) { c.frequencyCode = ":"; }, kInvalid,
                       "2300 CLM05-3"},
        // Outside the NUBC list, which the validator enforces (found by the property test).
        ClaimErrorCase{"frequency_retired_6", [](Claim& c) { c.frequencyCode = "6"; }, kInvalid,
                       "2300 CLM05-3"},
        ClaimErrorCase{"frequency_unassigned_letter", [](Claim& c) { c.frequencyCode = "L"; },
                       kInvalid, "2300 CLM05-3"},
        ClaimErrorCase{"frequency_lower_case", [](Claim& c) { c.frequencyCode = "a"; }, kInvalid,
                       "2300 CLM05-3"},
        ClaimErrorCase{"clm07", [](Claim& c) { c.assignment = "Y"; }, kInvalid, "2300 CLM07"},
        ClaimErrorCase{"clm08", [](Claim& c) { c.benefitsAssignment = "A"; }, kInvalid,
                       "2300 CLM08"},
        ClaimErrorCase{"clm09", [](Claim& c) { c.releaseOfInformation = "N"; }, kInvalid,
                       "2300 CLM09"},
        ClaimErrorCase{"total_over_hipaa_cap",
                       [](Claim& c) {
                         c.lines[0].chargeCents = 6'000'000'000;
                         c.lines[1].chargeCents = 4'000'000'000;
                       },
                       kInvalid, "2300 CLM02"},
        // 2300 REF*F8, DTP*434, CL1
        ClaimErrorCase{"replacement_without_f8", [](Claim& c) { c.frequencyCode = "7"; }, kInvalid,
                       "2300 REF*F8"},
        ClaimErrorCase{"void_with_blank_f8",
                       [](Claim& c) {
                         c.frequencyCode = "8";
                         c.payerClaimControlNumber = "^^";
                       },
                       kInvalid, "2300 REF*F8"},
        ClaimErrorCase{"statement_dates_missing",
                       [](Claim& c) {
                         c.statementFrom = "";
                         c.statementTo = "";
                       },
                       kInvalid, "2300 DTP*434"},
        ClaimErrorCase{"statement_from_missing", [](Claim& c) { c.statementFrom = ""; }, kInvalid,
                       "2300 DTP*434"},
        ClaimErrorCase{"statement_to_invalid", [](Claim& c) { c.statementTo = "20250230"; },
                       kInvalid, "2300 DTP*434"},
        ClaimErrorCase{"statement_to_before_from", [](Claim& c) { c.statementTo = "20250309"; },
                       kInvalid, "2300 DTP*434"},
        ClaimErrorCase{"admission_type_unknown", [](Claim& c) { c.admissionType = "6"; }, kInvalid,
                       "2300 CL101"},
        ClaimErrorCase{"point_of_origin_two_chars", [](Claim& c) { c.admissionSource = "12"; },
                       kInvalid, "2300 CL102"},
        ClaimErrorCase{"patient_status_missing", [](Claim& c) { c.patientStatus = ""; }, kInvalid,
                       "2300 CL103"},
        ClaimErrorCase{"patient_status_one_digit", [](Claim& c) { c.patientStatus = "1"; },
                       kInvalid, "2300 CL103"},
        // 2300 HI
        ClaimErrorCase{"no_diagnosis", [](Claim& c) { c.diagnoses.clear(); }, kInvalid,
                       "2300 HI01"},
        ClaimErrorCase{"principal_with_delimiter", [](Claim& c) { c.diagnoses[0] = "D8*"; },
                       kInvalid, "2300 HI01"},
        ClaimErrorCase{"25_other_diagnoses", [](Claim& c) { otherDiagnoses(c, 25); }, kInvalid,
                       "2300 HI"},
        ClaimErrorCase{"first_other_bad", [](Claim& c) { c.diagnoses.push_back("Z7"); }, kInvalid,
                       "2300 HI01"},
        ClaimErrorCase{"thirteenth_other_bad",
                       [](Claim& c) {
                         otherDiagnoses(c, 13);
                         c.diagnoses[13] = "Z79.89912";  // 13th other: 2nd ABF segment, HI01
                       },
                       kInvalid, "2300 HI01"},
        ClaimErrorCase{"twelfth_other_bad",
                       [](Claim& c) {
                         otherDiagnoses(c, 13);
                         c.diagnoses[12] = "E1";
                       },
                       kInvalid, "2300 HI12"},
        // 2310A attending (required) / 2310E service facility
        ClaimErrorCase{"missing_attending", [](Claim& c) { c.attendingProvider.reset(); }, kInvalid,
                       "2310A NM1"},
        ClaimErrorCase{"attending_is_organization",
                       [](Claim& c) { c.attendingProvider->name.isPerson = false; }, kInvalid,
                       "2310A NM102"},
        ClaimErrorCase{"attending_npi", [](Claim& c) { c.attendingProvider->npi = "1987654320"; },
                       kInvalid, "2310A NM109"},
        ClaimErrorCase{"attending_name_empty",
                       [](Claim& c) { c.attendingProvider->name.lastOrOrganization = "**"; },
                       kInvalid, "2310A NM103"},
        // A PRV is only sent with a usable PRV03 (the validator requires it; found by the
        // property test, where a taxonomy of delimiters sanitised to nothing wrote PRV*AT*PXC).
        ClaimErrorCase{"attending_taxonomy_only_delimiters",
                       [](Claim& c) { c.attendingProvider->taxonomy = "*~"; }, kInvalid,
                       "2310A PRV03"},
        ClaimErrorCase{"attending_taxonomy_nine_characters",
                       [](Claim& c) { c.attendingProvider->taxonomy = "207K0000X"; }, kInvalid,
                       "2310A PRV03"},
        ClaimErrorCase{"attending_taxonomy_not_ending_in_x",
                       [](Claim& c) { c.attendingProvider->taxonomy = "207K000001"; }, kInvalid,
                       "2310A PRV03"},
        ClaimErrorCase{"billing_taxonomy_with_delimiter",
                       [](Claim& c) { c.billingProvider.taxonomy = "282N0*000X"; }, kInvalid,
                       "2000A PRV03"},
        ClaimErrorCase{"facility_npi",
                       [](Claim& c) {
                         c.serviceFacility = hospital();
                         c.serviceFacility->npi = "12345";
                       },
                       kInvalid, "2310E NM109"},
        ClaimErrorCase{"facility_no_address",
                       [](Claim& c) {
                         c.serviceFacility = hospital();
                         c.serviceFacility->address = PostalAddress{};
                       },
                       kInvalid, "2310E N301"},
        ClaimErrorCase{"facility_zip_6_digits",
                       [](Claim& c) {
                         c.serviceFacility = hospital();
                         c.serviceFacility->address.zip = "627021";
                       },
                       kInvalid, "2310E N403"},
        // 2400 / 2410
        ClaimErrorCase{"no_lines", [](Claim& c) { c.lines.clear(); }, kInvalid, "2400 LX"},
        ClaimErrorCase{"1000_lines", [](Claim& c) { c.lines.resize(1000, c.lines[0]); }, kInvalid,
                       "2400 LX"},
        ClaimErrorCase{"missing_revenue_code", [](Claim& c) { c.lines[1].revenueCode = ""; },
                       kInvalid, "2400 SV201"},
        ClaimErrorCase{"revenue_code_3_digits", [](Claim& c) { c.lines[1].revenueCode = "260"; },
                       kInvalid, "2400 SV201"},
        ClaimErrorCase{"revenue_code_letters", [](Claim& c) { c.lines[1].revenueCode = "02A0"; },
                       kInvalid, "2400 SV201"},
        ClaimErrorCase{"procedure_only_delimiters",
                       [](Claim& c) { c.lines[0].procedureCode = ":"; }, kInvalid, "2400 SV202-2"},
        ClaimErrorCase{"modifier_without_procedure",
                       [](Claim& c) { c.lines[2].procedureCode = ""; }, kInvalid, "2400 SV202-2"},
        ClaimErrorCase{"five_modifiers",
                       [](Claim& c) {
                         c.lines[2].modifiers = {"JZ", "KX", "59", "GA", "GY"};
                       },
                       kInvalid, "2400 SV202"},
        ClaimErrorCase{"modifier_one_char", [](Claim& c) { c.lines[2].modifiers = {"J"}; },
                       kInvalid, "2400 SV202-3"},
        ClaimErrorCase{"negative_charge", [](Claim& c) { c.lines[1].chargeCents = -1; }, kInvalid,
                       "2400 SV203"},
        ClaimErrorCase{"zero_units", [](Claim& c) { c.lines[0].units = 0; }, kInvalid,
                       "2400 SV205"},
        ClaimErrorCase{"bad_service_date", [](Claim& c) { c.lines[0].serviceDateFrom = "2025031"; },
                       kInvalid, "2400 DTP03"},
        ClaimErrorCase{"line_before_statement",
                       [](Claim& c) { c.lines[0].serviceDateFrom = "20250309"; }, kInvalid,
                       "2400 DTP03"},
        ClaimErrorCase{"line_after_statement",
                       [](Claim& c) { c.lines[2].serviceDateTo = "20250311"; }, kInvalid,
                       "2400 DTP03"},
        ClaimErrorCase{"ndc_short", [](Claim& c) { c.lines[2].drug->ndc11 = "1234-5678-90"; },
                       kInvalid, "2410 LIN03"},
        ClaimErrorCase{"ndc_quantity_zero", [](Claim& c) { c.lines[2].drug->quantity = "0"; },
                       kInvalid, "2410 CTP04"},
        ClaimErrorCase{"ndc_unit", [](Claim& c) { c.lines[2].drug->unitCode = "MG"; }, kInvalid,
                       "2410 CTP05-1"},
        ClaimErrorCase{"professional_claim", [](Claim& c) { c.form = ClaimForm::k837P; },
                       ErrorCode::kUnsupported, "2300 CLM"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(X12_837IClaimErrorMessages, NameTheLineAndNeverTheValue) {
  Claim claim = institutionalClaim();
  claim.lines[1].revenueCode = "26";
  std::vector<Claim> claims{claim};
  auto result = X12_837IEmitter().emit(claims, institutionalEnvelope());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "claim INF20250310002: line 2: revenue code must have 4 digits");

  claim = institutionalClaim();
  claim.attendingProvider.reset();
  claims = {claim};
  result = X12_837IEmitter().emit(claims, institutionalEnvelope());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "claim INF20250310002: claim has no attending provider");

  claim = institutionalClaim();
  otherDiagnoses(claim, 14);
  claim.diagnoses[14] = "SECRET99X";
  claims = {claim};
  result = X12_837IEmitter().emit(claims, institutionalEnvelope());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().where, "2300 HI02");
  EXPECT_EQ(result.error().message,
            "claim INF20250310002: other diagnosis 14: ICD-10-CM code must have 3 to 7 letters "
            "and digits");
}

TEST(X12_837IClaimErrorMessages, TheFailingClaimIsNamedNotTheFirst) {
  Claim good = institutionalClaim();
  Claim bad = institutionalClaim();
  bad.patientControlNumber = "INF9";
  bad.attendingProvider.reset();
  std::vector<Claim> claims{good, bad};
  expectInstitutionalError(claims, institutionalEnvelope(), ErrorCode::kInvalidValue, "2310A NM1",
                           "claim INF9: ");

  bad = institutionalClaim();
  bad.patientControlNumber = "*~";
  claims = {good, bad};
  expectInstitutionalError(claims, institutionalEnvelope(), ErrorCode::kInvalidValue, "2300 CLM01",
                           "claim #2 (Encounter/enc-scig-2): ");

  bad.patientControlNumber = "";
  bad.billingProvider.name.isPerson = true;
  claims = {good, bad};
  expectInstitutionalError(claims, institutionalEnvelope(), ErrorCode::kInvalidValue,
                           "2010AA NM102", "claim #2 (Encounter/enc-scig-2): ");
}

TEST(X12_837IEnvelopeErrors, NoClaimsAndBadEnvelopeValuesAreRefused) {
  expectInstitutionalError({}, institutionalEnvelope(), ErrorCode::kInvalidValue, "2000A",
                           "envelope: ");
  std::vector<Claim> claims{institutionalClaim()};
  Envelope envelope = institutionalEnvelope();
  envelope.interchangeControlNumber = 0;
  expectInstitutionalError(claims, envelope, ErrorCode::kInvalidValue, "ISA13", "envelope: ");
}

// At most 100 claims per 2000B (TR3): the 101st claim of a subscriber opens a second 2000B.
TEST(X12_837IClaimErrors, The101stClaimOfASubscriberOpensAnother2000B) {
  std::vector<Claim> claims(101, institutionalClaim());
  std::string out = emitInstitutional(claims, institutionalEnvelope());
  EXPECT_NE(out.find("HL*2*1*22*0~"), std::string::npos);
  EXPECT_NE(out.find("HL*3*1*22*0~"), std::string::npos) << "the second 2000B of the subscriber";
}

}  // namespace
}  // namespace fhir837::testing
