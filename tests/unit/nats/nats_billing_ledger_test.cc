#include "store/nats/nats_billing_ledger.h"

#include <gtest/gtest.h>

#include <fstream>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ledger_entry_printer.h"
#include "nats_test_fixture.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

LedgerEntry row(const std::string& eventKey, const std::string& claimId = "C1",
                const std::string& claimKey = "837P|Encounter/e1|payer|m1") {
  return LedgerEntry{eventKey, claimId, "", 0, claimKey};
}

// One instance of the cluster: its connection, bucket, local store and state dir.
struct Instance {
  std::unique_ptr<NatsClusterClient> client;
  std::unique_ptr<CreateOnlyBucket> bucket;
  std::unique_ptr<StateStore> local;
  TempDir stateDir;
  NatsLedgerSettings settings;
};

class NatsBillingLedgerTest : public testing::NatsTest {
 protected:
  std::unique_ptr<Instance> instance(const std::string& name, std::uint64_t leaseSize = 1000) {
    auto made = std::make_unique<Instance>();
    made->client = connect();
    EXPECT_TRUE(made->client);
    if (!made->client) return nullptr;
    auto bucket = made->client->bucket("ledger_" + suffix_, replicas_);
    EXPECT_TRUE(bucket) << bucket.error();
    if (!bucket) return nullptr;
    made->bucket = std::move(bucket.value());
    auto local = StateStore::openInMemory();
    EXPECT_TRUE(local) << local.error();
    if (!local) return nullptr;
    made->local = std::move(local.value());
    made->settings = NatsLedgerSettings{name, leaseSize, made->stateDir.path()};
    return made;
  }

  static std::unique_ptr<NatsBillingLedger> open(Instance& instance) {
    auto ledger = NatsBillingLedger::open(*instance.bucket, *instance.local, instance.settings);
    EXPECT_TRUE(ledger) << ledger.error();
    return ledger ? std::move(ledger.value()) : nullptr;
  }

  std::function<std::string(std::uint64_t)> fileFor(const std::string& prefix = "f") {
    return [this, prefix](std::uint64_t n) {
      return (output_.path() / (prefix + std::to_string(n) + ".x12")).string();
    };
  }

  TempDir output_;
};

TEST_F(NatsBillingLedgerTest, AnEventIsReservedOnceAndTheLoserIsRejectedNamingIt) {
  auto a = instance("a");
  ASSERT_TRUE(a);
  auto ledger = open(*a);
  ASSERT_TRUE(ledger);
  auto first = ledger->reserveInterchange("S|R", fileFor(), {row("MA/e1"), row("MA/e2")});
  ASSERT_TRUE(first) << first.error();
  EXPECT_EQ(first->controlNumber, 1u);
  EXPECT_EQ(first->file, fileFor()(1));
  auto billed = ledger->findBilled("MA/e2");
  ASSERT_TRUE(billed) << billed.error();
  EXPECT_EQ(*billed, (LedgerEntry{"MA/e2", "C1", first->file, 1, ""}));

  auto second = ledger->reserveInterchange("S|R", fileFor(), {row("MA/e3"), row("MA/e2")});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error(),
            makeError(ErrorCode::kRejected, "already billed by another conversion", "MA/e2"));
  // The refused reservation's other event is not billed by it, and its number stays used.
  auto e3 = ledger->findBilled("MA/e3");
  ASSERT_TRUE(e3) << e3.error();
  EXPECT_EQ(*e3, std::nullopt);
  auto third = ledger->reserveInterchange("S|R", fileFor(), {row("MA/e3")});
  ASSERT_TRUE(third) << third.error();
  EXPECT_EQ(third->controlNumber, 3u);
  e3 = ledger->findBilled("MA/e3");
  ASSERT_TRUE(e3) << e3.error();
  EXPECT_EQ(*e3, (LedgerEntry{"MA/e3", "C1", fileFor()(3), 3, ""}));
}

