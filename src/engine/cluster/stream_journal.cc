#include "engine/cluster/stream_journal.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "core/utc_instant.h"
#include "engine/cluster/partition_routing.h"
#include "engine/cluster/stream_envelope.h"

namespace fhir837::cluster {

namespace {

using serve::BatchResult;
using serve::WriteBatch;
using serve::WriteKind;
using serve::WriteResult;

struct PendingBatch {
  WriteBatch batch;
  std::function<void(Result<BatchResult>)> done;
};

class StreamJournal final : public serve::Journal {
 public:
  StreamJournal(DeduplicatingLog& log, serve::Journal& local, const StreamJournalOptions& options)
      : log_(log), local_(local), options_(options) {
    for (unsigned i = 0; i < std::max(1u, options_.publishers); ++i) {
      workers_.emplace_back([this] { work(); });
    }
  }
  ~StreamJournal() override { close(); }

  void submit(WriteBatch batch, std::function<void(Result<BatchResult>)> done) override {
    if (auto refused = refuseConditional(batch)) {
      done(std::move(*refused));
      return;
    }
    {
      std::lock_guard lock(mutex_);
      if (!closed_) {
        queue_.push_back({std::move(batch), std::move(done)});
        ready_.notify_one();
        return;
      }
    }
    done(makeError(ErrorCode::kIo, "the daemon is stopping", "stream"));
  }

  void submitDeadLetter(serve::DeadLetter letter, std::function<void(Status)> done) override {
    local_.submitDeadLetter(std::move(letter), std::move(done));
  }
  Result<std::vector<serve::DeadLetter>> deadLetters() override { return local_.deadLetters(); }
  Result<std::optional<serve::StoredResource>> current(const std::string& type,
                                                       const std::string& id) override {
    return local_.current(type, id);
  }
  Result<std::vector<serve::StoredResource>> findByIdentifier(
      const serve::IdentifierQuery& query) override {
    return local_.findByIdentifier(query);
  }
  Result<std::int64_t> lastSeq() override { return local_.lastSeq(); }
  Result<std::vector<ChangedGroup>> groupsChangedAfter(std::int64_t seq) override {
    return local_.groupsChangedAfter(seq);
  }
  Result<std::optional<ChangedGroup>> group(const std::string& groupKey) override {
    return local_.group(groupKey);
  }
  Result<std::vector<serve::StoredResource>> eventsOfGroup(const std::string& groupKey) override {
    return local_.eventsOfGroup(groupKey);
  }
  Result<std::vector<serve::StoredResource>> closureOf(const std::string& groupKey) override {
    return local_.closureOf(groupKey);
  }
  Result<std::optional<std::string>> getState(const std::string& key) override {
    return local_.getState(key);
  }
  Status putState(const std::string& key, const std::string& value) override {
    return local_.putState(key, value);
  }

  // Publishes what was queued, then stops the publishers; the local journal is closed by its
  // owner.
  void close() override {
    {
      std::lock_guard lock(mutex_);
      if (closed_) return;
      closed_ = true;
      ready_.notify_all();
      stopping_.notify_all();
    }
    for (std::thread& worker : workers_) worker.join();
  }

 private:
  static std::optional<BatchResult> refuseConditional(const WriteBatch& batch) {
    bool conditional = false;
    for (const auto& write : batch.writes) {
      conditional = conditional || write.ifMatch || write.ifNoneExist;
    }
    if (!conditional) return std::nullopt;
    BatchResult result;
    for (const auto& write : batch.writes) {
      WriteResult refused;
      refused.kind = WriteKind::kPreconditionFailed;
      refused.type = write.type;
      refused.id = write.id;
      refused.detail =
          "conditional writes (If-Match, If-None-Exist) are not available in cluster mode: "
          "send the resource with its id (PUT) instead";
      result.results.push_back(std::move(refused));
    }
    return result;
  }

  void work() {
    for (;;) {
      PendingBatch next;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return closed_ || !queue_.empty(); });
        if (queue_.empty()) return;
        next = std::move(queue_.front());
        queue_.pop_front();
      }
      next.done(publish(next.batch));
    }
  }

  Result<BatchResult> publish(const WriteBatch& batch) {
    BatchResult result;
    result.committed = true;
    const std::string now = utcInstantNow();
    for (const serve::ResourceWrite& write : batch.writes) {
      WriteResult written;
      written.type = write.type;
      written.id = write.id;
      written.lastUpdated = now;
      bool repeated = true;
      for (const std::string& subject : subjectsOf(write, options_.partitions)) {
        auto ack = publishOne(subject, messageIdOf(write, subject), encodeStreamed(write));
        if (!ack) return ack.error();
        repeated = repeated && ack->duplicate;
        if (written.versionId == 0) written.versionId = ack->sequence;
      }
      // The stream does not say whether the id is new: what it knows is new content or a
      // repeat.
      written.kind = repeated ? WriteKind::kUnchanged : WriteKind::kCreated;
      result.results.push_back(std::move(written));
    }
    return result;
  }

  // A publish fails while the stream elects a new leader (seconds): tried again until retryFor,
  // with a growing pause. A retry is safe: the message id makes a stored copy a duplicate.
  Result<DeduplicatingLog::Ack> publishOne(const std::string& subject, const std::string& id,
                                           const std::string& payload) {
    const auto until = std::chrono::steady_clock::now() + options_.retryFor;
    std::chrono::milliseconds pause{50};
    for (;;) {
      auto ack = log_.publish(subject, id, payload);
      if (ack || std::chrono::steady_clock::now() + pause > until) return ack;
      std::unique_lock lock(mutex_);
      stopping_.wait_for(lock, pause, [this] { return closed_; });
      if (closed_) return ack;
      pause = std::min(pause * 2, std::chrono::milliseconds(1000));
    }
  }

  DeduplicatingLog& log_;
  serve::Journal& local_;
  const StreamJournalOptions options_;
  std::mutex mutex_;
  std::condition_variable ready_;     // a batch was queued
  std::condition_variable stopping_;  // close() cuts retry pauses short
  std::deque<PendingBatch> queue_;
  bool closed_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace

std::unique_ptr<serve::Journal> makeStreamJournal(DeduplicatingLog& log, serve::Journal& local,
                                                  const StreamJournalOptions& options) {
  return std::make_unique<StreamJournal>(log, local, options);
}

}  // namespace fhir837::cluster
