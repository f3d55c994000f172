#include "store/state_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "support/open_state_store.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// Output files live next to the database in these tests.
std::function<std::string(std::uint64_t)> fileIn(const fs::path& dir, const std::string& partner) {
  return [dir, partner](std::uint64_t n) {
    return (dir / (partner + "-" + std::to_string(n) + ".x12")).string();
  };
}

std::vector<LedgerEntry> events(std::initializer_list<const char*> keys) {
  std::vector<LedgerEntry> out;
  for (const char* key : keys) out.push_back(LedgerEntry{key, std::string("CLM-") + key, "", 0});
  return out;
}

// Runs one SQL statement on the database behind the store's back.
std::string rawQuery(const fs::path& dir, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open((dir / "fhir837.sqlite").c_str(), &db);
  std::string result;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      result += (result.empty() ? "" : ",") +
                std::string(text ? reinterpret_cast<const char*>(text) : "NULL");
    }
  } else {
    result = std::string("error: ") + sqlite3_errmsg(db);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return result;
}

TEST(StateStoreTest, ControlNumbersCountPerPartner) {
  TempDir dir;
  auto store = openStore(dir.path());
  for (std::uint64_t expected : {1u, 2u, 3u}) {
    auto r = store->reserveInterchange("acme", fileIn(dir.path(), "acme"), {});
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->controlNumber, expected);
    EXPECT_EQ(r->file, (dir.path() / ("acme-" + std::to_string(expected) + ".x12")).string());
  }
  auto other = store->reserveInterchange("zenith", fileIn(dir.path(), "zenith"), {});
  ASSERT_TRUE(other);
  EXPECT_EQ(other->controlNumber, 1u);
  auto again = store->reserveInterchange("acme", fileIn(dir.path(), "acme"), {});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->controlNumber, 4u);
  // Counters survive a reopen.
  store.reset();
  auto reopened = openStore(dir.path());
  EXPECT_EQ(reopened->reserveInterchange("zenith", fileIn(dir.path(), "zenith"), {})->controlNumber,
            2u);
  EXPECT_EQ(rawQuery(dir.path(), "PRAGMA user_version"), "4");
  EXPECT_EQ(rawQuery(dir.path(), "PRAGMA journal_mode"), "wal");
}

// What a cluster ledger leases its numbers above (NatsBillingLedger).
TEST(StateStoreTest, LastControlNumberIsTheLastOneTakenForThePartner) {
  TempDir dir;
  auto store = openStore(dir.path());
  auto none = store->lastControlNumber("acme");
  ASSERT_TRUE(none) << none.error();
  EXPECT_EQ(*none, 0u);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store->reserveInterchange("acme", fileIn(dir.path(), "acme"), {}));
  }
  ASSERT_TRUE(store->reserveInterchange("zenith", fileIn(dir.path(), "zenith"), {}));
  auto last = store->lastControlNumber("acme");
  ASSERT_TRUE(last) << last.error();
  EXPECT_EQ(*last, 3u);
  last = store->lastControlNumber("zenith");
  ASSERT_TRUE(last) << last.error();
  EXPECT_EQ(*last, 1u);
}

TEST(StateStoreTest, LedgerRemembersReservedEvents) {
  TempDir dir;
  auto store = openStore(dir.path());
  auto r = store->reserveInterchange("acme", fileIn(dir.path(), "acme"), events({"ma1", "ma2"}));
  ASSERT_TRUE(r);
  auto billed = store->findBilled("ma1");
  ASSERT_TRUE(billed);
  ASSERT_TRUE(billed->has_value());
  EXPECT_EQ((*billed)->eventKey, "ma1");
  EXPECT_EQ((*billed)->claimId, "CLM-ma1");
  EXPECT_EQ((*billed)->file, r->file);
  EXPECT_EQ((*billed)->interchangeControlNumber, 1u);
  auto unknown = store->findBilled("ma3");
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(unknown->has_value());
  EXPECT_EQ(rawQuery(dir.path(), "SELECT state FROM ledger ORDER BY event_key"), "pending,pending");
  ASSERT_TRUE(store->confirmInterchange(r->file));
  EXPECT_EQ(rawQuery(dir.path(), "SELECT state FROM ledger ORDER BY event_key"), "written,written");
}

