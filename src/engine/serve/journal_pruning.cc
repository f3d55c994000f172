#include "engine/serve/journal_pruning.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "store/sqlite_open.h"
#include "store/sqlite_statement.h"

namespace fhir837::serve {

namespace {

// How many resources one prune transaction empties: the journal's writer waits for each.
constexpr std::size_t kKeysPerTransaction = 256;

// A group is settled when it was coded at its last sequence, waits for nothing, and no event of it
// may still change its mind (needs-review can be retried, pending / held wait).
constexpr const char* kSettled =
    "EXISTS (SELECT 1 FROM billing.group_state s WHERE s.group_key = g.group_key "
    "AND s.processed_seq >= g.last_seq AND s.pending_since = 0) "
    "AND NOT EXISTS (SELECT 1 FROM billing.event_status e WHERE e.group_key = g.group_key "
    "AND e.state NOT IN ('billed', 'not-billable', 'rejected'))";

Error pruneError(sqlite3* db, const std::string& what) {
  return sqliteError(db, what, "journal pruning");
}

Status exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return pruneError(db, sql);
  return Status::ok();
}

Result<std::vector<std::pair<std::string, std::int64_t>>> groupsWhere(sqlite3* db,
                                                                      const std::string& where,
                                                                      std::int64_t cutoff) {
  Statement query(db, ("SELECT g.group_key, g.last_seq FROM groups g WHERE " + where).c_str());
  if (!query.ok()) return pruneError(db, "prune group query");
  query.bind(1, cutoff);
  std::vector<std::pair<std::string, std::int64_t>> groups;
  int rc;
  while ((rc = query.step()) == SQLITE_ROW) groups.emplace_back(query.text(0), query.integer(1));
  if (rc != SQLITE_DONE) return pruneError(db, "prune group query");
  return groups;
}

}  // namespace

bool isPruned(const StoredResource& resource) { return resource.body.empty(); }

Result<std::unique_ptr<JournalPruner>> JournalPruner::open(const std::filesystem::path& stateDir) {
  auto db = openDurableSqlite(stateDir / "journal.sqlite", "journal");
  if (!db) return db.error();
  std::unique_ptr<JournalPruner> pruner(new JournalPruner(*db));
  Statement attach(*db, "ATTACH DATABASE ? AS billing");
  attach.bind(1, (stateDir / "billing.sqlite").string());
  if (!attach.ok() || attach.step() != SQLITE_DONE) return pruneError(*db, "attach billing");
  if (Status s = exec(*db,
                      "CREATE TABLE IF NOT EXISTS billing.pruned_groups(group_key TEXT PRIMARY "
                      "KEY, last_seq INTEGER NOT NULL, at INTEGER NOT NULL)");
      !s) {
    return s.error();
  }
  return pruner;
}

JournalPruner::~JournalPruner() { sqlite3_close(db_); }

// A row whose body is set empty keeps its place in its B-tree page, and SQLite neither merges
// the pages it leaves nearly empty nor appends new versions (higher sequences) into them: the file
// would not shrink or stop growing. Deleted and inserted again (same sequence and columns, no
// body) the rows are packed into fewer pages and the rest go to the free list.
Result<std::int64_t> JournalPruner::emptyBodies(const std::string& key, std::int64_t cutoffEpoch) {
  const std::size_t slash = key.find('/');
  struct Row {
    std::int64_t seq = 0, vid = 0;
    std::string hash, format, received;
  };
  std::vector<Row> rows;
  {
    Statement find(db_,
                   "SELECT seq, vid, hash, format, received FROM versions WHERE type = ? AND "
                   "id = ? AND length(body) > 0 AND CAST(strftime('%s', received) AS INTEGER) < ?");
    find.bind(1, key.substr(0, slash));
    find.bind(2, key.substr(slash + 1));
    find.bind(3, cutoffEpoch);
    int rc;
    while (find.ok() && (rc = find.step()) == SQLITE_ROW) {
      rows.push_back({find.integer(0), find.integer(1), find.text(2), find.text(3), find.text(4)});
    }
    if (!find.ok() || rc != SQLITE_DONE) return pruneError(db_, "find bodies to prune");
  }
  Statement erase(db_, "DELETE FROM versions WHERE seq = ?");
  Statement insert(db_,
                   "INSERT INTO versions(seq, type, id, vid, hash, format, body, received) "
                   "VALUES(?,?,?,?,?,?,X'',?)");
  for (const Row& row : rows) {
    erase.reset();
    erase.bind(1, row.seq);
    insert.reset();
    insert.bind(1, row.seq);
    insert.bind(2, key.substr(0, slash));
    insert.bind(3, key.substr(slash + 1));
    insert.bind(4, row.vid);
    insert.bind(5, row.hash);
    insert.bind(6, row.format);
    insert.bind(7, row.received);
    if (!erase.ok() || erase.step() != SQLITE_DONE || !insert.ok() ||
        insert.step() != SQLITE_DONE) {
      return pruneError(db_, "prune body");
    }
  }
  return static_cast<std::int64_t>(rows.size());
}

