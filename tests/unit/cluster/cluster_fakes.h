#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "engine/cluster/partition_follower.h"
#include "engine/serve/journal.h"
#include "engine/serve/resource_intake.h"
#include "store/nats/cluster_client.h"

// Test doubles for the NATS side of cluster mode (issue 12): the tests run the engine's cluster
// pieces against these and a real SQLite journal, so no nats-server is needed.
namespace fhir837::cluster::testing {

// How a client sees a stream without a leader; what the fakes answer when told to fail.
inline Error noLeader() { return makeError(ErrorCode::kIo, "no stream leader", "nats"); }

// A JetStream stream in memory: one sequence for all subjects, and a deduplication window that
// never expires (a message id seen once answers as a duplicate with its first sequence).
class FakeLog final : public DeduplicatingLog {
 public:
  struct Published {
    std::string subject, messageId, payload;
    std::uint64_t sequence = 0;
    bool duplicate = false;
  };

  Result<Ack> publish(const std::string& subject, const std::string& messageId,
                      const std::string& payload) override {
    std::unique_lock lock(mutex_);
    gateChanged_.wait(lock, [this] { return gateOpen_; });
    ++attempts_;
    if (failAlways_ || failuresLeft_ > 0) {
      if (failuresLeft_ > 0) --failuresLeft_;
      return noLeader();
    }
    auto [stored, fresh] = firstSequence_.emplace(messageId, nextSequence_);
    if (fresh) ++nextSequence_;
    published_.push_back({subject, messageId, payload, stored->second, !fresh});
    return Ack{"FHIR837_IN", stored->second, !fresh};
  }

  void failTimes(int times) {
    std::lock_guard lock(mutex_);
    failuresLeft_ = times;
  }
  void failAlways() {
    std::lock_guard lock(mutex_);
    failAlways_ = true;
  }
  // A closed gate holds every publish (a PubAck that has not come yet).
  void setGate(bool open) {
    {
      std::lock_guard lock(mutex_);
      gateOpen_ = open;
    }
    gateChanged_.notify_all();
  }
  // Messages stored (and duplicates answered), in the order they were acknowledged.
  std::vector<Published> published() const {
    std::lock_guard lock(mutex_);
    return published_;
  }
  int attempts() const {
    std::lock_guard lock(mutex_);
    return attempts_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable gateChanged_;
  bool gateOpen_ = true;
  bool failAlways_ = false;
  int failuresLeft_ = 0;
  int attempts_ = 0;
  std::uint64_t nextSequence_ = 1;
  std::map<std::string, std::uint64_t> firstSequence_;
  std::vector<Published> published_;
};

// Subjects of a stream the test appends to; readers made by factory() serve them in order from
// their start sequence, waiting (at most the caller's wait) for new ones as the real reader does.
class FakeStream {
 public:
  FakeStream() : state_(std::make_shared<State>()) {}

  // `pendingAfter`: what the stream says is still stored after this message; by default the
  // subject's messages appended after it.
  void append(const std::string& subject, std::uint64_t sequence, std::string payload,
              std::optional<std::uint64_t> pendingAfter = std::nullopt) {
    {
      std::lock_guard lock(state_->mutex);
      state_->subjects[subject].push_back({sequence, std::move(payload), pendingAfter});
    }
    state_->changed.notify_all();
  }
  // The next next() of any reader answers with an error (the cluster cannot be reached).
  void failNextRead() {
    {
      std::lock_guard lock(state_->mutex);
      state_->failNextRead = true;
    }
    state_->changed.notify_all();
  }
  // An empty answer becomes an error: caughtUp can then only come from pendingAfter == 0.
  void emptyIsError() {
    std::lock_guard lock(state_->mutex);
    state_->emptyIsError = true;
  }