TEST(StateStoreTest, AlreadyBilledEventRejectsTheWholeReservation) {
  TempDir dir;
  auto store = openStore(dir.path());
  ASSERT_TRUE(store->reserveInterchange("acme", fileIn(dir.path(), "acme"), events({"ma1"})));
  auto clash =
      store->reserveInterchange("acme", fileIn(dir.path(), "acme"), events({"ma3", "ma1", "ma4"}));
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error(),
            makeError(ErrorCode::kRejected, "already billed by another conversion", "ma1"));
  // Nothing of the failed reservation stuck: no counter step, no ledger row for ma3.
  EXPECT_FALSE(store->findBilled("ma3")->has_value());
  EXPECT_EQ(rawQuery(dir.path(), "SELECT last FROM control_numbers WHERE partner = 'acme'"), "1");
  auto next = store->reserveInterchange("acme", fileIn(dir.path(), "acme"), events({"ma3"}));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->controlNumber, 2u);
  // A duplicate inside one reservation is caught too.
  auto twice =
      store->reserveInterchange("acme", fileIn(dir.path(), "acme"), events({"ma5", "ma5"}));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().where, "ma5");
}

TEST(StateStoreTest, AbandonReleasesEventsButNotTheNumber) {
  TempDir dir;
  auto store = openStore(dir.path());
  auto first = store->reserveInterchange("acme", fileIn(dir.path(), "acme"), events({"ma1"}));
  ASSERT_TRUE(first);
  ASSERT_TRUE(store->abandonInterchange(first->file));
  EXPECT_FALSE(store->findBilled("ma1")->has_value());
  auto second = store->reserveInterchange("acme", fileIn(dir.path(), "acme"), events({"ma1"}));
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_EQ(second->controlNumber, 2u);
  // Abandoning a confirmed file changes nothing.
  ASSERT_TRUE(store->confirmInterchange(second->file));
  ASSERT_TRUE(store->abandonInterchange(second->file));
  EXPECT_TRUE(store->findBilled("ma1")->has_value());
}

TEST(StateStoreTest, ReopenRecoversPendingReservations) {
  TempDir dir;
  std::string lostFile, writtenFile;
  {
    auto store = openStore(dir.path());
    lostFile =
        store->reserveInterchange("acme", fileIn(dir.path(), "acme"), events({"ma1", "ma2"}))->file;
    writtenFile =
        store->reserveInterchange("acme", fileIn(dir.path(), "acme"), events({"ma3"}))->file;
    testing::writeFile(writtenFile, "ISA...");
    // "Crash": neither reservation is confirmed nor abandoned.
  }
  {
    auto store = openStore(dir.path());
    EXPECT_FALSE(store->findBilled("ma1")->has_value());
    EXPECT_FALSE(store->findBilled("ma2")->has_value());
    ASSERT_TRUE(store->findBilled("ma3")->has_value());
    EXPECT_EQ(rawQuery(dir.path(), "SELECT state FROM ledger"), "written");
    EXPECT_EQ(store->reserveInterchange("acme", fileIn(dir.path(), "acme"), {})->controlNumber, 3u);
  }
  // Confirmed means final: losing the file later does not make the event billable again.
  fs::remove(writtenFile);
  auto store = openStore(dir.path());
  EXPECT_TRUE(store->findBilled("ma3")->has_value());
}

