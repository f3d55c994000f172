// Every claim value the 837P emitter refuses: exact code, exact where, the claim named.

#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "unit/emitters/emitter_test_support.h"

namespace fhir837::testing {
namespace {

struct ClaimErrorCase {
  const char* name;
  std::function<void(Claim&)> breakIt;
  ErrorCode code;
  std::string where;
};

void PrintTo(const ClaimErrorCase& c, std::ostream* os) { *os << c.name; }

class X12_837PClaimErrors : public ::testing::TestWithParam<ClaimErrorCase> {};

TEST_P(X12_837PClaimErrors, FailsNamingTheClaimAndTheElement) {
  const ClaimErrorCase& c = GetParam();
  Claim claim = scigClaim();
  c.breakIt(claim);
  std::vector<Claim> claims{claim};
  expectEmitError(claims, scigEnvelope(), c.code, c.where, "claim INF20250310001: ");
}

PatientParty dependant() {
  return PatientParty{
      .relationshipCode = "19",
      .name = PartyName{.isPerson = true, .lastOrOrganization = "Doe", .first = "Jimmy"},
      .address = janeDoe().address,
      .birthDate = "20150601",
      .gender = "M"};
}

constexpr ErrorCode kInvalid = ErrorCode::kInvalidValue;

INSTANTIATE_TEST_SUITE_P(
    Table, X12_837PClaimErrors,
    ::testing::Values(
        // 2010AA billing provider
        ClaimErrorCase{"billing_npi_9_digits",
                       [](Claim& c) { c.billingProvider.npi = "123456789"; }, kInvalid,
                       "2010AA NM109"},
        ClaimErrorCase{"billing_npi_check_digit",
                       [](Claim& c) { c.billingProvider.npi = "1234567890"; }, kInvalid,
                       "2010AA NM109"},
        ClaimErrorCase{"billing_name_empty",
                       [](Claim& c) { c.billingProvider.name.lastOrOrganization = " ~ "; },
                       kInvalid, "2010AA NM103"},
        ClaimErrorCase{"billing_no_address",
                       [](Claim& c) { c.billingProvider.address = PostalAddress{}; }, kInvalid,
                       "2010AA N301"},
        ClaimErrorCase{"billing_no_city", [](Claim& c) { c.billingProvider.address.city = ""; },
                       kInvalid, "2010AA N401"},
        ClaimErrorCase{"billing_bad_state",
                       [](Claim& c) { c.billingProvider.address.state = "I1"; }, kInvalid,
                       "2010AA N402"},
        ClaimErrorCase{"billing_zip_5_digits",
                       [](Claim& c) { c.billingProvider.address.zip = "62701"; }, kInvalid,
                       "2010AA N403"},
        ClaimErrorCase{"billing_ein_short", [](Claim& c) { c.billingProvider.ein = "12-345"; },
                       kInvalid, "2010AA REF02"},
        // 2000B / 2010BA / 2010BB
        ClaimErrorCase{"sbr01_unknown", [](Claim& c) { c.subscriber.payerResponsibility = "X"; },
                       kInvalid, "2000B SBR01"},
        ClaimErrorCase{"subscriber_last_empty",
                       [](Claim& c) { c.subscriber.name.lastOrOrganization = ""; }, kInvalid,
                       "2010BA NM103"},
        ClaimErrorCase{"member_id_empty", [](Claim& c) { c.subscriber.memberId = ""; }, kInvalid,
                       "2010BA NM109"},
        ClaimErrorCase{"self_subscriber_no_address",
                       [](Claim& c) { c.subscriber.address = PostalAddress{}; }, kInvalid,
                       "2010BA N301"},
        ClaimErrorCase{"subscriber_zip_6_digits",
                       [](Claim& c) { c.subscriber.address.zip = "627041"; }, kInvalid,
                       "2010BA N403"},
        ClaimErrorCase{"self_subscriber_no_birth_date",
                       [](Claim& c) { c.subscriber.birthDate = ""; }, kInvalid, "2010BA DMG02"},
        ClaimErrorCase{"subscriber_bad_birth_date",
                       [](Claim& c) { c.subscriber.birthDate = "19801315"; }, kInvalid,
                       "2010BA DMG02"},
        ClaimErrorCase{"subscriber_bad_gender", [](Claim& c) { c.subscriber.gender = "X"; },
                       kInvalid, "2010BA DMG03"},
        ClaimErrorCase{"payer_name_empty", [](Claim& c) { c.payer.name = ""; }, kInvalid,
                       "2010BB NM103"},
        ClaimErrorCase{"payer_id_empty", [](Claim& c) { c.payer.payerId = ""; }, kInvalid,
                       "2010BB NM109"},
        // 2000C / 2010CA
        ClaimErrorCase{"pat01_unknown",
                       [](Claim& c) {
                         c.patient = dependant();
                         c.patient->relationshipCode = "18";
                       },
                       kInvalid, "2000C PAT01"},
        ClaimErrorCase{"patient_name_empty",
                       [](Claim& c) {
                         c.patient = dependant();
                         c.patient->name.lastOrOrganization = "";
                       },
                       kInvalid, "2010CA NM103"},
        ClaimErrorCase{"patient_no_address",
                       [](Claim& c) {
                         c.patient = dependant();
                         c.patient->address = PostalAddress{};
                       },
                       kInvalid, "2010CA N301"},
        ClaimErrorCase{"patient_no_birth_date",
                       [](Claim& c) {
                         c.patient = dependant();
                         c.patient->birthDate = "";
                       },
                       kInvalid, "2010CA DMG02"},
        // 2300
        ClaimErrorCase{"no_lines", [](Claim& c) { c.lines.clear(); }, kInvalid, "2400 LX"},
        ClaimErrorCase{"51_lines", [](Claim& c) { c.lines.resize(51, c.lines[0]); }, kInvalid,
                       "2400 LX"},
        ClaimErrorCase{"negative_charge", [](Claim& c) { c.lines[1].chargeCents = -1; }, kInvalid,
                       "2400 SV102"},
        ClaimErrorCase{"total_over_hipaa_cap",
                       [](Claim& c) {
                         c.lines[0].chargeCents = 6'000'000'000;
                         c.lines[1].chargeCents = 4'000'000'000;
                       },
                       kInvalid, "2300 CLM02"},
        ClaimErrorCase{"pos_one_digit", [](Claim& c) { c.placeOfService = "1"; }, kInvalid,
                       "2300 CLM05-1"},
        ClaimErrorCase{"frequency_empty", [](Claim& c) { c.frequencyCode = ""; }, kInvalid,
                       "2300 CLM05-3"},
        ClaimErrorCase{"frequency_interim_is_institutional",
                       [](Claim& c) { c.frequencyCode = "2"; }, kInvalid, "2300 CLM05-3"},
        ClaimErrorCase{"frequency_zero", [](Claim& c) { c.frequencyCode = "0"; }, kInvalid,
                       "2300 CLM05-3"},
        ClaimErrorCase{"replacement_without_f8", [](Claim& c) { c.frequencyCode = "7"; }, kInvalid,
                       "2300 REF*F8"},
        ClaimErrorCase{"void_with_blank_f8",
                       [](Claim& c) {
                         c.frequencyCode = "8";
                         c.payerClaimControlNumber = "~~";
                       },
                       kInvalid, "2300 REF*F8"},
        ClaimErrorCase{"clm06", [](Claim& c) { c.providerSignature = "X"; }, kInvalid,
                       "2300 CLM06"},
        ClaimErrorCase{"clm07", [](Claim& c) { c.assignment = "Y"; }, kInvalid, "2300 CLM07"},
        ClaimErrorCase{"clm08", [](Claim& c) { c.benefitsAssignment = "A"; }, kInvalid,
                       "2300 CLM08"},
        ClaimErrorCase{"clm09", [](Claim& c) { c.releaseOfInformation = "N"; }, kInvalid,
                       "2300 CLM09"},
        ClaimErrorCase{"no_diagnosis", [](Claim& c) { c.diagnoses.clear(); }, kInvalid,
                       "2300 HI01"},
        ClaimErrorCase{"13_diagnoses", [](Claim& c) { c.diagnoses.resize(13, "D801"); }, kInvalid,
                       "2300 HI"},
        ClaimErrorCase{"principal_too_short", [](Claim& c) { c.diagnoses[0] = "D8"; }, kInvalid,
                       "2300 HI01"},
        ClaimErrorCase{"second_dx_bad", [](Claim& c) { c.diagnoses.push_back("Z79.89912"); },
                       kInvalid, "2300 HI02"},
        // 2310B / 2310C
        ClaimErrorCase{"rendering_npi", [](Claim& c) { c.renderingProvider->npi = "1987654320"; },
                       kInvalid, "2310B NM109"},
        ClaimErrorCase{"rendering_taxonomy_spaces",
                       [](Claim& c) { c.renderingProvider->taxonomy = "   "; }, kInvalid,
                       "2310B PRV03"},
        ClaimErrorCase{"rendering_taxonomy_eleven_characters",
                       [](Claim& c) { c.renderingProvider->taxonomy = "207K00000XX"; }, kInvalid,
                       "2310B PRV03"},
        ClaimErrorCase{"billing_taxonomy_nine_characters",
                       [](Claim& c) { c.billingProvider.taxonomy = "261QI050X"; }, kInvalid,
                       "2000A PRV03"},
        ClaimErrorCase{"rendering_name",
                       [](Claim& c) { c.renderingProvider->name.lastOrOrganization = ""; },
                       kInvalid, "2310B NM103"},
        ClaimErrorCase{"facility_npi",
                       [](Claim& c) {
                         c.serviceFacility = billingProvider();
                         c.serviceFacility->npi = "12345";
                       },
                       kInvalid, "2310C NM109"},
        ClaimErrorCase{"facility_no_address",
                       [](Claim& c) {
                         c.serviceFacility = billingProvider();
                         c.serviceFacility->address = PostalAddress{};
                       },
                       kInvalid, "2310C N301"},
        // 2400 / 2410
        ClaimErrorCase{"procedure_empty", [](Claim& c) { c.lines[0].procedureCode = ":"; },
                       kInvalid, "2400 SV101-2"},
        ClaimErrorCase{"five_modifiers",
                       [](Claim& c) {
                         c.lines[2].modifiers = {"JZ", "KX", "59", "GA", "GY"};
                       },
                       kInvalid, "2400 SV101"},
        ClaimErrorCase{"modifier_one_char", [](Claim& c) { c.lines[2].modifiers = {"J"}; },
                       kInvalid, "2400 SV101-3"},
        ClaimErrorCase{"zero_units", [](Claim& c) { c.lines[0].units = 0; }, kInvalid,
                       "2400 SV104"},
        ClaimErrorCase{"no_pointer", [](Claim& c) { c.lines[0].diagnosisPointers.clear(); },
                       kInvalid, "2400 SV107"},
        ClaimErrorCase{"five_pointers",
                       [](Claim& c) {
                         c.diagnoses = {"D801", "Z79899", "E119", "I10", "J45909"};
                         c.lines[0].diagnosisPointers = {1, 2, 3, 4, 5};
                       },
                       kInvalid, "2400 SV107"},
        ClaimErrorCase{"pointer_past_hi", [](Claim& c) { c.lines[1].diagnosisPointers = {2}; },
                       kInvalid, "2400 SV107"},
        ClaimErrorCase{"pointer_zero", [](Claim& c) { c.lines[1].diagnosisPointers = {0}; },
                       kInvalid, "2400 SV107"},
        ClaimErrorCase{"bad_service_date", [](Claim& c) { c.lines[0].serviceDateFrom = "2025031"; },
                       kInvalid, "2400 DTP03"},
        ClaimErrorCase{"to_before_from", [](Claim& c) { c.lines[0].serviceDateTo = "20250309"; },
                       kInvalid, "2400 DTP03"},
        ClaimErrorCase{"ndc_short", [](Claim& c) { c.lines[2].drug->ndc11 = "1234-5678-90"; },
                       kInvalid, "2410 LIN03"},
        ClaimErrorCase{"ndc_quantity_zero", [](Claim& c) { c.lines[2].drug->quantity = "0"; },
                       kInvalid, "2410 CTP04"},
        ClaimErrorCase{"ndc_quantity_text", [](Claim& c) { c.lines[2].drug->quantity = "50 mL"; },
                       kInvalid, "2410 CTP04"},
        ClaimErrorCase{"ndc_unit", [](Claim& c) { c.lines[2].drug->unitCode = "MG"; }, kInvalid,
                       "2410 CTP05-1"},
        ClaimErrorCase{"institutional_claim", [](Claim& c) { c.form = ClaimForm::k837I; },
                       ErrorCode::kUnsupported, "2300 CLM"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(X12_837PClaimErrorMessages, NameTheLineAndNeverTheValue) {
  Claim claim = scigClaim();
  claim.lines[2].drug->unitCode = "MG";
  std::vector<Claim> claims{claim};
  auto result = X12_837PEmitter().emit(claims, scigEnvelope());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "claim INF20250310001: line 3: unit must be F2, GR, ME, ML or UN");

  claim = scigClaim();
  claim.subscriber.birthDate = "19801315";
  claims = {claim};
  result = X12_837PEmitter().emit(claims, scigEnvelope());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message.find("19801315"), std::string::npos);
}

TEST(X12_837PClaimErrorMessages, ClaimWithoutClm01IsNamedByPositionAndEncounter) {
  Claim good = scigClaim();
  Claim bad = scigClaim();
  bad.patientControlNumber = "*~";
  std::vector<Claim> claims{good, bad};
  expectEmitError(claims, scigEnvelope(), ErrorCode::kInvalidValue, "2300 CLM01",
                  "claim #2 (Encounter/enc-scig-1): ");
}

TEST(X12_837PClaimErrorMessages, TheFailingClaimIsNamedNotTheFirst) {
  Claim good = scigClaim();
  Claim bad = scigClaim();
  bad.patientControlNumber = "INF2";
  bad.lines[0].units = -3;
  std::vector<Claim> claims{good, bad};
  expectEmitError(claims, scigEnvelope(), ErrorCode::kInvalidValue, "2400 SV104",
                  "claim INF2: line 1: ");
}

// The TR3 allows at most 100 claims per 2000B: the 101st claim of a subscriber opens a second
// 2000B loop for the same subscriber instead of failing the interchange.
TEST(X12_837PClaimErrors, The101stClaimOfASubscriberOpensAnother2000B) {
  std::vector<Claim> claims(101, scigClaim());
  std::string out = emitChecked(claims, scigEnvelope());
  std::size_t subscriberLoops = 0;
  for (std::size_t pos = out.find("*22*"); pos != std::string::npos;
       pos = out.find("*22*", pos + 1)) {
    ++subscriberLoops;
  }
  EXPECT_EQ(subscriberLoops, 2u);
  EXPECT_NE(out.find("HL*3*1*22*0~"), std::string::npos) << "the second 2000B of the subscriber";
}

TEST(X12_837PClaimErrors, DependantOnlySubscriberNeedsNoAddressOrBirthDate) {
  Claim claim = scigClaim();
  claim.patient = dependant();
  claim.subscriber.address = PostalAddress{};
  claim.subscriber.birthDate = "";
  std::vector<Claim> claims{claim};
  std::string out = emitChecked(claims, scigEnvelope());
  EXPECT_NE(out.find("NM1*IL*1*DOE*JANE****MI*W123456789~\nNM1*PR*"), std::string::npos);
}

}  // namespace
}  // namespace fhir837::testing
