#include "engine/report/convert_report.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "core/decimal.h"
#include "engine/report/report_spool.h"

namespace fhir837 {

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
void writeTrail(Writer& w, Trail::const_iterator begin, Trail::const_iterator end) {
  w.Key("trail");
  w.StartArray();
  for (auto it = begin; it != end; ++it) {  // clang 14 (fuzz build) lacks ranges::subrange
    const TrailStep& step = *it;
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
  const ReportTallies tallies = report.tallies();
  for (const auto& [kind, count] : tallies.byKind) byOutcome[kind] += count;
  std::size_t badInputs = 0;
  for (const auto& input : report.inputs) badInputs += input.error ? 1 : 0;
  w.Key("summary");
  w.StartObject();
  num(w, "inputs", report.inputs.size());
  num(w, "rejected_inputs", badInputs);
  num(w, "events", report.billedEvents + tallies.outcomes);
  num(w, "claims", tallies.claims);
  num(w, "interchanges", report.interchanges.size());
  w.Key("outcomes");
  w.StartObject();
  for (const auto& [kind, count] : byOutcome) num(w, kind.c_str(), count);
  w.EndObject();
  w.Key("reasons");
  w.StartObject();
  for (const auto& [rule, count] : tallies.byKindRule) num(w, rule.c_str(), count);
  w.EndObject();
  w.EndObject();
}

template <class Writer>
void writeClaim(Writer& w, const Claim& c, std::string_view file, const Trail& claimTrail) {
  // The steps every line of one event shares (status, setting, route...) are written once for
  // the event; each line keeps only its own steps. A report of a bulk run is mostly claims, and
  // repeating the event's trail on each of its lines tripled its size.
  std::vector<std::string> events;
  std::vector<std::size_t> firstLine;  // per event: its first line
  std::vector<std::size_t> shared;     // per event: length of the prefix its lines' trails share
  std::vector<std::size_t> eventOfLine;
  for (std::size_t i = 0; i < c.lines.size(); ++i) {
    const ServiceLine& line = c.lines[i];
    auto found = std::find(events.begin(), events.end(), line.sourceEventId);
    const auto e = static_cast<std::size_t>(found - events.begin());
    if (found == events.end()) {
      events.push_back(line.sourceEventId);
      firstLine.push_back(i);
      shared.push_back(line.trail.size());
    }
    eventOfLine.push_back(e);
    const Trail& first = c.lines[firstLine[e]].trail;
    std::size_t common = 0;
    while (common < shared[e] && common < line.trail.size() &&
           line.trail[common] == first[common]) {
      ++common;
    }
    shared[e] = common;
  }
  w.StartObject();
  str(w, "claim_id", c.patientControlNumber);
  str(w, "form", c.form == ClaimForm::k837P ? "837P" : "837I");
  w.Key("file");
  w.String(file.data(), static_cast<rapidjson::SizeType>(file.size()));
  str(w, "encounter", c.sourceEncounterId);
  str(w, "payer_id", c.payer.payerId);
  str(w, "total_charge", money(c.totalChargeCents()));
  writeTrail(w, claimTrail.begin(), claimTrail.end());
  w.Key("events");
  w.StartArray();
  for (std::size_t e = 0; e < events.size(); ++e) {
    const Trail& first = c.lines[firstLine[e]].trail;
    w.StartObject();
    str(w, "event", events[e]);
    writeTrail(w, first.begin(), first.begin() + static_cast<std::ptrdiff_t>(shared[e]));
    w.EndObject();
  }
  w.EndArray();
  w.Key("lines");
  w.StartArray();
  for (std::size_t i = 0; i < c.lines.size(); ++i) {
    const ServiceLine& line = c.lines[i];
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
    writeTrail(w, line.trail.begin() + static_cast<std::ptrdiff_t>(shared[eventOfLine[i]]),
               line.trail.end());
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
  writeTrail(w, o.trail.begin(), o.trail.end());
  w.EndObject();
}

// Everything before the first claim: the document up to and including `"claims": [`.
void writeHead(Writer& w, const ConvertReport& report) {
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
      str(w, "rule", input.rule);
    }
    if (!input.note.empty()) str(w, "note", input.note);
    if (!input.rejectFile.empty()) str(w, "rejects", input.rejectFile);
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
}

std::string renderHead(const ConvertReport& report) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  writeHead(w, report);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// What PrettyWriter puts between and after the top-level arrays "claims" and "not_billed", at
// their fixed depth; the head and the elements come from PrettyWriter itself.
constexpr std::string_view kBetweenArrays = ",\n  \"not_billed\": [";
constexpr std::string_view kDocumentEnd = "\n}\n";
std::string_view arrayEnd(std::size_t elements) { return elements > 0 ? "\n  ]" : "]"; }

// A claim about to be written, without copying it into a ClaimRecord.
struct ClaimView {
  const Claim& claim;
  std::string_view file;
  const Trail& trail;
};

template <class Writer>
void writeClaim(Writer& w, const ClaimRecord& record) {
  writeClaim(w, record.claim, record.file, record.trail);
}

void writeRecord(CompactWriter& w, const ClaimRecord& claim) { writeClaim(w, claim); }
void writeRecord(CompactWriter& w, const ClaimView& claim) {
  writeClaim(w, claim.claim, claim.file, claim.trail);
}
void writeRecord(CompactWriter& w, const OutcomeRecord& outcome) { writeOutcome(w, outcome); }

// One element of the "claims" or "not_billed" array: a line of its own, indented, holding the
// whole object compactly. A bulk run's report is mostly these elements; one per line keeps it
// greppable and half the size of pretty-printed objects.
template <class Record>
std::string_view renderElement(rapidjson::StringBuffer& buffer, const Record& record) {
  buffer.Clear();
  for (char c : std::string_view("\n    ")) buffer.Put(c);
  CompactWriter w(buffer);
  writeRecord(w, record);
  return {buffer.GetString(), buffer.GetSize()};
}

// The body and closing bracket of a top-level array: spooled elements, then those in memory.
template <class Record>
Status writeArray(AtomicOutputFile& out, SpooledArray* spooled,
                  const std::vector<Record>& records) {
  std::size_t written = 0;
  if (spooled != nullptr) {
    if (Status copied = spooled->copyTo(out); !copied) return copied;
    written = spooled->count();
  }
  rapidjson::StringBuffer buffer;
  for (const auto& record : records) {
    if (written++ > 0) {
      if (Status comma = out.write(","); !comma) return comma;
    }
    if (Status element = out.write(renderElement(buffer, record)); !element) return element;
  }
  return out.write(arrayEnd(written));
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
  std::string out = renderHead(report);
  rapidjson::StringBuffer buffer;
  auto array = [&](const auto& records) {
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (i > 0) out += ',';
      out += renderElement(buffer, records[i]);
    }
    out += arrayEnd(records.size());
  };
  array(report.claims);
  out += kBetweenArrays;
  array(report.outcomes);
  out += kDocumentEnd;
  return out;
}

// --- ReportTallies ---

void ReportTallies::count(const OutcomeRecord& outcome) {
  ++outcomes;
  ++byKind[toString(outcome.kind)];
  ++byKindRule[std::string(toString(outcome.kind)) + " " + outcome.rule];
}

std::size_t ReportTallies::problems() const {
  std::size_t total = 0;
  for (OutcomeKind kind : {OutcomeKind::kRejected, OutcomeKind::kNeedsReview}) {
    auto it = byKind.find(toString(kind));
    if (it != byKind.end()) total += it->second;
  }
  return total;
}

// --- ConvertReport ---

ConvertReport::ConvertReport() = default;
ConvertReport::ConvertReport(ConvertReport&&) noexcept = default;
ConvertReport& ConvertReport::operator=(ConvertReport&&) noexcept = default;
ConvertReport::~ConvertReport() = default;

ReportTallies ConvertReport::tallies() const {
  ReportTallies all = spooled_;
  all.claims += claims.size();
  for (const auto& outcome : outcomes) all.count(outcome);
  return all;
}

std::size_t ConvertReport::claimCount() const { return spooled_.claims + claims.size(); }

std::size_t ConvertReport::outcomeCount() const { return spooled_.outcomes + outcomes.size(); }

bool ConvertReport::hasProblems() const {
  for (const auto& input : inputs) {
    if (input.error) return true;
  }
  if (spooled_.problems() > 0) return true;
  for (const auto& outcome : outcomes) {
    if (outcome.kind == OutcomeKind::kRejected || outcome.kind == OutcomeKind::kNeedsReview) {
      return true;
    }
  }
  return false;
}

Status ConvertReport::addClaim(ClaimRecord claim) {
  if (!spool_) {
    claims.push_back(std::move(claim));
    return Status::ok();
  }
  return spoolClaim(claim);
}

Status ConvertReport::addOutcome(OutcomeRecord outcome) {
  if (!spool_) {
    outcomes.push_back(std::move(outcome));
    return Status::ok();
  }
  return spoolOutcome(outcome);
}

std::string ConvertReport::renderClaimElement(const Claim& claim, const Trail& trail) {
  rapidjson::StringBuffer buffer;
  return std::string(renderElement(buffer, ClaimView{claim, "", trail}));
}

Status ConvertReport::addRenderedClaim(std::string element, std::string_view file) {
  if (!spool_) throw std::logic_error("addRenderedClaim on a report that is not spooled");
  // Values before "file" are JSON-escaped, so these bytes (unescaped quotes) can only be the key.
  static constexpr std::string_view kEmptyFile = "\"file\":\"\"";
  const std::size_t at = element.find(kEmptyFile);
  if (at == std::string::npos) throw std::logic_error("claim element without an empty file");
  element.insert(at + kEmptyFile.size() - 1, file);
  Status status = spool_->claims().append(element);
  if (status) ++spooled_.claims;
  return status;
}

Status ConvertReport::spoolClaim(const ClaimRecord& claim) {
  rapidjson::StringBuffer buffer;
  Status status = spool_->claims().append(renderElement(buffer, claim));
  if (status) ++spooled_.claims;
  return status;
}

Status ConvertReport::spoolOutcome(const OutcomeRecord& outcome) {
  rapidjson::StringBuffer buffer;
  Status status = spool_->outcomes().append(renderElement(buffer, outcome));
  if (status) spooled_.count(outcome);
  return status;
}

Status ConvertReport::spool(const std::filesystem::path& dir) {
  if (spool_) return makeError(ErrorCode::kInvalidValue, "report is already spooled", dir.string());
  auto opened = ReportSpool::open(dir);
  if (!opened) return opened.error();
  spool_ = std::move(*opened);
  // Records kept so far go first, as they would have in memory. Should a write fail, the spool
  // is dropped and the vectors are untouched.
  Status moved;
  for (std::size_t i = 0; moved && i < claims.size(); ++i) moved = spoolClaim(claims[i]);
  for (std::size_t i = 0; moved && i < outcomes.size(); ++i) moved = spoolOutcome(outcomes[i]);
  if (!moved) {
    spool_.reset();
    spooled_ = {};
    return moved;
  }
  claims = {};
  outcomes = {};
  return Status::ok();
}

Status ConvertReport::writeJson(const std::filesystem::path& path) {
  if (spool_ && spool_->removed()) {
    return makeError(ErrorCode::kIo, "spooled report was already written", path.string());
  }
  auto out = AtomicOutputFile::create(path);
  if (!out) return out.error();
  SpooledArray* spooledClaims = spool_ ? &spool_->claims() : nullptr;
  SpooledArray* spooledOutcomes = spool_ ? &spool_->outcomes() : nullptr;
  Status status = out->write(renderHead(*this));
  if (status) status = writeArray(*out, spooledClaims, claims);
  if (status) status = out->write(kBetweenArrays);
  if (status) status = writeArray(*out, spooledOutcomes, outcomes);
  if (status) status = out->write(kDocumentEnd);
  if (status) status = out->commit();
  if (status && spool_) spool_->remove();
  return status;
}

}  // namespace fhir837