// A writer killed between its temporary and the rename leaves ".<name>.<pid>.tmp", possibly a
// whole interchange; its claims are billed again under a new number, so recovery removes it (and
// nothing that is not that reservation's temporary).
TEST(StateStoreTest, RecoveryRemovesTheTemporaryOfAnAbandonedReservation) {
  TempDir dir;
  std::string lostFile;
  {
    auto store = openStore(dir.path());
    lostFile = store->reserveInterchange("acme", fileIn(dir.path(), "acme"), events({"ma1"}))->file;
  }
  const fs::path lost(lostFile);
  const fs::path orphan = dir.path() / ("." + lost.filename().string() + ".4242.tmp");
  const fs::path noPid = dir.path() / ("." + lost.filename().string() + ".tmp");
  const fs::path otherNumber = dir.path() / ".acme-10.x12.4242.tmp";
  for (const auto& p : {orphan, noPid, otherNumber}) testing::writeFile(p, "ISA...");

  auto store = openStore(dir.path());
  EXPECT_FALSE(store->findBilled("ma1")->has_value());
  EXPECT_FALSE(fs::exists(orphan));
  EXPECT_TRUE(fs::exists(noPid));
  EXPECT_TRUE(fs::exists(otherNumber));
  EXPECT_FALSE(fs::exists(lost));
}

// BUG: StateStore::open() runs recoverPending() unconditionally, so a second process opening the
// store releases the *in-flight* reservation of a live first process (its file is not written
// yet): the event becomes billable twice and the first process's confirm updates no row.
TEST(StateStoreTest, OpeningDoesNotReleaseAnotherLiveReservation) {
  TempDir dir;
  auto first = openStore(dir.path());
  auto r = first->reserveInterchange("acme", fileIn(dir.path(), "acme"), events({"ma1"}));
  ASSERT_TRUE(r);
  auto second = openStore(dir.path());  // e.g. a concurrent `fhir837 convert`
  EXPECT_TRUE(first->findBilled("ma1")->has_value());
  EXPECT_FALSE(second->reserveInterchange("acme", fileIn(dir.path(), "acme"), events({"ma1"})));
}

TEST(StateStoreTest, RefusesNewerSchema) {
  TempDir dir;
  EXPECT_EQ(rawQuery(dir.path(), "PRAGMA user_version = 99"), "");
  auto store = StateStore::open(dir.path());
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error(),
            makeError(ErrorCode::kConfig,
                      "state dir was written by a newer fhir837 (schema 99, this build knows 4); "
                      "refusing to touch it",
                      "state store"));
  EXPECT_EQ(rawQuery(dir.path(), "SELECT count(*) FROM sqlite_master"), "0");
}

// A state dir written by schema 1 (before owner tags) is migrated in place (1 -> ... -> 4): its
// counters and billed events survive, its rows get an empty owner, and numbering continues.
TEST(StateStoreTest, MigratesASchemaOneStateDir) {
  TempDir dir;
  fs::create_directories(dir.path());
  for (const char* sql :
       {"CREATE TABLE control_numbers (partner TEXT PRIMARY KEY, last INTEGER NOT NULL)",
        "CREATE TABLE ledger (event_key TEXT PRIMARY KEY, claim_id TEXT NOT NULL, file TEXT NOT "
        "NULL, isa13 INTEGER NOT NULL, state TEXT NOT NULL CHECK (state IN "
        "('pending','written')))",
        "INSERT INTO control_numbers VALUES('acme', 41)",
        "INSERT INTO ledger VALUES('MedicationAdministration/old', 'CLM1', '/x/837P-41.837', 41, "
        "'written')",
        "PRAGMA user_version = 1"}) {
    ASSERT_EQ(rawQuery(dir.path(), sql), "") << sql;
  }
  auto store = StateStore::open(dir.path());
  ASSERT_TRUE(store) << store.error();
  EXPECT_EQ(rawQuery(dir.path(), "PRAGMA user_version"), "4");
  EXPECT_EQ(rawQuery(dir.path(), "SELECT owner FROM ledger"), "");
  auto billed = (*store)->findBilled("MedicationAdministration/old");
  ASSERT_TRUE(billed);
  ASSERT_TRUE(billed->has_value());
  EXPECT_EQ((*billed)->claimId, "CLM1");
  auto next = (*store)->reserveInterchange(
      "acme", [](std::uint64_t n) { return "/x/837P-" + std::to_string(n) + ".837"; },
      {{"MedicationAdministration/new", "CLM2", "", 0}});
  ASSERT_TRUE(next) << next.error();
  EXPECT_EQ(next->controlNumber, 42u);
}

