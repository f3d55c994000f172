#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "coding_types.h"
#include "core/result.h"
#include "engine/clock.h"
#include "engine/config/app_config.h"
#include "engine/progress.h"
#include "engine/report/convert_report.h"
#include "fhir_tree/fhir_node.h"
#include "store/billing_ledger.h"

namespace fhir837 {

struct ConvertOptions {
  std::vector<std::filesystem::path> inputs;
  std::filesystem::path outputDir;
  std::optional<ClaimForm> form;  // --form; default 837P until billing profiles land
  ParseLimits limits;
  bool writeFiles = true;  // false for `explain`: code and report, write nothing, bill nothing
  unsigned jobs = 1;  // worker threads (--jobs) for parsing and coding; output never depends on it
  ConvertProgress* progress = nullptr;  // live counters for a progress bar; may be null
  // The daemon's micro-batches. Where interchanges go (empty: outputDir).
  std::filesystem::path interchangeDir;
  // false (batch): an event waiting for data that is not there is rejected. true (daemon): it is
  // reported kPending, and the other events of its group wait with it (an encounter is billed
  // whole or not at all), so nothing is billed until everything it needs has arrived.
  bool keepPending = false;
  // false: report.claims / outcomes stay in memory (the daemon's small runs read them back);
  // true: they are spooled to temp files in outputDir (bounded memory for bulk runs).
  bool spoolReport = true;
  // Set: only these events ("MedicationAdministration/ma1") are coded; the other events of the
  // input are there as context (a Procedure an administration is partOf) and get no outcome.
  const std::unordered_set<std::string>* onlyEvents = nullptr;
};

// The batch driver of the pipeline, in two passes. First: sources -> parser -> index (documents
// in memory, NDJSON resources spilled to a temp file and indexed by key). Second, group by group
// (the events of one encounter) on `jobs` threads: read back -> assembler -> coder -> claim
// builder -> one-claim emitter check; then, in a fixed order on one thread: ledger, interchange
// emitter -> sink, report. Input problems become report entries, never exceptions;
// only usage/config/state-store failures return an Error.
Result<ConvertReport> convertInputs(const AppConfig& config, const CodingTables& tables,
                                    const ConvertOptions& options, const Clock& clock,
                                    BillingLedger& store);

}  // namespace fhir837
