#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/coverage_index.h"
#include "engine/input_scope.h"
#include "engine/report/convert_report.h"
#include "engine/resource_index.h"
#include "fhir_tree/fhir_node.h"

namespace fhir837 {

// Input kept unchanged for OUTDIR/rejects/: one NDJSON line, or a whole document.
struct RejectedRaw {
  std::string input;
  std::string bytes;
  bool isLine = false;
};

// A billable event found in the input, with where it came from.
struct LoadedEvent {
  const AnyResource* resource = nullptr;
  std::string input;  // display name: "dir/a.json", "export.zip!MedicationAdministration.ndjson"
  std::string entry;  // "Bundle.entry[3]", "line 42", or the resource type for a single resource
  std::size_t scope = 0;            // index into LoadedInputs::scopes
  std::string rawLine;              // the NDJSON line as read (kept for OUTDIR/rejects/)
  std::size_t document = SIZE_MAX;  // index into LoadedInputs::documents for Bundle/document input
};

// How one group of events sees the resources: scope 0 is the global one (every input); each
// document (Bundle) has its own scope that looks in the document first, then globally.
struct ScopeHolder {
  ResourceScope scope;
  CoverageIndex coverages;
};

// Everything read from the inputs of one run. Resources from NDJSON files and from every document
// go into one global index, so references resolve across files (bulk exports spread a claim over
// Patient.ndjson, Coverage.ndjson, Encounter.ndjson...).
struct LoadedInputs {
  std::vector<std::unique_ptr<InputScope>> documents;
  std::vector<std::string> documentBytes;  // raw bytes of documents with events (for rejects)
  ResourceIndex global;
  std::vector<std::unique_ptr<ScopeHolder>> scopes;
  std::vector<LoadedEvent> events;
  std::vector<InputRecord> inputs;
  std::vector<OutcomeRecord> lineOutcomes;  // malformed NDJSON lines, unreadable members
  std::vector<RejectedRaw> rejectedRaw;     // unparseable lines and documents, for rejects/
};

// Reads every input (files, directories, archives, .gz, `-` for stdin; FHIR JSON/XML documents
// and NDJSON, detected by content), binds the resources, indexes them and lists the events.
// Problems with one input, member or line are recorded and the rest goes on; only an input
// that does not exist is an error.
// NDJSON lines are parsed and bound on `jobs` threads, in batches, merged in line order.
Status loadInputs(const std::vector<std::filesystem::path>& paths, const ParseLimits& limits,
                  unsigned jobs, LoadedInputs& loaded);

// Writes OUTDIR/rejects/: each rejected NDJSON line appended unchanged to
// rejects/<input>.ndjson, each rejected document copied unchanged, so it can be fixed and fed
// back to `convert`.
Status writeRejects(const std::filesystem::path& outputDir,
                    const std::vector<RejectedRaw>& rejected);

}  // namespace fhir837
