#include "store/state_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "core/crash_point.h"
#include "sinks/dir/atomic_file_writer.h"
#include "store/sqlite_statement.h"

namespace fhir837 {

namespace fs = std::filesystem;

namespace {
Error sqlError(sqlite3* db, const std::string& what) {
  return makeError(ErrorCode::kIo, what + ": " + sqlite3_errmsg(db), "state store");
}

std::string columnText(sqlite3_stmt* statement, int col) {
  const unsigned char* t = sqlite3_column_text(statement, col);
  return t ? reinterpret_cast<const char*>(t) : "";
}

// Readies a kept statement for its next use, however the lookup that used it ends.
class Rewind {
 public:
  explicit Rewind(sqlite3_stmt* statement) : statement_(statement) {}
  ~Rewind() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  Rewind(const Rewind&) = delete;
  Rewind& operator=(const Rewind&) = delete;

 private:
  sqlite3_stmt* statement_;
};

// event_key, claim_id, file, isa13, claim_key.
LedgerEntry ledgerRow(sqlite3_stmt* query) {
  return LedgerEntry{columnText(query, 0), columnText(query, 1), columnText(query, 2),
                     static_cast<std::uint64_t>(sqlite3_column_int64(query, 3)),
                     columnText(query, 4)};
}

void bindText(sqlite3_stmt* statement, int i, const std::string& text) {
  sqlite3_bind_text(statement, i, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

}  // namespace

Result<std::unique_ptr<StateStore>> StateStore::open(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return makeError(ErrorCode::kIo, "cannot create state dir: " + ec.message(), dir.string());
  sqlite3* db = nullptr;
  fs::path file = dir / "fhir837.sqlite";
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    Error error = makeError(ErrorCode::kIo, "cannot open state database", file.string());
    sqlite3_close(db);
    return error;
  }
  // Concurrent converts share the store: wait for the other writer instead of failing.
  sqlite3_busy_timeout(db, 60000);
  std::unique_ptr<StateStore> store(new StateStore(db));
  // Switching a new store to WAL needs a lock for which SQLite does not call the busy handler:
  // a second convert opening the same new state dir at the same moment is refused at once
  // ("database is locked"), so it waits here as it would anywhere else.
  Status wal = store->exec("PRAGMA journal_mode=WAL");
  for (int waited = 0; !wal && waited < 60000 &&
                       (sqlite3_errcode(db) == SQLITE_BUSY || sqlite3_errcode(db) == SQLITE_LOCKED);
       waited += 10) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    wal = store->exec("PRAGMA journal_mode=WAL");
  }
  if (!wal) return wal.error();
  if (Status s = store->exec("PRAGMA synchronous=FULL"); !s) return s.error();
  if (Status s = store->migrate(); !s) return s.error();
  if (Status s = store->claimOwnership(dir); !s) return s.error();
  if (Status s = store->recoverPending(); !s) return s.error();
  return store;
}

Status StateStore::claimOwnership(const fs::path& dir) {
  ownersDir_ = dir / "owners";
  std::error_code ec;
  fs::create_directories(ownersDir_, ec);
  if (ec)
    return makeError(ErrorCode::kIo, "cannot create owners dir: " + ec.message(), dir.string());
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  owner_ = std::to_string(::getpid()) + "-" + std::to_string(now);
  const fs::path lock = ownersDir_ / (owner_ + ".lock");
  ownerLockFd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (ownerLockFd_ < 0 || ::flock(ownerLockFd_, LOCK_EX) != 0) {
    return makeError(ErrorCode::kIo, "cannot lock owner file", lock.string());
  }
  crashPoint("owner-locked");
  return Status::ok();
}

Result<std::unique_ptr<StateStore>> StateStore::openInMemory() {
  sqlite3* db = nullptr;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    sqlite3_close(db);
    return makeError(ErrorCode::kIo, "cannot open an in-memory database", "state store");
  }
  std::unique_ptr<StateStore> store(new StateStore(db));
  if (Status s = store->migrate(); !s) return s.error();
  return store;
}

