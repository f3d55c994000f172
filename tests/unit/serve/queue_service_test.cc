#include "engine/serve/queue_service.h"

#include <gtest/gtest.h>

#include <future>

#include "core/json_string.h"
#include "engine/serve/billing_store.h"
#include "engine/serve/daemon_lock.h"
#include "engine/serve/journal.h"
#include "engine/serve/queue_apply.h"
#include "engine/serve/queue_json.h"
#include "engine/serve/queue_store.h"
#include "engine/serve/resource_intake.h"
#include "support/test_paths.h"

namespace fhir837::serve {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

const std::string kPatient = R"({"resourceType":"Patient","id":"p1","gender":"female"})";
const std::string kPatientV2 = R"({"resourceType":"Patient","id":"p1","gender":"male"})";
// A transaction whose PUT expects version 2 of Patient/p1.
const std::string kTransaction =
    R"({"resourceType":"Bundle","type":"transaction","entry":[{)"
    R"("resource":{"resourceType":"Patient","id":"p1","gender":"other"},)"
    R"("request":{"method":"PUT","url":"Patient/p1","ifMatch":"W/\"2\""}}]})";

Result<BatchResult> store(Journal& journal, const std::string& body, const std::string& type,
                          const std::string& id) {
  Intake intake = analyseBody(body, BodyFormat::kJson, type, id, ParseLimits{});
  EXPECT_TRUE(intake.resource) << (intake.problem ? intake.problem->diagnostics : "");
  WriteBatch batch;
  batch.writes.push_back(*intake.resource);
  std::promise<Result<BatchResult>> promise;
  journal.submit(std::move(batch), [&](Result<BatchResult> r) { promise.set_value(std::move(r)); });
  return promise.get_future().get();
}

Status keep(Journal& journal, DeadLetter letter) {
  std::promise<Status> promise;
  journal.submitDeadLetter(std::move(letter), [&](Status s) { promise.set_value(s); });
  return promise.get_future().get();
}

EventBillingStatus review(const std::string& key) {
  EventBillingStatus status;
  status.eventKey = key;
  status.state = "needs-review";
  status.rule = "DOS-FUTURE";
  status.reason = "service date is after the run clock";
  status.path = "MedicationAdministration.effectivePeriod.start";
  status.trailJson = R"({"event":")" + key + R"(","outcome":"needs-review"})";
  return status;
}

class QueueServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto journal = openJournal(dir_.path());
    ASSERT_TRUE(journal) << journal.error();
    journal_ = std::move(*journal);
    // The queue's tables (and the review trigger) exist before the billing thread decides.
    auto queue = QueueStore::open(dir_.path());
    ASSERT_TRUE(queue) << queue.error();
    auto billing = BillingStore::open(dir_.path());
    ASSERT_TRUE(billing) << billing.error();
    BillingStore::Update update;
    update.statuses = {review("MedicationAdministration/ma1")};
    update.statusGroups = {{"MedicationAdministration/ma1", "Encounter/e1"}};
    update.groups = {{"Encounter/e1", BillingStore::GroupState{7, 0}}};
    ASSERT_TRUE(billing.value()->apply(update));
  }

  // The journal is closed before a service applies an action without a daemon (it opens its own).
  std::unique_ptr<QueueService> service(std::chrono::milliseconds wait = std::chrono::seconds(0)) {
    QueueServiceOptions options;
    options.stateDir = dir_.path();
    options.waitForDaemon = wait;
    auto made = makeQueueService(options, clock_);
    EXPECT_TRUE(made) << made.error();
    return made ? std::move(*made) : nullptr;
  }

  std::int64_t processedSeq(const std::string& group) {
    auto billing = BillingStore::open(dir_.path());
    auto state = billing.value()->groupState(group);
    return state.value()->processedSeq;
  }

  testing::TempDir dir_;
  FixedClock clock_{kNow};
  std::unique_ptr<Journal> journal_;
};

