#pragma once

// The x12-837-map.md §6.2 scenario as model values and the shared assertions of the 837I emitter
// tests (header-only: the area compiles only *_test.cc files). Envelope, subscriber and the
// Luhn-valid NPIs are those of §6.1, reused from the 837P test builders.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <span>
#include <string>

#include "emitters/emitter.h"
#include "emitters/x12_common/x12_structure_check.h"
#include "model/claim.h"
#include "support/test_paths.h"
#include "support/x12_validation.h"
#include "unit/emitters/scig_claim_builder.h"

namespace fhir837::testing {

inline Envelope institutionalEnvelope() {
  Envelope envelope = scigEnvelope();
  envelope.interchangeControlNumber = 102;
  envelope.groupControlNumber = 102;
  envelope.transactionControlNumber = 1;
  envelope.batchReference = "0002";
  return envelope;
}

inline ServiceLine institutionalLine(std::string revenueCode, std::string code, std::int64_t cents,
                                     std::int64_t units) {
  ServiceLine line;
  line.revenueCode = std::move(revenueCode);
  line.procedureCode = std::move(code);
  line.chargeCents = cents;
  line.units = units;
  line.serviceDateFrom = "20250310";
  line.serviceDateTo = "20250310";
  return line;
}

inline Provider hospital() {
  Provider billing;
  billing.name = PartyName{.isPerson = false, .lastOrOrganization = "Springfield General Hospital"};
  billing.npi = "1555555550";
  billing.taxonomy = "282N00000X";
  billing.ein = "371112222";
  billing.address = PostalAddress{
      .line1 = "800 Hospital Dr", .city = "Springfield", .state = "IL", .zip = "62702-9999"};
  return billing;
}

// Hospital outpatient (TOB 0131) SCIG infusion of §6.2.
inline Claim institutionalClaim() {
  Claim claim;
  claim.form = ClaimForm::k837I;
  claim.patientControlNumber = "INF20250310002";
  claim.facilityTypeCode = "13";
  claim.frequencyCode = "1";
  claim.statementFrom = "20250310";
  claim.statementTo = "20250310";
  claim.admissionSource = "1";
  claim.patientStatus = "01";
  claim.diagnoses = {"D80.1"};
  claim.billingProvider = hospital();
  Provider attending;
  attending.name = PartyName{.isPerson = true, .lastOrOrganization = "Smith", .first = "John"};
  attending.npi = "1987654328";
  claim.attendingProvider = attending;
  claim.subscriber = janeDoe();
  claim.payer = Payer{.name = "Example Health Plan", .payerId = "12345"};
  claim.lines.push_back(institutionalLine("0260", "96369", 40000, 1));
  claim.lines.push_back(institutionalLine("0260", "96370", 15000, 1));
  ServiceLine drug = institutionalLine("0636", "J1559", 882500, 100);
  drug.modifiers = {"JZ"};
  drug.drug = DrugIdentification{.ndc11 = "12345678901", .quantity = "50", .unitCode = "ML"};
  claim.lines.push_back(drug);
  claim.sourceEncounterId = "Encounter/enc-scig-2";
  return claim;
}

inline std::filesystem::path institutionalFixture(const std::string& name) {
  return sourceDir() / "tests" / "unit" / "emitters_837i" / "fixtures" / name;
}

// Emits, asserts success, the structural self-check and the guide validator, returns the text.
inline std::string emitInstitutional(std::span<const Claim> claims, const Envelope& envelope) {
  auto result = X12_837IEmitter().emit(claims, envelope);
  if (!result) {
    ADD_FAILURE() << "emit failed: " << result.error().describe();
    return {};
  }
  Status structure = x12::checkStructure(*result);
  EXPECT_TRUE(structure) << (structure ? "" : structure.error().describe());
  EXPECT_TRUE(isValid837(*result));
  return *result;
}

// Byte-for-byte comparison. FHIR837_UPDATE_GOLDEN=1 rewrites a non-frozen fixture instead (review
// the diff); the fixture copied from the document never rewrites.
inline void expectMatchesInstitutionalFixture(const std::string& actual, const std::string& name,
                                              bool frozen = false) {
  auto path = institutionalFixture(name);
  const char* update = std::getenv("FHIR837_UPDATE_GOLDEN");
  if (!frozen && update != nullptr && std::string(update) == "1") {
    writeFile(path, actual);
    return;
  }
  EXPECT_EQ(actual, readFile(path)) << "fixture " << path;
}

// Exact code and where, and the message starts by naming the claim.
inline void expectInstitutionalError(std::span<const Claim> claims, const Envelope& envelope,
                                     ErrorCode code, const std::string& where,
                                     const std::string& messagePrefix) {
  auto result = X12_837IEmitter().emit(claims, envelope);
  ASSERT_FALSE(result) << "expected an error at " << where;
  EXPECT_EQ(result.error().code, code) << result.error().describe();
  EXPECT_EQ(result.error().where, where) << result.error().describe();
  EXPECT_EQ(result.error().message.rfind(messagePrefix, 0), 0u) << result.error().describe();
}

}  // namespace fhir837::testing
