#pragma once

// The x12-837-map.md §6.1 scenario as model values, for the emitter tests. Header-only because
// the test area compiles only *_test.cc files.

#include <filesystem>
#include <string>

#include "model/claim.h"
#include "support/test_paths.h"

namespace fhir837::testing {

inline Envelope scigEnvelope() {
  Envelope envelope;
  TradingPartner& p = envelope.partner;
  p.senderQualifier = "ZZ";
  p.senderId = "SUB12345";
  p.receiverQualifier = "ZZ";
  p.receiverId = "RCV67890";
  p.usageIndicator = "T";
  p.acknowledgmentRequested = "0";
  p.submitterName = "Example Billing Service";
  p.submitterId = "SUB12345";
  p.submitterContactName = "Billing Desk";
  p.submitterPhone = "(217) 555-0100";
  p.receiverName = "Example Clearinghouse";
  p.receiverIdCode = "RCV67890";
  p.newlineAfterSegment = true;
  envelope.interchangeControlNumber = 101;
  envelope.groupControlNumber = 101;
  envelope.transactionControlNumber = 1;
  envelope.date = "20250312";
  envelope.time = "1030";
  envelope.batchReference = "0001";
  return envelope;
}

inline ServiceLine scigLine(std::string code, std::int64_t cents, std::int64_t units) {
  ServiceLine line;
  line.procedureCode = std::move(code);
  line.chargeCents = cents;
  line.units = units;
  line.serviceDateFrom = "20250310";
  line.serviceDateTo = "20250310";
  line.diagnosisPointers = {1};
  return line;
}

inline Provider billingProvider() {
  Provider billing;
  billing.name = PartyName{.isPerson = false, .lastOrOrganization = "Prairie Infusion Center"};
  billing.npi = "1234567893";
  billing.taxonomy = "261QI0500X";
  billing.ein = "37-1234567";
  billing.address = PostalAddress{
      .line1 = "100 Main St", .city = "Springfield", .state = "IL", .zip = "627011234"};
  return billing;
}

inline Subscriber janeDoe() {
  Subscriber subscriber;
  subscriber.name = PartyName{.isPerson = true, .lastOrOrganization = "Doe", .first = "Jane"};
  subscriber.memberId = "W123456789";
  subscriber.payerResponsibility = "P";
  subscriber.groupNumber = "GRP001";
  subscriber.claimFilingIndicator = "CI";
  subscriber.address =
      PostalAddress{.line1 = "42 Elm St", .city = "Springfield", .state = "IL", .zip = "62704"};
  subscriber.birthDate = "19800115";
  subscriber.gender = "F";
  return subscriber;
}

inline Claim scigClaim() {
  Claim claim;
  claim.form = ClaimForm::k837P;
  claim.patientControlNumber = "INF20250310001";
  claim.placeOfService = "11";
  claim.diagnoses = {"D80.1"};
  claim.billingProvider = billingProvider();
  Provider rendering;
  rendering.name = PartyName{.isPerson = true, .lastOrOrganization = "Smith", .first = "John"};
  rendering.npi = "1987654328";
  rendering.taxonomy = "207K00000X";
  claim.renderingProvider = rendering;
  claim.subscriber = janeDoe();
  claim.payer = Payer{.name = "Example Health Plan", .payerId = "12345"};
  claim.lines.push_back(scigLine("96369", 25000, 1));
  claim.lines.push_back(scigLine("96370", 7500, 1));
  ServiceLine drug = scigLine("J1559", 850000, 100);
  drug.modifiers = {"JZ"};
  drug.drug = DrugIdentification{.ndc11 = "12345678901", .quantity = "50", .unitCode = "ML"};
  claim.lines.push_back(drug);
  claim.sourceEncounterId = "Encounter/enc-scig-1";
  return claim;
}

inline std::filesystem::path emitterFixture(const std::string& name) {
  return sourceDir() / "tests" / "unit" / "emitters" / "fixtures" / name;
}

}  // namespace fhir837::testing