StateStore::~StateStore() {
  for (sqlite3_stmt* kept :
       {findBilled_, findBilledClaim_, claimIdOfOtherEncounter_, beginRead_, commitRead_}) {
    sqlite3_finalize(kept);
  }
  sqlite3_close(db_);
  if (ownerLockFd_ >= 0) {
    std::error_code ec;
    fs::remove(ownersDir_ / (owner_ + ".lock"), ec);
    ::close(ownerLockFd_);
  }
}

Status StateStore::exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    // Name the statement (its first words, no data): "database is locked" alone does not say
    // which step of the store was refused.
    const std::string_view statement(sql);
    return makeError(ErrorCode::kIo,
                     std::string(statement.substr(0, statement.find(';'))) + ": " + text,
                     "state store");
  }
  return Status::ok();
}

Status StateStore::migrate() {
  if (Status s = exec("BEGIN IMMEDIATE"); !s) return s;
  int version = 0;
  {
    Statement query(db_, "PRAGMA user_version");
    if (query.ok() && query.step() == SQLITE_ROW) version = static_cast<int>(query.integer(0));
  }
  if (version > kSchemaVersion) {
    (void)exec("ROLLBACK");
    return makeError(ErrorCode::kConfig,
                     "state dir was written by a newer fhir837 (schema " + std::to_string(version) +
                         ", this build knows " + std::to_string(kSchemaVersion) +
                         "); refusing to touch it",
                     "state store");
  }
  // Each step runs inside the transaction; a failed step undoes them all.
  auto step = [this](const char* sql) -> Status {
    Status s = exec(sql);
    if (!s) (void)exec("ROLLBACK");
    return s;
  };
  if (version == 1) {
    // Schema 2 tags each reservation with the process that made it (owner lock files).
    if (Status s = step("ALTER TABLE ledger ADD COLUMN owner TEXT NOT NULL DEFAULT '';"
                        "PRAGMA user_version = 2;");
        !s) {
      return s;
    }
    version = 2;
  }
  if (version == 2) {
    // Schema 3 remembers the payer's claim control numbers (for voids, REF*F8).
    if (Status s = step("CREATE TABLE IF NOT EXISTS payer_claims (claim_id TEXT PRIMARY KEY, "
                        "payer_icn TEXT NOT NULL);"
                        "PRAGMA user_version = 3;");
        !s) {
      return s;
    }
    version = 3;
  }
  if (version == 3) {
    // Schema 4 keys each ledger row by its claim too, so a later event of a claim already sent
    // is caught (LEDGER-2) instead of going out as a second original claim.
    if (Status s = step("ALTER TABLE ledger ADD COLUMN claim_key TEXT NOT NULL DEFAULT '';"
                        "CREATE INDEX IF NOT EXISTS ledger_claim_key ON ledger(claim_key);"
                        "CREATE INDEX IF NOT EXISTS ledger_claim_id ON ledger(claim_id);"
                        "PRAGMA user_version = 4;");
        !s) {
      return s;
    }
  }
  if (version < 1) {
    if (Status s = step(
            "CREATE TABLE IF NOT EXISTS control_numbers (partner TEXT PRIMARY KEY, last INTEGER "
            "NOT NULL);"
            "CREATE TABLE IF NOT EXISTS ledger (event_key TEXT PRIMARY KEY, claim_id TEXT NOT "
            "NULL, file TEXT NOT NULL, isa13 INTEGER NOT NULL, state TEXT NOT NULL CHECK (state IN "
            "('pending','written')), owner TEXT NOT NULL DEFAULT '', claim_key TEXT NOT NULL "
            "DEFAULT '');"
            "CREATE INDEX IF NOT EXISTS ledger_file ON ledger(file);"
            "CREATE INDEX IF NOT EXISTS ledger_claim_key ON ledger(claim_key);"
            "CREATE INDEX IF NOT EXISTS ledger_claim_id ON ledger(claim_id);"
            "CREATE TABLE IF NOT EXISTS payer_claims (claim_id TEXT PRIMARY KEY, payer_icn TEXT "
            "NOT NULL);"
            "PRAGMA user_version = 4;");
        !s) {
      return s;
    }
  }
  return exec("COMMIT");
}

