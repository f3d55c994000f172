#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "coding_types.h"
#include "core/error.h"
#include "model/claim.h"

namespace fhir837 {

struct InputRecord {
  std::string path;
  std::size_t resources = 0;
  std::size_t events = 0;
  std::optional<Error> error;  // the whole input was unreadable or not FHIR
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

// What `convert` did; written as OUTDIR/report.json and printed by `explain`.
struct ConvertReport {
  std::vector<InputRecord> inputs;
  std::vector<OutcomeRecord> outcomes;
  std::vector<ClaimRecord> claims;
  std::vector<InterchangeRecord> interchanges;
  std::size_t billedEvents = 0;

  bool hasProblems() const;  // some input or event was rejected or needs review
};

// Deterministic, pretty-printed JSON (2-space indent, fixed key order).
std::string renderReportJson(const ConvertReport& report);

// One compact JSON object (no newline) per claim or not-billed event, for `explain --json`.
std::string renderClaimJsonLine(const ClaimRecord& claim);
std::string renderOutcomeJsonLine(const OutcomeRecord& outcome);

// Human-readable explanation of every claim line and not-billed event, with its trail.
std::string renderExplanation(const ConvertReport& report);

}  // namespace fhir837
