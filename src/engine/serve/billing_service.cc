#include "engine/serve/billing_service.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_set>

#include "engine/converter.h"
#include "engine/serve/billing_decisions.h"
#include "engine/serve/billing_reporter.h"
#include "engine/serve/billing_store.h"
#include "engine/serve/claim_fingerprint.h"
#include "engine/serve/claim_replacement.h"
#include "engine/serve/closure_files.h"
#include "engine/serve/journal_pruning.h"
#include "engine/serve/queue_apply.h"
#include "engine/serve/queue_store.h"
#include "rule_ids.h"
#include "store/state_store.h"

namespace fhir837::serve {

namespace fs = std::filesystem;

namespace {

// At most this many groups are coded in one round, so a backlog after a restart is worked off in
// rounds that each commit, rather than one run that a crash would throw away whole.
constexpr std::size_t kGroupsPerRound = 256;
// A group waiting for data is coded again at most this often while resources keep arriving.
constexpr std::int64_t kPendingRetrySeconds = 1;
// An encounter whose replacement waits for the payer's claim control number (recorded by
// `fhir837 record-icn`, outside the journal) is looked at again this often.
constexpr std::int64_t kPayerNumberRetrySeconds = 5;

std::string eventKeyOf(const StoredResource& r) { return r.type + "/" + r.id; }

class DaemonBillingService final : public BillingService {
 public:
  DaemonBillingService(SharedBillingRules rules, BillingPolicy policy, Journal& journal,
                       const Clock& clock, std::unique_ptr<StateStore> ledger,
                       std::unique_ptr<BillingLedger> shared, std::unique_ptr<BillingStore> store,
                       std::unique_ptr<QueueStore> queue, std::unique_ptr<JournalPruner> pruner,
                       Telemetry& telemetry)
      : rules_(std::move(rules)),
        policy_(std::move(policy)),
        journal_(journal),
        clock_(clock),
        ledger_(std::move(ledger)),
        shared_(std::move(shared)),
        billed_(shared_ ? *shared_ : static_cast<BillingLedger&>(*ledger_)),
        store_(std::move(store)),
        queue_(std::move(queue)),
        pruner_(std::move(pruner)),
        reporter_(telemetry) {}

  ~DaemonBillingService() override { stop(); }

  Status start() override {
    std::error_code ec;
    fs::create_directories(policy_.outbox, ec);
    if (ec) {
      return makeError(ErrorCode::kIo, "cannot create the outbox: " + ec.message(),
                       policy_.outbox.string());
    }
    // A report flush cut short by a crash is finished before anything else is written.
    if (Status s = store_->flushReport(policy_.outbox / "report.ndjson"); !s) return s;
    reporter_.backlog(0, store_->countInState("needs-review"));
    thread_ = std::thread([this] { loop(); });
    return Status::ok();
  }

  void notify() override {
    std::lock_guard lock(mutex_);
    woken_ = true;
    wake_.notify_one();
  }

  void stop() override {
    {
      std::lock_guard lock(mutex_);
      if (!thread_.joinable()) return;
      stopping_ = true;
      wake_.notify_one();
    }
    thread_.join();
  }

  void replaceRules(SharedBillingRules rules) override {
    std::lock_guard lock(mutex_);
    nextRules_ = std::move(rules);
    wake_.notify_one();
  }

  Result<std::optional<EventBillingStatus>> statusOf(const std::string& eventKey) override {
    auto known = store_->status(eventKey);
    if (!known || *known) return known;
    const std::size_t slash = eventKey.find('/');
    if (slash == std::string::npos) return std::optional<EventBillingStatus>();
    auto stored = journal_.current(eventKey.substr(0, slash), eventKey.substr(slash + 1));
    if (!stored) return stored.error();
    if (!*stored) return std::optional<EventBillingStatus>();
    EventBillingStatus status;
    status.eventKey = eventKey;
    status.state = "pending";
    status.rule = rule_id::kServeWait;
    status.reason =
        "received; not coded yet: its encounter is billed when it is finished or after "
        "bill_after (" +
        std::to_string(policy_.billAfter.count()) + " s) without changes";
    status.waitingFor.push_back(
        "the encounter to finish (Encounter.status finished or "
        "period.end), or bill_after of quiet");
    return std::optional<EventBillingStatus>(std::move(status));
  }

 private:
  std::int64_t wallNow() const { return wallClock_.nowEpochSeconds(); }

