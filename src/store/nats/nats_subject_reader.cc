#include "store/nats/nats_subject_reader.h"

#include <algorithm>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "store/nats/nats_error.h"

namespace fhir837 {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Long enough to survive a caller busy applying a batch; short enough that a reader that went
// away (or a consumer orphaned by a recreate) does not linger on the servers.
constexpr std::int64_t kInactiveThresholdNs = 30'000'000'000;
// Pause after a failed subscribe or fetch, so a leader election is not hammered.
constexpr milliseconds kRetryPause{100};
// A consumer info answers in milliseconds; one whose node died is never answered, so the probe
// gives up early rather than after the client timeout and the reader makes a new consumer.
constexpr milliseconds kProbeWait{1000};

class NatsSubjectReader final : public SubjectReader {
 public:
  NatsSubjectReader(jsCtx* js, std::string stream, std::string subject, std::uint64_t fromSequence,
                    milliseconds timeout)
      : js_(js),
        stream_(std::move(stream)),
        subject_(std::move(subject)),
        nextSequence_(std::max<std::uint64_t>(fromSequence, 1)),
        timeout_(timeout) {}
  // Only freed: the ephemeral consumer goes by its inactivity threshold. Unsubscribing would
  // delete it at once but can block for the client timeout when the cluster is unreachable.
  ~NatsSubjectReader() override { drop(); }

  Result<std::vector<Message>> next(std::size_t max, milliseconds wait) override {
    if (max == 0) return std::vector<Message>();
    const auto deadline = Clock::now() + wait;
    const int batch = static_cast<int>(std::min<std::size_t>(max, 100000));
    while (true) {
      if (sub_ == nullptr) {
        natsStatus status = subscribe();
        if (status != NATS_OK) {
          if (auto failed = trouble("subscribe to " + subject_ + " of stream " + stream_, status)) {
            return *failed;
          }
          if (!pauseBefore(deadline)) return std::vector<Message>();
          continue;
        }
      }
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
      natsMsgList list{nullptr, 0};
      jsErrCode code = static_cast<jsErrCode>(0);
      natsStatus status = natsSubscription_Fetch(&list, sub_, batch,
                                                 std::max<std::int64_t>(left.count(), 1), &code);
      if (status == NATS_OK) {
        troubleSince_.reset();
        std::vector<Message> messages;
        bool gap = false;
        for (int i = 0; i < list.Count && !gap; ++i) {
          gap = !take(list.Msgs[i], messages);
        }
        natsMsgList_Destroy(&list);
        if (gap) drop();  // resume from the last message returned, on a fresh consumer
        if (!messages.empty()) return messages;
        if (Clock::now() >= deadline) return messages;
        continue;
      }
      if (status == NATS_TIMEOUT) {
        // Nothing arrived, or the consumer is gone (its node died: a pull request then has
        // nobody to answer it). Only asking tells them apart.
        if (consumerAlive()) {
          troubleSince_.reset();
          return std::vector<Message>();
        }
        drop();
        if (Clock::now() >= deadline) return std::vector<Message>();
        continue;
      }
      drop();
      if (auto failed = trouble("fetch from " + subject_ + " of stream " + stream_, status)) {
        return *failed;
      }
      if (!pauseBefore(deadline)) return std::vector<Message>();
    }
  }

 private:
  natsStatus subscribe() {
    jsSubOptions options;
    jsSubOptions_Init(&options);
    options.Stream = stream_.c_str();
    options.Config.DeliverPolicy = js_DeliverByStartSequence;
    options.Config.OptStartSeq = nextSequence_;
    options.Config.AckPolicy = js_AckNone;
    options.Config.InactiveThreshold = kInactiveThresholdNs;
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus status =
        js_PullSubscribe(&sub_, js_, subject_.c_str(), nullptr, nullptr, &options, &code);
    if (status != NATS_OK) {
      sub_ = nullptr;
    }
    lastConsumerSequence_ = 0;
    return status;
  }

  // Appends the message unless it breaks the consumer's own sequence (a message lost between
  // server and client, e.g. the answer to a fetch that had already timed out): then false.
  bool take(natsMsg* msg, std::vector<Message>& messages) {
    jsMsgMetaData* meta = nullptr;
    if (natsMsg_GetMetaData(&meta, msg) != NATS_OK) {
      return false;  // a status message, not a stream message: start over cleanly
    }
    const std::uint64_t consumerSequence = meta->Sequence.Consumer;
    const std::uint64_t streamSequence = meta->Sequence.Stream;
    const std::uint64_t pending = meta->NumPending;
    jsMsgMetaData_Destroy(meta);
    if (consumerSequence != lastConsumerSequence_ + 1) {
      return false;
    }
    lastConsumerSequence_ = consumerSequence;
    if (streamSequence < nextSequence_) {
      return true;  // already returned (cannot happen on one consumer; harmless to skip)
    }
    const char* data = natsMsg_GetData(msg);
    messages.push_back(Message{streamSequence, pending,
                               std::string(data != nullptr ? data : "",
                                           static_cast<std::size_t>(natsMsg_GetDataLength(msg)))});
    nextSequence_ = streamSequence + 1;
    return true;
  }

  bool consumerAlive() {
    jsOptions options;
    jsOptions_Init(&options);
    options.Wait = std::min(kProbeWait, timeout_).count();
    jsConsumerInfo* info = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus status = natsSubscription_GetConsumerInfo(&info, sub_, &options, &code);
    jsConsumerInfo_Destroy(info);
    return status == NATS_OK;
  }

  void drop() {
    if (sub_ != nullptr) {
      natsSubscription_Destroy(sub_);
      sub_ = nullptr;
    }
  }

  // The error once the cluster has failed us for longer than the client timeout, else nothing.
  std::optional<Error> trouble(const std::string& what, natsStatus status) {
    const auto now = Clock::now();
    if (!troubleSince_) troubleSince_ = now;
    if (now - *troubleSince_ < timeout_) return std::nullopt;
    troubleSince_.reset();
    return natsError(what, status);
  }

  // Sleeps a little unless the deadline is nearer; false when the deadline has passed.
  static bool pauseBefore(Clock::time_point deadline) {
    const auto now = Clock::now();
    if (now >= deadline) return false;
    std::this_thread::sleep_for(
        std::min(kRetryPause, std::chrono::duration_cast<milliseconds>(deadline - now)));
    return true;
  }

  jsCtx* js_;
  std::string stream_;
  std::string subject_;
  std::uint64_t nextSequence_;
  milliseconds timeout_;
  natsSubscription* sub_ = nullptr;
  std::uint64_t lastConsumerSequence_ = 0;
  std::optional<Clock::time_point> troubleSince_;
};

}  // namespace

std::unique_ptr<SubjectReader> makeNatsSubjectReader(jsCtx* js, std::string stream,
                                                     std::string subject,
                                                     std::uint64_t fromSequence,
                                                     milliseconds timeout) {
  return std::make_unique<NatsSubjectReader>(js, std::move(stream), std::move(subject),
                                             fromSequence, timeout);
}

}  // namespace fhir837
