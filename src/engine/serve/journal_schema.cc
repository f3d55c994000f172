#include <sqlite3.h>

#include "engine/serve/sqlite_journal.h"
#include "store/sqlite_open.h"

namespace fhir837::serve {

namespace {

// Versions are the journal of record; the other tables are indexes over the current versions,
// rewritten in the same transaction as the version they describe.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS versions(
  seq INTEGER PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL, vid INTEGER NOT NULL,
  hash TEXT NOT NULL, format TEXT NOT NULL, body BLOB NOT NULL, received TEXT NOT NULL,
  UNIQUE(type, id, hash), UNIQUE(type, id, vid));
CREATE TABLE IF NOT EXISTS current(
  type TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(type, id));
CREATE TABLE IF NOT EXISTS refs(
  source TEXT NOT NULL, target TEXT NOT NULL, PRIMARY KEY(source, target));
DROP INDEX IF EXISTS refs_by_target;
CREATE INDEX IF NOT EXISTS refs_by_target_source ON refs(target, source);
CREATE TABLE IF NOT EXISTS identifiers(
  type TEXT NOT NULL, system TEXT NOT NULL, value TEXT NOT NULL, id TEXT NOT NULL,
  PRIMARY KEY(type, system, value, id));
CREATE INDEX IF NOT EXISTS identifiers_by_id ON identifiers(type, id);
CREATE TABLE IF NOT EXISTS events(
  event_key TEXT PRIMARY KEY, group_key TEXT NOT NULL, patient_key TEXT NOT NULL,
  status TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_group ON events(group_key);
CREATE TABLE IF NOT EXISTS groups(
  group_key TEXT PRIMARY KEY, last_seq INTEGER NOT NULL, last_at INTEGER NOT NULL,
  finished INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS groups_by_seq ON groups(last_seq);
CREATE TABLE IF NOT EXISTS dead_letter(
  seq INTEGER PRIMARY KEY, received TEXT NOT NULL, http_status INTEGER NOT NULL,
  issue_code TEXT NOT NULL, reason TEXT NOT NULL, method TEXT NOT NULL, target TEXT NOT NULL,
  content_type TEXT NOT NULL, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS messages(
  message_key TEXT PRIMARY KEY, response BLOB NOT NULL, content_type TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS state(key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql";

// synchronous=FULL (openDurableSqlite): a 2xx is only sent after the commit reached the disk.
// temp_store=MEMORY: the savepoint of each request in a group commit journals the pages it
// changes; in memory, not spilled to a temporary file (half the writer's time under load).
Result<sqlite3*> openConnection(const std::filesystem::path& file) {
  return openDurableSqlite(file, "journal", {"PRAGMA temp_store=MEMORY"});
}

// Retention gives pruned bodies' pages back with incremental_vacuum. Only a database without
// tables can take the mode, and in WAL mode only a VACUUM applies it (instant while empty); an
// older journal keeps its freed pages on the free list for new versions instead.
bool useIncrementalVacuumIfNew(sqlite3* db) {
  sqlite3_stmt* count = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &count, nullptr) !=
          SQLITE_OK ||
      sqlite3_step(count) != SQLITE_ROW) {
    sqlite3_finalize(count);
    return false;
  }
  const bool empty = sqlite3_column_int64(count, 0) == 0;
  sqlite3_finalize(count);
  return !empty || sqlite3_exec(db, "PRAGMA auto_vacuum=INCREMENTAL; VACUUM", nullptr, nullptr,
                                nullptr) == SQLITE_OK;
}

}  // namespace

Error journalError(sqlite3* db, const std::string& what) {
  return sqliteError(db, what, "journal");
}

Result<std::unique_ptr<SqliteJournal>> SqliteJournal::open(const std::filesystem::path& stateDir,
                                                           Telemetry& telemetry) {
  std::error_code ec;
  std::filesystem::create_directories(stateDir, ec);
  if (ec) {
    return makeError(ErrorCode::kIo, "cannot create state dir: " + ec.message(), stateDir.string());
  }
  const std::filesystem::path file = stateDir / "journal.sqlite";
  auto writer = openConnection(file);
  if (!writer) return writer.error();
  if (!useIncrementalVacuumIfNew(*writer) ||
      sqlite3_exec(*writer, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) {
    Error error = journalError(*writer, "journal schema");
    sqlite3_close(*writer);
    return error;
  }
  auto reader = openConnection(file);
  if (!reader) {
    sqlite3_close(*writer);
    return reader.error();
  }
  auto checkpointer = openConnection(file);
  if (!checkpointer) {
    sqlite3_close(*reader);
    sqlite3_close(*writer);
    return checkpointer.error();
  }
  return std::unique_ptr<SqliteJournal>(
      new SqliteJournal(*writer, *reader, *checkpointer, telemetry));
}

Result<std::unique_ptr<Journal>> openJournal(const std::filesystem::path& stateDir,
                                             Telemetry& telemetry) {
  auto journal = SqliteJournal::open(stateDir, telemetry);
  if (!journal) return journal.error();
  return std::unique_ptr<Journal>(std::move(*journal));
}

SqliteJournal::SqliteJournal(sqlite3* writer, sqlite3* reader, sqlite3* checkpointer,
                             Telemetry& telemetry)
    : writer_(writer),
      reader_(reader),
      telemetry_(telemetry),
      writes_(writer),
      checkpointer_(checkpointer),
      checkpointThread_([this] { checkpointLoop(); }),
      answerThread_([this] { answerLoop(); }) {
  // Replaces SQLite's automatic checkpoint (sqlite3_wal_autocheckpoint is a WAL hook too).
  sqlite3_wal_hook(writer_, &SqliteJournal::onWalCommit, this);
  thread_ = std::thread([this] { writerLoop(); });
}

SqliteJournal::~SqliteJournal() {
  close();
  writes_.clear();
  sqlite3_close(checkpointer_);
  sqlite3_close(reader_);
  sqlite3_close(writer_);
}

void SqliteJournal::close() {
  {
    std::lock_guard lock(queueMutex_);
    if (closing_ && !thread_.joinable()) return;
    closing_ = true;
  }
  queued_.notify_all();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard lock(answerMutex_);
    answerStop_ = true;
  }
  answerReady_.notify_all();
  if (answerThread_.joinable()) answerThread_.join();
  {
    std::lock_guard lock(checkpointMutex_);
    checkpointStop_ = true;
  }
  checkpointWanted_.notify_all();
  if (checkpointThread_.joinable()) checkpointThread_.join();
}

}  // namespace fhir837::serve
