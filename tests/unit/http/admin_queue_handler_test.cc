#include "sources/http/admin_queue_handler.h"

#include <gtest/gtest.h>

#include "engine/serve/billing_store.h"
#include "engine/serve/daemon_lock.h"
#include "engine/serve/journal.h"
#include "engine/serve/queue_store.h"
#include "support/test_paths.h"

namespace fhir837::http {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

class AdminQueueHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto journal = serve::openJournal(dir_.path());
    ASSERT_TRUE(journal) << journal.error();
    (*journal)->close();
    ASSERT_TRUE(serve::QueueStore::open(dir_.path()));
    auto billing = serve::BillingStore::open(dir_.path());
    ASSERT_TRUE(billing) << billing.error();
    serve::EventBillingStatus status;
    status.eventKey = "MedicationAdministration/ma1";
    status.state = "needs-review";
    status.rule = "INF-D4";
    status.reason = "no route";
    serve::BillingStore::Update update;
    update.statuses = {status};
    update.statusGroups = {{status.eventKey, "Encounter/e1"}};
    ASSERT_TRUE((*billing)->apply(update));
    serve::QueueServiceOptions options;
    options.stateDir = dir_.path();
    options.waitForDaemon = std::chrono::milliseconds(0);
    auto queue = serve::makeQueueService(options, clock_);
    ASSERT_TRUE(queue) << queue.error();
    queue_ = std::move(*queue);
    auto item = queue_->show("review:MedicationAdministration/ma1", false);
    since_ = std::to_string(item.value()->since);
    handler_ = makeAdminQueueHandler(*queue_, clock_);
  }

  HttpResponse call(std::string method, std::string target, std::string body = "") {
    HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    request.remote = "10.1.2.3";
    HttpResponse answer;
    handler_->handle(std::move(request), [&](HttpResponse r) { answer = std::move(r); });
    return answer;
  }

  testing::TempDir dir_;
  FixedClock clock_{kNow};
  std::unique_ptr<serve::QueueService> queue_;
  std::unique_ptr<RequestHandler> handler_;
  std::string since_;
};

std::string header(const HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

TEST_F(AdminQueueHandlerTest, ListsAndShowsItemsAsJson) {
  const std::string age = std::to_string(kNow - std::stoll(since_));
  HttpResponse list = call("GET", "/admin/queue");
  EXPECT_EQ(list.status, 200);
  EXPECT_EQ(header(list, "Content-Type"), "application/json");
  EXPECT_EQ(list.body, R"({"items":[{"id":"review:MedicationAdministration/ma1","kind":"review",)"
                       R"("rule":"INF-D4","reason":"no route","since":)" +
                           since_ + R"(,"ageSeconds":)" + age + R"(,"state":"open"}]})" + "\n");
  HttpResponse shown = call("GET", "/admin/queue/review%3AMedicationAdministration%2Fma1");
  EXPECT_EQ(shown.status, 200);
  EXPECT_EQ(shown.body, R"({"id":"review:MedicationAdministration/ma1","kind":"review",)"
                        R"("rule":"INF-D4","reason":"no route","since":)" +
                            since_ + R"(,"ageSeconds":)" + age +
                            R"(,"state":"open","group":"Encounter/e1","path":"",)"
                            R"("waitingFor":[],"trail":null})" +
                            "\n");
  HttpResponse missing = call("GET", "/admin/queue/dead:9");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(
      missing.body,
      R"j({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found",)j"
      R"j("diagnostics":"dead:9: no such item in the queue (billed, or never there)"}]})j");
  HttpResponse elsewhere = call("GET", "/admin/queues");
  EXPECT_EQ(elsewhere.status, 404);
  HttpResponse wrongMethod = call("DELETE", "/admin/queue/dead:9");
  EXPECT_EQ(wrongMethod.status, 405);
  EXPECT_EQ(header(wrongMethod, "Allow"), "GET");
  EXPECT_EQ(call("GET", "/admin/queue/dead:9/retry").status, 405);
  EXPECT_EQ(call("GET", "/admin/queue/bad%zz").status, 400);
}

TEST_F(AdminQueueHandlerTest, DropNeedsAReasonAndRecordsWhoAndWhy) {
  HttpResponse none = call("POST", "/admin/queue/review:MedicationAdministration/ma1/drop", "{}");
  EXPECT_EQ(none.status, 400);
  EXPECT_EQ(none.body,
            R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"required",)"
            R"("diagnostics":"a drop needs a reason: {\"reason\": \"...\"}"}]})");
  EXPECT_EQ(call("POST", "/admin/queue/review:MedicationAdministration/ma1/drop", "[").status, 400);
  HttpResponse dropped = call("POST", "/admin/queue/review:MedicationAdministration/ma1/drop",
                              R"({"reason":"duplicate of ma2"})");
  EXPECT_EQ(dropped.status, 200);
  EXPECT_EQ(dropped.body,
            R"({"action":1,"item":"review:MedicationAdministration/ma1","kind":"drop",)"
            R"("state":"done","result":"dropped","by":"http:10.1.2.3",)"
            R"("reason":"duplicate of ma2","requestedAt":1800000000,"appliedAt":1800000000})"
            "\n");
  EXPECT_EQ(call("GET", "/admin/queue").body, "{\"items\":[]}\n");
  HttpResponse all = call("GET", "/admin/queue?all=true");
  EXPECT_NE(all.body.find(R"("state":"dropped","markedBy":"http:10.1.2.3",)"
                          R"("markedAt":1800000000,"markReason":"duplicate of ma2"})"),
            std::string::npos)
      << all.body;
  HttpResponse again = call("POST", "/admin/queue/review:MedicationAdministration/ma1/drop",
                            R"({"reason":"again"})");
  EXPECT_EQ(again.status, 409);
}

TEST_F(AdminQueueHandlerTest, ARetryTheRunningDaemonHasYetToApplyIsAccepted) {
  auto daemon = serve::DaemonLock::tryAcquire(dir_.path());
  ASSERT_TRUE(daemon && *daemon);
  HttpResponse retried = call("POST", "/admin/queue/review:MedicationAdministration/ma1/retry");
  EXPECT_EQ(retried.status, 202);
  EXPECT_EQ(retried.body,
            R"({"action":1,"item":"review:MedicationAdministration/ma1","kind":"retry",)"
            R"("state":"pending","result":"","by":"http:10.1.2.3","reason":"",)"
            R"("requestedAt":1800000000,"appliedAt":0})"
            "\n");
}

}  // namespace
}  // namespace fhir837::http