TEST_F(NatsBillingLedgerTest, AnAbandonedEventIsBillableAgainAndTheFirstFateStands) {
  auto a = instance("a");
  ASSERT_TRUE(a);
  auto ledger = open(*a);
  ASSERT_TRUE(ledger);
  auto first = ledger->reserveInterchange("S|R", fileFor(), {row("MA/e1")});
  ASSERT_TRUE(first) << first.error();
  ASSERT_TRUE(ledger->abandonInterchange(first->file));
  ASSERT_TRUE(ledger->confirmInterchange(first->file));  // too late: abandoned stays
  auto billed = ledger->findBilled("MA/e1");
  ASSERT_TRUE(billed) << billed.error();
  EXPECT_EQ(*billed, std::nullopt);

  auto again = ledger->reserveInterchange("S|R", fileFor(), {row("MA/e1")});  // attempt 2
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(again->controlNumber, 2u);
  ASSERT_TRUE(ledger->confirmInterchange(again->file));
  ASSERT_TRUE(ledger->abandonInterchange(again->file));  // too late: written stays
  billed = ledger->findBilled("MA/e1");
  ASSERT_TRUE(billed) << billed.error();
  EXPECT_EQ(*billed, (LedgerEntry{"MA/e1", "C1", again->file, 2, ""}));

  // Another instance (its own connection, no cache) sees the same.
  auto b = instance("b");
  ASSERT_TRUE(b);
  auto other = open(*b);
  ASSERT_TRUE(other);
  billed = other->findBilled("MA/e1");
  ASSERT_TRUE(billed) << billed.error();
  EXPECT_EQ(*billed, (LedgerEntry{"MA/e1", "C1", again->file, 2, ""}));
  auto refused = other->reserveInterchange("S|R", fileFor("b"), {row("MA/e1")});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(),
            makeError(ErrorCode::kRejected, "already billed by another conversion", "MA/e1"));
}

