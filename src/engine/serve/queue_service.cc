#include "engine/serve/queue_service.h"

#include <thread>

#include "engine/serve/daemon_lock.h"
#include "engine/serve/queue_apply.h"
#include "engine/serve/queue_store.h"

namespace fhir837::serve {

namespace {

class StoreQueueService final : public QueueService {
 public:
  StoreQueueService(QueueServiceOptions options, const Clock& clock,
                    std::unique_ptr<QueueStore> store)
      : options_(std::move(options)), clock_(clock), store_(std::move(store)) {}

  Result<std::vector<QueueItem>> list(bool all) override { return store_->list(all); }

  Result<std::optional<QueueItem>> show(const std::string& id, bool withBody) override {
    return store_->find(id, withBody);
  }

  Result<QueueAction> retry(const std::string& id, const std::string& by) override {
    auto action = record(id, "retry", by, "");
    if (!action) return action.error();
    auto lock = DaemonLock::tryAcquire(options_.stateDir);
    if (!lock) return lock.error();
    if (*lock) return applyHere(*action);
    return awaitDaemon(action->number);
  }

  Result<QueueAction> drop(const std::string& id, const std::string& reason,
                           const std::string& by) override {
    if (reason.empty()) {
      return makeError(ErrorCode::kMissingElement, "a drop needs a reason", "reason");
    }
    auto action = record(id, "drop", by, reason);
    if (!action) return action.error();
    // Journal and billing state stay untouched: a mark only, safe beside a running daemon.
    QueueApplyContext none{nullptr, options_.limits, nullptr, ""};
    if (Status s = applyQueueAction(*store_, *action, none, clock_.nowEpochSeconds()); !s) {
      return s.error();
    }
    return reread(action->number);
  }

 private:
  Result<QueueAction> record(const std::string& id, const std::string& what, const std::string& by,
                             const std::string& reason) {
    auto item = store_->find(id, false);
    if (!item) return item.error();
    if (!*item) {
      return makeError(ErrorCode::kUnresolvedReference,
                       "no such item in the queue (billed, or never there)", id);
    }
    if ((*item)->state != "open") {
      return makeError(ErrorCode::kInvalidValue, "the item is " + (*item)->state + " already", id);
    }
    QueueAction action;
    action.item = id;
    action.action = what;
    action.by = by;
    action.reason = reason;
    action.requestedAt = clock_.nowEpochSeconds();
    action.state = "pending";
    auto number = store_->addAction(action);
    if (!number) return number.error();
    action.number = *number;
    return action;
  }

  // No daemon runs, and none starts while the lock is held: this process is the journal's one
  // writer for the time of the action.
  Result<QueueAction> applyHere(const QueueAction& action) {
    auto journal = openJournal(options_.stateDir);
    if (!journal) return journal.error();
    QueueApplyContext context{journal->get(), options_.limits, nullptr, "when the daemon starts"};
    Status applied = applyQueueAction(*store_, action, context, clock_.nowEpochSeconds());
    (*journal)->close();
    if (!applied) return applied.error();
    return reread(action.number);
  }

  Result<QueueAction> awaitDaemon(std::int64_t number) {
    const auto deadline = std::chrono::steady_clock::now() + options_.waitForDaemon;
    for (;;) {
      auto action = reread(number);
      if (!action || action->state != "pending") return action;
      if (std::chrono::steady_clock::now() >= deadline) return action;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  Result<QueueAction> reread(std::int64_t number) {
    auto action = store_->action(number);
    if (!action) return action.error();
    if (!*action)
      return makeError(ErrorCode::kIo, "the queue action vanished", std::to_string(number));
    return std::move(**action);
  }

  QueueServiceOptions options_;
  const Clock& clock_;
  std::unique_ptr<QueueStore> store_;
};

}  // namespace

Result<std::unique_ptr<QueueService>> makeQueueService(const QueueServiceOptions& options,
                                                       const Clock& clock) {
  auto store = QueueStore::open(options.stateDir);
  if (!store) return store.error();
  return std::unique_ptr<QueueService>(
      std::make_unique<StoreQueueService>(options, clock, std::move(*store)));
}

}  // namespace fhir837::serve
