#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <variant>

#include "engine/serve/journal.h"

struct sqlite3;
struct sqlite3_stmt;

namespace fhir837::serve {

// A failed SQLite call of the journal: kIo, naming what was attempted and SQLite's message.
Error journalError(sqlite3* db, const std::string& what);

// The writer connection's statements, each prepared once (SQLITE_PREPARE_PERSISTENT) and kept
// until the journal closes: a request runs a dozen statements, and preparing them anew each time
// cost more than running them. Keyed by the SQL text. Writer thread only.
class StatementCache {
 public:
  explicit StatementCache(sqlite3* db) : db_(db) {}
  ~StatementCache() { clear(); }
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  sqlite3* db() const { return db_; }
  void clear();  // finalizes every statement (before the connection closes)

 private:
  friend class CachedStatement;
  struct Entry {
    sqlite3_stmt* stmt = nullptr;
    bool inUse = false;
  };
  sqlite3* db_;
  std::unordered_map<std::string, Entry> statements_;
};

// A statement of the cache for one use: the same interface as Statement (store/sqlite_statement.h),
// reset and unbound when it goes out of scope, so the cached statement holds no cursor or lock
// after it. A statement whose SQL is in use already (nested use) is prepared for this use alone.
class CachedStatement {
 public:
  CachedStatement(StatementCache& cache, std::string_view sql);
  ~CachedStatement();
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  void bind(int i, std::string_view text);
  void bind(int i, const std::string& text) { bind(i, std::string_view(text)); }
  void bind(int i, const char* text) { bind(i, std::string_view(text)); }
  void bind(int i, std::int64_t value);
  void bindBlob(int i, std::string_view bytes);
  int step();
  std::int64_t integer(int col);
  std::string text(int col);
  std::string blob(int col);

 private:
  sqlite3_stmt* stmt_ = nullptr;
  bool* inUse_ = nullptr;  // the cache entry's flag; nullptr: stmt_ is this use's own
};

// The SQLite journal: one writer thread with its own connection commits every queued request in
// one transaction (group commit), each request in its own savepoint; reads share a second
// connection under a mutex and never wait for a commit (WAL).
class SqliteJournal final : public Journal {
 public:
  static Result<std::unique_ptr<SqliteJournal>> open(const std::filesystem::path& stateDir,
                                                     Telemetry& telemetry = noTelemetry());
  ~SqliteJournal() override;

  void submit(WriteBatch batch, std::function<void(Result<BatchResult>)> done) override;
  void submitDeadLetter(DeadLetter letter, std::function<void(Status)> done) override;
  Result<std::vector<DeadLetter>> deadLetters() override;
  Result<std::optional<StoredResource>> current(const std::string& type,
                                                const std::string& id) override;
  Result<std::vector<StoredResource>> findByIdentifier(const IdentifierQuery& query) override;
  Result<std::int64_t> lastSeq() override;
  Result<std::vector<ChangedGroup>> groupsChangedAfter(std::int64_t seq) override;
  Result<std::optional<ChangedGroup>> group(const std::string& groupKey) override;
  Result<std::vector<StoredResource>> eventsOfGroup(const std::string& groupKey) override;
  Result<std::vector<StoredResource>> closureOf(const std::string& groupKey) override;
  Result<std::optional<std::string>> getState(const std::string& key) override;
  Status putState(const std::string& key, const std::string& value) override;
  void close() override;

  // The most resources closureOf() returns; a larger closure is an error, not a partial claim.
  static constexpr std::size_t kMaxClosure = 10000;
  // The most queued requests one commit takes in while it is being applied.
  static constexpr std::size_t kMaxGroup = 1024;

 private:
  struct BatchTask {
    WriteBatch batch;
    std::function<void(Result<BatchResult>)> done;
  };
  struct LetterTask {
    DeadLetter letter;
    std::function<void(Status)> done;
  };
  using Task = std::variant<BatchTask, LetterTask>;
  struct CommittedGroup {
    std::deque<Task> tasks;
    std::vector<Result<BatchResult>> batchResults;
    std::vector<Status> letterResults;
    Status committed;
  };

  SqliteJournal(sqlite3* writer, sqlite3* reader, sqlite3* checkpointer, Telemetry& telemetry);
  void writerLoop();
  static int onWalCommit(void* self, sqlite3* db, const char* name, int frames);
  void checkpointLoop();
  void answerLoop();
  void checkpointIfWalIsLong();
  void commitGroup(std::deque<Task>& tasks);
  Result<BatchResult> applyBatch(const WriteBatch& batch);
  Result<WriteResult> applyWrite(const ResourceWrite& write);
  Status applyLetter(const DeadLetter& letter);
  Status execWriter(const char* sql);
  Result<std::vector<StoredResource>> currentOfKeys(const std::vector<std::string>& keys);

  void reportCommit(std::chrono::steady_clock::time_point begun, const std::deque<Task>& tasks,
                    const std::vector<Result<BatchResult>>& batchResults,
                    const std::vector<Status>& letterResults);

  sqlite3* writer_;
  sqlite3* reader_;
  Telemetry& telemetry_;
  std::int64_t deadLetterRows_ = -1;  // writer thread only; -1: not counted yet
  StatementCache writes_;             // writer_'s statements
  std::mutex readMutex_;
  std::mutex queueMutex_;
  std::condition_variable queued_;
  std::deque<Task> queue_;
  bool closing_ = false;

  // Checkpoints. SQLite's automatic checkpoint ran in the writer after a commit: a few MiB of page
  // writes and an fsync of the database file during which no commit could be made (it cost over
  // half the throughput of durable POSTs). A thread of its own copies the WAL into the database
  // file instead (PASSIVE: the writer goes on committing), every kBackgroundCheckpointFrames new
  // frames, and back to back once the WAL is past kWriterCheckpointFrames. Only a checkpoint made
  // between two transactions of the writer lets SQLite start the WAL over (bounding the file);
  // the writer makes it once the background has copied all but kWriterRemainderFrames, so that it
  // costs two small fsyncs rather than a long stall.
  static constexpr int kBackgroundCheckpointFrames = 2000;  // 4 KiB pages
  static constexpr int kWriterCheckpointFrames = 8000;      // about 32 MiB of WAL
  static constexpr int kWriterRemainderFrames = 500;
  sqlite3* checkpointer_;
  std::mutex checkpointMutex_;
  std::condition_variable checkpointWanted_;
  bool checkpointPending_ = false;
  bool checkpointStop_ = false;
  std::atomic<int> walCopied_{0};  // frames of the WAL in the database file, as last checkpointed
  int walFrames_ = 0;              // writer thread only: the WAL's frames after the last commit
  int walFramesAsked_ = 0;  // writer thread only: walFrames_ when a checkpoint was last asked for
  std::thread checkpointThread_;

  // Committed groups whose callbacks (building and sending the answers) have yet to run.
  std::mutex answerMutex_;
  std::condition_variable answerReady_;
  std::deque<CommittedGroup> answers_;
  bool answerStop_ = false;
  std::thread answerThread_;

  std::thread thread_;
};

}  // namespace fhir837::serve