// Schema 3 -> 4 adds the claim key to the ledger (LEDGER-2). Rows written before carry none and
// are found by their CLM01 instead; new rows by their claim key; void rows never count.
TEST(StateStoreTest, MigratesASchemaThreeStateDirAndFindsBilledClaims) {
  TempDir dir;
  fs::create_directories(dir.path());
  for (const char* sql :
       {"CREATE TABLE control_numbers (partner TEXT PRIMARY KEY, last INTEGER NOT NULL)",
        "CREATE TABLE ledger (event_key TEXT PRIMARY KEY, claim_id TEXT NOT NULL, file TEXT NOT "
        "NULL, isa13 INTEGER NOT NULL, state TEXT NOT NULL CHECK (state IN "
        "('pending','written')), owner TEXT NOT NULL DEFAULT '')",
        "CREATE INDEX ledger_file ON ledger(file)",
        "CREATE TABLE payer_claims (claim_id TEXT PRIMARY KEY, payer_icn TEXT NOT NULL)",
        "INSERT INTO control_numbers VALUES('acme', 7)",
        "INSERT INTO ledger VALUES('MedicationAdministration/old', 'CLMOLD', '/x/837P-7.837', 7, "
        "'written', '')",
        "INSERT INTO ledger VALUES('void:MedicationAdministration/gone', 'CLMVOID', "
        "'/x/837P-7.837', 7, 'written', '')",
        "INSERT INTO payer_claims VALUES('CLMOLD', 'ICN1')", "PRAGMA user_version = 3"}) {
    ASSERT_EQ(rawQuery(dir.path(), sql), "") << sql;
  }
  auto store = StateStore::open(dir.path());
  ASSERT_TRUE(store) << store.error();
  EXPECT_EQ(rawQuery(dir.path(), "PRAGMA user_version"), "4");
  EXPECT_EQ(rawQuery(dir.path(), "SELECT claim_key FROM ledger WHERE event_key LIKE 'Med%'"), "");
  auto icn = (*store)->payerClaimNumber("CLMOLD");
  ASSERT_TRUE(icn);
  EXPECT_EQ(icn->value_or(""), "ICN1");

  auto old = (*store)->findBilledClaim("P|Encounter/e-old|60054|M1", "CLMOLD");
  ASSERT_TRUE(old) << old.error();
  ASSERT_TRUE(old->has_value());
  EXPECT_EQ((*old)->eventKey, "MedicationAdministration/old");
  EXPECT_EQ((*old)->interchangeControlNumber, 7u);
  auto voided = (*store)->findBilledClaim("P|Encounter/e-void|60054|M1", "CLMVOID");
  ASSERT_TRUE(voided);
  EXPECT_FALSE(voided->has_value()) << "a void row is not an original claim";

  auto reserved = (*store)->reserveInterchange(
      "acme", [](std::uint64_t n) { return "/x/837P-" + std::to_string(n) + ".837"; },
      {{"MedicationAdministration/new", "CLMNEW", "", 0, "P|Encounter/e1|60054|M1"}});
  ASSERT_TRUE(reserved) << reserved.error();
  EXPECT_EQ(reserved->controlNumber, 8u);
  auto byKey = (*store)->findBilledClaim("P|Encounter/e1|60054|M1", "ANYTHING");
  ASSERT_TRUE(byKey);
  ASSERT_TRUE(byKey->has_value());
  EXPECT_EQ((*byKey)->eventKey, "MedicationAdministration/new");
  EXPECT_EQ((*byKey)->claimId, "CLMNEW");
  EXPECT_EQ((*byKey)->claimKey, "P|Encounter/e1|60054|M1");
  EXPECT_EQ((*byKey)->interchangeControlNumber, 8u);
  // CLM-ID: the same CLM01 on another encounter is found; on the same encounter (another form
  // or payer) it is not; rows from before schema 4 are not compared.
  auto same = (*store)->claimIdOfOtherEncounter("CLMNEW", "Encounter/e1");
  ASSERT_TRUE(same) << same.error();
  EXPECT_FALSE(same->has_value());
  auto other = (*store)->claimIdOfOtherEncounter("CLMNEW", "Encounter/e2");
  ASSERT_TRUE(other) << other.error();
  ASSERT_TRUE(other->has_value());
  EXPECT_EQ((*other)->interchangeControlNumber, 8u);
  auto legacy = (*store)->claimIdOfOtherEncounter("CLMOLD", "Encounter/e9");
  ASSERT_TRUE(legacy);
  EXPECT_FALSE(legacy->has_value());
  // Same CLM01 but another claim key: a new row is matched by key only.
  auto otherPayer = (*store)->findBilledClaim("P|Encounter/e1|99999|M1", "CLMNEW");
  ASSERT_TRUE(otherPayer);
  EXPECT_FALSE(otherPayer->has_value());
}