  void loop() {
    for (;;) {
      bool last = false;
      {
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, std::chrono::seconds(1), [this] { return woken_ || stopping_; });
        woken_ = false;
        last = stopping_;
        if (nextRules_) rules_ = std::move(nextRules_);
      }
      applyQueueActions();
      pruneIfDue();
      // Rounds run until nothing more is due (a backlog is worked off in several).
      for (int guard = 0; guard < 1000; ++guard) {
        auto worked = round(last);
        if (!worked) {
          // The journal or the state store failed: nothing was recorded for this round, so it
          // is simply tried again. Logged without PHI (the error names files and rules).
          reporter_.failed(worked.error());
          break;
        }
        if (!*worked) break;  // nothing was due: that says nothing of a failure's end
        reporter_.coded();
      }
      reportBacklog();
      if (last) return;
    }
  }

  // After each wake-up: encounters not settled (changed since coded, or waiting for data).
  void reportBacklog() {
    std::size_t pending = 0;
    for (const auto& [key, group] : known_) {
      const auto state = states_.find(key);
      pending += state == states_.end() || state->second.processedSeq < group.lastChangeSeq ||
                         state->second.pendingSince != 0
                     ? 1
                     : 0;
    }
    reporter_.backlog(pending, store_->countInState("needs-review"));
  }

  // Logged without PHI (the error names files and rules), once while it persists.
  void logError(const Error& error) { reporter_.failed(error); }

  // Operator actions recorded by `fhir837 queue` or the admin routes while the daemon runs; one
  // that fails on I/O stays pending and is tried at the next wake-up.
  void applyQueueActions() {
    auto pending = queue_->pendingActions();
    if (!pending) return logError(pending.error());
    for (const QueueAction& action : *pending) {
      QueueApplyContext context{&journal_, ParseLimits{},
                                [this](const std::string& group) { groupDue(group); },
                                "in the billing thread's next round"};
      context.limits.maxBytes = policy_.maxBodyBytes;
      if (Status s = applyQueueAction(*queue_, action, context, wallNow()); !s) {
        logError(s.error());
      }
    }
  }

  // Retention: at start and every prune_every, when keep_journal_for is set.
  void pruneIfDue() {
    if (!policy_.keepJournalFor) return;
    const std::int64_t now = wallNow();
    if (lastPrune_ != 0 && now - lastPrune_ < policy_.pruneEvery.count()) return;
    lastPrune_ = now;
    auto pruned = pruner_->prune(journal_, now - policy_.keepJournalFor->count(), now);
    if (!pruned) return logError(pruned.error());
    if (pruned->bodies > 0) {
      writeLog(LogLine("info", "journal_pruned")
                   .num("groups", static_cast<std::int64_t>(pruned->groups))
                   .num("bodies", static_cast<std::int64_t>(pruned->bodies)));
    }
  }

  // An operator made the group due again (its coded sequence is -1 in billing.sqlite): what this
  // thread cached about it is forgotten and it is looked at in the next round.
  void groupDue(const std::string& groupKey) {
    states_.erase(groupKey);
    expiredShown_.erase(groupKey);
    triedAtSeq_.erase(groupKey);
    auto group = journal_.group(groupKey);
    if (!group) return logError(group.error());
    if (*group) known_[groupKey] = **group;
  }

