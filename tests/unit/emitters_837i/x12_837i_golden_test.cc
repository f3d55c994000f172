// Byte-for-byte outputs of the 837I emitter. 837i_scig.x12 is the pyx12-validated example of
// x12-837-map.md §6.2 (body verbatim, ISA/GS/GE/IEA following §6.1's pattern with ISA13 102);
// the other fixtures are variants written by the emitter and reviewed.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "unit/emitters_837i/institutional_test_support.h"

namespace fhir837::testing {
namespace {

// Segments of `text` with the given id, without terminators.
std::vector<std::string> segmentsWithId(const std::string& text, const std::string& id) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('~', start);
    if (end == std::string::npos) break;
    std::string segment = text.substr(start, end - start);
    if (!segment.empty() && segment.front() == '\n') segment.erase(0, 1);
    if (segment.rfind(id + "*", 0) == 0) out.push_back(segment);
    start = end + 1;
  }
  return out;
}

TEST(X12_837IGolden, ScigExampleMatchesTheValidatedDocumentExactly) {
  std::vector<Claim> claims{institutionalClaim()};
  std::string out = emitInstitutional(claims, institutionalEnvelope());
  expectMatchesInstitutionalFixture(out, "837i_scig.x12", /*frozen=*/true);
}

// The document's hand check, recomputed from the output rather than trusted.
TEST(X12_837IGolden, ScigExamplePassesTheDocumentsHandCheck) {
  std::vector<Claim> claims{institutionalClaim()};
  std::string out = emitInstitutional(claims, institutionalEnvelope());
  std::size_t st = out.find("ST*837*");
  std::size_t se = out.find("\nSE*");
  ASSERT_NE(st, std::string::npos);
  ASSERT_NE(se, std::string::npos);
  std::size_t segments = 1;  // SE itself
  for (std::size_t i = st; i < se; ++i) segments += out[i] == '~' ? 1 : 0;
  EXPECT_EQ(segments, 35u);
  EXPECT_EQ(segmentsWithId(out, "SE"), std::vector<std::string>{"SE*35*0001"});
  EXPECT_EQ(segmentsWithId(out, "CLM"),
            std::vector<std::string>{"CLM*INF20250310002*9375***13:A:1**A*Y*Y"});
  EXPECT_EQ(segmentsWithId(out, "SV2"),
            (std::vector<std::string>{"SV2*0260*HC:96369*400*UN*1", "SV2*0260*HC:96370*150*UN*1",
                                      "SV2*0636*HC:J1559:JZ*8825*UN*100"}));
  EXPECT_EQ(out.substr(0, 106).size(), 106u);
  EXPECT_EQ(out.find("ISA*"), 0u);
  EXPECT_EQ(out[105], '~');
  EXPECT_NE(out.find("\nGS*HC*SUB12345*RCV67890*20250312*1030*102*X*005010X223A2~\n"
                     "ST*837*0001*005010X223A2~\n"),
            std::string::npos);
}

TEST(X12_837IGolden, SameInputGivesSameBytesAndNewlinesAreOptional) {
  std::vector<Claim> claims{institutionalClaim()};
  std::string first = emitInstitutional(claims, institutionalEnvelope());
  EXPECT_EQ(first, emitInstitutional(claims, institutionalEnvelope()));
  Envelope envelope = institutionalEnvelope();
  envelope.partner.newlineAfterSegment = false;
  std::erase(first, '\n');
  EXPECT_EQ(emitInstitutional(claims, envelope), first);
}

TEST(X12_837IGolden, DependentPatientGetsA2000CLoop) {
  Claim claim = institutionalClaim();
  claim.patientControlNumber = "INF20250310004";
  claim.patient = PatientParty{
      .relationshipCode = "19",
      .name = PartyName{.isPerson = true, .lastOrOrganization = "Doe", .first = "Jimmy"},
      .address = janeDoe().address,
      .birthDate = "20150601",
      .gender = "M"};
  std::vector<Claim> claims{claim};
  std::string out = emitInstitutional(claims, institutionalEnvelope());
  EXPECT_NE(out.find("HL*2*1*22*1~\nSBR*P**GRP001******CI~\nNM1*IL*1*DOE*JANE****MI*W123456789~\n"),
            std::string::npos);
  EXPECT_NE(out.find("HL*3*2*23*0~\nPAT*19~\nNM1*QC*1*DOE*JIMMY~\nN3*42 ELM ST~\n"
                     "N4*SPRINGFIELD*IL*62704~\nDMG*D8*20150601*M~\n"
                     "CLM*INF20250310004*9375***13:A:1**A*Y*Y~\nDTP*434*RD8*20250310-20250310~\n"),
            std::string::npos);
  expectMatchesInstitutionalFixture(out, "837i_dependent.x12");
}

