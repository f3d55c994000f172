#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/serve/queue_types.h"

namespace fhir837::serve {

// The operator queue's records. The review items are read from billing.sqlite's event_status
// (state needs-review), the dead letters from journal.sqlite's dead_letter; what operators did
// (drops, retries: who, when, why) and the actions still to apply are kept in billing.sqlite
// beside them (queue_marks, queue_actions). Any process may open it while the daemon runs: every
// write is one short transaction under SQLite's locks (WAL, busy timeout). Thread-safe.
class QueueStore {
 public:
  // Needs a state dir the daemon has used (journal.sqlite exists): a mistyped --state-dir is an
  // error, not a new empty state.
  static Result<std::unique_ptr<QueueStore>> open(const std::filesystem::path& stateDir);
  ~QueueStore();
  QueueStore(const QueueStore&) = delete;
  QueueStore& operator=(const QueueStore&) = delete;

  // Open items (with `all`: dropped and retried ones too), oldest first.
  Result<std::vector<QueueItem>> list(bool all);
  // One item by id, whatever its state; nullopt: no such item.
  Result<std::optional<QueueItem>> find(const std::string& id, bool withBody);

  // Records that `item` was dropped / retried (state "dropped" | "retried"), or forgets it.
  Status mark(const std::string& item, const std::string& state, const std::string& by,
              const std::string& reason, std::int64_t at);
  Status unmark(const std::string& item);

  Result<std::int64_t> addAction(const QueueAction& action);
  Result<std::vector<QueueAction>> pendingActions();
  Result<std::optional<QueueAction>> action(std::int64_t number);
  Status finishAction(std::int64_t number, const std::string& state, const std::string& result,
                      std::int64_t at);

  // The group an event of the review queue belongs to ("" if unknown).
  Result<std::string> groupOfEvent(const std::string& eventKey);
  // Makes the group due again: its coded sequence is set below any journal sequence, so the
  // billing thread codes it in its next round (or at its next start).
  Status makeGroupDue(const std::string& groupKey);

 private:
  QueueStore(sqlite3* billing, sqlite3* journal) : billing_(billing), journal_(journal) {}
  Result<std::vector<QueueItem>> reviewItems(const std::string& eventKey, bool all);
  Result<std::vector<QueueItem>> deadItems(std::int64_t seq, bool all, bool withBody);

  std::mutex mutex_;
  sqlite3* billing_;
  sqlite3* journal_;
};

}  // namespace fhir837::serve