TEST(StateStoreTest, ExhaustedCounterIsAnError) {
  TempDir dir;
  openStore(dir.path());
  rawQuery(dir.path(), "INSERT INTO control_numbers VALUES('acme', 999999998)");
  auto store = openStore(dir.path());
  auto last = store->reserveInterchange("acme", fileIn(dir.path(), "acme"), {});
  ASSERT_TRUE(last);
  EXPECT_EQ(last->controlNumber, 999999999u);
  auto none = store->reserveInterchange("acme", fileIn(dir.path(), "acme"), events({"ma1"}));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error(),
            makeError(ErrorCode::kConfig, "interchange control numbers exhausted for partner acme",
                      "state store"));
  EXPECT_FALSE(store->findBilled("ma1")->has_value());
}

TEST(StateStoreTest, UnusableDirectoryIsAnIoError) {
  TempDir dir;
  testing::writeFile(dir.path() / "file", "x");
  auto store = StateStore::open(dir.path() / "file/state");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kIo);
  EXPECT_EQ(store.error().where, (dir.path() / "file/state").string());
}

TEST(StateStoreTest, TwoProcessesNeverShareANumber) {
  TempDir dir;
  constexpr int kPerProcess = 200;
  std::vector<pid_t> children;
  for (int child = 0; child < 2; ++child) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int code = 0;
      try {
        auto store = openStore(dir.path());
        std::ofstream out(dir.path() / ("numbers-" + std::to_string(child) + ".txt"));
        for (int i = 0; i < kPerProcess; ++i) {
          const std::string key = "p" + std::to_string(child) + "-" + std::to_string(i);
          auto r = store->reserveInterchange(
              "acme", [](std::uint64_t n) { return "/nonexistent/" + std::to_string(n); },
              {LedgerEntry{key, key, "", 0}});
          if (!r) {
            code = 2;
            break;
          }
          out << r->controlNumber << "\n";
        }
      } catch (...) {
        code = 3;
      }
      ::_exit(code);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  std::set<std::uint64_t> numbers;
  std::size_t total = 0;
  for (int child = 0; child < 2; ++child) {
    std::ifstream in(dir.path() / ("numbers-" + std::to_string(child) + ".txt"));
    std::uint64_t n = 0;
    while (in >> n) {
      numbers.insert(n);
      ++total;
    }
  }
  EXPECT_EQ(total, 2u * kPerProcess);
  EXPECT_EQ(numbers.size(), 2u * kPerProcess);
  EXPECT_EQ(*numbers.begin(), 1u);
  EXPECT_EQ(*numbers.rbegin(), 2u * kPerProcess);
}

}  // namespace
}  // namespace fhir837
