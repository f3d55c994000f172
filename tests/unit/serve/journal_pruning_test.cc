#include "engine/serve/journal_pruning.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <future>

#include "engine/serve/billing_store.h"
#include "support/test_paths.h"

namespace fhir837::serve {
namespace {

ResourceWrite resource(std::string type, std::string id, std::string body) {
  ResourceWrite write;
  write.type = std::move(type);
  write.id = std::move(id);
  write.body = std::move(body);
  write.hash = "h:" + write.body;
  return write;
}

ResourceWrite event(std::string id, const std::string& encounter) {
  ResourceWrite write = resource("MedicationAdministration", id, "{\"ma\":\"" + id + "\"}");
  write.event = EventFacts{"Encounter/" + encounter, "Patient/p1", "completed"};
  write.references = {"Patient/p1", "Encounter/" + encounter};
  return write;
}

Result<BatchResult> commit(Journal& journal, std::vector<ResourceWrite> writes) {
  WriteBatch batch;
  batch.writes = std::move(writes);
  std::promise<Result<BatchResult>> promise;
  journal.submit(std::move(batch), [&](Result<BatchResult> r) { promise.set_value(std::move(r)); });
  return promise.get_future().get();
}

EventBillingStatus billed(const std::string& key) {
  EventBillingStatus status;
  status.eventKey = key;
  status.state = "billed";
  return status;
}

class JournalPruningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto journal = openJournal(dir_.path());
    ASSERT_TRUE(journal) << journal.error();
    journal_ = std::move(*journal);
    auto billing = BillingStore::open(dir_.path());
    ASSERT_TRUE(billing) << billing.error();
    billing_ = std::move(*billing);
    auto pruner = JournalPruner::open(dir_.path());
    ASSERT_TRUE(pruner) << pruner.error();
    pruner_ = std::move(*pruner);
    ResourceWrite e1 = resource("Encounter", "e1", "{\"e\":1}");
    e1.encounter = EncounterFacts{true};
    ResourceWrite e2 = resource("Encounter", "e2", "{\"e\":2}");
    e2.encounter = EncounterFacts{true};
    ASSERT_TRUE(commit(*journal_, {resource("Patient", "p1", "{\"p\":1}"), e1, e2,
                                   event("ma1", "e1"), event("ma2", "e2")}));
  }

  // The billing thread's decision: the group's events billed, coded at its last sequence.
  void settle(const std::string& group, const std::string& eventKey) {
    auto last = journal_->group(group);
    ASSERT_TRUE(last && *last);
    BillingStore::Update update;
    update.statuses = {billed(eventKey)};
    update.statusGroups = {{eventKey, group}};
    update.groups = {{group, BillingStore::GroupState{(*last)->lastChangeSeq, 0}}};
    ASSERT_TRUE(billing_->apply(update));
  }

  std::string body(const std::string& type, const std::string& id) {
    auto current = journal_->current(type, id);
    EXPECT_TRUE(current && *current);
    return current && *current ? (*current)->body : "?";
  }

  testing::TempDir dir_;
  std::unique_ptr<Journal> journal_;
  std::unique_ptr<BillingStore> billing_;
  std::unique_ptr<JournalPruner> pruner_;
};

TEST_F(JournalPruningTest, SettledQuietGroupsLoseTheirBodiesButNotWhatOthersStillNeed) {
  const std::int64_t later = std::time(nullptr) + 100;  // everything so far is older than that
  settle("Encounter/e1", "MedicationAdministration/ma1");
  auto first = pruner_->prune(*journal_, later, later);
  ASSERT_TRUE(first) << first.error();
  EXPECT_EQ(first->groups, 1);
  EXPECT_EQ(first->bodies, 2);  // ma1 and e1; Patient/p1 is needed by e2, which is not billed
  EXPECT_EQ(body("MedicationAdministration", "ma1"), "");
  EXPECT_EQ(body("Encounter", "e1"), "");
  EXPECT_EQ(body("Patient", "p1"), "{\"p\":1}");
  EXPECT_EQ(body("MedicationAdministration", "ma2"), "{\"ma\":\"ma2\"}");
  // Nothing new: a second pass does nothing.
  EXPECT_EQ(pruner_->prune(*journal_, later, later)->groups, 0);

  settle("Encounter/e2", "MedicationAdministration/ma2");
  auto second = pruner_->prune(*journal_, later, later);
  ASSERT_TRUE(second) << second.error();
  EXPECT_EQ(second->groups, 1);
  EXPECT_EQ(second->bodies, 3);
  EXPECT_EQ(body("Patient", "p1"), "");

  // The same content again is recognised by its hash (no new version) and brings the body back.
  auto resent = commit(*journal_, {event("ma1", "e1")});
  ASSERT_TRUE(resent) << resent.error();
  EXPECT_EQ(resent->results.front().kind, WriteKind::kUnchanged);
  EXPECT_EQ(resent->results.front().versionId, 1u);
  EXPECT_EQ(body("MedicationAdministration", "ma1"), "{\"ma\":\"ma1\"}");
}

TEST_F(JournalPruningTest, RecentGroupsKeepTheirBodies) {
  settle("Encounter/e1", "MedicationAdministration/ma1");
  const std::int64_t earlier = std::time(nullptr) - 100;
  auto pruned = pruner_->prune(*journal_, earlier, earlier);
  ASSERT_TRUE(pruned) << pruned.error();
  EXPECT_EQ(pruned->groups, 0);
  EXPECT_EQ(body("MedicationAdministration", "ma1"), "{\"ma\":\"ma1\"}");
}

TEST_F(JournalPruningTest, ANewJournalGivesFreedPagesBack) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "journal.sqlite").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA auto_vacuum", -1, &statement, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(statement, 0), 2);  // INCREMENTAL
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

}  // namespace
}  // namespace fhir837::serve
