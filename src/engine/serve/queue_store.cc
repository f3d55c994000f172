#include "engine/serve/queue_store.h"

#include <algorithm>
#include <map>

#include "engine/serve/billing_store.h"
#include "store/sqlite_open.h"
#include "store/sqlite_statement.h"

namespace fhir837::serve {

namespace {

// review_since: when an event entered needs-review, kept by a trigger on the billing store's
// upsert (INSERT OR REPLACE fires AFTER INSERT), so the billing thread needs no change to keep it
// and a state that stays needs-review keeps its first time.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS queue_marks(
  item TEXT PRIMARY KEY, state TEXT NOT NULL, by TEXT NOT NULL, reason TEXT NOT NULL,
  at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS queue_actions(
  n INTEGER PRIMARY KEY AUTOINCREMENT, item TEXT NOT NULL, action TEXT NOT NULL, by TEXT NOT NULL,
  reason TEXT NOT NULL, requested_at INTEGER NOT NULL, state TEXT NOT NULL,
  result TEXT NOT NULL DEFAULT '', applied_at INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS queue_actions_by_state ON queue_actions(state, n);
CREATE TABLE IF NOT EXISTS review_since(event_key TEXT PRIMARY KEY, since INTEGER NOT NULL);
CREATE TRIGGER IF NOT EXISTS review_since_track AFTER INSERT ON event_status BEGIN
  DELETE FROM review_since WHERE event_key = NEW.event_key AND NEW.state <> 'needs-review';
  INSERT OR IGNORE INTO review_since(event_key, since)
    SELECT NEW.event_key, CAST(strftime('%s', 'now') AS INTEGER) WHERE NEW.state = 'needs-review';
END;
)sql";

constexpr const char* kReviewPrefix = "review:";
constexpr const char* kDeadPrefix = "dead:";

Error storeError(sqlite3* db, const std::string& what) { return sqliteError(db, what, "queue"); }

QueueAction actionOf(Statement& row) {
  QueueAction action;
  action.number = row.integer(0);
  action.item = row.text(1);
  action.action = row.text(2);
  action.by = row.text(3);
  action.reason = row.text(4);
  action.requestedAt = row.integer(5);
  action.state = row.text(6);
  action.result = row.text(7);
  action.appliedAt = row.integer(8);
  return action;
}

constexpr const char* kActionColumns =
    "SELECT n, item, action, by, reason, requested_at, state, result, applied_at FROM "
    "queue_actions ";

}  // namespace

Result<std::unique_ptr<QueueStore>> QueueStore::open(const std::filesystem::path& stateDir) {
  const auto journalFile = stateDir / "journal.sqlite";
  std::error_code ec;
  if (!std::filesystem::exists(journalFile, ec)) {
    return makeError(ErrorCode::kIo, "no daemon state here (no journal.sqlite)", stateDir.string());
  }
  // The billing store's tables first: the review trigger is defined on event_status.
  if (auto billing = BillingStore::open(stateDir); !billing) return billing.error();
  auto billing = openDurableSqlite(stateDir / "billing.sqlite", "billing.sqlite");
  if (!billing) return billing.error();
  if (sqlite3_exec(*billing, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) {
    Error error = storeError(*billing, "queue schema");
    sqlite3_close(*billing);
    return error;
  }
  auto journal = openDurableSqlite(journalFile, "journal");
  if (!journal) {
    sqlite3_close(*billing);
    return journal.error();
  }
  return std::unique_ptr<QueueStore>(new QueueStore(*billing, *journal));
}

QueueStore::~QueueStore() {
  sqlite3_close(journal_);
  sqlite3_close(billing_);
}

Result<std::vector<QueueItem>> QueueStore::reviewItems(const std::string& eventKey, bool all) {
  std::string sql =
      "SELECT s.event_key, s.group_key, s.rule, s.reason, s.path, s.waiting_for, s.trail, "
      "COALESCE(r.since, 0), COALESCE(m.state, 'open'), COALESCE(m.by, ''), "
      "COALESCE(m.reason, ''), COALESCE(m.at, 0) FROM event_status s "
      "LEFT JOIN review_since r ON r.event_key = s.event_key "
      "LEFT JOIN queue_marks m ON m.item = 'review:' || s.event_key "
      "WHERE s.state = 'needs-review'";
  if (!eventKey.empty()) sql += " AND s.event_key = ?";
  if (!all) sql += " AND m.item IS NULL";
  sql += " ORDER BY 8, 1";
  Statement query(billing_, sql.c_str());
  if (!query.ok()) return storeError(billing_, "review queue query");
  if (!eventKey.empty()) query.bind(1, eventKey);
  std::vector<QueueItem> items;
  int rc;
  while ((rc = query.step()) == SQLITE_ROW) {
    QueueItem item;
    item.id = kReviewPrefix + query.text(0);
    item.kind = "review";
    item.groupKey = query.text(1);
    item.rule = query.text(2);
    item.reason = query.text(3);
    item.path = query.text(4);
    item.waitingFor = splitStoredLines(query.text(5));
    item.trail = query.text(6);
    item.since = query.integer(7);
    item.state = query.text(8);
    item.markedBy = query.text(9);
    item.markReason = query.text(10);
    item.markedAt = query.integer(11);
    items.push_back(std::move(item));
  }
  if (rc != SQLITE_DONE) return storeError(billing_, "review queue query");
  return items;
}

Result<std::vector<QueueItem>> QueueStore::deadItems(std::int64_t seq, bool all, bool withBody) {
  struct Mark {
    std::string state, by, reason;
    std::int64_t at = 0;
  };
  std::map<std::string, Mark> marks;
  {
    Statement query(billing_,
                    "SELECT item, state, by, reason, at FROM queue_marks WHERE item LIKE 'dead:%'");
    if (!query.ok()) return storeError(billing_, "queue marks query");
    while (query.step() == SQLITE_ROW) {
      marks[query.text(0)] = {query.text(1), query.text(2), query.text(3), query.integer(4)};
    }
  }
  std::string sql =
      "SELECT seq, received, CAST(strftime('%s', received) AS INTEGER), http_status, issue_code, "
      "reason, method, target, content_type, length(body)";
  sql += withBody ? ", body" : "";
  sql += " FROM dead_letter";
  if (seq > 0) sql += " WHERE seq = ?";
  sql += " ORDER BY seq";
  Statement query(journal_, sql.c_str());
  if (!query.ok()) return storeError(journal_, "dead letter query");
  if (seq > 0) query.bind(1, seq);
  std::vector<QueueItem> items;
  int rc;
  while ((rc = query.step()) == SQLITE_ROW) {
    QueueItem item;
    item.id = kDeadPrefix + std::to_string(query.integer(0));
    item.kind = "dead-letter";
    item.received = query.text(1);
    item.since = query.integer(2);
    item.httpStatus = static_cast<int>(query.integer(3));
    item.rule = query.text(4);
    item.reason = query.text(5);
    item.method = query.text(6);
    item.target = query.text(7);
    item.contentType = query.text(8);
    item.bodyBytes = static_cast<std::size_t>(query.integer(9));
    if (withBody) item.body = query.blob(10);
    if (auto mark = marks.find(item.id); mark != marks.end()) {
      if (!all) continue;
      item.state = mark->second.state;
      item.markedBy = mark->second.by;
      item.markReason = mark->second.reason;
      item.markedAt = mark->second.at;
    }
    items.push_back(std::move(item));
  }
  if (rc != SQLITE_DONE) return storeError(journal_, "dead letter query");
  return items;
}

Result<std::vector<QueueItem>> QueueStore::list(bool all) {
  std::lock_guard lock(mutex_);
  auto review = reviewItems("", all);
  if (!review) return review.error();
  auto dead = deadItems(0, all, false);
  if (!dead) return dead.error();
  std::vector<QueueItem> items = std::move(*review);
  for (QueueItem& item : *dead) items.push_back(std::move(item));
  std::stable_sort(items.begin(), items.end(),
                   [](const QueueItem& a, const QueueItem& b) { return a.since < b.since; });
  return items;
}

Result<std::optional<QueueItem>> QueueStore::find(const std::string& id, bool withBody) {
  std::lock_guard lock(mutex_);
  Result<std::vector<QueueItem>> found = std::vector<QueueItem>{};
  if (id.rfind(kReviewPrefix, 0) == 0 && id.size() > std::string(kReviewPrefix).size()) {
    found = reviewItems(id.substr(std::string(kReviewPrefix).size()), true);
  } else if (id.rfind(kDeadPrefix, 0) == 0) {
    const std::string digits = id.substr(std::string(kDeadPrefix).size());
    if (digits.empty() || digits.size() > 18 ||
        digits.find_first_not_of("0123456789") != std::string::npos || digits == "0") {
      return std::optional<QueueItem>();
    }
    found = deadItems(std::stoll(digits), true, withBody);
  }
  if (!found) return found.error();
  if (found->empty()) return std::optional<QueueItem>();
  return std::optional<QueueItem>(std::move(found->front()));
}

Status QueueStore::mark(const std::string& item, const std::string& state, const std::string& by,
                        const std::string& reason, std::int64_t at) {
  std::lock_guard lock(mutex_);
  Statement upsert(billing_,
                   "INSERT OR REPLACE INTO queue_marks(item, state, by, reason, at) "
                   "VALUES(?,?,?,?,?)");
  upsert.bind(1, item);
  upsert.bind(2, state);
  upsert.bind(3, by);
  upsert.bind(4, reason);
  upsert.bind(5, at);
  if (!upsert.ok() || upsert.step() != SQLITE_DONE) return storeError(billing_, "queue mark");
  return Status::ok();
}

Status QueueStore::unmark(const std::string& item) {
  std::lock_guard lock(mutex_);
  Statement erase(billing_, "DELETE FROM queue_marks WHERE item = ?");
  erase.bind(1, item);
  if (!erase.ok() || erase.step() != SQLITE_DONE) return storeError(billing_, "queue unmark");
  return Status::ok();
}

Result<std::int64_t> QueueStore::addAction(const QueueAction& action) {
  std::lock_guard lock(mutex_);
  Statement insert(billing_,
                   "INSERT INTO queue_actions(item, action, by, reason, requested_at, state) "
                   "VALUES(?,?,?,?,?,'pending')");
  insert.bind(1, action.item);
  insert.bind(2, action.action);
  insert.bind(3, action.by);
  insert.bind(4, action.reason);
  insert.bind(5, action.requestedAt);
  if (!insert.ok() || insert.step() != SQLITE_DONE) return storeError(billing_, "queue action");
  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(billing_));
}

Result<std::vector<QueueAction>> QueueStore::pendingActions() {
  std::lock_guard lock(mutex_);
  Statement query(billing_,
                  (std::string(kActionColumns) + "WHERE state = 'pending' ORDER BY n").c_str());
  if (!query.ok()) return storeError(billing_, "pending queue actions");
  std::vector<QueueAction> actions;
  int rc;
  while ((rc = query.step()) == SQLITE_ROW) actions.push_back(actionOf(query));
  if (rc != SQLITE_DONE) return storeError(billing_, "pending queue actions");
  return actions;
}

Result<std::optional<QueueAction>> QueueStore::action(std::int64_t number) {
  std::lock_guard lock(mutex_);
  Statement query(billing_, (std::string(kActionColumns) + "WHERE n = ?").c_str());
  if (!query.ok()) return storeError(billing_, "queue action query");
  query.bind(1, number);
  const int rc = query.step();
  if (rc == SQLITE_DONE) return std::optional<QueueAction>();
  if (rc != SQLITE_ROW) return storeError(billing_, "queue action query");
  return std::optional<QueueAction>(actionOf(query));
}

Status QueueStore::finishAction(std::int64_t number, const std::string& state,
                                const std::string& result, std::int64_t at) {
  std::lock_guard lock(mutex_);
  Statement update(billing_,
                   "UPDATE queue_actions SET state = ?, result = ?, applied_at = ? WHERE n = ?");
  update.bind(1, state);
  update.bind(2, result);
  update.bind(3, at);
  update.bind(4, number);
  if (!update.ok() || update.step() != SQLITE_DONE) return storeError(billing_, "queue action");
  return Status::ok();
}

Result<std::string> QueueStore::groupOfEvent(const std::string& eventKey) {
  std::lock_guard lock(mutex_);
  Statement query(billing_, "SELECT group_key FROM event_status WHERE event_key = ?");
  if (!query.ok()) return storeError(billing_, "event group query");
  query.bind(1, eventKey);
  const int rc = query.step();
  if (rc == SQLITE_DONE) return std::string();
  if (rc != SQLITE_ROW) return storeError(billing_, "event group query");
  return query.text(0);
}

Status QueueStore::makeGroupDue(const std::string& groupKey) {
  std::lock_guard lock(mutex_);
  Statement update(billing_,
                   "INSERT INTO group_state(group_key, processed_seq, pending_since) "
                   "VALUES(?, -1, 0) ON CONFLICT(group_key) DO UPDATE SET processed_seq = -1");
  update.bind(1, groupKey);
  if (!update.ok() || update.step() != SQLITE_DONE) return storeError(billing_, "group due");
  return Status::ok();
}

}  // namespace fhir837::serve