Status StateStore::recoverPending() {
  // A reservation whose file exists was written but not confirmed (crash after rename): confirm
  // it. One whose file is missing never reached disk: release its events. Only reservations of
  // owners that are gone (their lock file can be locked, or is missing) are touched: another
  // running convert may be between its reservation and its rename.
  std::vector<std::pair<std::string, std::string>> pending;  // owner, file
  {
    Statement query(db_, "SELECT DISTINCT owner, file FROM ledger WHERE state = 'pending'");
    if (!query.ok()) return sqlError(db_, "recovery query");
    while (query.step() == SQLITE_ROW) pending.emplace_back(query.text(0), query.text(1));
  }
  std::vector<std::string> deadOwners;
  for (const auto& [owner, file] : pending) {
    if (owner == owner_) continue;
    bool alive = false;
    if (!owner.empty() && !ownersDir_.empty()) {
      const fs::path lock = ownersDir_ / (owner + ".lock");
      int fd = ::open(lock.c_str(), O_RDWR | O_CLOEXEC);
      if (fd >= 0) {
        alive = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
        ::close(fd);
      }
      if (!alive) deadOwners.push_back(lock.string());
    }
    if (alive) continue;
    // Killed between writing its temporary and the rename: the claims go out again under a new
    // number, so the orphaned copy must not stay beside the output.
    auto written = settleInterruptedWrite(file);
    if (!written) return written.error();
    Status s = *written ? confirmInterchange(file) : abandonInterchange(file);
    if (!s) return s;
  }
  for (const auto& lock : deadOwners) {
    std::error_code ec;
    fs::remove(lock, ec);
  }
  // Owners killed before they reserved anything leave only their lock file: remove those too.
  std::error_code ec;
  if (!ownersDir_.empty()) {
    fs::directory_iterator entries(ownersDir_, ec);
    for (; !ec && entries != fs::directory_iterator(); entries.increment(ec)) {
      const fs::path& lock = entries->path();
      if (lock.extension() != ".lock" || lock.stem() == owner_) continue;
      int fd = ::open(lock.c_str(), O_RDWR | O_CLOEXEC);
      if (fd < 0) continue;
      std::error_code removeError;  // a lock left behind is retried by the next start-up
      if (::flock(fd, LOCK_EX | LOCK_NB) == 0) fs::remove(lock, removeError);
      ::close(fd);
    }
  }
  return Status::ok();
}

sqlite3_stmt* StateStore::persistent(sqlite3_stmt*& slot, const char* sql) {
  if (!slot &&
      sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot, nullptr) != SQLITE_OK) {
    sqlite3_finalize(slot);
    slot = nullptr;
  }
  return slot;
}

void StateStore::refuseInReadBatch(const char* write) const {
  if (readBatchDepth_ > 0) {
    throw std::logic_error(std::string("state store: ") + write + " inside a ledger read batch");
  }
}

Status StateStore::beginReadBatch() {
  if (readBatchDepth_++ > 0) return Status::ok();
  sqlite3_stmt* begin = persistent(beginRead_, "BEGIN DEFERRED");
  const int rc = begin ? sqlite3_step(begin) : SQLITE_ERROR;
  if (rc != SQLITE_DONE) {
    Error error = sqlError(db_, "ledger read batch");
    if (begin) sqlite3_reset(begin);
    readBatchDepth_ = 0;
    return error;
  }
  sqlite3_reset(begin);
  return Status::ok();
}

Status StateStore::endReadBatch() {
  if (readBatchDepth_ == 0) throw std::logic_error("state store: no ledger read batch to end");
  if (--readBatchDepth_ > 0) return Status::ok();
  sqlite3_stmt* commit = persistent(commitRead_, "COMMIT");
  const int rc = commit ? sqlite3_step(commit) : SQLITE_ERROR;
  if (rc != SQLITE_DONE) {
    Error error = sqlError(db_, "ledger read batch end");
    if (commit) sqlite3_reset(commit);
    // Nothing was written in the batch: dropping it loses nothing and frees the snapshot.
    (void)exec("ROLLBACK");
    return error;
  }
  sqlite3_reset(commit);
  return Status::ok();
}

