#include "store/nats/nats_cluster_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "nats_test_fixture.h"

namespace fhir837 {
namespace {

// See nats_test_fixture.h: a nats-server of its own (R1), or FHIR837_NATS_URLS with R3.
class NatsClusterClientTest : public testing::NatsTest {};

TEST_F(NatsClusterClientTest, CreateOnlyKeyHasExactlyOneWinnerAcrossConnections) {
  auto first = connect();
  auto second = connect();
  ASSERT_TRUE(first && second);
  auto bucketA = first->bucket("ledger_" + suffix_, replicas_);
  ASSERT_TRUE(bucketA) << bucketA.error();
  auto bucketB = second->bucket("ledger_" + suffix_, replicas_);
  ASSERT_TRUE(bucketB) << bucketB.error();

  // Both connections race on the same keys in lockstep: neither starts key i before the other
  // has reached it, so each pair of creates is in flight at the same time.
  constexpr int kKeys = 200;
  std::vector<int> createdBy(kKeys, 0);  // bit 1: A created, bit 2: B created
  std::atomic<int> arrived{0};
  std::vector<std::string> errors(2);
  auto race = [&](CreateOnlyBucket& bucket, int bit, const std::string& value, int slot) {
    for (int i = 0; i < kKeys; ++i) {
      ++arrived;
      while (arrived.load() < 2 * (i + 1)) {
        std::this_thread::yield();
      }
      auto outcome = bucket.create("Encounter.e" + std::to_string(i), value);
      if (!outcome) {
        errors[slot] = outcome.error().describe();
        arrived += 2 * kKeys;  // release the other thread
        return;
      }
      if (outcome->created) {
        EXPECT_GT(outcome->revision, 0u);
        createdBy[i] |= bit;  // distinct bits: no torn writes between the two threads
      }
    }
  };
  std::thread a(race, std::ref(**bucketA), 1, "instance-a", 0);
  std::thread b(race, std::ref(**bucketB), 2, "instance-b", 1);
  a.join();
  b.join();
  ASSERT_EQ(errors, (std::vector<std::string>{"", ""}));

  int wonByA = 0;
  for (int i = 0; i < kKeys; ++i) {
    ASSERT_TRUE(createdBy[i] == 1 || createdBy[i] == 2) << "key " << i << ": " << createdBy[i];
    auto value = (*bucketB)->get("Encounter.e" + std::to_string(i));
    ASSERT_TRUE(value) << value.error();
    EXPECT_EQ(*value, std::optional<std::string>(createdBy[i] == 1 ? "instance-a" : "instance-b"));
    wonByA += createdBy[i] == 1;
  }
  std::cout << "create-only race over " << kKeys << " keys: A won " << wonByA << ", B won "
            << kKeys - wonByA << "\n";

  // A later create loses to the stored value and leaves it as it was.
  auto again = (*bucketA)->create("Encounter.e0", "late");
  ASSERT_TRUE(again) << again.error();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->revision, 0u);
  auto missing = (*bucketA)->get("Encounter.never");
  ASSERT_TRUE(missing) << missing.error();
  EXPECT_EQ(*missing, std::nullopt);
}

TEST_F(NatsClusterClientTest, SameMessageIdTwiceIsADuplicatePubAck) {
  auto client = connect();
  ASSERT_TRUE(client);
  std::string stream = "INGEST_" + suffix_;
  std::string subject = "ingest_" + suffix_ + ".p0";
  auto log = client->log(stream, {"ingest_" + suffix_ + ".>"}, replicas_);
  ASSERT_TRUE(log) << log.error();

  auto first = (*log)->publish(subject, "Encounter/e1#sha256:aa", R"({"id":"e1"})");
  ASSERT_TRUE(first) << first.error();
  EXPECT_EQ(first->stream, stream);
  EXPECT_EQ(first->sequence, 1u);
  EXPECT_FALSE(first->duplicate);

  auto repeat = (*log)->publish(subject, "Encounter/e1#sha256:aa", R"({"id":"e1"})");
  ASSERT_TRUE(repeat) << repeat.error();
  EXPECT_EQ(repeat->stream, stream);
  EXPECT_EQ(repeat->sequence, 1u);  // the first copy's sequence: nothing new stored
  EXPECT_TRUE(repeat->duplicate);

  auto changed = (*log)->publish(subject, "Encounter/e1#sha256:bb", R"({"id":"e1","v":2})");
  ASSERT_TRUE(changed) << changed.error();
  EXPECT_EQ(changed->sequence, 2u);
  EXPECT_FALSE(changed->duplicate);

  // A second log handle over the same stream (another instance) sees the same dedup window.
  auto other = connect();
  ASSERT_TRUE(other);
  auto otherLog = other->log(stream, {"ingest_" + suffix_ + ".>"}, replicas_);
  ASSERT_TRUE(otherLog) << otherLog.error();
  auto fromOther = (*otherLog)->publish(subject, "Encounter/e1#sha256:aa", "ignored");
  ASSERT_TRUE(fromOther) << fromOther.error();
  EXPECT_EQ(fromOther->sequence, 1u);
  EXPECT_TRUE(fromOther->duplicate);
}

TEST(NatsClusterClient, NoUrlIsAConfigError) {
  auto client = NatsClusterClient::connect(NatsClusterSettings{});
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error(), makeError(ErrorCode::kConfig, "no NATS server URL", "nats"));
}

TEST(NatsClusterClient, UnreachableServerIsAnIoError) {
  NatsClusterSettings settings;
  settings.urls = {"nats://127.0.0.1:" + std::to_string(testing::freeLoopbackPort())};
  settings.timeout = std::chrono::milliseconds(500);
  auto client = NatsClusterClient::connect(settings);
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, ErrorCode::kIo);
  EXPECT_EQ(client.error().message.rfind("connect: No server available for connection", 0), 0u)
      << client.error().message;
}

// Checked before connecting: libnats would say only "Error" at connect, naming no file.
TEST(NatsClusterClient, UnreadableCredentialsFileIsAConfigErrorNamingIt) {
  NatsClusterSettings settings;
  settings.urls = {"nats://127.0.0.1:" + std::to_string(testing::freeLoopbackPort())};
  settings.credentialsFile = "/nonexistent/fhir837.creds";
  auto client = NatsClusterClient::connect(settings);
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error(), makeError(ErrorCode::kConfig, "cannot read the NATS credentials file",
                                      "/nonexistent/fhir837.creds"));
}

TEST(NatsClusterClient, UnreadableTlsFilesAreConfigErrorsNamingThem) {
  NatsClusterSettings settings;
  settings.urls = {"nats://127.0.0.1:" + std::to_string(testing::freeLoopbackPort())};
  settings.tlsCa = "/nonexistent/ca.pem";
  auto client = NatsClusterClient::connect(settings);
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error(), makeError(ErrorCode::kConfig, "cannot read the NATS TLS CA file",
                                      "/nonexistent/ca.pem"));

  settings.tlsCa.clear();
  settings.tlsCert = "/nonexistent/client.pem";
  client = NatsClusterClient::connect(settings);
  ASSERT_FALSE(client);
  EXPECT_EQ(
      client.error(),
      makeError(ErrorCode::kConfig, "a NATS TLS certificate needs its key and the other way round",
                "/nonexistent/client.pem"));

  settings.tlsKey = "/nonexistent/client.key";
  client = NatsClusterClient::connect(settings);
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error(),
            makeError(ErrorCode::kConfig, "cannot read the NATS TLS certificate file",
                      "/nonexistent/client.pem"));
}

}  // namespace
}  // namespace fhir837
