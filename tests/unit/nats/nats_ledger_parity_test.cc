#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "ledger_entry_printer.h"
#include "nats_test_fixture.h"
#include "store/nats/nats_billing_ledger.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

enum class Ledger { kStateStore, kNats };
void PrintTo(Ledger ledger, std::ostream* out) {
  *out << (ledger == Ledger::kStateStore ? "StateStore" : "NatsBillingLedger");
}

// The same calls against the SQLite ledger and the cluster one give the same answers: the
// pipeline must not see which one it runs on.
class LedgerParityTest : public testing::NatsTest, public ::testing::WithParamInterface<Ledger> {
 protected:
  void SetUp() override {
    NatsTest::SetUp();
    if (IsSkipped()) return;
    auto local = StateStore::openInMemory();
    ASSERT_TRUE(local) << local.error();
    local_ = std::move(local.value());
    if (GetParam() == Ledger::kStateStore) {
      ledger_ = local_.get();
      return;
    }
    client_ = connect();
    ASSERT_TRUE(client_);
    auto bucket = client_->bucket("parity_" + suffix_, replicas_);
    ASSERT_TRUE(bucket) << bucket.error();
    bucket_ = std::move(bucket.value());
    auto nats =
        NatsBillingLedger::open(*bucket_, *local_, NatsLedgerSettings{"a", 1000, stateDir_.path()});
    ASSERT_TRUE(nats) << nats.error();
    nats_ = std::move(nats.value());
    ledger_ = nats_.get();
  }

  std::string file(std::uint64_t n) const {
    return (output_.path() / ("f" + std::to_string(n) + ".x12")).string();
  }
  BillingLedger::Reservation reserve(const std::vector<LedgerEntry>& entries) {
    auto reserved = ledger_->reserveInterchange(
        "S|R", [this](std::uint64_t n) { return file(n); }, entries);
    EXPECT_TRUE(reserved) << reserved.error();
    return reserved ? *reserved : BillingLedger::Reservation{};
  }

  testing::TempDir output_, stateDir_;
  std::unique_ptr<StateStore> local_;
  std::unique_ptr<NatsClusterClient> client_;
  std::unique_ptr<CreateOnlyBucket> bucket_;
  std::unique_ptr<NatsBillingLedger> nats_;
  BillingLedger* ledger_ = nullptr;
};

const std::string kKey1 = "837P|Encounter/e1|payer|m1";
const std::string kKey2 = "837P|Encounter/e2|payer|m1";
const std::string kKey3 = "837P|Encounter/e3|payer|m1";