TEST_F(QueueServiceTest, AReviewItemIsListedShownDroppedWithItsReasonAndRetried) {
  journal_->close();
  auto queue = service();
  auto items = queue->list(false);
  ASSERT_TRUE(items) << items.error();
  ASSERT_EQ(items->size(), 1u);
  const QueueItem& item = items->front();
  EXPECT_EQ(item.id, "review:MedicationAdministration/ma1");
  EXPECT_GT(item.since, 0);  // the trigger's wall clock, when the decision was committed
  EXPECT_EQ(queueItemJson(item, item.since + 90, false),
            R"({"id":"review:MedicationAdministration/ma1","kind":"review","rule":"DOS-FUTURE",)"
            R"("reason":"service date is after the run clock","since":)" +
                std::to_string(item.since) + R"(,"ageSeconds":90,"state":"open"})");
  EXPECT_EQ(queueAge(item, item.since + 7200), "2h");
  auto shown = queue->show("review:MedicationAdministration/ma1", false);
  ASSERT_TRUE(shown && *shown);
  EXPECT_EQ(queueItemJson(**shown, item.since, true),
            R"({"id":"review:MedicationAdministration/ma1","kind":"review","rule":"DOS-FUTURE",)"
            R"("reason":"service date is after the run clock","since":)" +
                std::to_string(item.since) +
                R"(,"ageSeconds":0,"state":"open","group":"Encounter/e1",)"
                R"("path":"MedicationAdministration.effectivePeriod.start","waitingFor":[],)"
                R"("trail":{"event":"MedicationAdministration/ma1","outcome":"needs-review"}})");

  auto noReason = queue->drop("review:MedicationAdministration/ma1", "", "cli:ops");
  ASSERT_FALSE(noReason);
  EXPECT_EQ(noReason.error().code, ErrorCode::kMissingElement);
  auto dropped = queue->drop("review:MedicationAdministration/ma1", "billed by hand", "cli:ops");
  ASSERT_TRUE(dropped) << dropped.error();
  EXPECT_EQ(queueActionJson(*dropped),
            R"({"action":1,"item":"review:MedicationAdministration/ma1","kind":"drop",)"
            R"("state":"done","result":"dropped","by":"cli:ops","reason":"billed by hand",)"
            R"("requestedAt":1800000000,"appliedAt":1800000000})");
  EXPECT_TRUE(queue->list(false)->empty());
  auto all = queue->list(true);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().state, "dropped");
  EXPECT_EQ(all->front().markedBy, "cli:ops");
  EXPECT_EQ(all->front().markReason, "billed by hand");
  EXPECT_EQ(all->front().markedAt, kNow);
  auto again = queue->drop("review:MedicationAdministration/ma1", "twice", "cli:ops");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kInvalidValue);
  EXPECT_EQ(again.error().message, "the item is dropped already");

  // A drop is final for the list; a retry of a dropped item is refused as well.
  EXPECT_FALSE(queue->retry("review:MedicationAdministration/ma1", "cli:ops"));
  auto unknown = queue->retry("review:MedicationAdministration/none", "cli:ops");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnresolvedReference);
  EXPECT_FALSE(*queue->show("dead:0", false));
  EXPECT_FALSE(*queue->show("dead:x", false));
}

TEST_F(QueueServiceTest, RetryingAReviewItemWithoutADaemonMakesItsGroupDueAtTheNextStart) {
  journal_->close();
  auto queue = service();
  EXPECT_EQ(processedSeq("Encounter/e1"), 7);
  auto retried = queue->retry("review:MedicationAdministration/ma1", "cli:ops");
  ASSERT_TRUE(retried) << retried.error();
  EXPECT_EQ(retried->state, "done");
  EXPECT_EQ(retried->result, "due again: Encounter/e1 is coded when the daemon starts");
  EXPECT_EQ(processedSeq("Encounter/e1"), -1);
  // Still needs review until the billing thread codes it again.
  EXPECT_EQ(queue->list(false)->size(), 1u);
}

TEST_F(QueueServiceTest, WhileTheDaemonRunsTheActionWaitsForItsBillingThread) {
  auto daemon = DaemonLock::tryAcquire(dir_.path());
  ASSERT_TRUE(daemon && *daemon);
  auto queue = service();
  auto recorded = queue->retry("review:MedicationAdministration/ma1", "http:10.0.0.1");
  ASSERT_TRUE(recorded) << recorded.error();
  EXPECT_EQ(recorded->state, "pending");
  EXPECT_EQ(processedSeq("Encounter/e1"), 7);  // not applied by this process
  // What the billing thread does at the start of a round.
  auto store = QueueStore::open(dir_.path());
  auto pending = store.value()->pendingActions();
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u);
  std::vector<std::string> due;
  QueueApplyContext context{journal_.get(), ParseLimits{},
                            [&](const std::string& group) { due.push_back(group); },
                            "in the billing thread's next round"};
  ASSERT_TRUE(applyQueueAction(**store, pending->front(), context, kNow + 1));
  EXPECT_EQ(due, std::vector<std::string>{"Encounter/e1"});
  EXPECT_EQ(processedSeq("Encounter/e1"), -1);
  auto applied = store.value()->action(recorded->number);
  EXPECT_EQ(applied.value()->state, "done");
  EXPECT_EQ(applied.value()->result,
            "due again: Encounter/e1 is coded in the billing thread's next round");
  EXPECT_EQ(applied.value()->appliedAt, kNow + 1);
  EXPECT_TRUE(store.value()->pendingActions()->empty());
}