  // Codes the groups that are due; true when it coded something (another round may be due).
  Result<bool> round(bool stopping) {
    auto changed = journal_.groupsChangedAfter(cursor_);
    if (!changed) return changed.error();
    for (const Journal::ChangedGroup& group : *changed) {
      known_[group.groupKey] = group;
      cursor_ = std::max(cursor_, group.lastChangeSeq);
    }
    auto lastSeq = journal_.lastSeq();
    if (!lastSeq) return lastSeq.error();
    const std::int64_t now = wallNow();
    // On the way out everything waiting is tried once more with all that has arrived.
    const bool retryPending = stopping || now - lastPendingRetry_ >= kPendingRetrySeconds;
    std::vector<Journal::ChangedGroup> due;
    bool anyPendingDue = false;
    bool payerNumberRetried = false;
    for (auto it = known_.begin(); it != known_.end();) {
      const Journal::ChangedGroup& group = it->second;
      if (policy_.billsPatient && !policy_.billsPatient(group.patientKey)) {
        ++it;  // another instance's partition (issue 12): kept in view in case it comes here
        continue;
      }
      auto known = stateOf(group.groupKey);
      if (!known) return known.error();
      const BillingStore::GroupState state = *known;
      const bool changedSinceCoded = state.processedSeq < group.lastChangeSeq;
      if (!changedSinceCoded && state.pendingSince == 0) {
        triedAtSeq_.erase(group.groupKey);
        states_.erase(group.groupKey);  // settled: read back from billing.sqlite if it changes
        it = known_.erase(it);          // coded, and nothing it waits for
        continue;
      }
      if (!changedSinceCoded) {
        // Waiting for data: whatever arrived since may be it; the timeout turns it to review.
        const bool awaitingPayerNumber = awaitingPayerNumber_.count(group.groupKey) > 0;
        const bool expired = now - state.pendingSince >= policy_.pendingTimeout.count() &&
                             !expiredShown_.count(group.groupKey) && !awaitingPayerNumber;
        const bool payerNumberDue =
            awaitingPayerNumber && now - lastPayerNumberRetry_ >= kPayerNumberRetrySeconds;
        if (payerNumberDue) payerNumberRetried = true;
        // Tried again only when something arrived since its last try (a group is recorded as
        // tried only when a round really coded it, not when it was left for the next round).
        const auto tried = triedAtSeq_.find(group.groupKey);
        const bool newData = tried == triedAtSeq_.end() || *lastSeq > tried->second;
        if ((retryPending && newData) || expired || payerNumberDue) {
          due.push_back(group);
          anyPendingDue = true;
        }
      } else if (group.encounterFinished || now - group.lastChangeAt >= policy_.billAfter.count()) {
        due.push_back(group);
      }
      ++it;
    }
    if (anyPendingDue) lastPendingRetry_ = now;
    if (payerNumberRetried) lastPayerNumberRetry_ = now;
    if (Status waited = deferWrittenElsewhere(due); !waited) return waited.error();
    if (due.empty()) return false;
    // interchange_every: ready claims wait for company, unless the daemon is stopping or an
    // interchange is full anyway.
    if (!stopping && now - lastRound_ < policy_.interchangeEvery.count() &&
        due.size() < rules_->config.maxClaimsPerTransaction) {
      return false;
    }
    if (due.size() > kGroupsPerRound) due.resize(kGroupsPerRound);
    if (Status s = code(due, now); !s) return s.error();
    for (const Journal::ChangedGroup& group : due) triedAtSeq_[group.groupKey] = *lastSeq;
    lastRound_ = now;
    return true;
  }

  // Cluster mode: a group with an event whose interchange another instance is writing right now
  // waits for that file's fate (seconds at most; a stalled writer's reservation is given up by
  // the ledger) instead of being called billed on a file that may never appear.
  Status deferWrittenElsewhere(std::vector<Journal::ChangedGroup>& due) {
    if (!shared_) return Status::ok();
    std::vector<Journal::ChangedGroup> ready;
    for (Journal::ChangedGroup& group : due) {
      auto events = journal_.eventsOfGroup(group.groupKey);
      if (!events) return events.error();
      bool waiting = false;
      for (const StoredResource& event : *events) {
        auto inFlight = billed_.inFlightElsewhere(eventKeyOf(event));
        if (!inFlight) return inFlight.error();
        if ((waiting = *inFlight)) break;
      }
      if (!waiting) ready.push_back(std::move(group));
    }
    due = std::move(ready);
    return Status::ok();
  }

