#include "engine/cluster/partition_follower.h"

#include <atomic>
#include <charconv>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "core/json_log.h"
#include "engine/cluster/stream_envelope.h"
#include "engine/serve/resource_intake.h"

namespace fhir837::cluster {

namespace {

using serve::BatchResult;
using serve::WriteBatch;

constexpr std::chrono::milliseconds kWait{500};
constexpr std::chrono::milliseconds kRetryPause{1000};

std::string cursorKey(const std::string& subject) { return "cluster.cursor." + subject; }

std::uint64_t parseCursor(const std::optional<std::string>& text) {
  std::uint64_t value = 0;
  if (text) std::from_chars(text->data(), text->data() + text->size(), value);
  return value;
}

// One followed subject: its thread and what it reports.
struct Follow {
  std::atomic<bool> stop{false};
  std::atomic<bool> caughtUp{false};
  std::thread thread;
};

class Follower final : public PartitionFollower {
 public:
  Follower(ReaderFactory readers, serve::Journal& journal, FollowerOptions options)
      : readers_(std::move(readers)), journal_(journal), options_(std::move(options)) {}
  ~Follower() override { stop(); }

  void follow(const std::string& subject) override {
    std::lock_guard lock(mutex_);
    if (follows_.count(subject)) return;
    auto follow = std::make_shared<Follow>();
    follow->thread = std::thread([this, subject, follow] { run(subject, *follow); });
    follows_.emplace(subject, std::move(follow));
  }

  void unfollow(const std::string& subject) override {
    unfollow(std::vector<std::string>{subject});
  }

  void unfollow(const std::vector<std::string>& subjects) override {
    std::vector<std::shared_ptr<Follow>> stopping;
    {
      std::lock_guard lock(mutex_);
      for (const std::string& subject : subjects) {
        auto found = follows_.find(subject);
        if (found == follows_.end()) continue;
        stopping.push_back(std::move(found->second));
        follows_.erase(found);
      }
    }
    for (auto& follow : stopping) follow->stop = true;
    for (auto& follow : stopping) follow->thread.join();
  }

  bool caughtUp(const std::string& subject) const override {
    std::lock_guard lock(mutex_);
    auto found = follows_.find(subject);
    return found != follows_.end() && found->second->caughtUp;
  }

  void stop() override {
    std::map<std::string, std::shared_ptr<Follow>> all;
    {
      std::lock_guard lock(mutex_);
      all.swap(follows_);
    }
    for (auto& [subject, follow] : all) follow->stop = true;
    for (auto& [subject, follow] : all) follow->thread.join();
  }

 private:
  void run(const std::string& subject, Follow& follow) {
    while (!follow.stop) {
      auto cursor = journal_.getState(cursorKey(subject));
      if (!cursor) {
        pause(follow, "cluster_cursor_failed", subject, cursor.error());
        continue;
      }
      auto reader = readers_(subject, parseCursor(*cursor) + 1);
      if (!reader) {
        pause(follow, "cluster_reader_failed", subject, reader.error());
        continue;
      }
      // Read until something fails; the reader is then made again from the saved cursor.
      while (!follow.stop) {
        auto messages = (*reader)->next(options_.batch, kWait);
        if (!messages) {
          pause(follow, "cluster_read_failed", subject, messages.error());
          break;
        }
        if (messages->empty()) {
          follow.caughtUp = true;
          continue;
        }
        if (Status applied = apply(subject, *messages); !applied) {
          pause(follow, "cluster_apply_failed", subject, applied.error());
          break;
        }
        if (messages->back().pendingAfter == 0) follow.caughtUp = true;
        if (options_.applied) options_.applied();
      }
    }
  }

  void pause(Follow& follow, const char* event, const std::string& subject, const Error& error) {
    writeLog(LogLine("warn", event).str("subject", subject).str("error", error.message));
    for (auto waited = std::chrono::milliseconds(0); waited < kRetryPause && !follow.stop;
         waited += std::chrono::milliseconds(50)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  Status apply(const std::string& subject, const std::vector<SubjectReader::Message>& messages) {
    WriteBatch batch;
    batch.atomic = false;
    for (const SubjectReader::Message& message : messages) {
      auto write = analyse(subject, message);
      if (!write) {
        if (Status kept = keep(subject, message, write.error()); !kept) return kept;
        continue;
      }
      batch.writes.push_back(std::move(*write));
    }
    if (!batch.writes.empty()) {
      std::promise<Result<BatchResult>> committed;
      auto result = committed.get_future();
      journal_.submit(std::move(batch),
                      [&committed](Result<BatchResult> r) { committed.set_value(std::move(r)); });
      auto stored = result.get();
      if (!stored) return stored.error();
    }
    return journal_.putState(cursorKey(subject), std::to_string(messages.back().sequence));
  }

  Result<serve::ResourceWrite> analyse(const std::string& subject,
                                       const SubjectReader::Message& message) {
    auto streamed = decodeStreamed(message.payload);
    if (!streamed) {
      return makeError(ErrorCode::kSyntax, "not a fhir837 stream message", subject);
    }
    serve::Intake intake = serve::analyseBody(streamed->body, streamed->format, streamed->type,
                                              streamed->id, options_.limits);
    if (intake.problem) {
      return makeError(ErrorCode::kSyntax, intake.problem->diagnostics, subject);
    }
    if (!intake.resource) {
      return makeError(ErrorCode::kSyntax, "a stream message holds one resource, not a Bundle",
                       subject);
    }
    return std::move(*intake.resource);
  }

  // A message this instance cannot apply (another version's limits, a corrupt copy) stays in
  // its dead letter, named by its stream sequence, for `fhir837 queue`.
  Status keep(const std::string& subject, const SubjectReader::Message& message,
              const Error& error) {
    serve::DeadLetter letter;
    letter.httpStatus = 422;
    letter.issueCode = "processing";
    letter.reason = "stream message " + std::to_string(message.sequence) + " of " + subject +
                    " cannot be applied: " + error.message;
    letter.method = "STREAM";
    letter.target = subject;
    letter.contentType = "application/octet-stream";
    letter.body = message.payload;
    writeLog(LogLine("error", "cluster_message_refused")
                 .str("subject", subject)
                 .num("sequence", static_cast<std::int64_t>(message.sequence))
                 .str("error", error.message));
    std::promise<Status> kept;
    auto result = kept.get_future();
    journal_.submitDeadLetter(std::move(letter),
                              [&kept](Status s) { kept.set_value(std::move(s)); });
    return result.get();
  }

  ReaderFactory readers_;
  serve::Journal& journal_;
  const FollowerOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Follow>> follows_;
};

}  // namespace

std::unique_ptr<PartitionFollower> makePartitionFollower(ReaderFactory readers,
                                                         serve::Journal& journal,
                                                         FollowerOptions options) {
  return std::make_unique<Follower>(std::move(readers), journal, std::move(options));
}

}  // namespace fhir837::cluster
