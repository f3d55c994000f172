// InterchangeStream: claims are emitted only in their interchange; a claim the emitter refuses
// is found then, rejected with its events, and the others are sent under a new control number.
#include "engine/interchange_writer.h"

#include <gtest/gtest.h>

#include "engine/config/config_loader.h"
#include "store/state_store.h"
#include "support/test_paths.h"
#include "support/x12_validation.h"
#include "unit/emitters/scig_claim_builder.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

ReadyClaim ready(const std::string& id, std::uint32_t source) {
  ReadyClaim claim;
  claim.claim = testing::scigClaim();
  claim.claim.patientControlNumber = id;
  claim.eventKeys = {"MedicationAdministration/ma-" + id};
  claim.eventPositions = {{"export/MedicationAdministration.ndjson", "line " + id}};
  claim.sourceEvents = {source};
  claim.trail = {{"PAY-D12", {"Coverage/c.payor[0]"}, "payer"}};
  return claim;
}

struct Rejected {
  OutcomeRecord outcome;
  std::optional<std::uint32_t> source;
};

class InterchangeStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto config = loadConfig(testing::sourceDir() / "config/fhir837.toml");
    ASSERT_TRUE(config) << config.error();
    config_ = std::move(*config);
    auto store = StateStore::open(dir_.path() / "state");
    ASSERT_TRUE(store) << store.error();
    store_ = std::move(*store);
  }

  Status writeAll(std::vector<ReadyClaim> claims) {
    InterchangeStream stream(config_, true, dir_.path() / "out", clock_, *store_, report_, nullptr,
                             [this](OutcomeRecord o, std::optional<std::uint32_t> source) {
                               rejected_.push_back({std::move(o), source});
                               return Status::ok();
                             });
    fs::create_directories(dir_.path() / "out");
    for (auto& claim : claims) {
      report_.billedEvents += claim.eventKeys.size();
      if (Status s = stream.add(std::move(claim)); !s) return s;
    }
    return stream.finish();
  }

  TempDir dir_;
  AppConfig config_;
  std::unique_ptr<StateStore> store_;
  FixedClock clock_{1741775400};
  ConvertReport report_;
  std::vector<Rejected> rejected_;
};

TEST_F(InterchangeStreamTest, ARefusedClaimIsRejectedAndTheOthersGoOutUnderANewNumber) {
  ReadyClaim bad = ready("INF2", 7);
  bad.claim.lines[0].units = -3;  // the 837P emitter refuses SV104 < 1
  std::vector<ReadyClaim> claims;
  claims.push_back(ready("INF1", 3));
  claims.push_back(std::move(bad));
  claims.push_back(ready("INF3", 9));
  ASSERT_TRUE(writeAll(std::move(claims)));

  ASSERT_EQ(rejected_.size(), 1u);
  const OutcomeRecord& o = rejected_[0].outcome;
  EXPECT_EQ(rejected_[0].source, 7u) << "the caller can keep the event's input in rejects/";
  EXPECT_EQ(o.event, "MedicationAdministration/ma-INF2");
  EXPECT_EQ(o.entry, "line INF2");
  EXPECT_EQ(o.kind, OutcomeKind::kRejected);
  EXPECT_EQ(o.rule, "CLM-VALID");
  EXPECT_EQ(o.path, "2400 SV104");
  EXPECT_EQ(o.reason.rfind("claim INF2: line 1: ", 0), 0u) << o.reason;
  EXPECT_EQ(o.trail.size(), 1u);

  // Number 1 went to the refused attempt and is never used again; the two good claims are in 2.
  EXPECT_FALSE(fs::exists(dir_.path() / "out/837P-RCV67890-000000001.837"));
  const fs::path written = dir_.path() / "out/837P-RCV67890-000000002.837";
  ASSERT_TRUE(fs::exists(written));
  const std::string text = testing::readFile(written);
  EXPECT_TRUE(testing::isValid837(text));
  EXPECT_NE(text.find("CLM*INF1*"), std::string::npos);
  EXPECT_NE(text.find("CLM*INF3*"), std::string::npos);
  EXPECT_EQ(text.find("CLM*INF2*"), std::string::npos);
  ASSERT_EQ(report_.interchanges.size(), 1u);
  EXPECT_EQ(report_.interchanges[0].controlNumber, 2u);
  EXPECT_EQ(report_.interchanges[0].claims, 2u);
  EXPECT_EQ(report_.billedEvents, 2u);

  // The ledger knows the two sent events, not the refused one (it may be fixed and sent later).
  EXPECT_TRUE(store_->findBilled("MedicationAdministration/ma-INF1").value().has_value());
  EXPECT_TRUE(store_->findBilled("MedicationAdministration/ma-INF3").value().has_value());
  EXPECT_FALSE(store_->findBilled("MedicationAdministration/ma-INF2").value().has_value());
}

TEST_F(InterchangeStreamTest, WhenEveryClaimIsRefusedNothingIsWritten) {
  ReadyClaim bad = ready("INF2", 1);
  bad.claim.lines[0].units = -3;
  std::vector<ReadyClaim> claims;
  claims.push_back(std::move(bad));
  ASSERT_TRUE(writeAll(std::move(claims)));
  EXPECT_EQ(rejected_.size(), 1u);
  EXPECT_TRUE(report_.interchanges.empty());
  EXPECT_EQ(report_.billedEvents, 0u);
  EXPECT_TRUE(fs::is_empty(dir_.path() / "out"));
}

TEST_F(InterchangeStreamTest, AnEnvelopeProblemIsAnErrorNotARejection) {
  // No claim is at fault: the interchange itself cannot be written (ISA15 must be P or T).
  config_.partner.usageIndicator = "X";
  std::vector<ReadyClaim> claims;
  claims.push_back(ready("INF1", 1));
  Status status = writeAll(std::move(claims));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().where.find("ISA15") != std::string::npos, true) << status.error();
  EXPECT_TRUE(rejected_.empty());
  EXPECT_TRUE(report_.interchanges.empty());
}

}  // namespace
}  // namespace fhir837
