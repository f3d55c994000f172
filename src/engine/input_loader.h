#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "engine/bulk/compact_index.h"
#include "engine/bulk/input_file_lines.h"
#include "engine/bulk/spill_file.h"
#include "engine/coverage_index.h"
#include "engine/input_scope.h"
#include "engine/progress.h"
#include "engine/report/convert_report.h"
#include "engine/resource_index.h"
#include "fhir_tree/fhir_node.h"

namespace fhir837 {

// Input kept unchanged for OUTDIR/rejects/: one NDJSON line, a whole document, or the next part
// of an input copied as it is read (one too large to hold, or not FHIR at all).
struct RejectedRaw {
  std::string input;
  std::string bytes;
  bool isLine = false;
  bool isPart = false;
};

// The largest document (Bundle or single resource, JSON or XML) read into memory: a parsed
// document takes about six times its size, and documents stay in memory for the whole run. A
// larger one is rejected (INPUT-LIMIT, naming this limit) and copied to rejects/ as it is read;
// bulk data belongs in NDJSON, which is read line by line. Also the longest NDJSON line.
inline constexpr std::size_t kMaxDocumentBytes = 64u << 20;

// A string stored in LoadedInputs::keys (ids, group keys and positions of the events): one arena
// instead of a std::string per event keeps the event list at a few dozen bytes per event.
struct KeyRef {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
};

inline constexpr std::uint32_t kNotADocument = UINT32_MAX;

// A billable event (MedicationAdministration) found in the input: 40 bytes, one per event of the
// run. NDJSON events are not kept in memory: offset/length locate the line (LoadedInputs::lines)
// and the second pass reads it back; document events point into their document.
struct EventRecord {
  std::uint64_t offset = 0;  // NDJSON events: the line in its input file or the spill file
  std::uint32_t length = 0;
  std::uint32_t input = 0;     // index into LoadedInputs::inputNames
  std::uint32_t position = 0;  // NDJSON line number, or index into LoadedInputs::documentEvents
  std::uint32_t document = kNotADocument;  // index into LoadedInputs::documents
  KeyRef id;     // "MedicationAdministration/<id>" or "Procedure/<id>" (id empty: no id)
  KeyRef group;  // what the event's claim hangs on (its Encounter), see groupKeyOf

  SpillSpan span() const { return {offset, length}; }
};

// A document event's resource and position ("Bundle.entry[3]", or the resource type).
struct DocumentEvent {
  const AnyResource* resource = nullptr;
  KeyRef entry;
};

// How one group of events sees the resources: scope 0 is the global one (every input); each
// document (Bundle) with events has its own scope that looks in the document first, then globally.
struct ScopeHolder {
  const ResourceIndex* local = nullptr;  // the document's own index; null for scope 0
  CoverageIndex coverages;               // over the in-memory resources of this scope
};

// Everything the first pass kept of the inputs of one run:
// - documents (Bundles, single resources) stay in memory, indexed in `global`;
// - of NDJSON resources only their keys are kept in `spilled` and where their line is: in the
//   input file itself when it is a regular file, else copied to `spill`. So memory grows with the
//   number of resources, not their size, and not with the events at all beyond a small
//   EventRecord each.
struct LoadedInputs {
  std::vector<std::string> inputNames;  // display names: "dir/a.json", "x.zip!Patient.ndjson"
  std::vector<std::unique_ptr<InputScope>> documents;
  std::vector<std::string> documentBytes;  // raw bytes of documents with events (for rejects)
  ResourceIndex global;                    // the resources of every document
  std::unique_ptr<SpillFile> spill;
  // Every NDJSON line the second pass reads back (from the input files, or from `spill`).
  std::unique_ptr<InputFileLines> lines;
  CompactIndex spilled;  // the NDJSON resources that are not events
  std::vector<std::unique_ptr<ScopeHolder>> scopes;
  std::vector<std::uint32_t> scopeOfDocument;  // documents without events: 0
  std::vector<EventRecord> events;
  // Procedure events an administration points to through partOf: "Procedure/p1" -> the first
  // "MedicationAdministration/ma1" seen. Such a Procedure is that administration's event (billed
  // with it), never one of its own.
  std::multimap<std::string, std::string> carriedProcedures;
  std::vector<DocumentEvent> documentEvents;
  std::string keys;  // the arena behind every KeyRef
  std::vector<InputRecord> inputs;

  std::string_view key(KeyRef ref) const { return {keys.data() + ref.offset, ref.length}; }
  // Stores `value` in `keys`; an error once the arena would pass 4 GiB (KeyRef offsets are 32
  // bits: tens of millions of events, more than one run is meant to hold).
  Result<KeyRef> addKey(std::string_view value);
  std::size_t scopeOf(const EventRecord& event) const {
    return event.document == kNotADocument ? 0 : scopeOfDocument[event.document];
  }
  // "line 42", "Bundle.entry[3]" or "MedicationAdministration".
  std::string entryOf(const EventRecord& event) const;
  const std::string& inputOf(const EventRecord& event) const { return inputNames[event.input]; }
};

struct LoadOptions {
  ParseLimits limits;
  unsigned jobs = 1;                    // threads that parse and bind NDJSON lines
  std::filesystem::path spillDir;       // where the spill file is created (then unlinked)
  ConvertProgress* progress = nullptr;  // optional live counters
};

// Receives, as they are found, the lines and documents that could not be used: the outcome for
// the report (none for a whole unreadable document, which its InputRecord reports) and, when
// there are bytes to keep, the raw input for OUTDIR/rejects/.
using LoadProblemSink =
    std::function<Status(std::optional<OutcomeRecord> outcome, std::optional<RejectedRaw> raw)>;

// The first pass: reads every input (files, directories, archives, .gz, `-` for stdin; FHIR
// JSON/XML documents and NDJSON, detected by content), indexes the resources and lists the
// events. Problems with one input, member or line go to `problems` and the rest goes on; only an
// input that does not exist (or a failing spill file or sink) is an error. An input that cannot
// be used at all gets InputRecord::error and ::rule (INPUT-READ, INPUT-PARSE, INPUT-LIMIT,
// INPUT-EMPTY, INPUT-NOT-FILE, INPUT-TYPE); a line or Bundle entry that cannot be used is a
// rejected outcome (INPUT-PARSE, INPUT-LIMIT, INPUT-TYPE, INPUT-BUNDLE); a readable input with no
// billable event gets InputRecord::note.
Status loadInputs(const std::vector<std::filesystem::path>& paths, const LoadOptions& options,
                  LoadedInputs& loaded, const LoadProblemSink& problems);

// What an event's claim hangs on, as a sortable key: its Encounter as "Encounter/id" when the
// reference names one (relative, versioned or absolute), the reference as written otherwise, and
// the event itself when it has no context (such events never share a claim).
std::string groupKeyOf(const MedicationAdministration& administration);
std::string groupKeyOf(const Procedure& procedure);

}  // namespace fhir837