// Two instances, two threads each, reserve overlapping chunks of 60 events in different orders;
// a rejected chunk is retried without the event it names (as InterchangeStream::withdraw does),
// and a last pass bills what rejections left over. Every event ends in exactly one written
// reservation, which findBilled names.
TEST_F(NatsBillingLedgerTest, EveryEventIsReservedExactlyOnceUnderConcurrency) {
  auto a = instance("a", 7);
  auto b = instance("b", 7);
  ASSERT_TRUE(a && b);
  auto ledgerA = open(*a);
  auto ledgerB = open(*b);
  ASSERT_TRUE(ledgerA && ledgerB);
  constexpr int kEvents = 60;
  std::mutex mutex;
  std::map<std::string, std::vector<std::string>> reservedIn;  // event -> files that won it
  std::set<std::uint64_t> numbers;
  std::vector<std::string> failures;
  std::atomic<int> rejections{0};
  auto reserve = [&](NatsBillingLedger& ledger, std::vector<std::string> chunk,
                     const std::string& prefix) {
    while (!chunk.empty()) {
      std::vector<LedgerEntry> entries;
      for (const auto& key : chunk) entries.push_back(row(key));
      auto reserved = ledger.reserveInterchange("S|R", fileFor(prefix), entries);
      if (!reserved && reserved.error().code == ErrorCode::kRejected) {
        ++rejections;
        auto named = std::find(chunk.begin(), chunk.end(), reserved.error().where);
        if (named == chunk.end()) {
          std::lock_guard<std::mutex> lock(mutex);
          failures.push_back("rejection names " + reserved.error().where);
          return;
        }
        chunk.erase(named);
        continue;
      }
      std::lock_guard<std::mutex> lock(mutex);
      if (!reserved) {
        failures.push_back(reserved.error().describe());
        return;
      }
      if (!numbers.insert(reserved->controlNumber).second) {
        failures.push_back("number repeated: " + std::to_string(reserved->controlNumber));
      }
      for (const auto& key : chunk) reservedIn[key].push_back(reserved->file);
      if (Status s = ledger.confirmInterchange(reserved->file); !s) {
        failures.push_back(s.error().describe());
      }
      return;
    }
  };
  auto worker = [&](NatsBillingLedger& ledger, unsigned seed, const std::string& prefix) {
    std::vector<std::string> events;
    for (int i = 0; i < kEvents; ++i) events.push_back("MA/e" + std::to_string(i));
    std::shuffle(events.begin(), events.end(), std::mt19937(seed));
    for (std::size_t i = 0; i < events.size(); i += 3) {
      reserve(ledger,
              {events.begin() + static_cast<std::ptrdiff_t>(i),
               events.begin() + static_cast<std::ptrdiff_t>(std::min(i + 3, events.size()))},
              prefix);
    }
  };
  std::vector<std::thread> threads;
  threads.emplace_back(worker, std::ref(*ledgerA), 1u, "a1-");
  threads.emplace_back(worker, std::ref(*ledgerA), 2u, "a2-");
  threads.emplace_back(worker, std::ref(*ledgerB), 3u, "b1-");
  threads.emplace_back(worker, std::ref(*ledgerB), 4u, "b2-");
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(failures, std::vector<std::string>());
  for (int i = 0; i < kEvents; ++i) {  // rejected by a reservation later refused itself
    const std::string key = "MA/e" + std::to_string(i);
    auto billed = ledgerB->findBilled(key);
    ASSERT_TRUE(billed) << billed.error();
    if (!*billed) reserve(*ledgerB, {key}, "last-");
  }
  ASSERT_EQ(failures, std::vector<std::string>());
  EXPECT_GT(rejections.load(), 0);  // the threads did contend
  for (int i = 0; i < kEvents; ++i) {
    const std::string key = "MA/e" + std::to_string(i);
    ASSERT_EQ(reservedIn[key].size(), 1u) << key;
    auto billed = ledgerA->findBilled(key);
    ASSERT_TRUE(billed) << billed.error();
    ASSERT_TRUE(billed->has_value()) << key;
    EXPECT_EQ((*billed)->file, reservedIn[key][0]) << key;
  }
}

