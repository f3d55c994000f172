#include "engine/serve/billing_store.h"

#include <gtest/gtest.h>

#include "support/test_paths.h"

namespace fhir837::serve {
namespace {

using fhir837::testing::readFile;
using fhir837::testing::TempDir;
using fhir837::testing::writeFile;

BillingStore::Update lines(std::vector<std::pair<std::string, std::string>> queued) {
  BillingStore::Update update;
  update.reportLines = std::move(queued);
  return update;
}

TEST(BillingStoreTest, EachClaimKeyGetsOneReportLineEver) {
  TempDir state;
  auto store = BillingStore::open(state.path());
  ASSERT_TRUE(store) << store.error();
  const auto report = state.path() / "report.ndjson";
  ASSERT_TRUE((*store)->apply(lines({{"C1|1", "{\"claim_id\":\"C1\"}"},
                                     {"C2|1", "{\"claim_id\":\"C2\"}"},
                                     {"C1|1", "{\"claim_id\":\"C1 again\"}"}})));
  ASSERT_TRUE((*store)->flushReport(report));
  // The same claim again (a round after a crash coded it again): no second line.
  ASSERT_TRUE((*store)->apply(lines({{"C2|1", "{\"claim_id\":\"C2\"}"}})));
  ASSERT_TRUE((*store)->flushReport(report));
  // A replacement of C1 goes out in interchange 2: a line of its own.
  ASSERT_TRUE((*store)->apply(lines({{"C1|2", "{\"claim_id\":\"C1\",\"frequency\":7}"}})));
  ASSERT_TRUE((*store)->flushReport(report));
  EXPECT_EQ(
      readFile(report),
      "{\"claim_id\":\"C1\"}\n{\"claim_id\":\"C2\"}\n{\"claim_id\":\"C1\",\"frequency\":7}\n");
}

TEST(BillingStoreTest, AnAppendCutShortByACrashIsRedoneNotRepeated) {
  TempDir state;
  const auto report = state.path() / "report.ndjson";
  {
    auto store = BillingStore::open(state.path());
    ASSERT_TRUE(store) << store.error();
    ASSERT_TRUE((*store)->apply(lines({{"C1|1", "{\"a\":1}"}})));
    ASSERT_TRUE((*store)->flushReport(report));
    ASSERT_TRUE((*store)->apply(lines({{"C2|1", "{\"b\":2}"}})));
  }
  // The process died after appending part of the queued line, before committing the flush.
  writeFile(report, readFile(report) + "{\"b\":");
  auto reopened = BillingStore::open(state.path());
  ASSERT_TRUE(reopened) << reopened.error();
  ASSERT_TRUE((*reopened)->flushReport(report));
  EXPECT_EQ(readFile(report), "{\"a\":1}\n{\"b\":2}\n");
  // Nothing queued: flushing again changes nothing.
  ASSERT_TRUE((*reopened)->flushReport(report));
  EXPECT_EQ(readFile(report), "{\"a\":1}\n{\"b\":2}\n");
}

TEST(BillingStoreTest, DecisionsGroupsAndFingerprintsReadBack) {
  TempDir state;
  auto store = BillingStore::open(state.path());
  ASSERT_TRUE(store) << store.error();
  BillingStore::Update update;
  EventBillingStatus status;
  status.eventKey = "MedicationAdministration/ma1";
  status.state = "pending";
  status.rule = "CTX-COVERAGE";
  status.waitingFor = {"no Coverage (MedicationAdministration/ma1.subject)", "Patient/p1"};
  update.statuses.push_back(status);
  update.statusGroups.emplace_back(status.eventKey, "Encounter/e1");
  update.groups.emplace_back("Encounter/e1", BillingStore::GroupState{42, 1700000000});
  update.fingerprints.emplace_back("C1|837P", "abc");
  ASSERT_TRUE((*store)->apply(update));

  auto read = (*store)->status("MedicationAdministration/ma1");
  ASSERT_TRUE(read && *read);
  EXPECT_EQ((*read)->state, "pending");
  EXPECT_EQ((*read)->rule, "CTX-COVERAGE");
  EXPECT_EQ((*read)->waitingFor, status.waitingFor);
  auto absent = (*store)->status("MedicationAdministration/none");
  ASSERT_TRUE(absent);
  EXPECT_FALSE(*absent);

  auto group = (*store)->groupState("Encounter/e1");
  ASSERT_TRUE(group && *group);
  EXPECT_EQ((*group)->processedSeq, 42);
  EXPECT_EQ((*group)->pendingSince, 1700000000);
  auto fingerprint = (*store)->fingerprint("C1|837P");
  ASSERT_TRUE(fingerprint && *fingerprint);
  EXPECT_EQ(**fingerprint, "abc");
  auto none = (*store)->fingerprint("C1|837I");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

}  // namespace
}  // namespace fhir837::serve
