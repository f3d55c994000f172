#include "emitters/x12_common/x12_service_line.h"

#include "core/decimal.h"
#include "emitters/x12_common/x12_format.h"
#include "emitters/x12_common/x12_party_writer.h"
#include "emitters/x12_common/x12_sanitizer.h"

namespace fhir837::x12 {

std::string lineLabel(std::size_t lineIndex, std::string_view problem) {
  return "line " + std::to_string(lineIndex + 1) + ": " + std::string(problem);
}

std::string diagnosisCode(std::string_view raw) {
  std::string code;
  for (char c : raw) {
    if (c != '.') code.push_back(c);
  }
  // One character over the maximum so an over-long code fails validation instead of being cut.
  return sanitizeValue(code, 8);
}

bool isValidDiagnosisCode(std::string_view code) {
  return code.size() >= 3 && code.size() <= 7 && isUpperAlnum(code);
}

Result<std::vector<std::string>> procedureComposite(const ServiceLine& line, std::size_t lineIndex,
                                                    const ElementContext& context,
                                                    std::string_view element) {
  const std::string where = "2400 " + std::string(element);
  std::vector<std::string> procedure{"HC", sanitizeValue(line.procedureCode, 48)};
  if (procedure[1].empty()) {
    return context.invalid(where + "-2", lineLabel(lineIndex, "procedure code is empty"));
  }
  if (line.modifiers.size() > kMaxModifiers) {
    return context.invalid(where, lineLabel(lineIndex, "more than 4 modifiers"));
  }
  for (const std::string& modifier : line.modifiers) {
    std::string clean = sanitizeValue(modifier, 3);
    if (clean.size() != 2 || !isUpperAlnum(clean)) {
      return context.invalid(where + "-3", lineLabel(lineIndex, "modifier must have 2 characters"));
    }
    procedure.push_back(std::move(clean));
  }
  return procedure;
}

Result<Segment> serviceDateSegment(const ServiceLine& line, std::size_t lineIndex,
                                   const ElementContext& context) {
  const std::string& from = line.serviceDateFrom;
  const std::string& to = line.serviceDateTo.empty() ? from : line.serviceDateTo;
  if (!isValidDate(from) || !isValidDate(to) || to < from) {
    return context.invalid("2400 DTP03",
                           lineLabel(lineIndex, "service dates must be CCYYMMDD, from <= to"));
  }
  if (from == to) return Segment("DTP").add("472").add("D8").add(from);
  return Segment("DTP").add("472").add("RD8").add(from + "-" + to);
}

Status writeDrugIdentification(SegmentWriter& writer, const DrugIdentification& drug,
                               std::size_t lineIndex, const ElementContext& context) {
  if (drug.ndc11.size() != 11 || !isDigits(drug.ndc11)) {
    return context.invalid("2410 LIN03", lineLabel(lineIndex, "NDC must have 11 digits"));
  }
  auto micros = parseMicros(drug.quantity);
  if (!micros || *micros <= 0) {
    return context.invalid("2410 CTP04",
                           lineLabel(lineIndex, "quantity must be a positive decimal"));
  }
  const std::string& unit = drug.unitCode;
  if (unit != "F2" && unit != "GR" && unit != "ME" && unit != "ML" && unit != "UN") {
    return context.invalid("2410 CTP05-1",
                           lineLabel(lineIndex, "unit must be F2, GR, ME, ML or UN"));
  }
  writer.write(Segment("LIN").skip().add("N4").add(drug.ndc11));
  writer.write(Segment("CTP").skip(3).add(formatMicros(*micros)).add(unit));
  return Status::ok();
}

Status writeServiceLine(SegmentWriter& writer, const ServiceLine& line, std::size_t lineIndex,
                        const Segment& service, const Segment& serviceDate,
                        const ElementContext& context) {
  writer.write(Segment("LX").add(std::to_string(lineIndex + 1)));
  writer.write(service);
  writer.write(serviceDate);
  std::string lineId = sanitizeValue(line.lineItemControlNumber, kReferenceMax);
  if (!lineId.empty()) writer.write(Segment("REF").add("6R").add(lineId));
  if (!line.drug) return Status::ok();
  return writeDrugIdentification(writer, *line.drug, lineIndex, context);
}

}  // namespace fhir837::x12
