#include "emitters/x12_837p/x12_837p_claim_writer.h"

#include <string>
#include <vector>

#include "emitters/x12_common/x12_claim_checks.h"
#include "emitters/x12_common/x12_format.h"
#include "emitters/x12_common/x12_party_writer.h"
#include "emitters/x12_common/x12_sanitizer.h"
#include "emitters/x12_common/x12_service_line.h"

namespace fhir837::x12 {

namespace {

constexpr std::size_t kMaxPointers = 4;

Status checkClaimIndicators(const Claim& claim, const ElementContext& context) {
  std::string pos = sanitizeValue(claim.placeOfService, 3);
  if (pos.size() != 2 || !isDigits(pos)) {
    return context.invalid("2300 CLM05-1", "place of service must be a 2-digit code");
  }
  // Professional claims are originals, corrections, replacements or voids (the validator's FREQP
  // list); the interim and late-charge codes 2-5 and 9 are institutional only.
  if (!oneOf(claim.frequencyCode, {"1", "6", "7", "8"})) {
    return context.invalid("2300 CLM05-3", "claim frequency must be 1, 6, 7 or 8");
  }
  if (!oneOf(claim.providerSignature, {"Y", "N"})) {
    return context.invalid("2300 CLM06", "provider signature indicator must be Y or N");
  }
  return Status::ok();
}

Result<Segment> diagnosisSegment(const Claim& claim, const ElementContext& context) {
  if (claim.diagnoses.empty()) return context.invalid("2300 HI01", "claim has no diagnosis");
  if (claim.diagnoses.size() > kMaxProfessionalDiagnoses) {
    return context.invalid("2300 HI", "more than 12 diagnoses");
  }
  Segment hi("HI");
  for (std::size_t i = 0; i < claim.diagnoses.size(); ++i) {
    std::string code = diagnosisCode(claim.diagnoses[i]);
    if (!isValidDiagnosisCode(code)) {
      std::string where = "2300 HI" + zeroPad(i + 1, 2);
      return context.invalid(where, "ICD-10-CM code must have 3 to 7 letters and digits");
    }
    hi.addComposite({i == 0 ? "ABK" : "ABF", code});
  }
  return hi;
}

Status writeProviders(SegmentWriter& writer, const Claim& claim, const ElementContext& context) {
  if (claim.renderingProvider) {
    const Provider& rendering = *claim.renderingProvider;
    if (auto s = checkNpi(context, "2310B NM109", rendering.npi); !s) return s;
    if (auto s = writeName(writer, context, "2310B", "82", rendering.name, "XX", rendering.npi);
        !s) {
      return s;
    }
    if (auto s = writeTaxonomy(writer, context, "2310B", "PE", rendering.taxonomy); !s) return s;
  }
  if (claim.serviceFacility) {
    const Provider& facility = *claim.serviceFacility;
    PartyName name = facility.name;
    name.isPerson = false;
    if (!facility.npi.empty()) {
      if (auto s = checkNpi(context, "2310C NM109", facility.npi); !s) return s;
    }
    if (auto s = writeName(writer, context, "2310C", "77", name, facility.npi.empty() ? "" : "XX",
                           facility.npi);
        !s) {
      return s;
    }
    return writeAddress(writer, context, "2310C", facility.address, ZipRule::kFiveOrNine, true);
  }
  return Status::ok();
}

Result<Segment> serviceSegment(const ServiceLine& line, std::size_t index, const Claim& claim,
                               const ElementContext& context) {
  auto procedure = procedureComposite(line, index, context, "SV101");
  if (!procedure) return procedure.error();
  if (line.units <= 0 || line.units > kMaxUnits) {
    return context.invalid("2400 SV104", lineLabel(index, "units must be 1 to 99999999"));
  }
  if (line.diagnosisPointers.empty() || line.diagnosisPointers.size() > kMaxPointers) {
    return context.invalid("2400 SV107", lineLabel(index, "needs 1 to 4 diagnosis pointers"));
  }
  std::vector<std::string> pointers;
  for (int pointer : line.diagnosisPointers) {
    if (pointer < 1 || static_cast<std::size_t>(pointer) > claim.diagnoses.size()) {
      return context.invalid("2400 SV107", lineLabel(index, "pointer outside the HI list"));
    }
    pointers.push_back(std::to_string(pointer));
  }
  Segment sv1("SV1");
  sv1.addComposite(std::move(*procedure))
      .add(formatAmount(line.chargeCents))
      .add("UN")
      .add(std::to_string(line.units))
      .skip(2)
      .addComposite(std::move(pointers));
  return sv1;
}

Status writeLines(SegmentWriter& writer, const Claim& claim, const ElementContext& context) {
  for (std::size_t i = 0; i < claim.lines.size(); ++i) {
    const ServiceLine& line = claim.lines[i];
    auto sv1 = serviceSegment(line, i, claim, context);
    if (!sv1) return sv1.error();
    auto dtp = serviceDateSegment(line, i, context);
    if (!dtp) return dtp.error();
    if (auto s = writeServiceLine(writer, line, i, *sv1, *dtp, context); !s) return s;
  }
  return Status::ok();
}

}  // namespace

Status writeProfessionalClaim(SegmentWriter& writer, const Claim& claim,
                              const ElementContext& context) {
  auto preamble =
      checkClaimPreamble(claim, context, {ClaimForm::k837P, kMaxProfessionalLines, "2400 SV102"});
  if (!preamble) return preamble.error();
  if (auto s = checkClaimIndicators(claim, context); !s) return s;
  const std::string& claimId = preamble->claimId;
  const bool replacesClaim = preamble->replacesClaim;
  const std::string& payerClaimNumber = preamble->payerClaimNumber;
  auto hi = diagnosisSegment(claim, context);
  if (!hi) return hi.error();

  writer.write(Segment("CLM")
                   .add(claimId)
                   .add(formatAmount(preamble->totalCents))
                   .skip(2)
                   .addComposite({sanitizeValue(claim.placeOfService, 2), "B", claim.frequencyCode})
                   .add(claim.providerSignature)
                   .add(claim.assignment)
                   .add(claim.benefitsAssignment)
                   .add(claim.releaseOfInformation));
  std::string priorAuthorization = sanitizeValue(claim.priorAuthorization, kReferenceMax);
  if (!priorAuthorization.empty()) writer.write(Segment("REF").add("G1").add(priorAuthorization));
  if (replacesClaim) writer.write(Segment("REF").add("F8").add(payerClaimNumber));
  writer.write(*hi);
  if (auto s = writeProviders(writer, claim, context); !s) return s;
  return writeLines(writer, claim, context);
}

}  // namespace fhir837::x12
