#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/serve/journal.h"
#include "fhir_tree/fhir_node.h"

namespace fhir837::inbox {

// One part of a file that was not stored: a line, a document, a Bundle entry, an archive member,
// or the whole file.
struct Refusal {
  std::string where;  // "a.ndjson: line 3", "x.zip!b.json: Bundle.entry[2]", "junk.bin"
  int status = 400;   // what HTTP would have answered
  std::string code;   // OperationOutcome issue code
  std::string message;
  std::string path;         // FHIRPath of the element, when known
  bool deadLetter = false;  // its bytes are in the journal's dead letter
};

struct FileReport {
  std::size_t stored = 0;  // resources journaled (created, new version, or the same already there)
  std::size_t refusedCount = 0;  // every refusal; the first IntakeOptions::maxListed are listed
  std::vector<Refusal> refused;
  // Nothing of the file could be used: it goes to error/ (else done/).
  bool unusable() const { return stored == 0 && refusedCount > 0; }
};

struct IntakeOptions {
  ParseLimits limits;  // per document, NDJSON line and resource (maxBytes = serve.max_body)
  std::size_t maxBundleEntries = 10000;
  std::size_t batchSize = 500;  // NDJSON resources per journal commit
  // Refusals listed in the report (a file of a million bad lines must not fill memory); the
  // others are counted, and each is still in the dead letter.
  std::size_t maxListed = 1000;
};

// Journals what one file holds exactly as HTTP input is journaled: every document, NDJSON line
// and archive member goes through serve::analyseBody, and the writes through Journal::submit
// (the same ids and hashes as a POST of the same resource, so a file read again is stored again
// as nothing new). Refused parts go to the dead letter as HTTP refusals do.
class FileJournaler {
 public:
  FileJournaler(serve::Journal& journal, std::function<void()> committed, IntakeOptions options)
      : journal_(journal), committed_(std::move(committed)), options_(options) {}

  // An error only when the journal fails or `stop` is set: the file stays in the inbox and is
  // read again later, which stores nothing twice.
  Result<FileReport> journal(const std::filesystem::path& file, const std::atomic<bool>& stop);

 private:
  serve::Journal& journal_;
  std::function<void()> committed_;  // after each commit (BillingService::notify)
  IntakeOptions options_;
};

}  // namespace fhir837::inbox
