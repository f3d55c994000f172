#include <sqlite3.h>

#include <chrono>

#include "engine/serve/journal_time.h"
#include "engine/serve/sqlite_journal.h"

namespace fhir837::serve {

namespace {

bool refused(WriteKind kind) {
  return kind == WriteKind::kConflict || kind == WriteKind::kPreconditionFailed;
}

}  // namespace

void StatementCache::clear() {
  for (auto& [sql, entry] : statements_) sqlite3_finalize(entry.stmt);
  statements_.clear();
}

CachedStatement::CachedStatement(StatementCache& cache, std::string_view sql) {
  auto found = cache.statements_.find(std::string(sql));
  if (found != cache.statements_.end() && !found->second.inUse) {
    stmt_ = found->second.stmt;
    inUse_ = &found->second.inUse;
    *inUse_ = true;
    return;
  }
  const bool keep = found == cache.statements_.end();
  if (sqlite3_prepare_v3(cache.db(), sql.data(), static_cast<int>(sql.size()),
                         keep ? SQLITE_PREPARE_PERSISTENT : 0, &stmt_, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    return;
  }
  if (keep) {
    StatementCache::Entry& entry = cache.statements_[std::string(sql)];
    entry.stmt = stmt_;
    entry.inUse = true;
    inUse_ = &entry.inUse;
  }
}

CachedStatement::~CachedStatement() {
  if (!inUse_) {
    sqlite3_finalize(stmt_);
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *inUse_ = false;
}

void CachedStatement::bind(int i, std::string_view text) {
  sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}
void CachedStatement::bind(int i, std::int64_t value) { sqlite3_bind_int64(stmt_, i, value); }
void CachedStatement::bindBlob(int i, std::string_view bytes) {
  sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
}
int CachedStatement::step() { return sqlite3_step(stmt_); }
std::int64_t CachedStatement::integer(int col) { return sqlite3_column_int64(stmt_, col); }
std::string CachedStatement::text(int col) {
  const unsigned char* t = sqlite3_column_text(stmt_, col);
  return t ? reinterpret_cast<const char*>(t) : "";
}
std::string CachedStatement::blob(int col) {
  const void* data = sqlite3_column_blob(stmt_, col);
  const int size = sqlite3_column_bytes(stmt_, col);
  return data ? std::string(static_cast<const char*>(data), static_cast<std::size_t>(size)) : "";
}

// Transaction control (BEGIN, COMMIT, SAVEPOINT ...) from the cache too: a few per request.
Status SqliteJournal::execWriter(const char* sql) {
  CachedStatement statement(writes_, sql);
  if (!statement.ok() || statement.step() != SQLITE_DONE) return journalError(writer_, sql);
  return Status::ok();
}

void SqliteJournal::submit(WriteBatch batch, std::function<void(Result<BatchResult>)> done) {
  {
    std::lock_guard lock(queueMutex_);
    if (!closing_) {
      queue_.push_back(BatchTask{std::move(batch), std::move(done)});
      queued_.notify_one();
      return;
    }
  }
  done(makeError(ErrorCode::kIo, "journal is closed", "journal"));
}

void SqliteJournal::submitDeadLetter(DeadLetter letter, std::function<void(Status)> done) {
  {
    std::lock_guard lock(queueMutex_);
    if (!closing_) {
      queue_.push_back(LetterTask{std::move(letter), std::move(done)});
      queued_.notify_one();
      return;
    }
  }
  done(makeError(ErrorCode::kIo, "journal is closed", "journal"));
}

// Called by SQLite on the writer thread after each commit, with the WAL's length in frames.
int SqliteJournal::onWalCommit(void* self, sqlite3*, const char*, int frames) {
  auto* journal = static_cast<SqliteJournal*>(self);
  journal->walFrames_ = frames;
  if (frames < journal->walFramesAsked_) {  // the WAL started over
    journal->walFramesAsked_ = 0;
    journal->walCopied_ = 0;
  }
  if (frames - journal->walFramesAsked_ >= kBackgroundCheckpointFrames ||
      frames >= kWriterCheckpointFrames) {
    journal->walFramesAsked_ = frames;
    {
      std::lock_guard lock(journal->checkpointMutex_);
      journal->checkpointPending_ = true;
    }
    journal->checkpointWanted_.notify_one();
  }
  return SQLITE_OK;
}

void SqliteJournal::checkpointLoop() {
  for (;;) {
    {
      std::unique_lock lock(checkpointMutex_);
      checkpointWanted_.wait(lock, [this] { return checkpointStop_ || checkpointPending_; });
      if (checkpointStop_) return;
      checkpointPending_ = false;
    }
    // PASSIVE: copies what it can without waiting for the writer or any reader. A failure is
    // harmless (the frames stay in the WAL, which is the durable copy) and is tried again later.
    int logFrames = 0, copied = 0;
    if (sqlite3_wal_checkpoint_v2(checkpointer_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &logFrames,
                                  &copied) == SQLITE_OK) {
      walCopied_ = copied;
    }
  }
}

// Between two transactions, after the answers left: with no transaction open on the writer, a
// checkpoint that copies every frame lets the next BEGIN start the WAL over. Made once the
// background checkpoint left little to copy; SQLITE_BUSY (the background checkpoint holds the
// lock) just means: at a later commit.
void SqliteJournal::checkpointIfWalIsLong() {
  if (walFrames_ < kWriterCheckpointFrames || walFrames_ - walCopied_ > kWriterRemainderFrames) {
    return;
  }
  int logFrames = 0, copied = 0;
  if (sqlite3_wal_checkpoint_v2(writer_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied) ==
      SQLITE_OK) {
    walCopied_ = copied;
  }
}

void SqliteJournal::writerLoop() {
  {
    CachedStatement count(writes_, "SELECT count(*) FROM dead_letter");
    if (count.ok() && count.step() == SQLITE_ROW) {
      deadLetterRows_ = count.integer(0);
      telemetry_.deadLetterSize(deadLetterRows_);
    }
  }
  for (;;) {
    std::deque<Task> tasks;
    {
      std::unique_lock lock(queueMutex_);
      queued_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, and everything queued is committed
      tasks.swap(queue_);
    }
    commitGroup(tasks);
  }
}

// Everything queued meanwhile goes into one transaction: one fsync for all of it. Callbacks run
// only after COMMIT returned, so no 2xx leaves before its data is on disk.
void SqliteJournal::commitGroup(std::deque<Task>& tasks) {
  const auto startedAt = std::chrono::steady_clock::now();
  std::vector<Result<BatchResult>> batchResults;
  std::vector<Status> letterResults;
  Status begun = execWriter("BEGIN IMMEDIATE");
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    Task& task = tasks[i];
    if (auto* batch = std::get_if<BatchTask>(&task)) {
      batchResults.push_back(begun ? applyBatch(batch->batch) : Result<BatchResult>(begun.error()));
    } else {
      letterResults.push_back(begun ? applyLetter(std::get<LetterTask>(task).letter) : begun);
    }
    // Requests that arrived while this group was applied join it rather than wait a whole
    // commit (the fsync is most of a commit's time): larger groups, fewer fsyncs per request.
    if (i + 1 == tasks.size() && begun && tasks.size() < kMaxGroup) {
      std::lock_guard lock(queueMutex_);
      while (!queue_.empty() && tasks.size() < kMaxGroup) {
        tasks.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
  }
  Status committed = begun ? execWriter("COMMIT") : begun;
  if (begun && !committed) (void)execWriter("ROLLBACK");
  if (committed) reportCommit(startedAt, tasks, batchResults, letterResults);
  // The answers are made on the answering thread, so that the writer starts the next group now.
  {
    std::lock_guard lock(answerMutex_);
    answers_.push_back(CommittedGroup{std::move(tasks), std::move(batchResults),
                                      std::move(letterResults), std::move(committed)});
  }
  answerReady_.notify_one();
  checkpointIfWalIsLong();
}

// What a committed group did, for the metrics: before the answers leave, so a client that saw
// its 201 sees it counted.
void SqliteJournal::reportCommit(std::chrono::steady_clock::time_point begun,
                                 const std::deque<Task>& tasks,
                                 const std::vector<Result<BatchResult>>& batchResults,
                                 const std::vector<Status>& letterResults) {
  telemetry_.journalCommitted(std::chrono::steady_clock::now() - begun, tasks.size());
  for (const Result<BatchResult>& result : batchResults) {
    if (!result || !result->committed) continue;
    for (const WriteResult& write : result->results) {
      if (!refused(write.kind)) telemetry_.resourceReceived(write.type);
    }
  }
  std::int64_t kept = 0;
  for (const Status& letter : letterResults) kept += letter ? 1 : 0;
  if (kept > 0 && deadLetterRows_ >= 0) {
    deadLetterRows_ += kept;
    telemetry_.deadLetterSize(deadLetterRows_);
  }
}

// Runs the callbacks of committed groups, in commit order; only after COMMIT returned, so no 2xx
// leaves before its data is on disk.
void SqliteJournal::answerLoop() {
  for (;;) {
    std::deque<CommittedGroup> groups;
    {
      std::unique_lock lock(answerMutex_);
      answerReady_.wait(lock, [this] { return answerStop_ || !answers_.empty(); });
      if (answers_.empty()) return;  // stopping, and every committed group is answered
      groups.swap(answers_);
    }
    for (CommittedGroup& group : groups) {
      std::size_t b = 0, l = 0;
      for (Task& task : group.tasks) {
        if (auto* batch = std::get_if<BatchTask>(&task)) {
          Result<BatchResult>& result = group.batchResults[b++];
          batch->done(group.committed ? std::move(result)
                                      : Result<BatchResult>(group.committed.error()));
        } else {
          Status& result = group.letterResults[l++];
          std::get<LetterTask>(task).done(group.committed ? result : group.committed);
        }
      }
    }
  }
}

Status SqliteJournal::applyLetter(const DeadLetter& letter) {
  CachedStatement insert(
      writes_,
      "INSERT INTO dead_letter(received, http_status, issue_code, reason, method, "
      "target, content_type, body) VALUES(?,?,?,?,?,?,?,?)");
  if (!insert.ok()) return journalError(writer_, "prepare dead letter");
  insert.bind(1, journalInstantNow());
  insert.bind(2, static_cast<std::int64_t>(letter.httpStatus));
  insert.bind(3, letter.issueCode);
  insert.bind(4, letter.reason);
  insert.bind(5, letter.method);
  insert.bind(6, letter.target);
  insert.bind(7, letter.contentType);
  insert.bindBlob(8, letter.body);
  if (insert.step() != SQLITE_DONE) return journalError(writer_, "insert dead letter");
  return Status::ok();
}

// One request in its own savepoint: an atomic batch with a refused write rolls back alone, the
// rest of the group commit is unaffected.
Result<BatchResult> SqliteJournal::applyBatch(const WriteBatch& batch) {
  BatchResult result;
  if (batch.messageKey) {
    CachedStatement find(writes_,
                         "SELECT response, content_type FROM messages WHERE message_key=?");
    if (!find.ok()) return journalError(writer_, "prepare message lookup");
    find.bind(1, *batch.messageKey);
    if (find.step() == SQLITE_ROW) {
      result.repeatedResponse = find.blob(0);
      result.repeatedContentType = find.text(1);
      return result;
    }
  }
  if (Status s = execWriter("SAVEPOINT request"); !s) return s.error();
  bool anyRefused = false;
  for (const ResourceWrite& write : batch.writes) {
    if (!batch.atomic) {
      if (Status s = execWriter("SAVEPOINT entry"); !s) return s.error();
    }
    auto applied = applyWrite(write);
    if (!applied) {
      (void)execWriter("ROLLBACK TO request");
      (void)execWriter("RELEASE request");
      return applied.error();
    }
    if (!batch.atomic) {
      Status s = execWriter(refused(applied->kind) ? "ROLLBACK TO entry" : "RELEASE entry");
      if (refused(applied->kind)) s = s ? execWriter("RELEASE entry") : s;
      if (!s) return s.error();
    }
    anyRefused = anyRefused || refused(applied->kind);
    result.results.push_back(std::move(*applied));
  }
  if (batch.atomic && anyRefused) {
    (void)execWriter("ROLLBACK TO request");
    (void)execWriter("RELEASE request");
    result.committed = false;
    return result;
  }
  if (batch.messageKey) {
    CachedStatement store(
        writes_, "INSERT INTO messages(message_key, response, content_type) VALUES(?,?,?)");
    if (!store.ok()) return journalError(writer_, "prepare message insert");
    store.bind(1, *batch.messageKey);
    store.bindBlob(2, batch.messageResponse);
    store.bind(3, batch.messageContentType);
    if (store.step() != SQLITE_DONE) return journalError(writer_, "insert message");
  }
  if (Status s = execWriter("RELEASE request"); !s) return s.error();
  result.committed = true;
  return result;
}

}  // namespace fhir837::serve
