#include "engine/serve/billing_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/sqlite_open.h"
#include "store/sqlite_statement.h"

namespace fhir837::serve {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS event_status(
  event_key TEXT PRIMARY KEY, group_key TEXT NOT NULL, state TEXT NOT NULL, rule TEXT NOT NULL,
  reason TEXT NOT NULL, path TEXT NOT NULL, waiting_for TEXT NOT NULL, claim_id TEXT NOT NULL,
  interchange_file TEXT NOT NULL, isa13 INTEGER NOT NULL, st02 TEXT NOT NULL, trail TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS group_state(
  group_key TEXT PRIMARY KEY, processed_seq INTEGER NOT NULL, pending_since INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS reported_claims(claim_key TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS report_queue(n INTEGER PRIMARY KEY AUTOINCREMENT, line TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sent_claims(claim_key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL);
)sql";

Error storeError(sqlite3* db, const std::string& what) {
  return sqliteError(db, what, "billing.sqlite");
}

Result<sqlite3*> openConnection(const std::filesystem::path& file) {
  return openDurableSqlite(file, "billing.sqlite");
}

Status exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return storeError(db, sql);
  return Status::ok();
}

Status done(sqlite3* db, Statement& statement, const char* what) {
  if (!statement.ok() || statement.step() != SQLITE_DONE) return storeError(db, what);
  return Status::ok();
}

// Rolls back unless committed: every early return leaves the database as it was.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  ~Transaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Status begin() {
    Status s = exec(db_, "BEGIN IMMEDIATE");
    open_ = static_cast<bool>(s);
    return s;
  }
  Status commit() {
    open_ = false;
    return exec(db_, "COMMIT");
  }

 private:
  sqlite3* db_;
  bool open_ = false;
};

std::string joinLines(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += '\n';
    out += item;
  }
  return out;
}

Status writeAll(int fd, const std::string& bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return makeError(ErrorCode::kIo,
                       std::string("cannot append to the report: ") + std::strerror(errno));
    }
    written += static_cast<std::size_t>(n);
  }
  return Status::ok();
}

}  // namespace

std::vector<std::string> splitStoredLines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Result<std::unique_ptr<BillingStore>> BillingStore::open(const std::filesystem::path& stateDir) {
  std::error_code ec;
  std::filesystem::create_directories(stateDir, ec);
  if (ec) {
    return makeError(ErrorCode::kIo, "cannot create the state dir: " + ec.message(),
                     stateDir.string());
  }
  const auto file = stateDir / "billing.sqlite";
  auto writer = openConnection(file);
  if (!writer) return writer.error();
  if (Status s = exec(*writer, kSchema); !s) {
    sqlite3_close(*writer);
    return s.error();
  }
  auto reader = openConnection(file);
  if (!reader) {
    sqlite3_close(*writer);
    return reader.error();
  }
  return std::unique_ptr<BillingStore>(new BillingStore(*writer, *reader));
}

BillingStore::~BillingStore() {
  sqlite3_close(reader_);
  sqlite3_close(writer_);
}

Result<std::optional<BillingStore::GroupState>> BillingStore::groupState(
    const std::string& groupKey) {
  Statement query(writer_,
                  "SELECT processed_seq, pending_since FROM group_state WHERE group_key=?");
  if (!query.ok()) return storeError(writer_, "group_state query");
  query.bind(1, groupKey);
  const int rc = query.step();
  if (rc == SQLITE_DONE) return std::optional<GroupState>();
  if (rc != SQLITE_ROW) return storeError(writer_, "group_state query");
  return std::optional<GroupState>(GroupState{query.integer(0), query.integer(1)});
}

