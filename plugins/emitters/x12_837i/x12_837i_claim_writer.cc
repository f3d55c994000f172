#include "emitters/x12_837i/x12_837i_claim_writer.h"

#include <string>
#include <vector>

#include "emitters/x12_837i/x12_837i_line_writer.h"
#include "emitters/x12_common/x12_claim_checks.h"
#include "emitters/x12_common/x12_format.h"
#include "emitters/x12_common/x12_party_writer.h"
#include "emitters/x12_common/x12_sanitizer.h"
#include "emitters/x12_common/x12_service_line.h"

namespace fhir837::x12 {

namespace {

bool isDigitOrUpper(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); }

// Type of bill digits 2-3; a 0 in either place is not a valid NUBC code (Stedi, map §3).
bool isFacilityTypeCode(std::string_view code) {
  return code.size() == 2 && code[0] >= '1' && code[0] <= '9' && code[1] >= '1' && code[1] <= '9';
}

Status checkClaimIndicators(const Claim& claim, const ElementContext& context) {
  if (!isFacilityTypeCode(claim.facilityTypeCode)) {
    return context.invalid("2300 CLM05-1", "facility type code must be 2 digits, each 1-9");
  }
  // The NUBC frequency codes (TOB digit 4, X12 code source 235): 6 (adjustment) was retired and
  // L, R-W are unassigned, so a receiver rejects them (the validator's FREQI list).
  if (!oneOf(claim.frequencyCode,
             {"0", "1", "2", "3", "4", "5", "7", "8", "9", "A", "B", "C", "D", "E",
              "F", "G", "H", "I", "J", "K", "M", "N", "O", "P", "Q", "X", "Y", "Z"})) {
    return context.invalid("2300 CLM05-3",
                           "claim frequency must be a NUBC code: 0-5, 7-9, A-K, M-Q or X-Z");
  }
  return Status::ok();
}

struct StatementPeriod {
  std::string from, to;
};

Result<StatementPeriod> statementPeriod(const Claim& claim, const ElementContext& context) {
  StatementPeriod period{claim.statementFrom,
                         claim.statementTo.empty() ? claim.statementFrom : claim.statementTo};
  if (!isValidDate(period.from) || !isValidDate(period.to) || period.to < period.from) {
    return context.invalid("2300 DTP*434", "statement period must be CCYYMMDD dates, from <= to");
  }
  return period;
}

Result<Segment> institutionalClaimCode(const Claim& claim, const ElementContext& context) {
  Segment cl1("CL1");
  if (!claim.admissionType.empty() && !oneOf(claim.admissionType, {"1", "2", "3", "4", "5", "9"})) {
    return context.invalid("2300 CL101", "admission type must be 1, 2, 3, 4, 5 or 9");
  }
  if (!claim.admissionSource.empty() &&
      (claim.admissionSource.size() != 1 || !isDigitOrUpper(claim.admissionSource[0]))) {
    return context.invalid("2300 CL102", "point of origin must be one digit or letter");
  }
  if (claim.patientStatus.size() != 2 || !isDigits(claim.patientStatus)) {
    return context.invalid("2300 CL103", "patient status must be a 2-digit code");
  }
  cl1.add(claim.admissionType).add(claim.admissionSource).add(claim.patientStatus);
  return cl1;
}

// Principal diagnosis alone in the first HI, other diagnoses 12 per HI in at most 2 more.
Result<std::vector<Segment>> diagnosisSegments(const Claim& claim, const ElementContext& context) {
  if (claim.diagnoses.empty()) return context.invalid("2300 HI01", "claim has no diagnosis");
  const std::size_t others = claim.diagnoses.size() - 1;
  if (others > kOtherDiagnosesPerSegment * kMaxOtherDiagnosisSegments) {
    return context.invalid("2300 HI", "more than 24 other diagnoses");
  }
  std::string principal = diagnosisCode(claim.diagnoses[0]);
  if (!isValidDiagnosisCode(principal)) {
    return context.invalid("2300 HI01",
                           "principal ICD-10-CM code must have 3 to 7 letters and digits");
  }
  std::vector<Segment> segments;
  segments.push_back(Segment("HI").addComposite({"ABK", principal}));
  for (std::size_t k = 0; k < others; ++k) {
    std::size_t position = k % kOtherDiagnosesPerSegment;
    std::string code = diagnosisCode(claim.diagnoses[k + 1]);
    if (!isValidDiagnosisCode(code)) {
      return context.invalid("2300 HI" + zeroPad(position + 1, 2),
                             "other diagnosis " + std::to_string(k + 1) +
                                 ": ICD-10-CM code must have 3 to 7 letters and digits");
    }
    if (position == 0) segments.emplace_back("HI");
    segments.back().addComposite({"ABF", code});
  }
  return segments;
}

Status writeAttending(SegmentWriter& writer, const Claim& claim, const ElementContext& context) {
  if (!claim.attendingProvider) {
    return context.invalid("2310A NM1", "claim has no attending provider");
  }
  const Provider& attending = *claim.attendingProvider;
  if (!attending.name.isPerson) {
    return context.invalid("2310A NM102", "attending provider must be a person");
  }
  if (auto s = checkNpi(context, "2310A NM109", attending.npi); !s) return s;
  if (auto s = writeName(writer, context, "2310A", "71", attending.name, "XX", attending.npi); !s) {
    return s;
  }
  return writeTaxonomy(writer, context, "2310A", "AT", attending.taxonomy);
}

Status writeServiceFacility(SegmentWriter& writer, const Claim& claim,
                            const ElementContext& context) {
  if (!claim.serviceFacility) return Status::ok();
  const Provider& facility = *claim.serviceFacility;
  PartyName name = facility.name;
  name.isPerson = false;
  if (!facility.npi.empty()) {
    if (auto s = checkNpi(context, "2310E NM109", facility.npi); !s) return s;
  }
  if (auto s = writeName(writer, context, "2310E", "77", name, facility.npi.empty() ? "" : "XX",
                         facility.npi);
      !s) {
    return s;
  }
  return writeAddress(writer, context, "2310E", facility.address, ZipRule::kFiveOrNine, true);
}

}  // namespace