// Principal diagnosis plus 13 others: ABK alone, then 12 ABF, then 1 ABF.
TEST(X12_837IGolden, OtherDiagnosesGoTwelvePerSegmentAfterThePrincipal) {
  Claim claim = institutionalClaim();
  claim.diagnoses = {"D80.1"};
  for (int i = 0; i < 13; ++i) claim.diagnoses.push_back("Z79." + std::to_string(810 + i));
  std::vector<Claim> claims{claim};
  std::string out = emitInstitutional(claims, institutionalEnvelope());
  std::vector<std::string> hi = segmentsWithId(out, "HI");
  ASSERT_EQ(hi.size(), 3u);
  EXPECT_EQ(hi[0], "HI*ABK:D801");
  EXPECT_EQ(hi[1],
            "HI*ABF:Z79810*ABF:Z79811*ABF:Z79812*ABF:Z79813*ABF:Z79814*ABF:Z79815*ABF:Z79816*"
            "ABF:Z79817*ABF:Z79818*ABF:Z79819*ABF:Z79820*ABF:Z79821");
  EXPECT_EQ(hi[2], "HI*ABF:Z79822");
  EXPECT_NE(out.find("HI*ABF:Z79822~\nNM1*71*"), std::string::npos);
}

TEST(X12_837IGolden, ExactlyTwelveOthersFitOneSegmentAndTwentyFourFitTwo) {
  Claim claim = institutionalClaim();
  claim.diagnoses.assign(13, "E11.9");
  std::vector<Claim> claims{claim};
  std::vector<std::string> hi =
      segmentsWithId(emitInstitutional(claims, institutionalEnvelope()), "HI");
  ASSERT_EQ(hi.size(), 2u);
  EXPECT_EQ(hi[1].size(), std::string("HI").size() + 12 * std::string("*ABF:E119").size());

  claims[0].diagnoses.assign(25, "E11.9");
  hi = segmentsWithId(emitInstitutional(claims, institutionalEnvelope()), "HI");
  ASSERT_EQ(hi.size(), 3u);
  EXPECT_EQ(hi[1], hi[2]);
}

// Replacement (frequency 7) with REF*F8 and the other situational pieces: prior auth, attending
// taxonomy, service facility, a multi-day line inside a multi-day statement period, line control
// numbers, a revenue-code-only line and cents.
Claim replacementClaim() {
  Claim claim = institutionalClaim();
  claim.patientControlNumber = "INF20250310005";
  claim.frequencyCode = "7";
  claim.payerClaimControlNumber = "PAYER-CLM-9912";
  claim.priorAuthorization = "PA778899";
  claim.statementTo = "20250311";
  claim.diagnoses = {"D80.1", "Z79.899"};
  claim.attendingProvider->taxonomy = "207K00000X";
  Provider facility;
  facility.name = PartyName{.isPerson = false, .lastOrOrganization = "Springfield Infusion Suite"};
  facility.npi = "1245319599";
  facility.address = PostalAddress{.line1 = "810 Hospital Dr",
                                   .line2 = "Suite 2",
                                   .city = "Springfield",
                                   .state = "IL",
                                   .zip = "62702"};
  claim.serviceFacility = facility;
  claim.lines[1].chargeCents = 15050;
  claim.lines[0].lineItemControlNumber = "ma2-1";
  claim.lines[2].serviceDateTo = "20250311";
  claim.lines[2].lineItemControlNumber = "ma2-3";
  ServiceLine supplies = institutionalLine("0270", "", 1250, 2);
  claim.lines.push_back(supplies);
  return claim;
}

TEST(X12_837IGolden, TaxonomyIsSanitisedToUpperCase) {
  Claim claim = institutionalClaim();
  claim.attendingProvider->taxonomy = "207k00000x";
  std::vector<Claim> claims{claim};
  EXPECT_NE(emitInstitutional(claims, institutionalEnvelope())
                .find("NM1*71*1*SMITH*JOHN****XX*1987654328~\nPRV*AT*PXC*207K00000X~\nLX*1~"),
            std::string::npos);
}