TEST_F(QueueServiceTest, ADeadLetterIsRetriedThroughTheIntakeOnceItsDataIsThere) {
  ASSERT_TRUE(store(*journal_, kPatient, "Patient", "p1"));
  ASSERT_TRUE(keep(*journal_, DeadLetter{412, "processing", "Patient/p1 is at version 1", "POST",
                                         "/fhir", "application/fhir+json", kTransaction}));
  ASSERT_TRUE(
      keep(*journal_, DeadLetter{404, "not-supported", "resource type Observation is not supported",
                                 "POST", "/fhir/Observation", "application/fhir+json",
                                 R"({"resourceType":"Observation"})"}));
  journal_->close();
  auto queue = service();
  auto items = queue->list(false);
  ASSERT_EQ(items->size(), 3u);
  const QueueItem& letter = (*items)[1];
  EXPECT_EQ(letter.id, "dead:1");
  auto shown = queue->show("dead:1", true);
  ASSERT_TRUE(shown && *shown);
  EXPECT_EQ(
      queueItemJson(**shown, letter.since, true),
      R"({"id":"dead:1","kind":"dead-letter","rule":"processing",)"
      R"("reason":"Patient/p1 is at version 1","since":)" +
          std::to_string(letter.since) + R"(,"ageSeconds":0,"state":"open","received":")" +
          letter.received +
          R"(","httpStatus":412,"method":"POST","target":"/fhir",)"
          R"("contentType":"application/fhir+json","bodyBytes":)" +
          std::to_string(kTransaction.size()) + R"(,"body":)" +
          [] {
            std::string quoted;
            appendJsonString(quoted, kTransaction);
            return quoted;
          }() +
          "}");

  // Still version 1: refused again, and the letter stays with the new reason shown.
  auto first = queue->retry("dead:1", "cli:ops");
  ASSERT_TRUE(first) << first.error();
  EXPECT_EQ(first->state, "failed");
  EXPECT_EQ(first->result,
            "Patient/p1 precondition failed (If-Match names version 2, the current version is 1): "
            "nothing was stored");
  EXPECT_EQ(queue->list(false)->size(), 3u);

  auto unsupported = queue->retry("dead:2", "cli:ops");
  ASSERT_TRUE(unsupported) << unsupported.error();
  EXPECT_EQ(unsupported->state, "failed");
  EXPECT_EQ(unsupported->result, "404 not-supported: resource type Observation is not supported");

  {  // The data is fixed: version 2 arrives.
    auto journal = openJournal(dir_.path());
    ASSERT_TRUE(store(**journal, kPatientV2, "Patient", "p1"));
    (*journal)->close();
  }
  auto second = queue->retry("dead:1", "cli:ops");
  ASSERT_TRUE(second) << second.error();
  EXPECT_EQ(second->state, "done");
  EXPECT_EQ(second->result, "stored: Patient/p1 updated");
  auto remaining = queue->list(false);
  ASSERT_EQ(remaining->size(), 2u);
  EXPECT_EQ((*remaining)[1].id, "dead:2");
  auto kept = queue->show("dead:1", false);
  EXPECT_EQ(kept.value()->state, "retried");
  EXPECT_EQ(kept.value()->markReason, "Patient/p1 updated");
  auto journal = openJournal(dir_.path());
  auto current = (*journal)->current("Patient", "p1");
  ASSERT_TRUE(current && *current);
  EXPECT_EQ((*current)->versionId, 3u);
  auto again = queue->retry("dead:1", "cli:ops");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, "the item is retried already");
}

}  // namespace
}  // namespace fhir837::serve

namespace fhir837::serve {
namespace {

TEST(DaemonLockTest, OneHolderPerStateDirAndFreedWithItsHolder) {
  testing::TempDir dir;
  auto first = DaemonLock::tryAcquire(dir.path());
  ASSERT_TRUE(first && *first);
  auto second = DaemonLock::tryAcquire(dir.path());
  ASSERT_TRUE(second);
  EXPECT_FALSE(*second);  // taken: a daemon runs
  auto waited = DaemonLock::acquire(dir.path(), std::chrono::milliseconds(100));
  ASSERT_FALSE(waited);
  EXPECT_EQ(waited.error().message,
            "another fhir837 serve (or queue command) holds this state dir");
  first->reset();
  auto after = DaemonLock::acquire(dir.path(), std::chrono::milliseconds(100));
  ASSERT_TRUE(after && *after);
}

}  // namespace
}  // namespace fhir837::serve

namespace fhir837::serve {
namespace {

TEST_F(QueueServiceTest, APartOfAFileTheInboxRefusedIsTakenInAsTheInboxTakesIt) {
  ASSERT_TRUE(keep(*journal_, DeadLetter{503, "transient", "in/a.ndjson: line 2: journal busy",
                                         "FILE", "in/a.ndjson: line 2", "application/fhir+json",
                                         R"({"resourceType":"Patient","id":"p9"})"}));
  journal_->close();
  auto queue = service();
  auto retried = queue->retry("dead:1", "cli:ops");
  ASSERT_TRUE(retried) << retried.error();
  EXPECT_EQ(retried->state, "done");
  EXPECT_EQ(retried->result, "stored: Patient/p9 created");
}

}  // namespace
}  // namespace fhir837::serve