Result<PruneStats> JournalPruner::prune(Journal& journal, std::int64_t cutoffEpoch,
                                        std::int64_t now) {
  PruneStats stats;
  // Settled, quiet since the cutoff, and not pruned since their last change.
  auto prunable =
      groupsWhere(db_,
                  std::string("g.last_at < ?1 AND ") + kSettled +
                      " AND NOT EXISTS (SELECT 1 FROM billing.pruned_groups p WHERE p.group_key = "
                      "g.group_key AND p.last_seq >= g.last_seq)",
                  cutoffEpoch);
  if (!prunable) return prunable.error();
  if (prunable->empty()) return stats;
  auto needed =
      groupsWhere(db_, std::string("g.last_at >= ?1 OR NOT (") + kSettled + ")", cutoffEpoch);
  if (!needed) return needed.error();
  std::set<std::string> keep;
  for (const auto& [group, seq] : *needed) {
    auto closure = journal.closureOf(group);
    // Over the closure limit: it cannot be billed as it is (needs review, SERVE-CLOSURE), and
    // if it is retried after all, a pruned resource makes it needs-review by name.
    if (!closure && closure.error().code == ErrorCode::kLimitExceeded) continue;
    if (!closure) return closure.error();
    for (const StoredResource& r : *closure) keep.insert(r.type + "/" + r.id);
  }
  std::set<std::string> prune;
  for (const auto& [group, seq] : *prunable) {
    auto closure = journal.closureOf(group);
    // A closure over the limit was refused a claim (needs review): not settled, never here.
    if (!closure) return closure.error();
    for (const StoredResource& r : *closure) {
      const std::string key = r.type + "/" + r.id;
      if (!keep.count(key)) prune.insert(key);
    }
  }
  std::vector<std::string> keys(prune.begin(), prune.end());
  for (std::size_t start = 0; start < keys.size(); start += kKeysPerTransaction) {
    if (Status s = exec(db_, "BEGIN IMMEDIATE"); !s) return s.error();
    const std::size_t end = std::min(keys.size(), start + kKeysPerTransaction);
    for (std::size_t k = start; k < end; ++k) {
      auto emptied = emptyBodies(keys[k], cutoffEpoch);
      if (!emptied) {
        (void)exec(db_, "ROLLBACK");
        return emptied.error();
      }
      stats.bodies += *emptied;
    }
    if (Status s = exec(db_, "COMMIT"); !s) {
      (void)exec(db_, "ROLLBACK");
      return s.error();
    }
  }
  if (Status s = exec(db_, "BEGIN IMMEDIATE"); !s) return s.error();
  Statement done(db_,
                 "INSERT OR REPLACE INTO billing.pruned_groups(group_key, last_seq, at) "
                 "VALUES(?,?,?)");
  for (const auto& [group, seq] : *prunable) {
    done.reset();
    done.bind(1, group);
    done.bind(2, seq);
    done.bind(3, now);
    if (!done.ok() || done.step() != SQLITE_DONE) {
      Error error = pruneError(db_, "pruned groups");
      (void)exec(db_, "ROLLBACK");
      return error;
    }
  }
  if (Status s = exec(db_, "COMMIT"); !s) {
    (void)exec(db_, "ROLLBACK");
    return s.error();
  }
  stats.groups = static_cast<std::int64_t>(prunable->size());
  // Databases made with auto_vacuum=INCREMENTAL give the freed pages back to the file system;
  // older ones keep them on the free list, where new versions reuse them (no growth either).
  if (Status s = exec(db_, "PRAGMA main.incremental_vacuum"); !s) return s.error();
  return stats;
}

}  // namespace fhir837::serve