  Status code(const std::vector<Journal::ChangedGroup>& due, std::int64_t now) {
    std::map<std::string, StoredResource> inputs;
    std::unordered_set<std::string> eventKeys;
    std::vector<std::pair<std::string, std::vector<std::string>>> groupEvents;
    std::vector<Journal::ChangedGroup> coded;
    BillingStore::Update update;
    for (const Journal::ChangedGroup& group : due) {
      auto events = journal_.eventsOfGroup(group.groupKey);
      if (!events) return events.error();
      auto closure = journal_.closureOf(group.groupKey);
      if (!closure && closure.error().code != ErrorCode::kLimitExceeded) return closure.error();
      if (!closure) {
        // One encounter that references too much must not stop the others from billing.
        refuseGroup(group, *events, closure.error(), update);
        continue;
      }
      if (auto pruned = std::find_if(closure->begin(), closure->end(), isPruned);
          pruned != closure->end()) {
        // A late change to an encounter whose resources retention emptied: never a claim from
        // part of the data.
        refuseGroup(group, *events,
                    makeError(ErrorCode::kNeedsReview,
                              eventKeyOf(*pruned) +
                                  " is no longer kept (keep_journal_for): send it again, then "
                                  "`fhir837 queue retry` the event"),
                    update);
        continue;
      }
      coded.push_back(group);
      std::vector<std::string> keys;
      for (const StoredResource& event : *events) {
        keys.push_back(eventKeyOf(event));
        eventKeys.insert(eventKeyOf(event));
      }
      groupEvents.emplace_back(group.groupKey, std::move(keys));
      for (StoredResource& resource : *closure) {
        inputs.emplace(eventKeyOf(resource), std::move(resource));
      }
    }
    if (coded.empty()) {
      Status finished = finishRound(update);
      if (finished) reporter_.decided(update.statuses, 0, 0);
      return finished;
    }
    std::vector<StoredResource> resources;
    resources.reserve(inputs.size());
    for (auto& [key, resource] : inputs) resources.push_back(std::move(resource));
    const fs::path work = policy_.stateDir / "billing-work";
    if (Status s = writeClosureFiles(work / "in", resources); !s) return s;

    ConvertOptions options;
    options.inputs = {work / "in"};
    options.outputDir = work / "out";
    options.interchangeDir = policy_.outbox;
    options.keepPending = true;
    options.spoolReport = false;
    options.onlyEvents = &eventKeys;
    const CodingTables tables = rules_->coding();
    auto report = convertInputs(rules_->config, tables, options, clock_, billed_);
    if (!report) return report.error();

    std::vector<ReplacementGroup> billedBefore;
    for (const Journal::ChangedGroup& group : coded) awaitingPayerNumber_.erase(group.groupKey);
    if (Status s = decide(*report, coded, groupEvents, now, update, billedBefore); !s) return s;
    std::size_t replacements = 0;
    if (Status s = replaceChanged(billedBefore, work, now, update, replacements); !s) return s;
    if (Status s = finishRound(update); !s) return s;
    // A replacement goes out alone: one claim, one interchange.
    reporter_.decided(update.statuses, report->claims.size() + replacements,
                      report->interchanges.size() + replacements);
    std::error_code ec;
    fs::remove_all(work, ec);
    return Status::ok();
  }

  // Decisions first, then the report lines they queued: a crash between the two appends them
  // at the next flush.
  Status finishRound(const BillingStore::Update& update) {
    if (Status s = store_->apply(update); !s) return s;
    for (const auto& [key, state] : update.groups) states_[key] = state;
    return store_->flushReport(policy_.outbox / "report.ndjson");
  }

  // Where each event of the coded groups stands, from the ledger (billed) and the round's report.
  Result<BillingStore::GroupState> stateOf(const std::string& groupKey) {
    if (auto cached = states_.find(groupKey); cached != states_.end()) return cached->second;
    auto stored = store_->groupState(groupKey);
    if (!stored) return stored.error();
    const BillingStore::GroupState state = stored->value_or(BillingStore::GroupState{});
    states_[groupKey] = state;
    return state;
  }

  void refuseGroup(const Journal::ChangedGroup& group, const std::vector<StoredResource>& events,
                   const Error& error, BillingStore::Update& update) {
    for (const StoredResource& event : events) {
      EventBillingStatus status;
      status.eventKey = eventKeyOf(event);
      status.state = "needs-review";
      status.rule = rule_id::kServeClosure;
      status.reason = "its encounter's resources cannot be gathered: " + error.message;
      status.path = group.groupKey;
      update.statuses.push_back(status);
      update.statusGroups.emplace_back(status.eventKey, group.groupKey);
    }
    update.groups.emplace_back(group.groupKey, BillingStore::GroupState{group.lastChangeSeq, 0});
  }

  // Encounters billed in an earlier round that changed: replaced when what they bill changed.
  Status replaceChanged(const std::vector<ReplacementGroup>& groups, const fs::path& work,
                        std::int64_t now, BillingStore::Update& update, std::size_t& replacements) {
    const CodingTables tables = rules_->coding();
    ReplacementInputs inputs{rules_->config, tables,      clock_,       billed_,
                             *store_,        work / "in", work / "dry", policy_.outbox};
    auto replaced = replaceChangedClaims(inputs, groups);
    if (!replaced) return replaced.error();
    for (EventBillingStatus& status : update.statuses) {
      if (auto found = replaced->statuses.find(status.eventKey);
          found != replaced->statuses.end()) {
        status = found->second;
      }
    }
    replacements = replaced->reportLines.size();
    for (auto& line : replaced->reportLines) update.reportLines.push_back(std::move(line));
    for (auto& print : replaced->fingerprints) update.fingerprints.push_back(std::move(print));
    for (auto& [key, state] : update.groups) {
      if (!replaced->awaitingPayerNumber.count(key)) continue;
      awaitingPayerNumber_.insert(key);
      if (state.pendingSince == 0) state.pendingSince = now;  // kept in view until it is sent
    }
    return Status::ok();
  }

