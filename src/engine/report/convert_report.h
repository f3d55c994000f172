#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coding_types.h"
#include "core/error.h"
#include "core/result.h"
#include "model/claim.h"

namespace fhir837 {

struct InputRecord {
  std::string path;
  std::size_t resources = 0;
  std::size_t events = 0;
  std::optional<Error> error;  // the whole input was unreadable or not FHIR
  std::string rule;            // with `error`: INPUT-PARSE, INPUT-LIMIT, INPUT-READ, ...
  std::string rejectFile;      // "rejects/3-a.json" when something of it was kept there
  std::string note;            // why a readable input gave nothing to bill
};

// Every event that did not become a claim line, with why.
struct OutcomeRecord {
  std::string input;  // input path
  std::string entry;  // position in the input, e.g. "Bundle.entry[3]"
  std::string event;  // e.g. "MedicationAdministration/ma2"
  OutcomeKind kind = OutcomeKind::kRejected;
  std::string rule, reason, path;
  Trail trail;
};

struct ClaimRecord {
  Claim claim;
  std::string file;  // interchange file name (relative to the output dir)
  Trail trail;       // claim-level context: payer match, billing provider, diagnoses, POS
};

struct InterchangeRecord {
  std::string file;
  std::string form;  // "837P" / "837I"
  std::uint64_t controlNumber = 0;
  std::size_t claims = 0;
};

// Counts over every claim and not-billed event of a report, spooled or in memory: what the
// summary and the exit code need, without the records.
struct ReportTallies {
  std::size_t claims = 0;
  std::size_t outcomes = 0;
  std::map<std::string, std::size_t> byKind;      // "needs-review" -> 2
  std::map<std::string, std::size_t> byKindRule;  // "needs-review INF-D8" -> 1

  void count(const OutcomeRecord& outcome);
  std::size_t problems() const;  // rejected or needs-review events
};

class ReportSpool;

// What `convert` did; written as OUTDIR/report.json and printed by `explain`.
//
// Small runs keep claims and outcomes in the vectors. Bulk runs call spool() first: records
// added afterwards are rendered to temporary files at once and only counted, and writeJson()
// streams the document, so memory does not grow with the number of claims.
struct ConvertReport {
  std::vector<InputRecord> inputs;
  std::vector<OutcomeRecord> outcomes;
  std::vector<ClaimRecord> claims;
  std::vector<InterchangeRecord> interchanges;
  std::size_t billedEvents = 0;

  ConvertReport();
  ConvertReport(ConvertReport&&) noexcept;
  ConvertReport& operator=(ConvertReport&&) noexcept;
  ~ConvertReport();  // removes the spool files, if any

  // Adds a record: kept in `outcomes` / `claims`, or, once spool() was called, written to a temp
  // file in the spool dir and only counted. Tallies are kept either way.
  Status addOutcome(OutcomeRecord outcome);
  Status addClaim(ClaimRecord claim);
  // The element addClaim() spools for `claim`, rendered with an empty file name, so that workers
  // can render claims in parallel; addRenderedClaim() fills in the interchange file name once it
  // is known. Only for a spooled report (a programming error otherwise).
  static std::string renderClaimElement(const Claim& claim, const Trail& trail);
  Status addRenderedClaim(std::string element, std::string_view file);
  // From now on claims and outcomes go to temp files under `dir` (created if needed; removed by
  // writeJson or the destructor), not to the vectors. Call before the first add; records already
  // in the vectors are moved to the spool, keeping their order. Records pushed straight into the
  // vectors later are counted and written after the spooled ones.
  Status spool(const std::filesystem::path& dir);
  std::size_t claimCount() const;    // claims added (kept or spooled)
  std::size_t outcomeCount() const;  // outcomes added (kept or spooled)
  ReportTallies tallies() const;     // over spooled records and the vectors

  bool hasProblems() const;  // some input or event was rejected or needs review

  // Streams report.json to `path` (temp file then rename), byte-identical to renderReportJson()
  // over the same records in the same order, with bounded memory. A spooled report can be written
  // once: the spool files are removed when the write succeeds (kept for a retry when it fails).
  Status writeJson(const std::filesystem::path& path);

 private:
  Status spoolClaim(const ClaimRecord& claim);
  Status spoolOutcome(const OutcomeRecord& outcome);

  std::unique_ptr<ReportSpool> spool_;
  ReportTallies spooled_;  // the spooled records only; the vectors are counted when asked
};

// Deterministic, pretty-printed JSON (2-space indent, fixed key order). Holds the whole document
// and only the records in the vectors (the summary counts spooled ones too): use writeJson() for a
// spooled report.
std::string renderReportJson(const ConvertReport& report);

// One compact JSON object (no newline) per claim or not-billed event, for `explain --json`.
std::string renderClaimJsonLine(const ClaimRecord& claim);
std::string renderOutcomeJsonLine(const OutcomeRecord& outcome);

// Human-readable explanation of every claim line and not-billed event, with its trail.
std::string renderExplanation(const ConvertReport& report);

}  // namespace fhir837
