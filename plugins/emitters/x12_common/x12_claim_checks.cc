#include "emitters/x12_common/x12_claim_checks.h"

#include <string>

#include "emitters/x12_common/x12_format.h"
#include "emitters/x12_common/x12_party_writer.h"
#include "emitters/x12_common/x12_sanitizer.h"

namespace fhir837::x12 {

namespace {
constexpr std::size_t kClaimIdMax = 20;  // CLM01: receivers keep only 20 (map §2.5)
}  // namespace

bool oneOf(std::string_view value, std::initializer_list<std::string_view> allowed) {
  for (std::string_view a : allowed) {
    if (value == a) return true;
  }
  return false;
}

Status checkAssignmentIndicators(const Claim& claim, const ElementContext& context) {
  if (!oneOf(claim.assignment, {"A", "B", "C"})) {
    return context.invalid("2300 CLM07", "assignment code must be A, B or C");
  }
  if (!oneOf(claim.benefitsAssignment, {"Y", "N", "W"})) {
    return context.invalid("2300 CLM08", "benefits assignment must be Y, N or W");
  }
  if (!oneOf(claim.releaseOfInformation, {"Y", "I"})) {
    return context.invalid("2300 CLM09", "release of information code must be Y or I");
  }
  return Status::ok();
}

Result<std::int64_t> totalChargeCents(const Claim& claim, const ElementContext& context,
                                      std::string_view lineElement) {
  std::int64_t total = 0;
  for (std::size_t i = 0; i < claim.lines.size(); ++i) {
    std::int64_t cents = claim.lines[i].chargeCents;
    if (cents < 0 || cents > kMaxAmountCents) {
      return context.invalid(std::string(lineElement),
                             "line " + std::to_string(i + 1) + ": charge must be 0 to 99999999.99");
    }
    total += cents;  // cannot overflow: at most 999 lines of at most 10^10
  }
  if (total > kMaxAmountCents) {
    return context.invalid("2300 CLM02", "total charge exceeds 99999999.99");
  }
  return total;
}

Result<ClaimPreamble> checkClaimPreamble(const Claim& claim, const ElementContext& context,
                                         const ClaimShape& shape) {
  if (claim.form != shape.form) {
    return makeError(
        ErrorCode::kUnsupported,
        context.label() + (shape.form == ClaimForm::k837P ? ": not a professional claim"
                                                          : ": not an institutional claim"),
        "2300 CLM");
  }
  ClaimPreamble preamble;
  preamble.claimId = sanitizeValue(claim.patientControlNumber, kClaimIdMax);
  if (preamble.claimId.empty()) {
    return context.invalid("2300 CLM01", "patient control number is empty");
  }
  if (claim.lines.empty()) return context.invalid("2400 LX", "claim has no service lines");
  if (claim.lines.size() > shape.maxLines) {
    return context.invalid("2400 LX",
                           "more than " + std::to_string(shape.maxLines) + " service lines");
  }
  auto total = totalChargeCents(claim, context, shape.lineChargeElement);
  if (!total) return total.error();
  preamble.totalCents = *total;
  if (auto s = checkAssignmentIndicators(claim, context); !s) return s.error();
  preamble.replacesClaim = claim.frequencyCode == "7" || claim.frequencyCode == "8";
  preamble.payerClaimNumber = sanitizeValue(claim.payerClaimControlNumber, kReferenceMax);
  if (preamble.replacesClaim && preamble.payerClaimNumber.empty()) {
    return context.invalid("2300 REF*F8", "replacement or void needs the payer claim number");
  }
  return preamble;
}

}  // namespace fhir837::x12
