#include "core/decimal.h"
#include "engine/report/convert_report.h"

namespace fhir837 {

namespace {
std::string money(std::int64_t cents) { return formatMicros(cents * 10000); }

void appendTrail(std::string& out, const Trail& trail, const char* indent) {
  for (const auto& step : trail) {
    out += indent;
    out += step.rule;
    out += std::string(step.rule.size() < 10 ? 10 - step.rule.size() : 1, ' ');
    out += step.detail;
    if (!step.inputs.empty()) {
      out += "  <- ";
      for (std::size_t i = 0; i < step.inputs.size(); ++i) {
        if (i) out += ", ";
        out += step.inputs[i];
      }
    }
    out += "\n";
  }
}
}  // namespace

std::string renderExplanation(const ConvertReport& report) {
  std::string out;
  for (const auto& record : report.claims) {
    const Claim& c = record.claim;
    out += "claim " + c.patientControlNumber + " (" +
           (c.form == ClaimForm::k837P ? "837P" : "837I") + ", payer " + c.payer.payerId +
           (c.sourceEncounterId.empty() ? "" : ", " + c.sourceEncounterId) + "), total " +
           money(c.totalChargeCents()) + "\n";
    appendTrail(out, record.trail, "    ");
    for (std::size_t i = 0; i < c.lines.size(); ++i) {
      const ServiceLine& line = c.lines[i];
      out += "  line " + std::to_string(i + 1) + ": " + line.procedureCode;
      for (const auto& m : line.modifiers) out += "-" + m;
      out +=
          " x" + std::to_string(line.units) + "  charge " + money(line.chargeCents) + "  date " +
          line.serviceDateFrom +
          (line.serviceDateTo != line.serviceDateFrom ? "-" + line.serviceDateTo : std::string()) +
          "  from " + line.sourceEventId + "\n";
      appendTrail(out, line.trail, "      ");
    }
  }
  for (const auto& o : report.outcomes) {
    out += "not billed: " + o.event + " -> " + toString(o.kind) + " [" + o.rule + "] " + o.reason +
           " (" + o.path + ")\n";
    appendTrail(out, o.trail, "      ");
  }
  for (const auto& input : report.inputs) {
    if (input.error) out += "input not read: " + input.path + ": " + input.error->describe() + "\n";
  }
  return out;
}

}  // namespace fhir837
