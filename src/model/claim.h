#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/trail.h"

namespace fhir837 {

// The claim as the emitters need it: already coded, already validated, X12-neutral values (no
// delimiters escaping is done here; the emitter sanitises every value it writes). Dates are
// CCYYMMDD strings; money is integer cents; codes are plain strings.

enum class ClaimForm { k837P, k837I };

struct PartyName {
  bool isPerson = false;
  std::string lastOrOrganization;  // NM103
  std::string first, middle, suffix;
  bool operator==(const PartyName&) const = default;
};

struct PostalAddress {
  std::string line1, line2, city, state, zip;  // zip: 5 or 9 digits, no hyphen
  bool operator==(const PostalAddress&) const = default;
  bool empty() const { return line1.empty() && city.empty(); }
};

struct Provider {
  PartyName name;
  std::string npi;       // 10 digits
  std::string taxonomy;  // NUCC, optional (PRV)
  std::string ein;       // 9 digits, billing provider only (REF*EI)
  PostalAddress address;
  bool operator==(const Provider&) const = default;
};

struct Subscriber {
  PartyName name;
  std::string memberId;            // NM109 (MI)
  std::string payerResponsibility = "P";  // SBR01
  std::string groupNumber;         // SBR03
  std::string groupName;           // SBR04 (only without SBR03)
  std::string claimFilingIndicator;  // SBR09
  PostalAddress address;
  std::string birthDate;  // CCYYMMDD
  std::string gender;     // F/M/U
  bool operator==(const Subscriber&) const = default;
};

// Present only when the patient is not the subscriber (2000C loop).
struct PatientParty {
  std::string relationshipCode;  // PAT01: 01 spouse, 19 child, 53 life partner, G8 other
  PartyName name;
  PostalAddress address;
  std::string birthDate;
  std::string gender;
  bool operator==(const PatientParty&) const = default;
};

struct Payer {
  std::string name;
  std::string payerId;  // NM109 (PI)
  bool operator==(const Payer&) const = default;
};

struct DrugIdentification {
  std::string ndc11;     // LIN03, 11 digits
  std::string quantity;  // CTP04, decimal lexeme without trailing zeros
  std::string unitCode;  // CTP05-1: F2, GR, ME, ML, UN
  bool operator==(const DrugIdentification&) const = default;
};

struct ServiceLine {
  std::string procedureCode;            // CPT/HCPCS
  std::vector<std::string> modifiers;   // at most 4, in emission order
  std::int64_t units = 1;               // SV104 / SV205
  std::int64_t chargeCents = 0;         // SV102 / SV203
  std::string revenueCode;              // 837I SV201
  std::string serviceDateFrom;          // CCYYMMDD
  std::string serviceDateTo;            // CCYYMMDD; equal to From for one day
  std::vector<int> diagnosisPointers;   // 1-based into Claim::diagnoses, at most 4
  std::optional<DrugIdentification> drug;
  std::string lineItemControlNumber;    // REF*6R, optional
  std::string sourceEventId;            // e.g. "MedicationAdministration/ma1"
  Trail trail;
  bool operator==(const ServiceLine&) const = default;
};

struct Claim {
  ClaimForm form = ClaimForm::k837P;
  std::string patientControlNumber;  // CLM01, <= 20 chars
  std::string placeOfService;        // 837P CLM05-1
  std::string facilityTypeCode;      // 837I CLM05-1 (TOB digits 2-3)
  std::string frequencyCode = "1";   // CLM05-3: 1 original, 7 replacement, 8 void
  std::string payerClaimControlNumber;  // REF*F8, required for frequency 7/8
  std::string priorAuthorization;       // REF*G1
  std::string providerSignature = "Y";  // CLM06 (837P only)
  std::string assignment = "A";         // CLM07
  std::string benefitsAssignment = "Y"; // CLM08
  std::string releaseOfInformation = "Y";  // CLM09
  std::vector<std::string> diagnoses;   // ICD-10-CM without dot; [0] is principal (ABK)
  Provider billingProvider;
  std::optional<Provider> renderingProvider;   // 837P 2310B
  std::optional<Provider> attendingProvider;   // 837I 2310A
  std::optional<Provider> serviceFacility;     // 2310C (837P) / 2310E (837I)
  Subscriber subscriber;
  std::optional<PatientParty> patient;
  Payer payer;
  std::string statementFrom, statementTo;  // 837I DTP*434
  std::string admissionType;               // 837I CL101 (inpatient only)
  std::string admissionSource;             // 837I CL102
  std::string patientStatus = "01";        // 837I CL103
  std::vector<ServiceLine> lines;
  std::string sourceEncounterId;  // e.g. "Encounter/enc1", for reports
  bool operator==(const Claim&) const = default;

  std::int64_t totalChargeCents() const {
    std::int64_t total = 0;
    for (const auto& line : lines) total += line.chargeCents;
    return total;
  }
};

// Trading-partner settings that go into the envelope and the 1000A/1000B loops.
struct TradingPartner {
  std::string senderQualifier = "ZZ", senderId;      // ISA05/06
  std::string receiverQualifier = "ZZ", receiverId;  // ISA07/08
  std::string applicationSender, applicationReceiver;  // GS02/03
  std::string usageIndicator = "T";                  // ISA15: T test, P production
  std::string acknowledgmentRequested = "0";         // ISA14
  std::string submitterName, submitterId;            // 1000A NM103/NM109
  std::string submitterContactName, submitterPhone, submitterEmail;  // 1000A PER
  std::string receiverName, receiverIdCode;          // 1000B NM103/NM109
  bool newlineAfterSegment = true;                   // "~\n" vs "~"
  bool operator==(const TradingPartner&) const = default;
};

// Everything an emitter needs besides the claims: identity, control numbers and the clock, all
// decided by the caller so the emitter stays pure and deterministic.
struct Envelope {
  TradingPartner partner;
  std::uint64_t interchangeControlNumber = 0;  // ISA13/IEA02 (1..999999999)
  std::uint64_t groupControlNumber = 0;        // GS06/GE02
  std::uint64_t transactionControlNumber = 0;  // ST02/SE02 of the first set (zero-padded to 4)
  std::string date;  // CCYYMMDD, creation date (GS04, BHT04; ISA09 takes YYMMDD from it)
  std::string time;  // HHMM (ISA10, GS05, BHT05)
  std::string batchReference;  // BHT03
  bool operator==(const Envelope&) const = default;
};

}  // namespace fhir837
