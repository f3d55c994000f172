// Ledger lookups in one read transaction (LedgerReadBatch on StateStore): what the lookups
// inside see, that writes wait until it ends, and how nested batches behave.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <stdexcept>
#include <string>

#include "store/state_store.h"
#include "support/open_state_store.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::function<std::string(std::uint64_t)> fileIn(const fs::path& dir) {
  return [dir](std::uint64_t n) { return (dir / ("out-" + std::to_string(n) + ".x12")).string(); };
}

// Bills `eventKey` from another connection (another convert sharing the state dir), committed
// when this returns. Returns SQLite's result code.
int billElsewhere(const fs::path& dir, const std::string& eventKey) {
  sqlite3* db = nullptr;
  sqlite3_open((dir / "fhir837.sqlite").c_str(), &db);
  const std::string sql =
      "INSERT INTO ledger(event_key, claim_id, file, isa13, state, owner, claim_key) VALUES('" +
      eventKey + "', 'CLM-OTHER', '/elsewhere.x12', 77, 'written', '', 'P|Encounter/e9|p|m')";
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

LedgerEntry billed(const std::string& eventKey, const std::string& claimKey) {
  return LedgerEntry{eventKey, "CLM-1", "", 0, claimKey};
}

TEST(LedgerReadBatch, LookupsInsideSeeTheRowsCommittedBefore) {
  TempDir dir;
  auto store = openStore(dir.path());
  auto reserved = store->reserveInterchange(
      "acme", fileIn(dir.path()), {billed("MedicationAdministration/ma1", "P|Encounter/e1|p|m")});
  ASSERT_TRUE(reserved) << reserved.error().describe();
  ASSERT_TRUE(store->confirmInterchange(reserved->file));
  const std::string file = (dir.path() / "out-1.x12").string();

  LedgerReadBatch reads(*store);
  ASSERT_TRUE(reads.begun());
  auto found = store->findBilled("MedicationAdministration/ma1");
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(*found, (LedgerEntry{"MedicationAdministration/ma1", "CLM-1", file, 1, ""}));
  auto missing = store->findBilled("MedicationAdministration/ma2");
  ASSERT_TRUE(missing);
  EXPECT_EQ(*missing, std::nullopt);
  auto claim = store->findBilledClaim("P|Encounter/e1|p|m", "CLM-1");
  ASSERT_TRUE(claim);
  EXPECT_EQ(*claim,
            (LedgerEntry{"MedicationAdministration/ma1", "CLM-1", file, 1, "P|Encounter/e1|p|m"}));
  auto other = store->claimIdOfOtherEncounter("CLM-1", "Encounter/e2");
  ASSERT_TRUE(other);
  EXPECT_EQ(*other,
            (LedgerEntry{"MedicationAdministration/ma1", "CLM-1", file, 1, "P|Encounter/e1|p|m"}));
  EXPECT_TRUE(reads.end());
}

// One snapshot for the whole batch: a row another process commits after the batch's first
// lookup is seen only once the batch has ended.
TEST(LedgerReadBatch, ReadsOneSnapshotUntilItEnds) {
  TempDir dir;
  auto store = openStore(dir.path());
  {
    LedgerReadBatch reads(*store);
    ASSERT_TRUE(reads.begun());
    EXPECT_EQ(*store->findBilled("MedicationAdministration/ma9"), std::nullopt);
    ASSERT_EQ(billElsewhere(dir.path(), "MedicationAdministration/ma9"), SQLITE_OK);
    EXPECT_EQ(*store->findBilled("MedicationAdministration/ma9"), std::nullopt);
  }
  auto after = store->findBilled("MedicationAdministration/ma9");
  ASSERT_TRUE(after);
  EXPECT_EQ(*after,
            (LedgerEntry{"MedicationAdministration/ma9", "CLM-OTHER", "/elsewhere.x12", 77, ""}));
}

TEST(LedgerReadBatch, AWriteAfterTheBatchEndsWorks) {
  TempDir dir;
  auto store = openStore(dir.path());
  LedgerReadBatch reads(*store);
  ASSERT_TRUE(reads.begun());
  EXPECT_EQ(*store->findBilled("MedicationAdministration/ma1"), std::nullopt);
  ASSERT_TRUE(reads.end());
  EXPECT_TRUE(reads.end()) << "a second end() does nothing";

  auto reserved = store->reserveInterchange("acme", fileIn(dir.path()),
                                            {billed("MedicationAdministration/ma1", "")});
  ASSERT_TRUE(reserved) << reserved.error().describe();
  EXPECT_EQ(reserved->controlNumber, 1u);
  EXPECT_TRUE(store->confirmInterchange(reserved->file));
  EXPECT_EQ((*store->findBilled("MedicationAdministration/ma1"))->interchangeControlNumber, 1u);
}

TEST(LedgerReadBatch, AWriteInsideABatchIsAProgrammingError) {
  TempDir dir;
  auto store = openStore(dir.path());
  {
    LedgerReadBatch reads(*store);
    ASSERT_TRUE(reads.begun());
    EXPECT_EQ(*store->findBilled("MedicationAdministration/ma1"), std::nullopt);
    try {
      (void)store->reserveInterchange("acme", fileIn(dir.path()),
                                      {billed("MedicationAdministration/ma1", "")});
      ADD_FAILURE() << "reserveInterchange inside a read batch was not refused";
    } catch (const std::logic_error& e) {
      EXPECT_STREQ(e.what(), "state store: reserveInterchange inside a ledger read batch");
    }
    EXPECT_THROW((void)store->confirmInterchange("/x.x12"), std::logic_error);
    EXPECT_THROW((void)store->abandonInterchange("/x.x12"), std::logic_error);
    EXPECT_THROW((void)store->recordPayerClaimNumber("CLM-1", "ICN1"), std::logic_error);
  }
  // The refused write left nothing open: the next reservation is number 1.
  auto reserved = store->reserveInterchange("acme", fileIn(dir.path()),
                                            {billed("MedicationAdministration/ma1", "")});
  ASSERT_TRUE(reserved) << reserved.error().describe();
  EXPECT_EQ(reserved->controlNumber, 1u);
  EXPECT_THROW((void)store->endReadBatch(), std::logic_error) << "no batch is open";
}

// A batch opened inside another joins it: ending the inner one keeps the outer snapshot, and
// writes stay refused until the outer one ends.
TEST(LedgerReadBatch, NestedBatchesJoinTheOuterOne) {
  TempDir dir;
  auto store = openStore(dir.path());
  LedgerReadBatch outer(*store);
  ASSERT_TRUE(outer.begun());
  {
    LedgerReadBatch inner(*store);
    ASSERT_TRUE(inner.begun());
    EXPECT_EQ(*store->findBilled("MedicationAdministration/ma9"), std::nullopt);
    ASSERT_TRUE(inner.end());
  }
  ASSERT_EQ(billElsewhere(dir.path(), "MedicationAdministration/ma9"), SQLITE_OK);
  EXPECT_EQ(*store->findBilled("MedicationAdministration/ma9"), std::nullopt);
  EXPECT_THROW((void)store->confirmInterchange("/x.x12"), std::logic_error);
  ASSERT_TRUE(outer.end());
  EXPECT_EQ((*store->findBilled("MedicationAdministration/ma9"))->claimId, "CLM-OTHER");
}

TEST(LedgerReadBatch, WorksOnTheInMemoryStoreOfExplain) {
  auto store = StateStore::openInMemory();
  ASSERT_TRUE(store) << store.error().describe();
  LedgerReadBatch reads(**store);
  ASSERT_TRUE(reads.begun());
  EXPECT_EQ(*(*store)->findBilled("MedicationAdministration/ma1"), std::nullopt);
  EXPECT_TRUE(reads.end());
}

}  // namespace
}  // namespace fhir837
