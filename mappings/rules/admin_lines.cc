#include "rules/admin_lines.h"

#include <iterator>

namespace fhir837 {

CodedLine makeAdminLine(const EventFacts& facts, const AdministrationSummary& admin,
                        std::string code, std::int64_t units, TrailStep why) {
  CodedLine line;
  line.procedureCode = std::move(code);
  line.units = units;
  line.dateFrom = admin.dateFrom;
  line.dateTo = admin.dateTo;
  line.sourceEventId = facts.eventRef;
  line.administration = true;
  line.trail.push_back(std::move(why));
  return line;
}

std::vector<CodedLine> adminLinesFor(const EventFacts& facts, const AdministrationSummary& admin,
                                     const AdminCodes& codes, const TrailStep& why) {
  std::vector<CodedLine> lines;
  lines.push_back(makeAdminLine(facts, admin, codes.initialCode, 1, why));
  if (codes.addOnUnits > 0) {
    lines.push_back(makeAdminLine(facts, admin, codes.addOnCode, codes.addOnUnits, why));
  }
  return lines;
}

void replaceAdminLines(EventCoding& coding, std::vector<CodedLine> adminLines) {
  std::vector<CodedLine> kept;
  for (auto& line : coding.lines) {
    if (!line.administration) kept.push_back(std::move(line));
  }
  adminLines.insert(adminLines.end(), std::make_move_iterator(kept.begin()),
                    std::make_move_iterator(kept.end()));
  coding.lines = std::move(adminLines);
}

void noteOnDrugLines(EventCoding& coding, const TrailStep& step) {
  for (auto& line : coding.lines) {
    if (!line.administration) line.trail.push_back(step);
  }
}

}  // namespace fhir837