Result<std::optional<LedgerEntry>> StateStore::findBilled(const std::string& eventKey) {
  sqlite3_stmt* query =
      persistent(findBilled_, "SELECT claim_id, file, isa13 FROM ledger WHERE event_key = ?1");
  if (!query) return sqlError(db_, "ledger query");
  Rewind rewind(query);
  bindText(query, 1, eventKey);
  const int rc = sqlite3_step(query);
  if (rc == SQLITE_ROW) {
    return std::optional<LedgerEntry>(
        LedgerEntry{eventKey, columnText(query, 0), columnText(query, 1),
                    static_cast<std::uint64_t>(sqlite3_column_int64(query, 2))});
  }
  if (rc != SQLITE_DONE) return sqlError(db_, "ledger query");
  return std::optional<LedgerEntry>();
}

Result<StateStore::Reservation> StateStore::reserveInterchange(
    const std::string& partnerKey, const std::function<std::string(std::uint64_t)>& fileFor,
    const std::vector<LedgerEntry>& entries) {
  refuseInReadBatch("reserveInterchange");
  if (Status s = exec("BEGIN IMMEDIATE"); !s) return s.error();
  auto rollback = [&](Error error) {
    (void)exec("ROLLBACK");
    return error;
  };
  std::int64_t last = 0;
  {
    Statement query(db_, "SELECT last FROM control_numbers WHERE partner = ?1");
    if (!query.ok()) return rollback(sqlError(db_, "counter query"));
    query.bind(1, partnerKey);
    if (query.step() == SQLITE_ROW) last = query.integer(0);
  }
  if (last >= 999999999) {
    return rollback(makeError(ErrorCode::kConfig,
                              "interchange control numbers exhausted for partner " + partnerKey,
                              "state store"));
  }
  const std::int64_t next = last + 1;
  const std::string file = fileFor(static_cast<std::uint64_t>(next));
  {
    Statement upsert(db_,
                     "INSERT INTO control_numbers(partner, last) VALUES(?1, ?2) "
                     "ON CONFLICT(partner) DO UPDATE SET last = excluded.last");
    upsert.bind(1, partnerKey);
    upsert.bind(2, next);
    if (!upsert.ok() || upsert.step() != SQLITE_DONE) return rollback(sqlError(db_, "counter"));
  }
  Statement insert(db_,
                   "INSERT INTO ledger(event_key, claim_id, file, isa13, state, owner, claim_key) "
                   "VALUES(?1, ?2, ?3, ?4, 'pending', ?5, ?6)");
  for (const auto& entry : entries) {
    insert.bind(1, entry.eventKey);
    insert.bind(2, entry.claimId);
    insert.bind(3, file);
    insert.bind(4, next);
    insert.bind(5, owner_);
    insert.bind(6, entry.claimKey);
    const int rc = insert.ok() ? insert.step() : SQLITE_ERROR;
    // Reset before anything else: ROLLBACK fails while a statement is still active, and the
    // transaction would then keep the database locked for other processes.
    if (insert.ok()) insert.reset();
    if (rc == SQLITE_CONSTRAINT) {
      return rollback(
          makeError(ErrorCode::kRejected, "already billed by another conversion", entry.eventKey));
    }
    if (rc != SQLITE_DONE) return rollback(sqlError(db_, "ledger insert"));
  }
  if (Status s = exec("COMMIT"); !s) return rollback(s.error());
  crashPoint("reserved");
  return Reservation{static_cast<std::uint64_t>(next), file};
}

Result<std::uint64_t> StateStore::lastControlNumber(const std::string& partnerKey) {
  Statement query(db_, "SELECT last FROM control_numbers WHERE partner = ?1");
  if (!query.ok()) return sqlError(db_, "counter query");
  query.bind(1, partnerKey);
  const int rc = query.step();
  if (rc == SQLITE_ROW) return static_cast<std::uint64_t>(query.integer(0));
  if (rc != SQLITE_DONE) return sqlError(db_, "counter query");
  return std::uint64_t{0};
}

Status StateStore::recordPayerClaimNumber(const std::string& claimId, const std::string& payerIcn) {
  refuseInReadBatch("recordPayerClaimNumber");
  Statement upsert(db_,
                   "INSERT INTO payer_claims(claim_id, payer_icn) VALUES(?1, ?2) "
                   "ON CONFLICT(claim_id) DO UPDATE SET payer_icn = excluded.payer_icn");
  upsert.bind(1, claimId);
  upsert.bind(2, payerIcn);
  if (!upsert.ok() || upsert.step() != SQLITE_DONE) return sqlError(db_, "payer claim insert");
  return Status::ok();
}

