#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/result.h"
#include "engine/serve/journal.h"

namespace fhir837::serve {

struct PruneStats {
  std::int64_t groups = 0;  // settled groups whose resources were looked at
  std::int64_t bodies = 0;  // versions whose body was emptied
};

// Retention ([serve] keep_journal_for). A group is settled when billing.sqlite says it was coded
// at its last journal sequence, waits for nothing, and every event of it is billed, not-billable
// or rejected. The resources of settled groups whose last write is older than the cutoff lose
// their stored bodies (every version received before the cutoff): type, id, version, hash,
// sequence, references, identifiers and the ledger stay, so the same content sent again is still
// recognised (200, unchanged) and never billed twice. A resource that another group still needs
// (one not settled, or written to since the cutoff) keeps its bodies. Its own connection to both
// databases: the UPDATEs are short transactions beside the journal's writer (SQLite serialises
// them); sequences, versions and indexes are never written here. The billing thread runs it.
class JournalPruner {
 public:
  static Result<std::unique_ptr<JournalPruner>> open(const std::filesystem::path& stateDir);
  ~JournalPruner();
  JournalPruner(const JournalPruner&) = delete;
  JournalPruner& operator=(const JournalPruner&) = delete;

  // One pass; `journal` gives the closures (what a group needs).
  Result<PruneStats> prune(Journal& journal, std::int64_t cutoffEpoch, std::int64_t now);

 private:
  explicit JournalPruner(sqlite3* db) : db_(db) {}
  // Inside the caller's transaction: the versions of `key` ("Type/id") received before the
  // cutoff lose their bodies; how many.
  Result<std::int64_t> emptyBodies(const std::string& key, std::int64_t cutoffEpoch);
  sqlite3* db_;  // journal.sqlite, billing.sqlite attached as "billing"
};

// A version whose body retention emptied (a stored body is never empty otherwise).
bool isPruned(const StoredResource& resource);

}  // namespace fhir837::serve