  ReaderFactory factory() {
    return [state = state_](const std::string& subject,
                            std::uint64_t fromSequence) -> Result<std::unique_ptr<SubjectReader>> {
      std::lock_guard lock(state->mutex);
      state->opened.emplace_back(subject, fromSequence);
      return std::unique_ptr<SubjectReader>(new Reader(state, subject, fromSequence));
    };
  }

  // (subject, fromSequence) of every reader made, in order.
  std::vector<std::pair<std::string, std::uint64_t>> opened() const {
    std::lock_guard lock(state_->mutex);
    return state_->opened;
  }
  int emptyAnswers() const {
    std::lock_guard lock(state_->mutex);
    return state_->emptyAnswers;
  }

 private:
  struct Stored {
    std::uint64_t sequence;
    std::string payload;
    std::optional<std::uint64_t> pendingAfter;
  };
  struct State {
    std::mutex mutex;
    std::condition_variable changed;
    std::map<std::string, std::vector<Stored>> subjects;
    std::vector<std::pair<std::string, std::uint64_t>> opened;
    bool failNextRead = false;
    bool emptyIsError = false;
    int emptyAnswers = 0;
  };

  class Reader final : public SubjectReader {
   public:
    Reader(std::shared_ptr<State> state, std::string subject, std::uint64_t from)
        : state_(std::move(state)), subject_(std::move(subject)), position_(from) {}

    Result<std::vector<Message>> next(std::size_t max, std::chrono::milliseconds wait) override {
      std::unique_lock lock(state_->mutex);
      state_->changed.wait_for(lock, wait, [this] { return state_->failNextRead || available(); });
      if (state_->failNextRead) {
        state_->failNextRead = false;
        return noLeader();
      }
      std::vector<Message> messages;
      const std::vector<Stored>& stored = state_->subjects[subject_];
      for (std::size_t i = 0; i < stored.size() && messages.size() < max; ++i) {
        if (stored[i].sequence < position_) continue;
        const std::uint64_t after = stored.size() - i - 1;
        messages.push_back(
            {stored[i].sequence, stored[i].pendingAfter.value_or(after), stored[i].payload});
      }
      if (messages.empty()) {
        ++state_->emptyAnswers;
        if (state_->emptyIsError) return noLeader();
        return messages;
      }
      position_ = messages.back().sequence + 1;
      return messages;
    }

   private:
    bool available() {
      for (const Stored& stored : state_->subjects[subject_]) {
        if (stored.sequence >= position_) return true;
      }
      return false;
    }

    std::shared_ptr<State> state_;
    std::string subject_;
    std::uint64_t position_;
  };

  std::shared_ptr<State> state_;
};

// A write as the daemon's intake makes it from a JSON body PUT to Type/id.
inline serve::ResourceWrite analysed(const std::string& body, const std::string& type,
                                     const std::string& id) {
  serve::Intake intake = serve::analyseBody(body, serve::BodyFormat::kJson, type, id, {});
  if (intake.problem || !intake.resource) {
    ADD_FAILURE() << "intake refused " << type << "/" << id << ": "
                  << (intake.problem ? intake.problem->diagnostics : "a Bundle");
    return {};
  }
  return std::move(*intake.resource);
}

// Submits and waits for the answer (the callback runs on the journal's own thread).
inline Result<serve::BatchResult> commit(serve::Journal& journal, serve::WriteBatch batch) {
  std::promise<Result<serve::BatchResult>> promise;
  journal.submit(std::move(batch),
                 [&](Result<serve::BatchResult> r) { promise.set_value(std::move(r)); });
  return promise.get_future().get();
}

inline Result<serve::BatchResult> commitOne(serve::Journal& journal, serve::ResourceWrite write) {
  serve::WriteBatch batch;
  batch.writes.push_back(std::move(write));
  return commit(journal, std::move(batch));
}

// Polls `condition` until it holds or `limit` passes.
template <typename Condition>
bool waitUntil(Condition condition, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

}  // namespace fhir837::cluster::testing