Result<std::optional<std::string>> StateStore::payerClaimNumber(const std::string& claimId) {
  Statement query(db_, "SELECT payer_icn FROM payer_claims WHERE claim_id = ?1");
  if (!query.ok()) return sqlError(db_, "payer claim query");
  query.bind(1, claimId);
  if (query.step() == SQLITE_ROW) return std::optional<std::string>(query.text(0));
  return std::optional<std::string>();
}

Result<std::optional<LedgerEntry>> StateStore::findBilledClaim(const std::string& claimKey,
                                                               const std::string& claimId) {
  sqlite3_stmt* query =
      persistent(findBilledClaim_,
                 "SELECT event_key, claim_id, file, isa13, claim_key FROM ledger WHERE "
                 "(claim_key = ?1 OR (claim_key = '' AND claim_id = ?2)) AND event_key NOT LIKE "
                 "'void:%' ORDER BY isa13, event_key LIMIT 1");
  if (!query) return sqlError(db_, "ledger claim query");
  Rewind rewind(query);
  bindText(query, 1, claimKey);
  bindText(query, 2, claimId);
  const int rc = sqlite3_step(query);
  if (rc == SQLITE_ROW) return std::optional<LedgerEntry>(ledgerRow(query));
  if (rc != SQLITE_DONE) return sqlError(db_, "ledger claim query");
  return std::optional<LedgerEntry>();
}

Result<std::optional<LedgerEntry>> StateStore::claimIdOfOtherEncounter(
    const std::string& claimId, const std::string& encounter) {
  sqlite3_stmt* query =
      persistent(claimIdOfOtherEncounter_,
                 "SELECT event_key, claim_id, file, isa13, claim_key FROM ledger WHERE claim_id = "
                 "?1 AND claim_key != '' AND event_key NOT LIKE 'void:%' ORDER BY isa13, "
                 "event_key");
  if (!query) return sqlError(db_, "ledger claim id query");
  Rewind rewind(query);
  bindText(query, 1, claimId);
  int rc;
  while ((rc = sqlite3_step(query)) == SQLITE_ROW) {
    const std::string key = columnText(query, 4);
    const std::size_t first = key.find('|');
    const std::size_t second = first == std::string::npos ? first : key.find('|', first + 1);
    const std::string keyEncounter =
        first == std::string::npos ? key : key.substr(first + 1, second - first - 1);
    if (keyEncounter != encounter) return std::optional<LedgerEntry>(ledgerRow(query));
  }
  if (rc != SQLITE_DONE) return sqlError(db_, "ledger claim id query");
  return std::optional<LedgerEntry>();
}

Result<std::size_t> StateStore::eventsOnClaim(const std::string& claimId) {
  Statement query(
      db_, "SELECT count(*) FROM ledger WHERE claim_id = ?1 AND event_key NOT LIKE 'void:%'");
  if (!query.ok()) return sqlError(db_, "ledger count");
  query.bind(1, claimId);
  if (query.step() != SQLITE_ROW) return sqlError(db_, "ledger count");
  return static_cast<std::size_t>(query.integer(0));
}

Status StateStore::confirmInterchange(const std::string& file) {
  refuseInReadBatch("confirmInterchange");
  Statement update(db_, "UPDATE ledger SET state = 'written' WHERE file = ?1");
  update.bind(1, file);
  if (!update.ok() || update.step() != SQLITE_DONE) return sqlError(db_, "ledger confirm");
  crashPoint("confirmed");
  return Status::ok();
}

Status StateStore::abandonInterchange(const std::string& file) {
  refuseInReadBatch("abandonInterchange");
  Statement remove(db_, "DELETE FROM ledger WHERE file = ?1 AND state = 'pending'");
  remove.bind(1, file);
  if (!remove.ok() || remove.step() != SQLITE_DONE) return sqlError(db_, "ledger abandon");
  return Status::ok();
}

}  // namespace fhir837
