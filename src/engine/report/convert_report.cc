#include "engine/report/convert_report.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/decimal.h"

namespace fhir837 {

bool ConvertReport::hasProblems() const {
  for (const auto& input : inputs) {
    if (input.error) return true;
  }
  for (const auto& outcome : outcomes) {
    if (outcome.kind == OutcomeKind::kRejected || outcome.kind == OutcomeKind::kNeedsReview) {
      return true;
    }
  }
  return false;
}

namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;
using CompactWriter = rapidjson::Writer<rapidjson::StringBuffer>;

template <class Writer>
void str(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

template <class Writer>
void num(Writer& w, const char* key, std::uint64_t value) {
  w.Key(key);
  w.Uint64(value);
}

std::string money(std::int64_t cents) { return formatMicros(cents * 10000); }

template <class Writer>
void writeTrail(Writer& w, const Trail& trail) {
  w.Key("trail");
  w.StartArray();
  for (const auto& step : trail) {
    w.StartObject();
    str(w, "rule", step.rule);
    w.Key("inputs");
    w.StartArray();
    for (const auto& input : step.inputs) w.String(input.c_str());
    w.EndArray();
    str(w, "detail", step.detail);
    w.EndObject();
  }
  w.EndArray();
}

void writeSummary(Writer& w, const ConvertReport& report) {
  std::map<std::string, std::size_t> byOutcome = {{"claim", report.billedEvents},
                                                  {"not-billable", 0},
                                                  {"needs-review", 0},
                                                  {"rejected", 0},
                                                  {"held", 0}};
  std::map<std::string, std::size_t> byRule;
  for (const auto& o : report.outcomes) {
    ++byOutcome[toString(o.kind)];
    ++byRule[std::string(toString(o.kind)) + " " + o.rule];
  }
  std::size_t badInputs = 0;
  for (const auto& input : report.inputs) badInputs += input.error ? 1 : 0;
  w.Key("summary");
  w.StartObject();
  num(w, "inputs", report.inputs.size());
  num(w, "rejected_inputs", badInputs);
  num(w, "events", report.billedEvents + report.outcomes.size());
  num(w, "claims", report.claims.size());
  num(w, "interchanges", report.interchanges.size());
  w.Key("outcomes");
  w.StartObject();
  for (const auto& [kind, count] : byOutcome) num(w, kind.c_str(), count);
  w.EndObject();
  w.Key("reasons");
  w.StartObject();
  for (const auto& [rule, count] : byRule) num(w, rule.c_str(), count);
  w.EndObject();
  w.EndObject();
}

template <class Writer>
void writeClaim(Writer& w, const ClaimRecord& record) {
  const Claim& c = record.claim;
  w.StartObject();
  str(w, "claim_id", c.patientControlNumber);
  str(w, "form", c.form == ClaimForm::k837P ? "837P" : "837I");
  str(w, "file", record.file);
  str(w, "encounter", c.sourceEncounterId);
  str(w, "payer_id", c.payer.payerId);
  str(w, "total_charge", money(c.totalChargeCents()));
  writeTrail(w, record.trail);
  w.Key("lines");
  w.StartArray();
  for (const auto& line : c.lines) {
    w.StartObject();
    str(w, "code", line.procedureCode);
    w.Key("modifiers");
    w.StartArray();
    for (const auto& m : line.modifiers) w.String(m.c_str());
    w.EndArray();
    num(w, "units", static_cast<std::uint64_t>(line.units));
    str(w, "charge", money(line.chargeCents));
    str(w, "date",
        line.serviceDateFrom == line.serviceDateTo
            ? line.serviceDateFrom
            : line.serviceDateFrom + "-" + line.serviceDateTo);
    if (line.drug) str(w, "ndc", line.drug->ndc11);
    str(w, "source", line.sourceEventId);
    writeTrail(w, line.trail);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

template <class Writer>
void writeOutcome(Writer& w, const OutcomeRecord& o) {
  w.StartObject();
  str(w, "input", o.input);
  str(w, "entry", o.entry);
  str(w, "event", o.event);
  str(w, "outcome", toString(o.kind));
  str(w, "rule", o.rule);
  str(w, "reason", o.reason);
  str(w, "path", o.path);
  writeTrail(w, o.trail);
  w.EndObject();
}

}  // namespace

std::string renderClaimJsonLine(const ClaimRecord& claim) {
  rapidjson::StringBuffer buffer;
  CompactWriter w(buffer);
  writeClaim(w, claim);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string renderOutcomeJsonLine(const OutcomeRecord& outcome) {
  rapidjson::StringBuffer buffer;
  CompactWriter w(buffer);
  writeOutcome(w, outcome);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string renderReportJson(const ConvertReport& report) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  str(w, "report", "fhir837 convert");
  writeSummary(w, report);
  w.Key("inputs");
  w.StartArray();
  for (const auto& input : report.inputs) {
    w.StartObject();
    str(w, "path", input.path);
    num(w, "resources", input.resources);
    num(w, "events", input.events);
    if (input.error) {
      str(w, "error", input.error->describe());
      str(w, "error_code", toString(input.error->code));
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("interchanges");
  w.StartArray();
  for (const auto& ic : report.interchanges) {
    w.StartObject();
    str(w, "file", ic.file);
    str(w, "form", ic.form);
    num(w, "control_number", ic.controlNumber);
    num(w, "claims", ic.claims);
    w.EndObject();
  }
  w.EndArray();
  w.Key("claims");
  w.StartArray();
  for (const auto& claim : report.claims) writeClaim(w, claim);
  w.EndArray();
  w.Key("not_billed");
  w.StartArray();
  for (const auto& o : report.outcomes) writeOutcome(w, o);
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace fhir837
