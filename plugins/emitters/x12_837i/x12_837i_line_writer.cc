#include "emitters/x12_837i/x12_837i_line_writer.h"

#include <string>
#include <vector>

#include "emitters/x12_common/x12_format.h"
#include "emitters/x12_common/x12_party_writer.h"
#include "emitters/x12_common/x12_sanitizer.h"
#include "emitters/x12_common/x12_service_line.h"

namespace fhir837::x12 {

namespace {

// SV202 is situational: a line billed by revenue code alone (room and board, supplies) has no
// HCPCS code. Modifiers without a code are a coding error, reported as a missing code.
Result<std::vector<std::string>> optionalProcedure(const ServiceLine& line, std::size_t index,
                                                   const ElementContext& context) {
  if (line.procedureCode.empty() && line.modifiers.empty()) return std::vector<std::string>{};
  return procedureComposite(line, index, context, "SV202");
}

Result<Segment> institutionalServiceSegment(const ServiceLine& line, std::size_t index,
                                            const ElementContext& context) {
  std::string revenueCode = sanitizeValue(line.revenueCode, 5);
  if (revenueCode.size() != 4 || !isDigits(revenueCode)) {
    return context.invalid("2400 SV201", lineLabel(index, "revenue code must have 4 digits"));
  }
  auto procedure = optionalProcedure(line, index, context);
  if (!procedure) return procedure.error();
  if (line.units <= 0 || line.units > kMaxUnits) {
    return context.invalid("2400 SV205", lineLabel(index, "units must be 1 to 99999999"));
  }
  Segment sv2("SV2");
  sv2.add(revenueCode)
      .addComposite(std::move(*procedure))
      .add(formatAmount(line.chargeCents))
      .add("UN")
      .add(std::to_string(line.units));
  return sv2;
}

}  // namespace

Status writeInstitutionalLines(SegmentWriter& writer, const Claim& claim,
                               std::string_view statementFrom, std::string_view statementTo,
                               const ElementContext& context) {
  for (std::size_t i = 0; i < claim.lines.size(); ++i) {
    const ServiceLine& line = claim.lines[i];
    auto sv2 = institutionalServiceSegment(line, i, context);
    if (!sv2) return sv2.error();
    auto dtp = serviceDateSegment(line, i, context);
    if (!dtp) return dtp.error();
    const std::string& to = line.serviceDateTo.empty() ? line.serviceDateFrom : line.serviceDateTo;
    // Payers reject a line dated outside the period the claim says it covers.
    if (line.serviceDateFrom < statementFrom || to > statementTo) {
      return context.invalid("2400 DTP03",
                             lineLabel(i, "service dates are outside the statement period"));
    }
    if (auto s = writeServiceLine(writer, line, i, *sv2, *dtp, context); !s) return s;
  }
  return Status::ok();
}

}  // namespace fhir837::x12