TEST(X12_837IGolden, ReplacementClaimCarriesF8AndTheSituationalSegments) {
  std::vector<Claim> claims{replacementClaim()};
  std::string out = emitInstitutional(claims, institutionalEnvelope());
  EXPECT_NE(out.find("CLM*INF20250310005*9388***13:A:7**A*Y*Y~\n"
                     "DTP*434*RD8*20250310-20250311~\nCL1**1*01~\nREF*G1*PA778899~\n"
                     "REF*F8*PAYER-CLM-9912~\nHI*ABK:D801~\nHI*ABF:Z79899~\n"
                     "NM1*71*1*SMITH*JOHN****XX*1987654328~\nPRV*AT*PXC*207K00000X~\n"
                     "NM1*77*2*SPRINGFIELD INFUSION SUITE*****XX*1245319599~\n"
                     "N3*810 HOSPITAL DR*SUITE 2~\nN4*SPRINGFIELD*IL*62702~\nLX*1~\n"),
            std::string::npos);
  EXPECT_NE(out.find("SV2*0260*HC:96369*400*UN*1~\nDTP*472*D8*20250310~\nREF*6R*MA2-1~\n"),
            std::string::npos);
  EXPECT_NE(out.find("SV2*0260*HC:96370*150.5*UN*1~\n"), std::string::npos);
  EXPECT_NE(out.find("DTP*472*RD8*20250310-20250311~\nREF*6R*MA2-3~\nLIN**N4*12345678901~\n"),
            std::string::npos);
  EXPECT_NE(out.find("LX*4~\nSV2*0270**12.5*UN*2~\nDTP*472*D8*20250310~\n"), std::string::npos);
  expectMatchesInstitutionalFixture(out, "837i_replacement.x12");
}

TEST(X12_837IGolden, VoidAlsoWritesF8) {
  Claim claim = replacementClaim();
  claim.frequencyCode = "8";
  std::vector<Claim> claims{claim};
  std::string out = emitInstitutional(claims, institutionalEnvelope());
  EXPECT_NE(out.find("*13:A:8**A*Y*Y~\n"), std::string::npos);
  EXPECT_NE(out.find("REF*G1*PA778899~\nREF*F8*PAYER-CLM-9912~\n"), std::string::npos);
}

TEST(X12_837IGolden, OriginalClaimNeverWritesF8EvenWhenKnown) {
  Claim claim = institutionalClaim();
  claim.payerClaimControlNumber = "PAYER-CLM-9912";
  std::vector<Claim> claims{claim};
  EXPECT_EQ(emitInstitutional(claims, institutionalEnvelope()).find("REF*F8"), std::string::npos);
}

TEST(X12_837IGolden, InpatientAdmissionTypeFillsCl101AndOmittedSourceLeavesCl102Empty) {
  Claim claim = institutionalClaim();
  claim.facilityTypeCode = "11";
  claim.admissionType = "3";
  claim.admissionSource = "";
  std::vector<Claim> claims{claim};
  std::string out = emitInstitutional(claims, institutionalEnvelope());
  EXPECT_NE(out.find("CLM*INF20250310002*9375***11:A:1**A*Y*Y~\nDTP*434*RD8*20250310-20250310~\n"
                     "CL1*3**01~\n"),
            std::string::npos);
}

TEST(X12_837IGolden, StatementToDefaultsToFromForOneDay) {
  Claim claim = institutionalClaim();
  claim.statementTo = "";
  std::vector<Claim> claims{claim};
  EXPECT_NE(
      emitInstitutional(claims, institutionalEnvelope()).find("DTP*434*RD8*20250310-20250310~"),
      std::string::npos);
}

TEST(X12_837IGolden, NineHundredNinetyNineLinesAreAccepted) {
  Claim claim = institutionalClaim();
  claim.lines.resize(999, claim.lines[0]);
  std::vector<Claim> claims{claim};
  std::string out = emitInstitutional(claims, institutionalEnvelope());
  EXPECT_NE(out.find("CLM*INF20250310002*407775***"), std::string::npos);  // 400*997+150+8825
  EXPECT_NE(out.find("\nLX*999~\nSV2*0260*HC:96369*400*UN*1~\n"), std::string::npos);
}

TEST(X12_837IGolden, ValuesAreSanitised) {
  Claim claim = institutionalClaim();
  claim.attendingProvider->name.lastOrOrganization = "O*Brien~";
  claim.attendingProvider->name.first = "Zoë\r\n";
  claim.patientControlNumber = "inf:2025*0310^x";
  claim.lines[0].revenueCode = " 0260 ";
  std::vector<Claim> claims{claim};
  std::string out = emitInstitutional(claims, institutionalEnvelope());
  EXPECT_NE(out.find("NM1*71*1*O BRIEN*ZOE****XX*1987654328~"), std::string::npos);
  EXPECT_NE(out.find("CLM*INF 2025 0310 X*9375***"), std::string::npos);
  EXPECT_NE(out.find("SV2*0260*HC:96369*400*UN*1~"), std::string::npos);
}

}  // namespace
}  // namespace fhir837::testing