  // Where each event of the coded groups stands (billing_decisions.h), and what the service
  // keeps in view: expired waits, payer numbers awaited, encounters billed in an earlier round.
  Status decide(const ConvertReport& report, const std::vector<Journal::ChangedGroup>& due,
                const std::vector<std::pair<std::string, std::vector<std::string>>>& groupEvents,
                std::int64_t now, BillingStore::Update& update,
                std::vector<ReplacementGroup>& billedBefore) {
    std::vector<RoundGroup> groups;
    for (std::size_t g = 0; g < due.size(); ++g) {
      auto known = stateOf(groupEvents[g].first);
      if (!known) return known.error();
      groups.push_back({groupEvents[g].first, due[g].lastChangeSeq, groupEvents[g].second, *known});
    }
    auto decided =
        decideRound(rules_->config, billed_, report, groups, now, policy_.pendingTimeout, update);
    if (!decided) return decided.error();
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const GroupDecision& decision = (*decided)[g];
      if (decision.expired) {
        expiredShown_.insert(groups[g].groupKey);
      } else {
        expiredShown_.erase(groups[g].groupKey);
      }
      if (decision.awaitingPayerNumber) awaitingPayerNumber_.insert(groups[g].groupKey);
      if (decision.sentEarlier) billedBefore.push_back({groups[g].groupKey, groups[g].eventKeys});
    }
    return Status::ok();
  }

  SharedBillingRules rules_;  // billing thread only; replaced between rounds from nextRules_
  BillingPolicy policy_;
  Journal& journal_;
  const Clock& clock_;     // the interchange dates (SOURCE_DATE_EPOCH pins them)
  SystemClock wallClock_;  // the policies' timing
  std::unique_ptr<StateStore> ledger_;
  std::unique_ptr<BillingLedger> shared_;  // the cluster's ledger (issue 12); null: ledger_
  BillingLedger& billed_;                  // the ledger billing decides with
  std::unique_ptr<BillingStore> store_;
  std::unique_ptr<QueueStore> queue_;
  std::unique_ptr<JournalPruner> pruner_;
  BillingReporter reporter_;  // billing thread only

  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = true;
  bool stopping_ = false;
  SharedBillingRules nextRules_;  // set by replaceRules, taken by the billing thread
  std::thread thread_;

  // Billing thread only.
  std::map<std::string, BillingStore::GroupState> states_;
  std::map<std::string, Journal::ChangedGroup> known_;  // groups not settled yet
  std::set<std::string> expiredShown_;                  // pending groups whose timeout is recorded
  std::int64_t cursor_ = 0;
  std::map<std::string, std::int64_t> triedAtSeq_;  // journal sequence when last coded
  std::int64_t lastPendingRetry_ = 0;
  std::set<std::string> awaitingPayerNumber_;  // replacements waiting for record-icn
  std::int64_t lastPayerNumberRetry_ = 0;
  std::int64_t lastRound_ = 0;
  std::int64_t lastPrune_ = 0;
};

}  // namespace

Result<std::unique_ptr<BillingService>> makeBillingService(SharedBillingRules rules,
                                                           const BillingPolicy& policy,
                                                           Journal& journal, const Clock& clock,
                                                           Telemetry& telemetry) {
  auto ledger = StateStore::open(policy.stateDir);
  if (!ledger) return ledger.error();
  auto store = BillingStore::open(policy.stateDir);
  if (!store) return store.error();
  auto queue = QueueStore::open(policy.stateDir);
  if (!queue) return queue.error();
  auto pruner = JournalPruner::open(policy.stateDir);
  if (!pruner) return pruner.error();
  std::unique_ptr<BillingLedger> shared;
  if (policy.sharedLedger) {
    auto opened = policy.sharedLedger(**ledger);
    if (!opened) return opened.error();
    shared = std::move(*opened);
  }
  return std::unique_ptr<BillingService>(std::make_unique<DaemonBillingService>(
      std::move(rules), policy, journal, clock, std::move(*ledger), std::move(shared),
      std::move(*store), std::move(*queue), std::move(*pruner), telemetry));
}

}  // namespace fhir837::serve
