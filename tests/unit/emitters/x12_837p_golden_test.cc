// Byte-for-byte outputs of the 837P emitter. 837p_scig.x12 is the pyx12-validated example of
// x12-837-map.md §6.1 copied verbatim; the other fixtures are its §6.3 variants.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "unit/emitters/emitter_test_support.h"

namespace fhir837::testing {
namespace {

TEST(X12_837PGolden, ScigExampleMatchesTheValidatedDocumentExactly) {
  std::vector<Claim> claims{scigClaim()};
  std::string out = emitChecked(claims, scigEnvelope());
  expectMatchesFixture(out, "837p_scig.x12", /*frozen=*/true);
}

TEST(X12_837PGolden, SameInputGivesSameBytes) {
  std::vector<Claim> claims{scigClaim()};
  EXPECT_EQ(emitChecked(claims, scigEnvelope()), emitChecked(claims, scigEnvelope()));
}

TEST(X12_837PGolden, WithoutNewlinesOnlyTheLineBreaksDiffer) {
  std::vector<Claim> claims{scigClaim()};
  Envelope envelope = scigEnvelope();
  envelope.partner.newlineAfterSegment = false;
  std::string expected = readFile(emitterFixture("837p_scig.x12"));
  std::erase(expected, '\n');
  EXPECT_EQ(emitChecked(claims, envelope), expected);
}

TEST(X12_837PGolden, IsaIsExactly106CharactersAndPadsIds) {
  std::vector<Claim> claims{scigClaim()};
  Envelope envelope = scigEnvelope();
  envelope.partner.senderId = "S";
  envelope.partner.applicationSender = "SUBAPP";  // GS02 needs 2+ characters
  envelope.partner.receiverId = "R23456789012345";
  envelope.interchangeControlNumber = 7;
  envelope.transactionControlNumber = 123456;
  std::string out = emitChecked(claims, envelope);
  EXPECT_EQ(out.substr(0, 106),
            "ISA*00*          *00*          *ZZ*S              *ZZ*R23456789012345*250312*1030*^*"
            "00501*000000007*0*T*:~");
  EXPECT_NE(out.find("\nST*837*123456*005010X222A1~\n"), std::string::npos);
  EXPECT_NE(out.find("\nSE*34*123456~\nGE*1*101~\nIEA*1*000000007~\n"), std::string::npos);
}

TEST(X12_837PGolden, DependentPatientGetsA2000CLoop) {
  Claim claim = scigClaim();
  claim.patientControlNumber = "INF20250310003";
  PatientParty child;
  child.relationshipCode = "19";
  child.name = PartyName{.isPerson = true, .lastOrOrganization = "Doe", .first = "Jimmy"};
  child.address =
      PostalAddress{.line1 = "42 Elm St", .city = "Springfield", .state = "IL", .zip = "62704"};
  child.birthDate = "20150601";
  child.gender = "M";
  claim.patient = child;
  std::vector<Claim> claims{claim};
  std::string out = emitChecked(claims, scigEnvelope());
  EXPECT_NE(out.find("HL*2*1*22*1~\nSBR*P**GRP001******CI~\n"), std::string::npos);
  EXPECT_NE(out.find("HL*3*2*23*0~\nPAT*19~\nNM1*QC*1*DOE*JIMMY~\nN3*42 ELM ST~\n"
                     "N4*SPRINGFIELD*IL*62704~\nDMG*D8*20150601*M~\nCLM*INF20250310003*"),
            std::string::npos);
  expectMatchesFixture(out, "837p_dependent.x12");
}

// Replacement of an earlier claim: frequency 7 with REF*F8, prior auth, two diagnoses with
// pointers 1:2, a service facility, a multi-day line (RD8) and line control numbers.
Claim replacementClaim() {
  Claim claim = scigClaim();
  claim.patientControlNumber = "INF20250310002";
  claim.frequencyCode = "7";
  claim.payerClaimControlNumber = "PAYER-CLM-7781";
  claim.priorAuthorization = "PA445566";
  claim.diagnoses = {"D80.1", "Z79.899"};
  Provider facility;
  facility.name = PartyName{.isPerson = false, .lastOrOrganization = "Prairie Home Infusion Suite"};
  facility.npi = "1245319599";
  facility.address = PostalAddress{.line1 = "200 Oak Ave",
                                   .line2 = "Suite 4",
                                   .city = "Springfield",
                                   .state = "IL",
                                   .zip = "627021111"};
  claim.serviceFacility = facility;
  claim.lines[0].diagnosisPointers = {1, 2};
  claim.lines[0].lineItemControlNumber = "MedicationAdministration/ma1-1";
  claim.lines[2].serviceDateTo = "20250311";
  claim.lines[2].lineItemControlNumber = "ma1-3";
  return claim;
}

TEST(X12_837PGolden, ReplacementClaimCarriesF8AndTheOtherSituationalSegments) {
  std::vector<Claim> claims{replacementClaim()};
  std::string out = emitChecked(claims, scigEnvelope());
  EXPECT_NE(out.find("CLM*INF20250310002*8825***11:B:7*Y*A*Y*Y~\nREF*G1*PA445566~\n"
                     "REF*F8*PAYER-CLM-7781~\nHI*ABK:D801*ABF:Z79899~\n"),
            std::string::npos);
  EXPECT_NE(out.find("NM1*77*2*PRAIRIE HOME INFUSION SUITE*****XX*1245319599~\n"
                     "N3*200 OAK AVE*SUITE 4~\nN4*SPRINGFIELD*IL*627021111~\n"),
            std::string::npos);
  EXPECT_NE(out.find("SV1*HC:96369*250*UN*1***1:2~\nDTP*472*D8*20250310~\n"
                     "REF*6R*MEDICATIONADMINISTRATION/MA1-1~\n"),
            std::string::npos);
  EXPECT_NE(out.find("DTP*472*RD8*20250310-20250311~\nREF*6R*MA1-3~\nLIN**N4*12345678901~\n"),
            std::string::npos);
  expectMatchesFixture(out, "837p_replacement.x12");
}

TEST(X12_837PGolden, VoidAlsoNeedsAndWritesF8) {
  Claim claim = replacementClaim();
  claim.frequencyCode = "8";
  std::vector<Claim> claims{claim};
  std::string out = emitChecked(claims, scigEnvelope());
  EXPECT_NE(out.find("*11:B:8*Y*A*Y*Y~\nREF*G1*PA445566~\nREF*F8*PAYER-CLM-7781~\n"),
            std::string::npos);
}

TEST(X12_837PGolden, AmountsDropTrailingZerosAndKeepCents) {
  Claim claim = scigClaim();
  claim.lines[0].chargeCents = 25050;   // 250.5
  claim.lines[1].chargeCents = 5;       // 0.05
  claim.lines[2].chargeCents = 850025;  // 8500.25
  std::vector<Claim> claims{claim};
  std::string out = emitChecked(claims, scigEnvelope());
  EXPECT_NE(out.find("CLM*INF20250310001*8750.8***"), std::string::npos);
  EXPECT_NE(out.find("SV1*HC:96369*250.5*UN*1***1~"), std::string::npos);
  EXPECT_NE(out.find("SV1*HC:96370*0.05*UN*1***1~"), std::string::npos);
  EXPECT_NE(out.find("SV1*HC:J1559:JZ*8500.25*UN*100***1~"), std::string::npos);
}

// Two billing providers, two subscribers, a dependant and claims in interleaved input order:
// HL numbers follow file order, groups follow first appearance.
TEST(X12_837PGolden, TwoBillingProvidersAndTwoSubscribersNumberHlsInFileOrder) {
  Claim janeAtPrairie = scigClaim();
  Claim bobAtPrairie = scigClaim();
  bobAtPrairie.patientControlNumber = "INF20250310010";
  bobAtPrairie.subscriber.name.first = "Bob";
  bobAtPrairie.subscriber.memberId = "W987654321";
  bobAtPrairie.subscriber.birthDate = "19751102";
  bobAtPrairie.subscriber.gender = "M";
  Claim janeAtLakeside = scigClaim();
  janeAtLakeside.patientControlNumber = "INF20250310020";
  janeAtLakeside.billingProvider.name.lastOrOrganization = "Lakeside Clinic";
  janeAtLakeside.billingProvider.npi = "1003000126";
  janeAtLakeside.billingProvider.taxonomy.clear();
  janeAtLakeside.billingProvider.ein = "371112222";
  Claim janeAgainAtPrairie = scigClaim();
  janeAgainAtPrairie.patientControlNumber = "INF20250311001";
  janeAgainAtPrairie.lines.resize(1);
  Claim bobsChildAtPrairie = bobAtPrairie;
  bobsChildAtPrairie.patientControlNumber = "INF20250310011";
  bobsChildAtPrairie.patient =
      PatientParty{.relationshipCode = "19",
                   .name = PartyName{.isPerson = true, .lastOrOrganization = "Doe", .first = "Sam"},
                   .address = janeDoe().address,
                   .birthDate = "20120304",
                   .gender = "U"};
  std::vector<Claim> claims{janeAtPrairie, bobAtPrairie, janeAtLakeside, janeAgainAtPrairie,
                            bobsChildAtPrairie};
  std::string out = emitChecked(claims, scigEnvelope());

  std::vector<std::string> hls;
  for (std::size_t pos = out.find("HL*"); pos != std::string::npos;
       pos = out.find("HL*", pos + 1)) {
    hls.push_back(out.substr(pos, out.find('~', pos) - pos));
  }
  // Bob's own claim and his child's claim sit in separate 2000B loops (SBR02 18 vs a 2000C).
  EXPECT_EQ(hls,
            (std::vector<std::string>{"HL*1**20*1", "HL*2*1*22*0", "HL*3*1*22*0", "HL*4*1*22*1",
                                      "HL*5*4*23*0", "HL*6**20*1", "HL*7*6*22*0"}));
  std::vector<std::string> clm01s;
  for (std::size_t pos = out.find("CLM*"); pos != std::string::npos;
       pos = out.find("CLM*", pos + 1)) {
    clm01s.push_back(out.substr(pos + 4, out.find('*', pos + 4) - pos - 4));
  }
  EXPECT_EQ(clm01s, (std::vector<std::string>{"INF20250310001", "INF20250311001", "INF20250310010",
                                              "INF20250310011", "INF20250310020"}));
  expectMatchesFixture(out, "837p_two_providers.x12");
}

TEST(X12_837PGolden, ValuesAreSanitisedAndTruncated) {
  Claim claim = scigClaim();
  claim.subscriber.name.lastOrOrganization = "O*Brien~ISA";
  claim.subscriber.name.first = "Zoë\r\nAnn";
  claim.subscriber.name.middle = std::string(40, 'm');
  claim.billingProvider.address.line1 = "100 Main St:^ Floor 2";
  claim.patientControlNumber = "inf-2025:0310*0001-extra-long";
  std::vector<Claim> claims{claim};
  std::string out = emitChecked(claims, scigEnvelope());
  EXPECT_NE(out.find("NM1*IL*1*O BRIEN ISA*ZOE ANN*" + std::string(25, 'M') + "***MI*W123456789~"),
            std::string::npos);
  EXPECT_NE(out.find("N3*100 MAIN ST FLOOR 2~"), std::string::npos);
  EXPECT_NE(out.find("CLM*INF-2025 0310 0001-E*8825***"), std::string::npos);
}

}  // namespace
}  // namespace fhir837::testing
