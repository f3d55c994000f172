#include <sqlite3.h>

#include "engine/serve/journal_time.h"
#include "engine/serve/sqlite_journal.h"
#include "store/sqlite_statement.h"

namespace fhir837::serve {

namespace {

bool refused(WriteKind kind) {
  return kind == WriteKind::kConflict || kind == WriteKind::kPreconditionFailed;
}

}  // namespace

Status SqliteJournal::execWriter(const char* sql) {
  if (sqlite3_exec(writer_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return journalError(writer_, sql);
  }
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

void SqliteJournal::writerLoop() {
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
  std::vector<Result<BatchResult>> batchResults;
  std::vector<Status> letterResults;
  Status begun = execWriter("BEGIN IMMEDIATE");
  for (Task& task : tasks) {
    if (auto* batch = std::get_if<BatchTask>(&task)) {
      batchResults.push_back(begun ? applyBatch(batch->batch) : Result<BatchResult>(begun.error()));
    } else {
      letterResults.push_back(begun ? applyLetter(std::get<LetterTask>(task).letter) : begun);
    }
  }
  Status committed = begun ? execWriter("COMMIT") : begun;
  if (begun && !committed) (void)execWriter("ROLLBACK");
  std::size_t b = 0, l = 0;
  for (Task& task : tasks) {
    if (auto* batch = std::get_if<BatchTask>(&task)) {
      Result<BatchResult>& result = batchResults[b++];
      batch->done(committed ? std::move(result) : Result<BatchResult>(committed.error()));
    } else {
      Status& result = letterResults[l++];
      std::get<LetterTask>(task).done(committed ? result : committed);
    }
  }
}

Status SqliteJournal::applyLetter(const DeadLetter& letter) {
  Statement insert(writer_,
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
    Statement find(writer_, "SELECT response, content_type FROM messages WHERE message_key=?");
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
    Statement store(writer_,
                    "INSERT INTO messages(message_key, response, content_type) VALUES(?,?,?)");
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