Status checkInstitutionalBillingProvider(const Claim& claim, const ElementContext& context) {
  if (claim.billingProvider.name.isPerson) {
    return context.invalid("2010AA NM102", "billing provider must be an organization");
  }
  return Status::ok();
}

Status writeInstitutionalClaim(SegmentWriter& writer, const Claim& claim,
                               const ElementContext& context) {
  auto preamble =
      checkClaimPreamble(claim, context, {ClaimForm::k837I, kMaxInstitutionalLines, "2400 SV203"});
  if (!preamble) return preamble.error();
  if (auto s = checkClaimIndicators(claim, context); !s) return s;
  const std::string& claimId = preamble->claimId;
  const bool replacesClaim = preamble->replacesClaim;
  const std::string& payerClaimNumber = preamble->payerClaimNumber;
  auto period = statementPeriod(claim, context);
  if (!period) return period.error();
  auto cl1 = institutionalClaimCode(claim, context);
  if (!cl1) return cl1.error();
  auto hi = diagnosisSegments(claim, context);
  if (!hi) return hi.error();

  // CLM06 and CLM10-CLM19 are not used in 837I: pyx12 rejects a file that sends CLM06.
  writer.write(Segment("CLM")
                   .add(claimId)
                   .add(formatAmount(preamble->totalCents))
                   .skip(2)
                   .addComposite({claim.facilityTypeCode, "A", claim.frequencyCode})
                   .skip()
                   .add(claim.assignment)
                   .add(claim.benefitsAssignment)
                   .add(claim.releaseOfInformation));
  writer.write(Segment("DTP").add("434").add("RD8").add(period->from + "-" + period->to));
  writer.write(*cl1);
  std::string priorAuthorization = sanitizeValue(claim.priorAuthorization, kReferenceMax);
  if (!priorAuthorization.empty()) writer.write(Segment("REF").add("G1").add(priorAuthorization));
  if (replacesClaim) writer.write(Segment("REF").add("F8").add(payerClaimNumber));
  for (const Segment& segment : *hi) writer.write(segment);
  if (auto s = writeAttending(writer, claim, context); !s) return s;
  if (auto s = writeServiceFacility(writer, claim, context); !s) return s;
  return writeInstitutionalLines(writer, claim, period->from, period->to, context);
}

}  // namespace fhir837::x12