TEST_F(NatsBillingLedgerTest, LeasesAreDisjointAboveTheLocalFloorAndNeverReusedAfterReopen) {
  auto a = instance("a", 10);
  auto b = instance("b", 10);
  ASSERT_TRUE(a && b);
  // A's single-node daemon had used numbers up to 25 for the partner: its leases start above.
  for (int i = 0; i < 25; ++i) {
    ASSERT_TRUE(a->local->reserveInterchange("S|R", fileFor("old"), {}));
  }
  auto floor = a->local->lastControlNumber("S|R");
  ASSERT_TRUE(floor) << floor.error();
  ASSERT_EQ(*floor, 25u);
  auto ledgerA = open(*a);
  auto ledgerB = open(*b);
  ASSERT_TRUE(ledgerA && ledgerB);
  auto take = [&](NatsBillingLedger& ledger, const std::string& partner) {
    auto reserved = ledger.reserveInterchange(partner, fileFor(partner + "-"), {});
    EXPECT_TRUE(reserved) << reserved.error();
    return reserved ? reserved->controlNumber : 0;
  };
  std::vector<std::uint64_t> fromA, fromB;
  for (int i = 0; i < 11; ++i) {
    fromA.push_back(take(*ledgerA, "S|R"));
    fromB.push_back(take(*ledgerB, "S|R"));
  }
  EXPECT_EQ(fromA, (std::vector<std::uint64_t>{31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41}));
  EXPECT_EQ(fromB, (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
  EXPECT_EQ(take(*ledgerB, "other"), 1u);  // numbers are per partner

  // Reopened: a fresh lease (lease 5: 41..50 is A's, lease 1: 11..20 is B's), never a repeat.
  ledgerA.reset();
  ledgerA = open(*a);
  ASSERT_TRUE(ledgerA);
  EXPECT_EQ(take(*ledgerA, "S|R"), 51u);
  EXPECT_EQ(take(*ledgerB, "S|R"), 12u);
}

TEST_F(NatsBillingLedgerTest, NumbersEndAt999999999) {
  auto a = instance("a", 500000000);
  ASSERT_TRUE(a);
  auto take = [&]() -> Result<std::uint64_t> {
    auto ledger = NatsBillingLedger::open(*a->bucket, *a->local, a->settings);
    if (!ledger) return ledger.error();
    auto reserved = (*ledger)->reserveInterchange("S|R", fileFor(), {});
    if (!reserved) return reserved.error();
    return reserved->controlNumber;
  };
  auto first = take();
  ASSERT_TRUE(first) << first.error();
  EXPECT_EQ(*first, 1u);
  auto second = take();  // the last lease is cut at 999999999
  ASSERT_TRUE(second) << second.error();
  EXPECT_EQ(*second, 500000001u);
  auto third = take();
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error(),
            makeError(ErrorCode::kConfig, "interchange control numbers exhausted for partner S|R",
                      "cluster ledger"));
}

// Killed after reserving: at the next open a file that is there is confirmed, a missing one is
// abandoned (its events billable again) and its temporary removed.
TEST_F(NatsBillingLedgerTest, OpenSettlesTheReservationsACrashLeftInFlight) {
  auto a = instance("a");
  ASSERT_TRUE(a);
  std::string writtenFile, lostFile;
  {
    auto ledger = open(*a);
    ASSERT_TRUE(ledger);
    auto written = ledger->reserveInterchange("S|R", fileFor(), {row("MA/e1")});
    auto lost = ledger->reserveInterchange("S|R", fileFor(), {row("MA/e2")});
    ASSERT_TRUE(written && lost);
    writtenFile = written->file;
    lostFile = lost->file;
    // The "crash": the ledger goes without confirm or abandon.
  }
  const fs::path records = a->stateDir.path() / "cluster-reservations";
  ASSERT_EQ(std::distance(fs::directory_iterator(records), fs::directory_iterator()), 2);
  testing::writeFile(writtenFile, "ISA*...");
  const fs::path temporary = fs::path(lostFile).parent_path() /
                             ("." + fs::path(lostFile).filename().string() + ".4242.tmp");
  testing::writeFile(temporary, "ISA*half");

  auto reopened = open(*a);
  ASSERT_TRUE(reopened);
  EXPECT_EQ(std::distance(fs::directory_iterator(records), fs::directory_iterator()), 0);
  EXPECT_FALSE(fs::exists(temporary));
  auto e1 = reopened->findBilled("MA/e1");
  ASSERT_TRUE(e1) << e1.error();
  EXPECT_EQ(*e1, (LedgerEntry{"MA/e1", "C1", writtenFile, 1, ""}));
  auto e2 = reopened->findBilled("MA/e2");
  ASSERT_TRUE(e2) << e2.error();
  EXPECT_EQ(*e2, std::nullopt);
  // The fates are the cluster's: a late abandon of the written file changes nothing.
  ASSERT_TRUE(reopened->abandonInterchange(writtenFile));
  e1 = reopened->findBilled("MA/e1");
  ASSERT_TRUE(e1) << e1.error();
  EXPECT_TRUE(e1->has_value());
}

// The writer decides "written" before its rename; a peer that finds the reservation undecided
// past staleAfter gives it up first, and then the writer's commit fails: the file never appears
// and the event is billable again. Nothing is both written and billed again.
TEST_F(NatsBillingLedgerTest, AStaleReservationIsGivenUpAndItsWritersCommitThenFails) {
  auto a = instance("a");
  auto b = instance("b");
  ASSERT_TRUE(a && b);
  b->settings.staleAfter = std::chrono::seconds(0);
  auto writer = open(*a);
  auto peer = open(*b);
  ASSERT_TRUE(writer && peer);
  auto reserved = writer->reserveInterchange("S|R", fileFor(), {row("MA/e1")});
  ASSERT_TRUE(reserved) << reserved.error();
  // With a's own threshold (60 s) it is in flight; b finds it stale and gives it up.
  auto inFlight = writer->inFlightElsewhere("MA/e1");
  ASSERT_TRUE(inFlight) << inFlight.error();
  EXPECT_TRUE(*inFlight);
  auto seen = peer->findBilled("MA/e1");
  ASSERT_TRUE(seen) << seen.error();
  EXPECT_EQ(*seen, std::nullopt);
  Status committed = writer->commitInterchange(reserved->file);
  ASSERT_FALSE(committed);
  EXPECT_EQ(committed.error().code, ErrorCode::kRejected);
  EXPECT_EQ(committed.error().where, reserved->file);
  // b bills it at attempt 2; a's late abandon changes nothing of that.
  auto again = peer->reserveInterchange("S|R", fileFor("g"), {row("MA/e1")});
  ASSERT_TRUE(again) << again.error();
  ASSERT_TRUE(peer->commitInterchange(again->file));
  ASSERT_TRUE(writer->abandonInterchange(reserved->file));
  auto billed = writer->findBilled("MA/e1");
  ASSERT_TRUE(billed) << billed.error();
  ASSERT_TRUE(billed->has_value());
  EXPECT_EQ((*billed)->file, again->file);
  auto stillInFlight = writer->inFlightElsewhere("MA/e1");
  ASSERT_TRUE(stillInFlight);
  EXPECT_FALSE(*stillInFlight);
}

// Killed between its commit and its rename: the next open puts the durable temporary in place.
TEST_F(NatsBillingLedgerTest, OpenFinishesTheRenameOfACommittedInterchange) {
  auto a = instance("a");
  ASSERT_TRUE(a);
  std::string file;
  {
    auto ledger = open(*a);
    ASSERT_TRUE(ledger);
    auto reserved = ledger->reserveInterchange("S|R", fileFor(), {row("MA/e1")});
    ASSERT_TRUE(reserved) << reserved.error();
    file = reserved->file;
    ASSERT_TRUE(ledger->commitInterchange(file));
  }
  const fs::path temporary =
      fs::path(file).parent_path() / ("." + fs::path(file).filename().string() + ".4242.tmp");
  testing::writeFile(temporary, "ISA*whole");
  auto reopened = open(*a);
  ASSERT_TRUE(reopened);
  EXPECT_FALSE(fs::exists(temporary));
  ASSERT_TRUE(fs::exists(file));
  std::ifstream in(file);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "ISA*whole");
  auto billed = reopened->findBilled("MA/e1");
  ASSERT_TRUE(billed) << billed.error();
  ASSERT_TRUE(billed->has_value());
  EXPECT_EQ((*billed)->file, file);
}

TEST_F(NatsBillingLedgerTest, OpenRefusesAStateDirWhoseLedgerIsOpen) {
  auto a = instance("a");
  ASSERT_TRUE(a);
  auto first = open(*a);
  ASSERT_TRUE(first);
  auto second = NatsBillingLedger::open(*a->bucket, *a->local, a->settings);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error(),
            makeError(ErrorCode::kIo, "the cluster ledger of this state dir is open elsewhere",
                      (a->stateDir.path() / "cluster-ledger.lock").string()));
  first.reset();
  EXPECT_TRUE(NatsBillingLedger::open(*a->bucket, *a->local, a->settings));
}

TEST_F(NatsBillingLedgerTest, OpenRefusesAnEmptyInstanceName) {
  auto a = instance("");
  ASSERT_TRUE(a);
  auto ledger = NatsBillingLedger::open(*a->bucket, *a->local, a->settings);
  ASSERT_FALSE(ledger);
  EXPECT_EQ(ledger.error(),
            makeError(ErrorCode::kConfig, "a cluster ledger needs the instance's name",
                      "cluster ledger"));
}

}  // namespace
}  // namespace fhir837
