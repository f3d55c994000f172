#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <variant>

#include "engine/serve/journal.h"

struct sqlite3;

namespace fhir837::serve {

// A failed SQLite call of the journal: kIo, naming what was attempted and SQLite's message.
Error journalError(sqlite3* db, const std::string& what);

// The SQLite journal: one writer thread with its own connection commits every queued request in
// one transaction (group commit), each request in its own savepoint; reads share a second
// connection under a mutex and never wait for a commit (WAL).
class SqliteJournal final : public Journal {
 public:
  static Result<std::unique_ptr<SqliteJournal>> open(const std::filesystem::path& stateDir);
  ~SqliteJournal() override;

  void submit(WriteBatch batch, std::function<void(Result<BatchResult>)> done) override;
  void submitDeadLetter(DeadLetter letter, std::function<void(Status)> done) override;
  Result<std::vector<DeadLetter>> deadLetters() override;
  Result<std::optional<StoredResource>> current(const std::string& type,
                                                const std::string& id) override;
  Result<std::vector<StoredResource>> findByIdentifier(const IdentifierQuery& query) override;
  Result<std::int64_t> lastSeq() override;
  Result<std::vector<ChangedGroup>> groupsChangedAfter(std::int64_t seq) override;
  Result<std::vector<StoredResource>> eventsOfGroup(const std::string& groupKey) override;
  Result<std::vector<StoredResource>> closureOf(const std::string& groupKey) override;
  Result<std::optional<std::string>> getState(const std::string& key) override;
  Status putState(const std::string& key, const std::string& value) override;
  void close() override;

  // The most resources closureOf() returns; a larger closure is an error, not a partial claim.
  static constexpr std::size_t kMaxClosure = 10000;

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

  SqliteJournal(sqlite3* writer, sqlite3* reader);
  void writerLoop();
  void commitGroup(std::deque<Task>& tasks);
  Result<BatchResult> applyBatch(const WriteBatch& batch);
  Result<WriteResult> applyWrite(const ResourceWrite& write);
  Status applyLetter(const DeadLetter& letter);
  Status execWriter(const char* sql);
  Result<std::vector<StoredResource>> currentOfKeys(const std::vector<std::string>& keys);

  sqlite3* writer_;
  sqlite3* reader_;
  std::mutex readMutex_;
  std::mutex queueMutex_;
  std::condition_variable queued_;
  std::deque<Task> queue_;
  bool closing_ = false;
  std::thread thread_;
};

}  // namespace fhir837::serve