TEST_P(LedgerParityTest, ClaimQueriesAnswerAsTheStateStoreDoes) {
  auto first = reserve({{"MA/e2", "C1", "", 0, kKey1},
                        {"MA/e1", "C1", "", 0, kKey1},
                        {"void:MA/e0", "C1", "", 0, kKey1}});
  ASSERT_EQ(first.controlNumber, 1u);
  ASSERT_TRUE(ledger_->confirmInterchange(first.file));

  auto count = ledger_->eventsOnClaim("C1");
  ASSERT_TRUE(count) << count.error();
  EXPECT_EQ(*count, 2u);  // the void row does not count
  auto claim = ledger_->findBilledClaim(kKey1, "C1");
  ASSERT_TRUE(claim) << claim.error();
  EXPECT_EQ(*claim, (LedgerEntry{"MA/e1", "C1", file(1), 1, kKey1}));
  auto none = ledger_->findBilledClaim(kKey2, "C2");
  ASSERT_TRUE(none) << none.error();
  EXPECT_EQ(*none, std::nullopt);
  auto same = ledger_->claimIdOfOtherEncounter("C1", "Encounter/e1");
  ASSERT_TRUE(same) << same.error();
  EXPECT_EQ(*same, std::nullopt);
  auto other = ledger_->claimIdOfOtherEncounter("C1", "Encounter/e9");
  ASSERT_TRUE(other) << other.error();
  EXPECT_EQ(*other, (LedgerEntry{"MA/e1", "C1", file(1), 1, kKey1}));
  auto voidRow = ledger_->findBilled("void:MA/e0");
  ASSERT_TRUE(voidRow) << voidRow.error();
  EXPECT_EQ(*voidRow, (LedgerEntry{"void:MA/e0", "C1", file(1), 1, ""}));

  // CLM01 C1 reused by another encounter, in flight, then abandoned: it counts until abandoned.
  auto second = reserve({{"MA/e4", "C1", "", 0, kKey3}, {"MA/e3", "C2", "", 0, kKey2}});
  ASSERT_EQ(second.controlNumber, 2u);
  other = ledger_->claimIdOfOtherEncounter("C1", "Encounter/e1");
  ASSERT_TRUE(other) << other.error();
  EXPECT_EQ(*other, (LedgerEntry{"MA/e4", "C1", file(2), 2, kKey3}));
  count = ledger_->eventsOnClaim("C1");
  ASSERT_TRUE(count) << count.error();
  EXPECT_EQ(*count, 3u);
  claim = ledger_->findBilledClaim(kKey2, "C2");
  ASSERT_TRUE(claim) << claim.error();
  EXPECT_EQ(*claim, (LedgerEntry{"MA/e3", "C2", file(2), 2, kKey2}));
  ASSERT_TRUE(ledger_->abandonInterchange(second.file));
  other = ledger_->claimIdOfOtherEncounter("C1", "Encounter/e1");
  ASSERT_TRUE(other) << other.error();
  EXPECT_EQ(*other, std::nullopt);
  count = ledger_->eventsOnClaim("C1");
  ASSERT_TRUE(count) << count.error();
  EXPECT_EQ(*count, 2u);
  claim = ledger_->findBilledClaim(kKey2, "C2");
  ASSERT_TRUE(claim) << claim.error();
  EXPECT_EQ(*claim, std::nullopt);

  // A row without a claim key (written before schema 4) matches by its claim id.
  auto third = reserve({{"MA/e5", "C3", "", 0, ""}});
  ASSERT_EQ(third.controlNumber, 3u);
  claim = ledger_->findBilledClaim("837P|Encounter/e5|payer|m1", "C3");
  ASSERT_TRUE(claim) << claim.error();
  EXPECT_EQ(*claim, (LedgerEntry{"MA/e5", "C3", file(3), 3, ""}));
  other = ledger_->claimIdOfOtherEncounter("C3", "Encounter/e9");  // not compared
  ASSERT_TRUE(other) << other.error();
  EXPECT_EQ(*other, std::nullopt);

  // A later reservation of the claim: the earliest stays the claim's first original.
  auto fourth = reserve({{"MA/e0", "C1", "", 0, kKey1}});
  ASSERT_EQ(fourth.controlNumber, 4u);
  claim = ledger_->findBilledClaim(kKey1, "C1");
  ASSERT_TRUE(claim) << claim.error();
  EXPECT_EQ(*claim, (LedgerEntry{"MA/e1", "C1", file(1), 1, kKey1}));

  auto refused = ledger_->reserveInterchange("S|R", [this](std::uint64_t n) { return file(n); },
                                             {{"MA/e1", "C1", "", 0, kKey1}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(),
            makeError(ErrorCode::kRejected, "already billed by another conversion", "MA/e1"));

  ASSERT_TRUE(local_->recordPayerClaimNumber("C1", "ICN-77"));
  auto icn = ledger_->payerClaimNumber("C1");
  ASSERT_TRUE(icn) << icn.error();
  EXPECT_EQ(*icn, std::optional<std::string>("ICN-77"));
}

INSTANTIATE_TEST_SUITE_P(Ledgers, LedgerParityTest,
                         ::testing::Values(Ledger::kStateStore, Ledger::kNats),
                         [](const ::testing::TestParamInfo<Ledger>& info) {
                           return info.param == Ledger::kStateStore ? "StateStore" : "Nats";
                         });

}  // namespace
}  // namespace fhir837