Status BillingStore::apply(const Update& update) {
  Transaction transaction(writer_);
  if (Status s = transaction.begin(); !s) return s;
  Statement status(writer_,
                   "INSERT OR REPLACE INTO event_status(event_key, group_key, state, rule, reason, "
                   "path, waiting_for, claim_id, interchange_file, isa13, st02, trail) "
                   "VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
  for (std::size_t k = 0; k < update.statuses.size(); ++k) {
    const EventBillingStatus& e = update.statuses[k];
    status.reset();
    status.bind(1, e.eventKey);
    status.bind(2, k < update.statusGroups.size() ? update.statusGroups[k].second : "");
    status.bind(3, e.state);
    status.bind(4, e.rule);
    status.bind(5, e.reason);
    status.bind(6, e.path);
    status.bind(7, joinLines(e.waitingFor));
    status.bind(8, e.claimId);
    status.bind(9, e.interchangeFile);
    status.bind(10, static_cast<std::int64_t>(e.interchangeControlNumber));
    status.bind(11, e.transactionSetControlNumber);
    status.bind(12, e.trailJson);
    if (Status s = done(writer_, status, "event_status upsert"); !s) return s;
  }
  Statement group(writer_,
                  "INSERT OR REPLACE INTO group_state(group_key, processed_seq, pending_since) "
                  "VALUES(?,?,?)");
  for (const auto& [key, state] : update.groups) {
    group.reset();
    group.bind(1, key);
    group.bind(2, state.processedSeq);
    group.bind(3, state.pendingSince);
    if (Status s = done(writer_, group, "group_state upsert"); !s) return s;
  }
  Statement reported(writer_, "INSERT OR IGNORE INTO reported_claims(claim_key) VALUES(?)");
  Statement queue(writer_, "INSERT INTO report_queue(line) VALUES(?)");
  for (const auto& [claimKey, line] : update.reportLines) {
    reported.reset();
    reported.bind(1, claimKey);
    if (Status s = done(writer_, reported, "reported_claims insert"); !s) return s;
    if (sqlite3_changes(writer_) == 0) continue;  // this claim's line is queued or written already
    queue.reset();
    queue.bind(1, line);
    if (Status s = done(writer_, queue, "report_queue insert"); !s) return s;
  }
  Statement sent(writer_, "INSERT OR REPLACE INTO sent_claims(claim_key, fingerprint) VALUES(?,?)");
  for (const auto& [claimKey, fingerprint] : update.fingerprints) {
    sent.reset();
    sent.bind(1, claimKey);
    sent.bind(2, fingerprint);
    if (Status s = done(writer_, sent, "sent_claims upsert"); !s) return s;
  }
  return transaction.commit();
}

Result<std::optional<std::string>> BillingStore::fingerprint(const std::string& claimKey) {
  Statement query(writer_, "SELECT fingerprint FROM sent_claims WHERE claim_key=?");
  if (!query.ok()) return storeError(writer_, "sent_claims query");
  query.bind(1, claimKey);
  const int rc = query.step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return storeError(writer_, "sent_claims query");
  return std::optional<std::string>(query.text(0));
}

Status BillingStore::flushReport(const std::filesystem::path& reportFile) {
  std::vector<std::pair<std::int64_t, std::string>> lines;
  {
    Statement query(writer_, "SELECT n, line FROM report_queue ORDER BY n");
    if (!query.ok()) return storeError(writer_, "report_queue query");
    while (query.step() == SQLITE_ROW) lines.emplace_back(query.integer(0), query.text(1));
  }
  if (lines.empty()) return Status::ok();
  std::int64_t offset = 0;
  {
    Statement query(writer_, "SELECT value FROM meta WHERE key='report_offset'");
    if (query.ok() && query.step() == SQLITE_ROW) offset = query.integer(0);
  }
  const int fd = ::open(reportFile.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return makeError(ErrorCode::kIo, std::string("cannot open: ") + std::strerror(errno),
                     reportFile.string());
  }
  struct stat info {};
  Status status = ::fstat(fd, &info) == 0
                      ? Status::ok()
                      : makeError(ErrorCode::kIo, "cannot stat the report", reportFile.string());
  // Shorter than recorded: the file was rotated away; carry on from its end.
  if (status && info.st_size < offset) offset = info.st_size;
  if (status && ::ftruncate(fd, offset) != 0) {
    status = makeError(ErrorCode::kIo, "cannot cut the report back to its last flush",
                       reportFile.string());
  }
  std::string bytes;
  for (const auto& [n, line] : lines) bytes += line + "\n";
  if (status && ::lseek(fd, offset, SEEK_SET) < 0) {
    status = makeError(ErrorCode::kIo, "cannot seek in the report", reportFile.string());
  }
  if (status) status = writeAll(fd, bytes);
  if (status && ::fsync(fd) != 0) {
    status = makeError(ErrorCode::kIo, "cannot fsync the report", reportFile.string());
  }
  ::close(fd);
  if (!status) return status;
  Transaction transaction(writer_);
  if (Status s = transaction.begin(); !s) return s;
  Statement drop(writer_, "DELETE FROM report_queue WHERE n <= ?");
  drop.bind(1, lines.back().first);
  if (Status s = done(writer_, drop, "report_queue delete"); !s) return s;
  Statement length(writer_, "INSERT OR REPLACE INTO meta(key, value) VALUES('report_offset', ?)");
  length.bind(1, offset + static_cast<std::int64_t>(bytes.size()));
  if (Status s = done(writer_, length, "report offset"); !s) return s;
  return transaction.commit();
}

Result<std::optional<EventBillingStatus>> BillingStore::status(const std::string& eventKey) {
  std::lock_guard lock(readerMutex_);
  Statement query(reader_,
                  "SELECT state, rule, reason, path, waiting_for, claim_id, interchange_file, "
                  "isa13, st02, trail FROM event_status WHERE event_key=?");
  if (!query.ok()) return storeError(reader_, "event_status query");
  query.bind(1, eventKey);
  const int rc = query.step();
  if (rc == SQLITE_DONE) return std::optional<EventBillingStatus>();
  if (rc != SQLITE_ROW) return storeError(reader_, "event_status query");
  EventBillingStatus status;
  status.eventKey = eventKey;
  status.state = query.text(0);
  status.rule = query.text(1);
  status.reason = query.text(2);
  status.path = query.text(3);
  status.waitingFor = splitStoredLines(query.text(4));
  status.claimId = query.text(5);
  status.interchangeFile = query.text(6);
  status.interchangeControlNumber = static_cast<std::uint64_t>(query.integer(7));
  status.transactionSetControlNumber = query.text(8);
  status.trailJson = query.text(9);
  return std::optional<EventBillingStatus>(std::move(status));
}

Result<std::int64_t> BillingStore::countInState(const std::string& state) {
  std::lock_guard lock(readerMutex_);
  Statement query(reader_, "SELECT count(*) FROM event_status WHERE state=?");
  if (!query.ok()) return storeError(reader_, "event_status count");
  query.bind(1, state);
  if (query.step() != SQLITE_ROW) return storeError(reader_, "event_status count");
  return query.integer(0);
}

}  // namespace fhir837::serve
